"""The published site's catalogue (``index.html`` and one page per filter) and Atom feed.

Both are made from ``manifest.json`` alone, so a merge of CI shards produces the same site
as a single publish. No timestamps other than the briefs' own dates: two publishes of the
same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from xml.sax.saxutils import escape, quoteattr

from briefs.errors import BriefError
from briefs.fs import inside, write_atomic
from briefs.pipeline.build import Project
from briefs.pipeline.manifest import Manifest
from briefs.render.html import render_template
from briefs.text import citations
from briefs.text.i18n import format_date
from briefs.version import __version__


def _slug(label: dict[str, str]) -> str:
    english = label.get("en") or ""
    slug = re.sub(r"[^a-z0-9]+", "-", english.lower()).strip("-")
    if slug:
        return slug
    return hashlib.sha1("|".join(sorted(label.values())).encode()).hexdigest()[:8]


def _pick(texts: dict[str, str] | None, lang: str = "ko") -> str:
    if not texts:
        return ""
    return texts.get(lang) or next(iter(texts.values()), "")


def write_site(
    out: Path, site: Manifest, project: Project, *, base_url: str | None = None
) -> list[Path]:
    """Write the catalogue pages and the feed for the manifest ``site`` into ``out``."""
    manifest = site.model_dump(mode="json")
    briefs = sorted(manifest["briefs"], key=lambda b: (b["date"], b["id"]), reverse=True)
    files = {o["path"]: o for o in manifest["outputs"]}
    ko, en = project.labels("ko"), project.labels("en")
    lang_names = {"ko": ko("language_name"), "en": en("language_name")}
    present = {o["brief"] for o in manifest["outputs"]}
    briefs = [b for b in briefs if b["id"] in present]

    audiences: dict[str, str] = {}
    tags: dict[str, str] = {}
    for brief in briefs:
        brief["date_ko"] = format_date(dt.date.fromisoformat(brief["date"]), "ko")
        brief["tag_labels"] = [_pick(t) for t in brief["tags"]]
        brief["tag_slugs"] = [_slug(t) for t in brief["tags"]]
        for name in brief["audiences"]:
            audiences.setdefault(name, _pick(brief["editions"][name]))
        for slug, label in zip(brief["tag_slugs"], brief["tag_labels"], strict=True):
            tags.setdefault(slug, label)
        brief["shown_audiences"] = list(brief["audiences"])

    def page(kind: str, key: str) -> str:
        return f"index-{kind}-{key}.html"

    filters: list[dict[str, Any]] = [
        {
            "title": ko("site.audience"),
            "items": [
                {"href": page("audience", k), "label": v, "kind": "audience", "key": k}
                for k, v in audiences.items()
            ],
        },
        {
            "title": ko("site.language"),
            "items": [
                {"href": page("lang", k), "label": lang_names[k], "kind": "lang", "key": k}
                for k in ("ko", "en")
                if any(k in b["languages"] for b in briefs)
            ],
        },
        {
            "title": ko("site.tag"),
            "items": [
                {"href": page("tag", k), "label": v, "kind": "tag", "key": k}
                for k, v in sorted(tags.items(), key=lambda kv: kv[1])
            ],
        },
    ]

    def selected(item: dict[str, str] | None) -> list[dict[str, Any]]:
        if item is None:
            return briefs
        chosen = []
        for brief in briefs:
            view = dict(brief)
            if item["kind"] == "audience":
                if item["key"] not in brief["audiences"]:
                    continue
                view["shown_audiences"] = [item["key"]]
            elif item["kind"] == "lang":
                if item["key"] not in brief["languages"]:
                    continue
                view["languages"] = [item["key"]]
            elif item["key"] not in brief["tag_slugs"]:
                continue
            chosen.append(view)
        return chosen

    written: list[Path] = []
    items: list[dict[str, str] | None] = [None]
    items += [item for group in filters for item in group["items"]]
    for item in items:
        html = render_template(
            project.env,
            "site/index.html.j2",
            briefs=selected(item),
            filters=filters,
            current=item,
            files=files,
            ko=ko,
            en=en,
            lang_names=lang_names,
            version=__version__,
        )
        target = inside(out, item["href"] if item else "index.html")
        _write_if_changed(target, html.encode("utf-8"))
        written.append(target)
    # Filter pages of an earlier publish whose filter is gone.
    current = {p.name for p in written}
    for stale in out.glob("index-*.html"):
        if stale.name not in current:
            stale.unlink()

    feed = inside(out, "feed.xml")
    _write_if_changed(feed, atom_feed(briefs, files, base_url=base_url).encode("utf-8"))
    written.append(feed)
    return written


def _write_if_changed(target: Path, data: bytes) -> None:
    """Write a site page unless the disk holds these bytes already: the pages are remade on
    every publish, so one left stale by a killed run is always repaired."""
    if not (target.is_file() and target.read_bytes() == data):
        write_atomic(target, data)


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
    briefs: list[dict[str, Any]], files: dict[str, dict[str, Any]], *, base_url: str | None = None
) -> str:
    """An Atom (RFC 4287) feed with one entry per brief, newest first."""
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
        "  <title>정책 브리프 · Policy briefs</title>",
        f"  <id>{escape(base + '/' if base else 'urn:briefs:catalogue')}</id>",
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
            f"    <title xml:lang={quoteattr(lang)}>{escape(_pick(brief['title'], lang))}</title>",
            f"    <updated>{brief['date']}T00:00:00Z</updated>",
            f"    <published>{brief['date']}T00:00:00Z</published>",
        ]
        for author in brief["authors"] or [brief["organisation"]]:
            lines.append(f"    <author><name>{escape(_pick(author, lang))}</name></author>")
        for tag in brief["tags"]:
            lines.append(f"    <category term={quoteattr(_pick(tag, lang))}/>")
        summary = _plain_summary(_pick(brief["summary"], lang))
        lines.append(f"    <summary xml:lang={quoteattr(lang)}>{escape(summary)}</summary>")
        # Atom allows one rel=alternate per type and language: the first audience's HTML
        # edition; the other editions are related, and the PDFs enclosures.
        for key in _entry_files(brief, files):
            output = files[key]
            if output["format"] in ENCLOSURES:
                rel, kind = "enclosure", ENCLOSURES[output["format"]]
            else:
                first = output["audience"] == brief["audiences"][0]
                rel, kind = ("alternate" if first else "related"), "text/html"
            edition = _pick(brief["editions"].get(output["audience"]), output["lang"])
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
}
"""The media types of the formats a feed entry encloses (the HTML editions are its links)."""


def _entry_files(brief: dict[str, Any], files: dict[str, dict[str, Any]]) -> list[str]:
    """The brief's outputs in catalogue order: audience, language, format."""
    order = {name: i for i, name in enumerate(brief["audiences"])}
    keys = [k for k in files if k.startswith(brief["id"] + "/")]
    return sorted(
        keys,
        key=lambda k: (order.get(files[k]["audience"], 99), files[k]["lang"], files[k]["format"]),
    )


def _plain_summary(markdown_text: str) -> str:
    """The summary as plain text: no citation marks, bullets as •."""
    text = citations.strip(markdown_text)
    text = re.sub(r"^\s*[-*+]\s+", "• ", text, flags=re.M)
    return re.sub(r"[*_`]", "", text).strip()
