"""The published site's pages: the catalogue, a page per brief, 404, and the files around them.

The catalogue is ``index.html`` (Korean) and ``index.en.html`` (English), each with one page
per audience and topic filter; the language filter pages are in their own language
(``index-lang-en.html`` is an English page of the briefs in English). Each brief has a page
per language (``<id>/index.html``, ``<id>/index.en.html``) with its summary, key figures and
every edition. Then ``404.html``, ``robots.txt``, the logo (also the favicon), and, with a
base URL, ``sitemap.xml``; the feed comes from :mod:`briefs.pipeline.feed`, the search index
(``pagefind/``, of the brief pages and HTML editions) from :mod:`briefs.pipeline.search`.

Everything is made from ``manifest.json`` alone, so a merge of CI shards produces the same
site as a single publish. No timestamps other than the briefs' own dates: two publishes of
the same inputs give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefs.fs import inside, write_atomic
from briefs.pipeline.build import Project
from briefs.pipeline.feed import (
    atom_feed,
    entry_files,
    pick,
    plain_summary,
    public_path,
    robots_txt,
    sitemap_xml,
)
from briefs.pipeline.manifest import FONTS_FOLDER, Manifest, brief_page, catalogue_page
from briefs.pipeline.search import index_site
from briefs.render.fonts import FACES, FAMILY, used_characters, woff2_subset
from briefs.render.html import render_template
from briefs.resources import builtin_dir
from briefs.text.i18n import Labels, format_date
from briefs.version import __version__

UI_LANGUAGES = ("ko", "en")
"""The languages of the site's own pages."""
LOCALES = {"ko": "ko_KR", "en": "en_US"}


def _slug(label: dict[str, str]) -> str:
    english = label.get("en") or ""
    slug = re.sub(r"[^a-z0-9]+", "-", english.lower()).strip("-")
    if slug:
        return slug
    return hashlib.sha1("|".join(sorted(label.values())).encode()).hexdigest()[:8]


def file_size(size: int) -> str:
    """A file's size for readers: ``38 KB``, ``1.4 MB``."""
    if size < 1024 * 1024:
        return f"{max(1, round(size / 1024))} KB"
    return f"{size / (1024 * 1024):.1f} MB"


@dataclass
class SitePage:
    """What a site template knows of the page it renders (``site`` in the templates)."""

    lang: str
    """The interface language."""
    path: str
    """This page's path in the site."""
    title: str
    """The site's title."""
    description: str
    """The site's description."""
    organisation: str
    """The organisation, for the logo's alternative text."""
    base: str
    """The base URL without its final slash (empty when not given)."""
    logo: str = ""
    """The logo's path in the site (empty without one)."""
    logo_type: str = ""
    """Its media type."""
    alternates: list[dict[str, str]] = field(default_factory=list)
    """This page in the other interface languages: ``{lang, href, name}``."""
    absolute: bool = False
    """Links are absolute (with a base URL): ``404.html`` is served at any address."""

    @property
    def root(self) -> str:
        """The relative way back to the site's root from this page."""
        return "../" * self.path.count("/")

    def href(self, path: str) -> str:
        """A link to ``path`` (relative to the site) from this page."""
        if self.absolute and self.base:
            return f"{self.base}/{path}"
        return self.root + path

    def url(self, path: str) -> str:
        """The absolute address of ``path``, or a link from this page without a base URL."""
        return f"{self.base}/{path}" if self.base else self.href(path)

    @property
    def canonical(self) -> str:
        """This page's absolute address (empty without a base URL)."""
        if not self.base or self.absolute:
            return ""
        return f"{self.base}/{public_path(self.path)}"


def write_site(
    out: Path, site: Manifest, project: Project, *, base_url: str | None = None
) -> list[Path]:
    """Write the site's pages and files for the manifest ``site`` into ``out``."""
    institute = project.institute
    settings = institute.settings.site
    base_url = base_url or settings.base_url
    base = (base_url or "").rstrip("/")
    manifest = site.model_dump(mode="json")
    files = {o["path"]: o for o in manifest["outputs"]}
    for entry in files.values():
        entry["size"] = file_size(entry["bytes"])
    present = {o["brief"] for o in manifest["outputs"]}
    briefs = sorted(
        (b for b in manifest["briefs"] if b["id"] in present),
        key=lambda b: (b["date"], b["id"]),
        reverse=True,
    )
    labels = {lang: project.labels(lang) for lang in UI_LANGUAGES}
    lang_names = {lang: labels[lang]("language_name") for lang in UI_LANGUAGES}
    logo = f"logo.{institute.logo_suffix}" if institute.logo_data else ""

    def page(lang: str, path: str, alternates: dict[str, str], absolute: bool = False) -> SitePage:
        return SitePage(
            absolute=absolute,
            lang=lang,
            path=path,
            title=institute.text(settings.title, lang, labels[lang]("site.title")),
            description=institute.text(settings.description, lang),
            organisation=institute.text(institute.settings.organisation, lang),
            base=base,
            logo=logo,
            logo_type=institute.logo_type,
            alternates=[
                {"lang": other, "href": href, "name": lang_names[other]}
                for other, href in alternates.items()
                if other != lang
            ],
        )

    for brief in briefs:
        date = dt.date.fromisoformat(brief["date"])
        brief["dates"] = {lang: format_date(date, lang) for lang in UI_LANGUAGES}
        brief["tag_slugs"] = [_slug(t) for t in brief["tags"]]
        brief["shown_audiences"] = list(brief["audiences"])
        brief["plain_summary"] = {
            lang: plain_summary(text) for lang, text in brief["summary"].items()
        }
        first = brief["languages"][0]
        brief["pages"] = {lang: brief_page(brief["id"], lang, first) for lang in brief["languages"]}
        brief["files"] = entry_files(brief, files)

    contents: dict[str, bytes] = {}
    for lang in UI_LANGUAGES:
        for item, listed in _catalogue_items(briefs, lang, labels):
            kind = item["kind"] if item else None
            key = item["key"] if item else None
            if kind == "lang":  # a language's page is in that language only
                if key != lang:
                    continue
                paths = {lang: _catalogue_path("lang", key, lang)}
            else:
                paths = {ui: _catalogue_path(kind, key, ui) for ui in UI_LANGUAGES}
            html = render_template(
                project.env,
                "site/index.html.j2",
                site=page(lang, paths[lang], paths),
                t=labels[lang],
                briefs=listed,
                filters=_filters(briefs, lang, labels, lang_names),
                current=item,
                files=files,
                lang_names=lang_names,
                pick=pick,
                version=__version__,
            )
            contents[paths[lang]] = html.encode("utf-8")
    for brief in briefs:
        for lang in brief["languages"]:
            path = brief["pages"][lang]
            html = render_template(
                project.env,
                "site/brief.html.j2",
                site=page(lang, path, brief["pages"]),
                t=labels[lang],
                brief=brief,
                files=files,
                lang_names=lang_names,
                pick=pick,
                version=__version__,
            )
            contents[path] = html.encode("utf-8")
    missing = render_template(
        project.env,
        "site/404.html.j2",
        site=page("ko", "404.html", {}, absolute=True),
        t=labels["ko"],
        en=labels["en"],
        version=__version__,
    )
    contents["404.html"] = missing.encode("utf-8")
    _link_fonts(contents, base)
    if logo:
        contents[logo] = institute.logo_data
    feed_title = " · ".join(
        dict.fromkeys(
            institute.text(settings.title, lang, labels[lang]("site.title"))
            for lang in UI_LANGUAGES
        )
    )
    contents["feed.xml"] = atom_feed(
        briefs,
        files,
        base_url=base_url,
        title=feed_title,
        subtitle=institute.text(settings.description, "ko"),
        feed_id=settings.feed_id,
    ).encode("utf-8")
    contents["robots.txt"] = robots_txt(base_url).encode("utf-8")
    if base:
        listed_pages = [
            (path, _lastmod(briefs))
            for path in contents
            if path.endswith(".html") and "/" not in path and path != "404.html"
        ]
        for brief in briefs:
            listed_pages += [(path, brief["date"]) for path in brief["pages"].values()]
            listed_pages += [(path, brief["date"]) for path in brief["files"]]
        contents["sitemap.xml"] = sitemap_xml(sorted(listed_pages), base).encode("utf-8")

    written: list[Path] = []
    for path, data in contents.items():
        target = inside(out, path)
        _write_if_changed(target, data)
        written.append(target)
    # Site pages of an earlier publish that are gone: filters, logos, a sitemap, the pages
    # of a deleted brief (and its folder, once empty) or of a language it no longer has.
    for stale in site_pages(out):
        if stale.relative_to(out).as_posix() not in contents:
            stale.unlink()
            if stale.parent != out and not any(stale.parent.iterdir()):
                stale.parent.rmdir()
    indexed = {path: contents[path] for brief in briefs for path in brief["pages"].values()}
    for path, entry in files.items():
        if entry["format"] == "html":
            indexed[path] = inside(out, path).read_bytes()
    index_site(out, indexed)
    return written


def site_pages(out: Path) -> list[Path]:
    """The site pages and files in ``out`` that a publish makes and removes when they are no
    longer made (catalogue and brief pages, logos, the sitemap)."""
    old = [*out.glob("index*.html"), *out.glob("logo.*"), *out.glob("sitemap.xml")]
    return [*old, *out.glob("*/index*.html")]


def _link_fonts(contents: dict[str, bytes], base: str) -> None:
    """Give the site's pages the bundled faces, as files they share (``fonts/``): one
    subset of the characters of every page, downloaded once, not a copy in each page."""
    pages = {path: data.decode("utf-8") for path, data in contents.items()}
    characters = frozenset().union(*(used_characters(text) for text in pages.values()))
    names = {}
    for file_name, weight, style in FACES:
        names[weight] = f"{FONTS_FOLDER}/{FAMILY.replace(' ', '')}-{style}.woff2"
        contents[names[weight]] = woff2_subset(file_name, characters)
    contents[f"{FONTS_FOLDER}/OFL.txt"] = (
        builtin_dir() / "fonts" / "OFL-PretendardGOV.txt"
    ).read_bytes()
    for path, text in pages.items():
        root = f"{base}/" if path == "404.html" and base else "../" * path.count("/")
        css = "\n".join(
            f'@font-face {{ font-family: "{FAMILY}"; font-style: normal; font-weight: {weight}; '
            f'font-display: swap; src: url("{root}{name}") format("woff2"); }}'
            for weight, name in names.items()
        )
        head = text.find("</head>")
        if head >= 0:
            contents[path] = f"{text[:head]}<style>\n{css}\n</style>\n{text[head:]}".encode()


def _lastmod(briefs: list[dict[str, Any]]) -> str:
    return max((b["date"] for b in briefs), default="1970-01-01")


def _catalogue_path(kind: str | None, key: str | None, lang: str) -> str:
    if kind is None:
        return catalogue_page(lang)
    name = f"index-{kind}-{key}"
    return f"{name}.html" if kind == "lang" or lang == "ko" else f"{name}.{lang}.html"


def _filters(
    briefs: list[dict[str, Any]],
    lang: str,
    labels: dict[str, Labels],
    lang_names: dict[str, str],
) -> list[dict[str, Any]]:
    """The filter groups of the catalogue in interface language ``lang``."""
    t = labels[lang]
    audiences: dict[str, str] = {}
    tags: dict[str, str] = {}
    for brief in briefs:
        for name in brief["audiences"]:
            audiences.setdefault(name, pick(brief["editions"][name], lang))
        for slug, tag in zip(brief["tag_slugs"], brief["tags"], strict=True):
            tags.setdefault(slug, pick(tag, lang))
    return [
        {
            "title": t("site.audience"),
            "items": [
                {
                    "href": _catalogue_path("audience", k, lang),
                    "label": v,
                    "kind": "audience",
                    "key": k,
                }
                for k, v in audiences.items()
            ],
        },
        {
            "title": t("site.language"),
            "items": [
                {
                    "href": _catalogue_path("lang", k, k),
                    "label": lang_names[k],
                    "kind": "lang",
                    "key": k,
                    "lang": k,
                }
                for k in UI_LANGUAGES
                if any(k in b["languages"] for b in briefs)
            ],
        },
        {
            "title": t("site.tag"),
            "items": [
                {"href": _catalogue_path("tag", k, lang), "label": v, "kind": "tag", "key": k}
                for k, v in sorted(tags.items(), key=lambda kv: kv[1])
            ],
        },
    ]


def _catalogue_items(
    briefs: list[dict[str, Any]], lang: str, labels: dict[str, Labels]
) -> list[tuple[dict[str, str] | None, list[dict[str, Any]]]]:
    """Each catalogue page of interface language ``lang``: its filter and its briefs."""
    pages: list[tuple[dict[str, str] | None, list[dict[str, Any]]]] = [(None, briefs)]
    lang_names = {k: labels[k]("language_name") for k in UI_LANGUAGES}
    for group in _filters(briefs, lang, labels, lang_names):
        for item in group["items"]:
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
            pages.append((item, chosen))
    return pages


def _write_if_changed(target: Path, data: bytes) -> None:
    """Write a site page unless the disk holds these bytes already: the pages are remade on
    every publish, so one left stale by a killed run is always repaired."""
    if not (target.is_file() and target.read_bytes() == data):
        write_atomic(target, data)
