"""The published site of a project with a project file: pages in both languages, a page per
brief, cross-links, meta tags, feed, sitemap, robots.txt, 404, logo and favicon."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from briefs.pipeline.publish import publish
from tests.test_project_file import LOGO, make_project

pytestmark = pytest.mark.slow

BASE = "https://briefs.kpi.example.org/"
PROJECT = f"""\
organisation = {{ ko = "한국정책연구원", en = "Korea Policy Institute" }}
logo = "logo.svg"

[defaults]
audiences = ["government", "public"]

[site]
title = {{ ko = "연구원 브리프", en = "Institute briefs" }}
description = {{ ko = "연구원의 정책 브리프", en = "The institute's policy briefs" }}
base_url = "{BASE}"
feed_id = "urn:uuid:6f1c2a8e-3b7d-4c19-9e55-2d8f0a6b4c31"
"""
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


class Page(HTMLParser):
    """The links, meta tags and ``<html lang>`` of a page."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.lang = ""
        self.links: list[dict[str, str | None]] = []
        self.meta: dict[str, list[str]] = {}
        self.images: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if tag == "html":
            self.lang = found.get("lang") or ""
        elif tag in ("a", "link"):
            self.links.append({"tag": tag, **found})
        elif tag == "meta" and (name := found.get("name") or found.get("property")):
            self.meta.setdefault(name, []).append(found.get("content") or "")
        elif tag == "img":
            self.images.append(found.get("src") or "")

    def hrefs(self, tag: str = "a") -> list[str]:
        """The page's links (skip links to its own anchors left out)."""
        return [
            str(link["href"])
            for link in self.links
            if link["tag"] == tag and not str(link["href"]).startswith("#")
        ]


def read(site: Path, path: str) -> Page:
    return Page((site / path).read_text("utf-8"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project of two briefs (one bilingual, one Korean only) published, its inputs
    folder given as an absolute path from another working folder."""
    folder = tmp_path_factory.mktemp("institute")
    brief = make_project(folder, PROJECT)
    korean = (
        brief.read_text("utf-8")
        .replace("id: minimal", "id: korean-only")
        .replace("title: {ko: 최소 브리프, en: Minimal brief}", "title: 한국어 브리프")
        .replace("date: 2025-01-27", "date: 2025-02-01")
        .replace("languages: [ko, en]", "languages: [ko]")
    )
    korean = re.sub(r"\n( +)en: [^\n]*", "", korean)
    korean = re.sub(r"\{ko: ([^,}]*), en: [^}]*\}", r"\1", korean)
    (brief.parent / "korean-only.yaml").write_text(korean, "utf-8")
    out = folder / "public"
    result = publish(brief.parent.resolve(), out)
    assert not result.failures, [str(f) for f in result.failures]
    return out


def test_the_manifest_holds_relative_paths_only(site: Path) -> None:
    manifest = json.loads((site / "manifest.json").read_text("utf-8"))
    assert sorted(b["source"] for b in manifest["briefs"]) == ["korean-only.yaml", "minimal.yaml"]
    assert manifest["base_url"] == BASE  # from the project file
    text = (site / "manifest.json").read_text("utf-8")
    assert str(site.parent) not in text


def test_english_pages_are_english(site: Path) -> None:
    for path in ("index.en.html", "index-lang-en.html", "index-audience-public.en.html"):
        page = (site / path).read_text("utf-8")
        assert read(site, path).lang == "en", path
        assert "필터" not in page and "판본" not in page, path
        assert "Institute briefs" in page
    english = (site / "index-lang-en.html").read_text("utf-8")
    assert "Filter: English" in english
    assert "minimal/public.en.html" in english and "korean-only" not in english
    # The Korean-only brief is listed in the English catalogue, its title marked Korean.
    assert '<h2 id="b-korean-only" lang="ko">' in (site / "index.en.html").read_text("utf-8")
    for path in ("index.html", "index-lang-ko.html", "index-audience-public.html"):
        assert read(site, path).lang == "ko", path


def test_each_brief_has_a_page_per_language(site: Path) -> None:
    assert sorted(p.name for p in (site / "minimal").glob("index*.html")) == [
        "index.en.html",
        "index.html",
    ]
    assert [p.name for p in (site / "korean-only").glob("index*.html")] == ["index.html"]
    text = (site / "minimal" / "index.en.html").read_text("utf-8")
    assert "<h1>Minimal brief</h1>" in text
    assert "Nvidia&#39;s shares fell sharply in one day." in text  # the summary, no citation
    # Formatted as the editions do, with no-break spaces.
    assert "about\u00a0$589\u00a0billion" in text and "Market value lost" in text
    korean = (site / "minimal" / "index.html").read_text("utf-8")
    assert re.search("약.5,890억.달러", korean)
    manifest = json.loads((site / "manifest.json").read_text("utf-8"))
    page = read(site, "minimal/index.en.html")
    mine = [o for o in manifest["outputs"] if o["brief"] == "minimal"]
    assert len(mine) == 8  # 2 audiences × 2 languages × 2 formats
    for output in mine:
        assert f"../{output['path']}" in page.hrefs()
        assert f"{max(1, round(output['bytes'] / 1024))} KB" in text
        if output["format"] == "pdf":
            assert f"{output['pages']} pages, " in text


def test_meta_tags_for_sharing_and_scholars(site: Path) -> None:
    page = read(site, "minimal/index.en.html")
    assert page.meta["citation_title"] == ["Minimal brief"]
    assert page.meta["citation_author"] == ["Gildong Hong"]
    assert page.meta["citation_publication_date"] == ["2025/01/27"]
    assert page.meta["citation_pdf_url"] == [f"{BASE}minimal/government.en.pdf"]
    assert page.meta["og:type"] == ["article"]
    assert page.meta["og:url"] == [f"{BASE}minimal/index.en.html"]
    assert page.meta["og:locale"] == ["en_US"]
    assert page.meta["twitter:card"] == ["summary"]
    canonical = [link["href"] for link in page.links if link.get("rel") == "canonical"]
    assert canonical == [f"{BASE}minimal/index.en.html"]
    index = read(site, "index.html")
    assert [link["href"] for link in index.links if link.get("rel") == "canonical"] == [BASE]
    assert index.meta["og:site_name"] == ["연구원 브리프"]
    assert index.meta["description"] == ["연구원의 정책 브리프"]


def test_html_editions_link_their_pdf_other_language_brief_page_and_catalogue(
    site: Path,
) -> None:
    page = read(site, "minimal/public.en.html")
    assert page.hrefs()[:4] == [
        "public.en.pdf",
        "public.ko.html",
        "index.en.html",
        "../index.en.html",
    ]
    for href in page.hrefs()[:4]:
        assert (site / "minimal" / href).is_file(), href
    assert read(site, "minimal/government.ko.html").hrefs()[:4] == [
        "government.ko.pdf",
        "government.en.html",
        "index.html",
        "../index.html",
    ]
    # A Korean-only brief has no other language to link.
    assert read(site, "korean-only/public.ko.html").hrefs()[:3] == [
        "public.ko.pdf",
        "index.html",
        "../index.html",
    ]


def test_the_logo_is_in_the_header_and_is_the_favicon(site: Path) -> None:
    logo = (site / "logo.svg").read_bytes()
    assert b"#5a2d82" in logo and logo.startswith(b"<svg")
    for path, prefix in (("index.html", ""), ("minimal/index.en.html", "../")):
        page = read(site, path)
        assert f"{prefix}logo.svg" in page.images
        icons = [link["href"] for link in page.links if link.get("rel") == "icon"]
        assert icons == [f"{prefix}logo.svg"]
    assert LOGO  # the fixture's logo, sanitised


def test_the_feed_is_valid_atom_with_the_project_identity(site: Path) -> None:
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo and feed.version == "atom10"
    assert feed.feed.title == "연구원 브리프 · Institute briefs"
    assert feed.feed.id == "urn:uuid:6f1c2a8e-3b7d-4c19-9e55-2d8f0a6b4c31"
    selves = [link.href for link in feed.feed.links if link.rel == "self"]
    assert selves == [f"{BASE}feed.xml"]
    assert [entry.id for entry in feed.entries] == [f"{BASE}korean-only/", f"{BASE}minimal/"]


def test_the_sitemap_is_valid_xml_listing_every_page(site: Path) -> None:
    root = ET.parse(site / "sitemap.xml").getroot()
    assert root.tag == f"{SITEMAP}urlset"
    locs = [url.findtext(f"{SITEMAP}loc") for url in root]
    assert all(loc and loc.startswith(BASE) for loc in locs)
    assert BASE in locs and f"{BASE}minimal/" in locs and f"{BASE}index.en.html" in locs
    assert f"{BASE}minimal/public.en.pdf" in locs
    assert f"{BASE}404.html" not in locs
    for url in root:
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", url.findtext(f"{SITEMAP}lastmod") or "")
    assert (site / "robots.txt").read_text("utf-8") == (
        f"User-agent: *\nAllow: /\nSitemap: {BASE}sitemap.xml\n"
    )


def test_the_404_page_links_absolutely(site: Path) -> None:
    page = read(site, "404.html")
    assert page.meta["robots"] == ["noindex"]
    assert f"{BASE}index.html" in page.hrefs() and f"{BASE}index.en.html" in page.hrefs()
    assert f'url("{BASE}fonts/BriefsText-Regular.woff2")' in (site / "404.html").read_text()


def test_site_pages_share_one_font_subset(site: Path) -> None:
    fonts = sorted(p.name for p in (site / "fonts").iterdir())
    assert fonts == ["BriefsText-Bold.woff2", "BriefsText-Regular.woff2", "OFL.txt"]
    text = (site / "minimal" / "index.html").read_text("utf-8")
    assert 'url("../fonts/BriefsText-Regular.woff2")' in text and "base64" not in text


def test_a_second_publish_writes_the_same_bytes(site: Path, tmp_path: Path) -> None:
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    inputs = site.parent / "inputs"
    result = publish(inputs, site)
    assert not result.built
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_a_deleted_brief_takes_its_pages_away(site: Path, tmp_path: Path) -> None:
    import shutil

    inputs = tmp_path / "inputs"
    shutil.copytree(site.parent / "inputs", inputs)
    out = tmp_path / "public"
    shutil.copytree(site, out)
    shutil.copy(site.parent / "briefs.toml", tmp_path)
    shutil.copy(site.parent / "logo.svg", tmp_path)
    (tmp_path / ".git").mkdir()
    (inputs / "korean-only.yaml").unlink()
    publish(inputs, out)
    assert not (out / "korean-only").exists()
    assert "korean-only" not in (out / "sitemap.xml").read_text("utf-8")
