"""The HWPX editions, read by tools that did not write them.

Every edition of every brief in ``inputs/`` and ``corpus/`` is built as HWPX. The package
must be what 한글 expects: ``mimetype`` first and stored, every XML part well-formed, and
python-hwpx's package check and OWPML schema check (KS X 6101's XSDs, which that package
bundles) must find no issue. The writer is the project's own (xml.etree), so python-hwpx
only checks. An independent reader, hwp-hwpx-parser (another PyPI package), must extract text
holding every Korean and English word of the HTML edition's body, and as many footnotes (각주)
as the PDF edition has, numbered as the PDF numbers them. Smaller tests read the XML: named
styles, word-unit Hangul breaking, fonts, outline headings, lists, tables, pictures, links,
properties. What DOCX and HWPX share (same bytes twice, images, the command, publish, the
reference document) is tested in ``tests/test_office.py``.
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from hwp_hwpx_parser import Reader
from hwpx.tools.package_validator import validate_package
from hwpx.tools.validator import validate_document

from briefs.pipeline.build import BuildOptions, Project, build_brief
from tests.test_docx import BRIEFS, MARK, missing_words, printed_footnotes, squash

pytestmark = pytest.mark.slow

HP = "{http://www.hancom.co.kr/hwpml/2011/paragraph}"
HH = "{http://www.hancom.co.kr/hwpml/2011/head}"
HC = "{http://www.hancom.co.kr/hwpml/2011/core}"
OPF = "{http://www.idpf.org/2007/opf/}"


@dataclass(frozen=True)
class Built:
    """One HWPX edition and what the independent reader made of it."""

    brief: Path
    audience: str
    lang: str
    path: Path
    text: str
    notes: list[tuple[int, str]]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Built]:
    """Every HWPX edition of every brief, by ``<brief>.<audience>.<lang>``, read."""
    base = tmp_path_factory.mktemp("hwpx")
    editions: dict[str, Built] = {}
    for brief in BRIEFS:
        result = build_brief(brief, BuildOptions(out=base / "out", formats=("hwpx",)))
        for output in result.outputs:
            with Reader(str(output.path)) as reader:
                read = reader.extract_text_with_notes()
            notes = [(n.number, n.text) for n in read.footnotes]
            name = f"{brief.stem}.{output.audience}.{output.lang}"
            editions[name] = Built(
                brief, output.audience, output.lang, output.path, read.text, notes
            )
    return editions


def part(path: Path, name: str) -> ET.Element:
    with zipfile.ZipFile(path) as package:
        return ET.fromstring(package.read(name))


def test_every_edition_of_every_brief_is_built(corpus: dict[str, Built]) -> None:
    assert len(corpus) == 64  # 8 briefs × 4 audiences × 2 languages


def test_mimetype_comes_first_stored_and_every_xml_part_is_well_formed(
    corpus: dict[str, Built],
) -> None:
    for name, built in corpus.items():
        with zipfile.ZipFile(built.path) as package:
            infos = package.infolist()
            first = infos[0]
            assert first.filename == "mimetype", name
            assert first.compress_type == zipfile.ZIP_STORED, name
            assert package.read(first) == b"application/hwp+zip", name
            names = {i.filename for i in infos}
            for required in (
                "version.xml",
                "settings.xml",
                "META-INF/container.xml",
                "Contents/content.hpf",
                "Contents/header.xml",
                "Contents/section0.xml",
            ):
                assert required in names, (name, required)
            for info in infos:
                if info.filename.endswith((".xml", ".hpf")):
                    ET.fromstring(package.read(info))  # raises if not well-formed


def test_python_hwpx_finds_no_schema_or_package_issue(corpus: dict[str, Built]) -> None:
    """python-hwpx's checks: the full OWPML schema on header.xml and section0.xml, and the
    package rules 한글 needs (root namespaces, standalone declaration, manifest, secPr)."""
    problems = []
    for name, built in corpus.items():
        report = validate_document(built.path)
        assert report.validated_parts == ("Contents/header.xml", "Contents/section0.xml")
        package = validate_package(built.path)
        issues = [str(i) for i in (*report.issues, *package.issues)]
        if issues:
            problems.append(f"{name}: {issues[:3]}")
    assert not problems, "\n".join(problems)


def test_reader_text_holds_every_word_of_the_html_body(
    corpus: dict[str, Built], html_text: Callable[..., str]
) -> None:
    project = Project()
    problems = []
    for name, built in corpus.items():
        read = built.text + "".join(text for _, text in built.notes)
        missing = missing_words(project, built.brief, built.audience, built.lang, read, html_text)
        if missing:
            problems.append(f"{name}: {missing[:12]}")
    assert not problems, "\n".join(problems)


def test_footnotes_are_native_as_many_as_in_the_pdf_and_numbered_alike(
    corpus: dict[str, Built],
) -> None:
    """The PDF edition's footnotes are the print document's ``span.footnote`` elements (as in
    test_docx); the reader finds each as a 각주 with the PDF's number and text."""
    project = Project()
    problems = []
    for name, built in corpus.items():
        printed = printed_footnotes(project, built.brief, built.audience, built.lang)
        if len(built.notes) != len(printed):
            problems.append(f"{name}: {len(built.notes)} 각주, the PDF has {len(printed)}")
            continue
        for (number, text), span in zip(built.notes, printed, strict=True):
            mark = span.attrs.get("data-n", "")
            if mark.isdigit() and number != int(mark):
                problems.append(f"{name}: 각주 {number} is the PDF's {mark}")
            body = squash(MARK.sub("", span.text()))[:30]
            if body not in squash(text):
                problems.append(f"{name}: 각주 {number} lacks {body!r}")
    assert not problems, "\n".join(problems[:20])
    assert sum(len(b.notes) for b in corpus.values()) > 200


@pytest.fixture(scope="module")
def flagship(corpus: dict[str, Built]) -> Path:
    return corpus["deepseek-2025.government.ko"].path


def test_styles_are_named_not_direct(flagship: Path) -> None:
    header, section = part(flagship, "Contents/header.xml"), part(flagship, "Contents/section0.xml")
    styles = {s.get("id"): s for s in header.iter(f"{HH}style")}
    names = {s.get("engName") for s in styles.values()}
    assert {"Normal", "Body Text", "Heading 1", "Footnote Text", "Hyperlink", "Strong"} <= names
    shapes = {p.get("id"): p for p in header.iter(f"{HH}paraPr")}
    used = set()
    for p in section.iter(f"{HP}p"):
        style = styles[p.get("styleIDRef")]
        assert style.get("type") == "PARA"
        used.add(style.get("engName"))
        # its own shape, or a list shape (numbering is a paragraph shape in OWPML)
        shape = shapes[p.get("paraPrIDRef")]
        own = p.get("paraPrIDRef") == style.get("paraPrIDRef")
        assert own or shape.find(f"{HH}heading").get("type") in ("BULLET", "NUMBER")
    for r in section.iter(f"{HP}run"):
        assert r.get("charPrIDRef") in styles  # the style's own character shape
    assert {"Title", "Heading 1", "Heading 2", "List Paragraph", "Table Text"} <= used
    # 어절 (word-unit) line breaking in every paragraph shape
    for shape in shapes.values():
        brk = shape.find(f"{HH}breakSetting")
        assert brk.get("breakNonLatinWord") == "KEEP_WORD"
        assert brk.get("breakLatinWord") == "KEEP_WORD"
    hangul = next(f for f in header.iter(f"{HH}fontface") if f.get("lang") == "HANGUL")
    first = hangul.find(f"{HH}font")
    assert first.get("face") == "Pretendard GOV"
    assert first.find(f"{HH}substFont").get("face") == "맑은 고딕"
    assert {s.get("langID") for s in styles.values()} == {"1042"}  # ko-KR


def test_headings_lists_tables_pictures_and_links(flagship: Path) -> None:
    header, section = part(flagship, "Contents/header.xml"), part(flagship, "Contents/section0.xml")
    outline = [
        p for p in header.iter(f"{HH}paraPr") if p.find(f"{HH}heading").get("type") == "OUTLINE"
    ]
    assert [p.find(f"{HH}heading").get("level") for p in outline] == ["0", "1", "2", "3", "4"]
    kinds = {p.find(f"{HH}heading").get("type") for p in header.iter(f"{HH}paraPr")}
    assert {"BULLET", "NUMBER"} <= kinds
    tables = list(section.iter(f"{HP}tbl"))
    assert tables and all(t.get("repeatHeader") == "1" for t in tables)
    assert any(tc.get("header") == "1" for tc in section.iter(f"{HP}tc"))
    figures = next(t for t in tables if "−16.97%" in "".join(t.itertext()))
    first_cell = figures.find(f"{HP}tr/{HP}tc")
    assert "".join(first_cell.itertext()) == "−16.97%"  # key figures: value, then label
    pictures = list(section.iter(f"{HP}pic"))
    assert len(pictures) == 2  # the flagship's two charts
    with zipfile.ZipFile(flagship) as package:
        for pic in pictures:
            ref = pic.find(f"{HC}img").get("binaryItemIDRef")
            assert package.read(f"BinData/{ref}.png")[:8] == b"\x89PNG\r\n\x1a\n"
            assert len(pic.find(f"{HP}shapeComment").text or "") > 20  # the alt text
    head = next(section.iter(f"{HP}header"))
    assert "".join(head.itertext()) == "딥시크 충격 이후"  # the running head, in 머리말
    assert next(section.iter(f"{HP}pageNum")).get("pos") == "BOTTOM_CENTER"
    links = [f for f in section.iter(f"{HP}fieldBegin") if f.get("type") == "HYPERLINK"]
    assert links
    paths = [s.text for f in links for s in f.iter(f"{HP}stringParam") if s.get("name") == "Path"]
    assert all(p and p.startswith(("https://", "http://", "mailto:")) for p in paths)


def test_document_properties_come_from_the_brief(flagship: Path) -> None:
    meta = part(flagship, "Contents/content.hpf").find(f"{OPF}metadata")
    assert (
        meta.find(f"{OPF}title").text
        == "딥시크 충격 이후: 저비용 AI 경쟁과 HBM 수요, 한국의 정책 과제"
    )
    assert meta.find(f"{OPF}language").text == "ko"
    values = {m.get("name"): m.text for m in meta.iter(f"{OPF}meta")}
    assert values["creator"] == "briefs 편집팀"
    assert values["CreatedDate"] == "2026-02-01T00:00:00Z"  # the brief's date, not the clock
    assert values["date"] == "2026-02-01"


def written(minimal_path: Path, html: str) -> tuple[ET.Element, ET.Element]:
    """The header and section of ``html`` written as the minimal brief's government edition
    (in Korean), after python-hwpx's schema and package checks found no issue."""
    import io

    from briefs.office.hwpx import write_hwpx

    project = Project()
    edition = project.edition(project.load(minimal_path), "government", "ko", "pdf")
    data = write_hwpx(html, edition)
    report, checked = validate_document(io.BytesIO(data)), validate_package(io.BytesIO(data))
    assert not report.issues and not checked.issues, [*report.issues, *checked.issues]
    with zipfile.ZipFile(io.BytesIO(data)) as package:
        header = ET.fromstring(package.read("Contents/header.xml"))
        return header, ET.fromstring(package.read("Contents/section0.xml"))


def test_lists_get_their_own_numbering_and_nest(minimal_path: Path) -> None:
    """Each numbered list restarts at its own first number; bullets share a shape per level;
    numbering ids follow on after the outline's (1). Line breaks sit in a run's text, where
    the OWPML schema puts them."""
    html = (
        '<body><ol start="3"><li>셋<ul><li>안</li></ul></li><li>넷</li></ol>'
        "<ol><li>하나</li></ol><ul><li>점</li></ul><p>가<br>나</p><pre>a\nb</pre></body>"
    )
    header, section = written(minimal_path, html)
    numberings = {n.get("id"): n.get("start") for n in header.iter(f"{HH}numbering")}
    assert numberings == {"1": "1", "2": "3", "3": "1"}
    shapes = {p.get("id"): p.find(f"{HH}heading").attrib for p in header.iter(f"{HH}paraPr")}
    items = [
        ("".join(p.itertext()), shapes[p.get("paraPrIDRef")])
        for p in section.iter(f"{HP}p")
        if "".join(p.itertext())
    ]
    listed = [(text, h["type"], h["idRef"], h["level"]) for text, h in items if h["type"] != "NONE"]
    assert listed == [
        ("셋", "NUMBER", "2", "0"),
        ("안", "BULLET", "1", "1"),
        ("넷", "NUMBER", "2", "0"),
        ("하나", "NUMBER", "3", "0"),
        ("점", "BULLET", "1", "0"),
    ]
    breaks = [t for t in section.iter(f"{HP}t") if t.find(f"{HP}lineBreak") is not None]
    assert len(breaks) == 2  # the <br> and the line of the <pre>


PNG_1PX = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk"
    "+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def test_every_element_the_walk_writes_passes_the_schema(minimal_path: Path) -> None:
    """Elements the corpus may not use (quotes, code, marks, a PNG picture, a note in a
    table cell, a glossary) still give parts the OWPML schema accepts."""
    html = (
        "<body><h2>제목</h2><p><strong>굵게</strong> <em>기울임</em> <code>x</code> H<sub>2</sub>"
        'O <del>지움</del> <mark>표시</mark> <a href="https://example.org/?a=1">링크</a>'
        '<sup class="cite"><a href="#r1">1</a></sup><span class="footnote" data-n="1">주석</span>'
        "</p><blockquote><p>인용</p></blockquote>"
        '<table><thead><tr><th>가</th><th class="align-right">나</th></tr></thead>'
        '<tbody><tr><td>다<sup class="cite"><a href="#r1">2</a></sup>'
        '<span class="footnote" data-n="2">표 주석</span></td><td>3</td></tr></tbody></table>'
        "<dl><dt>용어</dt><dd>풀이</dd></dl>"
        f'<figure><img src="{PNG_1PX}" alt="점"><figcaption>그림</figcaption></figure>'
        '<ol><li value="4">넷</li></ol></body>'
    )
    _, section = written(minimal_path, html)
    notes = [n.get("number") for n in section.iter(f"{HP}footNote")]
    assert notes == ["1", "2"]
    assert next(section.iter(f"{HP}shapeComment")).text == "점"
