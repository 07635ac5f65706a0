"""The site's machine-readable files: the Atom feed, ``sitemap.xml`` and ``robots.txt``.

Made from ``manifest.json`` alone, like the catalogue pages, so a merge of CI shards writes
the same bytes as a single publish; no timestamps but the briefs' own dates.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from briefs.errors import BriefError
from briefs.text import citations
from briefs.version import __version__


def pick(texts: dict[str, str] | None, lang: str = "ko") -> str:
    """The text in ``lang``, else in any language (empty for none)."""
    if not texts:
        return ""
    return texts.get(lang) or next(iter(texts.values()), "")


def base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be the site's public address, or None: it must be an absolute
    ``http://`` or ``https://`` address with a host, and no spaces, quotes or brackets."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"must be an absolute http:// or https:// address, not {url!r}"
    if re.search(r"[\s\"'<>\\\x00-\x1f\x7f]", url):
        return f"may not contain spaces, quotes, brackets or control characters: {url!r}"
    return None


def atom_feed(
    briefs: list[dict[str, Any]],
    files: dict[str, dict[str, Any]],
    *,
    base_url: str | None = None,
    title: str = "정책 브리프 · Policy briefs",
    subtitle: str = "",
    feed_id: str | None = None,
) -> str:
    """An Atom (RFC 4287) feed with one entry per brief, newest first.

    Its id is ``feed_id`` (the project file's), else the base URL, else a URN; with a base
    URL its links are absolute and it names itself (``rel="self"``).
    """
    if base_url is not None and (problem := base_url_problem(base_url)):
        raise BriefError(f"--base-url {problem}")
    base = (base_url or "").rstrip("/")

    def href(path: str) -> str:
        return f"{base}/{path}" if base else path

    def ident(brief_id: str) -> str:
        return f"{base}/{brief_id}/" if base else f"urn:briefs:{brief_id}"

    updated = max((b["date"] for b in briefs), default="1970-01-01")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ko">',
        f"  <title>{escape(title)}</title>",
    ]
    if subtitle:
        lines.append(f"  <subtitle>{escape(subtitle)}</subtitle>")
    lines += [
        f"  <id>{escape(feed_id or (base + '/' if base else 'urn:briefs:catalogue'))}</id>",
        f"  <updated>{updated}T00:00:00Z</updated>",
        f'  <generator version="{__version__}">briefs</generator>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(href("index.html"))}/>',
    ]
    if base:
        lines.append(
            f'  <link rel="self" type="application/atom+xml" href={quoteattr(href("feed.xml"))}/>'
        )
    for brief in briefs:
        lang = brief["languages"][0]
        lines += [
            "  <entry>",
            f"    <id>{escape(ident(brief['id']))}</id>",
            f"    <title xml:lang={quoteattr(lang)}>{escape(pick(brief['title'], lang))}</title>",
            f"    <updated>{brief['date']}T00:00:00Z</updated>",
            f"    <published>{brief['date']}T00:00:00Z</published>",
        ]
        for author in brief["authors"] or [brief["organisation"]]:
            lines.append(f"    <author><name>{escape(pick(author, lang))}</name></author>")
        for tag in brief["tags"]:
            lines.append(f"    <category term={quoteattr(pick(tag, lang))}/>")
        summary = plain_summary(pick(brief["summary"], lang))
        lines.append(f"    <summary xml:lang={quoteattr(lang)}>{escape(summary)}</summary>")
        # Atom allows one rel=alternate per type and language: the first audience's HTML
        # edition; the other editions are related, and the PDFs and DOCX files enclosures.
        for key in entry_files(brief, files):
            output = files[key]
            if output["format"] in ENCLOSURES:
                rel, kind = "enclosure", ENCLOSURES[output["format"]]
            else:
                first = output["audience"] == brief["audiences"][0]
                rel, kind = ("alternate" if first else "related"), "text/html"
            edition = pick(brief["editions"].get(output["audience"]), output["lang"])
            lines.append(
                f'    <link rel="{rel}" type="{kind}" hreflang="{output["lang"]}" '
                f"href={quoteattr(href(key))} title={quoteattr(edition)} "
                f'length="{output["bytes"]}"/>'
            )
        lines.append("  </entry>")
    lines.append("</feed>")
    return "\n".join(lines) + "\n"


ENCLOSURES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "hwpx": "application/hwp+zip",
}
"""The media types of the formats a feed entry encloses (the HTML editions are its links)."""


def entry_files(brief: dict[str, Any], files: dict[str, dict[str, Any]]) -> list[str]:
    """The brief's outputs in catalogue order: audience, language, format."""
    order = {name: i for i, name in enumerate(brief["audiences"])}
    keys = [k for k in files if k.startswith(brief["id"] + "/")]
    return sorted(
        keys,
        key=lambda k: (order.get(files[k]["audience"], 99), files[k]["lang"], files[k]["format"]),
    )


def plain_summary(markdown_text: str) -> str:
    """The summary as plain text: no citation marks, bullets as •."""
    text = citations.strip(markdown_text)
    text = re.sub(r"^\s*[-*+]\s+", "• ", text, flags=re.M)
    return re.sub(r"[*_`]", "", text).strip()


def public_path(path: str) -> str:
    """The path a page is known by: ``index.html`` pages by their folder (``minimal/``)."""
    if path == "index.html" or path.endswith("/index.html"):
        return path.removesuffix("index.html")
    return path


def sitemap_xml(pages: list[tuple[str, str]], base_url: str) -> str:
    """A sitemap (sitemaps.org 0.9) of ``pages``: (path relative to the site, ISO date)."""
    base = base_url.rstrip("/")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
    ]
    for path, date in pages:
        lines.append(
            f"  <url><loc>{escape(f'{base}/{public_path(path)}')}</loc>"
            f"<lastmod>{date}</lastmod></url>"
        )
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(base_url: str | None) -> str:
    """``robots.txt``: everything may be crawled; the sitemap named when there is one."""
    text = "User-agent: *\nAllow: /\n"
    if base_url:
        text += f"Sitemap: {base_url.rstrip('/')}/sitemap.xml\n"
    return text
