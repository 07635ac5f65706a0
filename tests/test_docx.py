"""The DOCX editions, read by tools that did not write them.

Every edition of every brief in ``inputs/`` and ``corpus/`` is built as DOCX and converted by
LibreOffice (headless, a fresh profile, all files in one call) to PDF: the conversion must
succeed, its text (poppler's ``pdftotext``) must hold every Korean and English word of the
HTML edition's body, and every footnote's text. The footnotes themselves are counted in the
package's ``word/footnotes.xml`` against the PDF edition's (the ``span.footnote`` elements of
the document WeasyPrint lays out: each is one footnote of the PDF), and LibreOffice's own
reading of the flagship (flat ODT) must hold them as footnotes. Smaller tests check the
package with python-docx and the XML: styles, numbering, fields, languages, properties,
charts as SVG beside their bitmaps, the reference document. What DOCX and HWPX share (same
bytes twice, images, the command, publish) is tested in ``tests/test_office.py``.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import docx
import pytest

from briefs.office.tree import Node, parse
from briefs.pipeline.build import BuildOptions, Project, build_brief

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
BRIEFS = sorted([*ROOT.glob("inputs/*.yaml"), *ROOT.glob("corpus/*.yaml")])
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WORD = re.compile(r"[\uac00-\ud7a3]+|[A-Za-z]+")
MARK = re.compile(r"^\s*\*\d+")
LIBREOFFICE = shutil.which("soffice") or shutil.which("libreoffice")


def words(text: str) -> set[str]:
    """The Korean and English words of ``text`` (digits and signs may be set otherwise)."""
    return set(WORD.findall(text))


def squash(text: str) -> str:
    """``text`` without any whitespace: a line may break a word or add a space between
    scripts, and a word is then still found."""
    return re.sub(r"\s+", "", text)


def html_body_words(html: str, visible: Callable[..., str]) -> set[str]:
    """The words a reader sees in the HTML edition's body. Left out: the skip link and the
    screen-reader-only labels (no DOCX counterpart), the disclosure label of a chart's data
    (the DOCX shows the table itself), and the SVG drawing, which the DOCX holds as a
    picture (its labels are in the picture, its data in the table after it)."""
    text = visible(
        html,
        skip_classes=frozenset({"skip-link", "visually-hidden", "backref"}),
        skip_tags=frozenset({"svg", "summary"}),
    )
    return words(text)


def missing_words(
    project: Project, brief: Path, audience: str, lang: str, text: str, visible: Callable[..., str]
) -> list[str]:
    """The words of the HTML edition's body (:func:`html_body_words`) not in ``text``."""
    edition = project.edition(project.load(brief), audience, lang, "html")
    html = project.render(edition, fonts=False)  # the HTML edition but for its fonts
    found = squash(text)
    return sorted(w for w in html_body_words(html, visible) if w not in found)


def printed_footnotes(project: Project, brief: Path, audience: str, lang: str) -> list[Node]:
    """The PDF edition's footnotes: the ``span.footnote`` elements of the document
    WeasyPrint lays out (each is one footnote of the PDF)."""
    edition = project.edition(project.load(brief), audience, lang, "pdf")
    return [n for n in parse(project.render(edition)).walk() if "footnote" in n.classes]


def soffice(files: list[Path], fmt: str, out: Path, profile: Path, *, parts: int = 1) -> None:
    """LibreOffice converts ``files`` to ``fmt`` in ``out``: ``parts`` processes at once,
    each with its own fresh profile and one call for all its files.

    LibreOffice sees the bundled Pretendard GOV, which the documents name, as on a machine
    where it is installed (as ``scripts/docx-page1.sh`` does): with whatever Korean face the
    system has instead (Debian's DroidSansFallback), its justified lines place glyphs out of
    order and the converted text no longer reads as the document's."""
    if LIBREOFFICE is None:
        pytest.fail("LibreOffice is not installed (scripts/system-deps.sh --test)")
    profile.mkdir(parents=True, exist_ok=True)
    fonts = profile / "fonts.conf"
    fonts.write_text(
        '<?xml version="1.0"?>\n<fontconfig>\n'
        '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
        f"  <dir>{ROOT / 'templates' / 'fonts'}</dir>\n"
        f"  <cachedir>{profile / 'fc-cache'}</cachedir>\n</fontconfig>\n",
        "utf-8",
    )
    env = {**os.environ, "FONTCONFIG_FILE": str(fonts)}
    calls = [
        subprocess.Popen(
            [
                LIBREOFFICE,
                f"-env:UserInstallation={(profile / str(part)).as_uri()}",
                "--headless",
                "--norestore",
                "--convert-to",
                fmt,
                "--outdir",
                str(out),
                *map(str, files[part::parts]),
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
        )
        for part in range(parts)
    ]
    for call in calls:
        _, errors = call.communicate(timeout=900)
        assert call.returncode == 0, errors
        assert "Error" not in errors, errors


def footnote_texts(path: Path) -> list[str]:
    """The text of each footnote of a DOCX (Word's two separators left out)."""
    with zipfile.ZipFile(path) as package:
        root = ET.fromstring(package.read("word/footnotes.xml"))
    return [
        "".join(t.text or "" for t in note.iter(f"{W}t"))
        for note in root.iter(f"{W}footnote")
        if note.get(f"{W}type") is None
    ]


@dataclass(frozen=True)
class Built:
    """One DOCX edition and what LibreOffice made of it."""

    brief: Path
    audience: str
    lang: str
    docx: Path
    pdf: Path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """Every DOCX edition of every brief, by ``<brief>.<audience>.<lang>``, converted."""
    base = tmp_path_factory.mktemp("docx")
    flat = base / "flat"
    flat.mkdir()
    editions: dict[str, Built] = {}
    for brief in BRIEFS:
        result = build_brief(brief, BuildOptions(out=base / "out", formats=("docx",)))
        for output in result.outputs:
            name = f"{brief.stem}.{output.audience}.{output.lang}"
            copy = flat / f"{name}.docx"  # one folder: LibreOffice names outputs by file name
            shutil.copyfile(output.path, copy)
            pdf = base / "pdf" / f"{name}.pdf"
            editions[name] = Built(brief, output.audience, output.lang, copy, pdf)
    soffice([e.docx for e in editions.values()], "pdf", base / "pdf", base / "profile", parts=2)
    return editions


def test_every_edition_of_every_brief_is_built(corpus: dict[str, Built]) -> None:
    assert len(corpus) == 64  # 8 briefs × 4 audiences × 2 languages
    for name, built in corpus.items():
        assert built.pdf.stat().st_size > 10_000, f"{name}: LibreOffice made no PDF"


def test_converted_text_holds_every_word_of_the_html_body(
    corpus: dict[str, Built], html_text: Callable[..., str], pdf_text: Callable[..., str]
) -> None:
    project = Project()
    problems = []
    for name, built in corpus.items():
        converted = pdf_text(built.pdf)
        missing = missing_words(
            project, built.brief, built.audience, built.lang, converted, html_text
        )
        if missing:
            problems.append(f"{name}: {missing[:12]}")
    assert not problems, "\n".join(problems)


def test_footnotes_are_native_and_as_many_as_in_the_pdf(
    corpus: dict[str, Built], pdf_text: Callable[..., str]
) -> None:
    project = Project()
    problems = []
    for name, built in corpus.items():
        printed = printed_footnotes(project, built.brief, built.audience, built.lang)
        notes = footnote_texts(built.docx)
        if len(notes) != len(printed):
            problems.append(f"{name}: {len(notes)} footnotes, the PDF has {len(printed)}")
        converted = squash(pdf_text(built.pdf))
        # LibreOffice sets a note's mark apart from its text: look for the text.
        lost = [n for n in notes if squash(MARK.sub("", n))[:40] not in converted]
        if lost:
            problems.append(f"{name}: LibreOffice lost {lost[:2]}")
    assert not problems, "\n".join(problems)


def test_footnote_numbers_are_the_pdf_numbers(corpus: dict[str, Built]) -> None:
    """Word numbers its footnotes in order; where the PDF's number would differ (a Markdown
    note's ``*1``) the mark is kept as the PDF shows it."""
    for name, built in corpus.items():
        with zipfile.ZipFile(built.docx) as package:
            body = ET.fromstring(package.read("word/document.xml"))
        refs = list(body.iter(f"{W}footnoteReference"))
        custom = [r for r in refs if r.get(f"{W}customMarkFollows") is not None]
        marked = [n for n in footnote_texts(built.docx) if MARK.match(n)]
        assert len(custom) == len(marked), name


def test_libreoffice_reads_them_as_footnotes(corpus: dict[str, Built], tmp_path: Path) -> None:
    picked = [corpus[f"labour-hours-2026.public.{lang}"].docx for lang in ("ko", "en")]
    soffice(picked, "fodt", tmp_path, tmp_path / "profile")
    for path in picked:
        flat = (tmp_path / f"{path.stem}.fodt").read_text("utf-8")
        notes = re.findall(r'<text:note [^>]*text:note-class="footnote"', flat)
        assert len(notes) == len(footnote_texts(path)) >= 5
        # A Markdown note keeps its mark (*1) as a custom label, not a number of its own.
        assert re.search(r'<text:note-citation text:label="\*1">\*1</text:note-citation>', flat)


# -- the package, read with python-docx and as XML -------------------------------------------


@pytest.fixture(scope="module")
def flagship(corpus: dict[str, Built]) -> Path:
    return corpus["deepseek-2025.government.ko"].docx


def test_styles_are_named_not_direct(flagship: Path) -> None:
    document = docx.Document(str(flagship))
    used = {p.style.name for p in document.paragraphs if p.style is not None}
    assert {"Title", "Heading 1", "Heading 2", "List Paragraph", "Caption", "Reference"} <= used
    with zipfile.ZipFile(flagship) as package:
        xml = package.read("word/document.xml").decode("utf-8")
        styles = package.read("word/styles.xml").decode("utf-8")
        fonts = package.read("word/fontTable.xml").decode("utf-8")
        settings = package.read("word/settings.xml").decode("utf-8")
    # No direct run formatting: bold, italics, sizes and fonts live in the styles.
    for direct in ("<w:b/>", "<w:i/>", "<w:sz ", "<w:rFonts "):
        assert direct not in xml, direct
    assert 'w:eastAsia="Pretendard GOV"' in styles
    assert '<w:altName w:val="맑은 고딕"/>' in fonts
    assert '<w:kinsoku w:val="1"/>' in styles and '<w:wordWrap w:val="1"/>' in styles
    assert '<w:updateFields w:val="true"/>' in settings


def test_runs_carry_their_language(flagship: Path) -> None:
    with zipfile.ZipFile(flagship) as package:
        body = ET.fromstring(package.read("word/document.xml"))
    langs = []
    for r in body.iter(f"{W}r"):
        if r.find(f"{W}t") is not None:
            lang = r.find(f"{W}rPr/{W}lang")
            assert lang is not None, ET.tostring(r, "unicode")
            langs.append(lang.get(f"{W}val"))
    assert langs.count("ko-KR") > 100
    assert "en-US" in langs  # the marked English runs (titles of English sources, …)


def test_toc_field_lists_and_links(flagship: Path) -> None:
    with zipfile.ZipFile(flagship) as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert 'TOC \\o "1-3" \\h \\z \\u' in xml
    assert xml.count('<w:fldChar w:fldCharType="begin"') == xml.count(
        '<w:fldChar w:fldCharType="end"/>'
    )
    assert "필드를 업데이트" in xml
    assert '<w:hyperlink w:anchor="sec_findings"' in xml


def test_lists_tables_and_pictures(flagship: Path) -> None:
    document = docx.Document(str(flagship))
    with zipfile.ZipFile(flagship) as package:
        xml = package.read("word/document.xml").decode("utf-8")
        numbering = package.read("word/numbering.xml").decode("utf-8")
        media = [n for n in package.namelist() if n.startswith("word/media/")]
    assert '<w:numFmt w:val="decimal"/>' in numbering and '<w:numFmt w:val="bullet"/>' in numbering
    assert '<w:ilvl w:val="1"/>' in xml  # a nested list
    assert "<w:tblHeader/>" in xml  # data tables repeat their header row
    key_figures = document.tables[0]
    assert key_figures.cell(0, 0).text.strip() == "−16.97%"
    assert media and {n.rsplit(".", 1)[1] for n in media} == {"png", "svg"}
    pictures = re.findall(r'<wp:docPr id="\d+" name="[^"]*" descr="([^"]*)"', xml)
    assert pictures and all(len(alt) > 20 for alt in pictures)


R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
ASVG = "{http://schemas.microsoft.com/office/drawing/2016/SVG/main}"
SVG_NS = "{http://www.w3.org/2000/svg}"


def test_charts_are_vector_with_a_bitmap_fallback(flagship: Path) -> None:
    """Each picture's blip is its 300 dpi PNG (LibreOffice, Word before 2016) and names, in
    Word 2016's SVG extension, an image/svg+xml part: a clean drawing (no scripts, styles,
    links or outside references) that names the bundled face with a Korean fallback and
    draws, rasterised the same way, the very bitmap beside it."""
    from briefs.office.images import rasterise

    with zipfile.ZipFile(flagship) as package:
        body = ET.fromstring(package.read("word/document.xml"))
        rels = ET.fromstring(package.read("word/_rels/document.xml.rels"))
        types = ET.fromstring(package.read("[Content_Types].xml"))
        targets = {r.get("Id"): f"word/{r.get('Target')}" for r in rels}
        overrides = {o.get("PartName"): o.get("ContentType") for o in types}
        blips = list(body.iter(f"{A}blip"))
        widths = [int(e.get("cx") or 0) / 12700 for e in body.iter(f"{A}ext") if e.get("cx")]
        assert len(blips) == len(widths) >= 2  # the flagship's charts
        for blip, width in zip(blips, widths, strict=True):
            png = targets[blip.get(f"{R}embed", "")]
            ext = blip.find(f"{A}extLst/{A}ext")
            assert ext is not None and ext.get("uri") == "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
            vector = ext.find(f"{ASVG}svgBlip")
            assert vector is not None
            svg = targets[vector.get(f"{R}embed", "")]
            assert png.endswith(".png") and svg == png[:-4] + ".svg"
            assert overrides[f"/{svg}"] == "image/svg+xml"
            text = package.read(svg).decode("utf-8")
            drawing = ET.fromstring(text)  # well-formed
            tags = {e.tag.removeprefix(SVG_NS) for e in drawing.iter()}
            assert not tags & {"script", "style", "image", "foreignObject", "a", "use"}, tags
            values = [(k, v) for e in drawing.iter() for k, v in e.attrib.items()]
            assert not [k for k, _ in values if k.endswith("href")]  # no link, no outside file
            assert all(v.startswith("url(#") for _, v in values if "url(" in v)
            faces = {e.get("font-family") for e in drawing.iter() if e.get("font-family")}
            assert faces == {"'Pretendard GOV', '맑은 고딕', 'Malgun Gothic', sans-serif"}
            assert rasterise(text, width) == package.read(png)  # nothing lost on the way


def test_core_properties_come_from_the_brief(flagship: Path) -> None:
    props = docx.Document(str(flagship)).core_properties
    assert props.title == "딥시크 충격 이후: 저비용 AI 경쟁과 HBM 수요, 한국의 정책 과제"
    assert props.author == "briefs 편집팀"
    assert props.language == "ko-KR"
    assert props.created is not None and props.created.isoformat().startswith("2026-02-01")
    assert "딥시크" in props.keywords


# -- the reference document -----------------------------------------------------------------


def test_a_reference_document_supplies_the_styles(minimal_path: Path, tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    reference = docx.Document(str(ROOT / "templates" / "reference.docx"))
    reference.styles["Heading 1"].font.size = docx.shared.Pt(21)
    reference.sections[0].left_margin = docx.shared.Mm(40)
    reference.save(str(templates / "reference.docx"))
    result = build_brief(
        minimal_path,
        BuildOptions(
            out=tmp_path / "out", audiences=["government"], formats=("docx",), templates=templates
        ),
    )
    made = docx.Document(str(result.outputs[0].path))
    assert made.styles["Heading 1"].font.size == docx.shared.Pt(21)
    assert round(made.sections[0].left_margin.mm) == 40  # the page of the reference
    assert any(p.style.name == "Heading 1" for p in made.paragraphs if p.style is not None)
