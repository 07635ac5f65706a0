"""Facts about the PDF editions: tagged PDF/UA, language, title, fonts, text, reproducibility,
and Korean line breaking (between words, never inside one).

The fixture brief is built once per module (government edition, Korean and English); the
checks read it with pikepdf and poppler's ``pdftotext`` and ``pdffonts``.
"""

from __future__ import annotations

import io
import itertools
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pikepdf
import pytest
from fontTools.ttLib import TTFont

from briefs.pdf import fonts as pdf_subsets
from briefs.pdf.fonts import cid_to_gid_map
from briefs.pdf.weasy import fonts_dir
from briefs.pipeline.build import BuildOptions, Project, build_brief

pytestmark = pytest.mark.slow

HANGUL = re.compile(r"[\uac00-\ud7a3]+")
NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfuaid": "http://www.aiim.org/pdfua/ns/id/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
}
LANGS = ["ko", "en"]


@dataclass
class Edition:
    lang: str
    html: Path
    pdf: Path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, minimal_path: Path) -> dict[str, Edition]:
    base = tmp_path_factory.mktemp("pdf")
    brief = base / "brief" / "minimal.yaml"
    brief.parent.mkdir()
    shutil.copyfile(minimal_path, brief)
    result = build_brief(brief, BuildOptions(out=base / "out", audiences=["government"]))
    paths = {(o.lang, o.format): o.path for o in result.outputs}
    assert set(paths) == {("ko", "html"), ("ko", "pdf"), ("en", "html"), ("en", "pdf")}
    return {lang: Edition(lang, paths[lang, "html"], paths[lang, "pdf"]) for lang in LANGS}


def xmp(pdf: pikepdf.Pdf) -> ET.Element:
    return ET.fromstring(pdf.Root.Metadata.read_bytes())


# -- tagged PDF/UA ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_is_tagged(built: dict[str, Edition], lang: str) -> None:
    with pikepdf.open(built[lang].pdf) as pdf:
        assert bool(pdf.Root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in pdf.Root
        tree = pdf.Root.StructTreeRoot
        assert "/K" in tree and "/ParentTree" in tree


@pytest.mark.parametrize("lang", LANGS)
def test_xmp_declares_pdf_ua_1(built: dict[str, Edition], lang: str) -> None:
    with pikepdf.open(built[lang].pdf) as pdf:
        root = xmp(pdf)
    key = f"{{{NS['pdfuaid']}}}part"
    values = [d.get(key) for d in root.iter(f"{{{NS['rdf']}}}Description") if d.get(key)]
    values += [e.text for e in root.iter(key)]
    assert values == ["1"]


@pytest.mark.parametrize("lang", LANGS)
def test_document_language(built: dict[str, Edition], lang: str) -> None:
    with pikepdf.open(built[lang].pdf) as pdf:
        assert str(pdf.Root.Lang) == lang


@pytest.mark.parametrize("lang", LANGS)
def test_title_is_brief_title_and_edition(
    built: dict[str, Edition], lang: str, minimal_path: Path
) -> None:
    project = Project()
    validated = project.load(minimal_path)
    brief_title = validated.brief.title.get(lang, "ko")
    edition = project.profiles["government"].text(project.profiles["government"].edition, lang)
    assert brief_title and edition
    html_title = re.search(r"<title>(.*?)</title>", built[lang].html.read_text("utf-8"), re.S)
    assert html_title is not None
    with pikepdf.open(built[lang].pdf) as pdf:
        info_title = str(pdf.docinfo["/Title"])
        xmp_titles = [li.text for li in xmp(pdf).iterfind(".//dc:title//rdf:li", NS)]
        assert pdf.Root.ViewerPreferences.DisplayDocTitle  # PDF/UA: show the title
    assert info_title == f"{brief_title} — {edition}"
    assert xmp_titles == [info_title]
    assert html_title[1] == info_title


# -- fonts --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", LANGS)
def test_every_font_is_embedded_subset_pretendard(
    built: dict[str, Edition], lang: str, pdf_fonts: Callable[[Path], list[dict[str, str]]]
) -> None:
    rows = pdf_fonts(built[lang].pdf)
    assert rows
    for row in rows:
        assert re.fullmatch(r"[A-Z]{6}\+\S*Pretendard\S*", row["name"]), row
        assert (row["emb"], row["sub"], row["uni"]) == ("yes", "yes", "yes"), row


@pytest.mark.parametrize("lang", LANGS)
def test_fonts_have_tounicode_and_font_files(built: dict[str, Edition], lang: str) -> None:
    seen = 0
    with pikepdf.open(built[lang].pdf) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
                continue
            if obj.get("/Subtype") in ("/CIDFontType0", "/CIDFontType2"):
                continue  # descendants, checked through their parent
            seen += 1
            assert "Pretendard" in str(obj.BaseFont)
            assert "/ToUnicode" in obj, obj.BaseFont
            fonts = obj.DescendantFonts if "/DescendantFonts" in obj else [obj]
            for font in fonts:
                descriptor = font.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    assert seen >= 1


def embedded_fonts(pdf: pikepdf.Pdf) -> list[tuple[pikepdf.Dictionary, pikepdf.Dictionary]]:
    """Each Type 0 font of ``pdf`` with its one descendant CID font."""
    return [
        (obj, obj.DescendantFonts[0])
        for obj in pdf.objects
        if isinstance(obj, pikepdf.Dictionary) and obj.get("/Subtype") == "/Type0"
    ]


def widths_cids(cid_font: pikepdf.Dictionary) -> set[int]:
    """The CIDs that ``/W`` gives widths to (WeasyPrint writes ``c [w1 w2 …]`` runs)."""
    w = list(cid_font.W)
    return {int(w[i]) + k for i in range(0, len(w), 2) for k in range(len(w[i + 1]))}


def bundled_font(name: str) -> TTFont:
    weight = "Bold" if name.endswith("-Bold") else "Regular"
    return TTFont(io.BytesIO((fonts_dir() / f"PretendardGOV-{weight}.ttf").read_bytes()), lazy=True)


def outline(font: TTFont, gid: int) -> tuple[object, ...]:
    """What a glyph draws: its points (composites flattened), contour ends and flags, and
    its advance width."""
    glyf = font["glyf"]
    name = font.getGlyphName(gid)
    coordinates, ends, flags = glyf[name].getCoordinates(glyf)
    return list(coordinates), list(ends), bytes(flags), font["hmtx"][name][0]


@pytest.mark.parametrize("lang", LANGS)
def test_font_subsets_hold_only_the_glyphs_used(built: dict[str, Edition], lang: str) -> None:
    # The subset keeps .notdef, the glyphs the text shows, and the parts of composite glyphs
    # (accented Latin letters) among them: not the full font's glyph ids up to the last used.
    with pikepdf.open(built[lang].pdf) as pdf:
        fonts = embedded_fonts(pdf)
        assert len(fonts) == 2  # Regular and Bold
        for font, cid_font in fonts:
            assert cid_font.Subtype == "/CIDFontType2"
            embedded = TTFont(io.BytesIO(cid_font.FontDescriptor.FontFile2.read_bytes()))
            full = bundled_font(str(font.BaseFont))
            glyf = full["glyf"]
            needed = {0} | widths_cids(cid_font)
            for gid in list(needed):
                needed |= {
                    full.getGlyphID(part)
                    for part in glyf[full.getGlyphName(gid)].getComponentNames(glyf)
                }
            assert embedded["maxp"].numGlyphs == len(needed), font.BaseFont
            assert len(needed) < full["maxp"].numGlyphs / 20
            # Vertical metrics are never used (horizontal text, Identity-H).
            assert not {"vhea", "vmtx", "VORG"} & set(embedded.keys())
            assert font.Encoding == "/Identity-H"


@pytest.mark.parametrize("lang", LANGS)
def test_every_cid_shows_its_glyph_and_reads_as_its_text(
    built: dict[str, Edition], lang: str
) -> None:
    # CIDs in the content streams are the bundled font's glyph ids; the CIDToGIDMap sends
    # each to a glyph of the subset that draws what the bundled font's glyph draws, and
    # ToUnicode reads it as a character that the bundled font shows with that glyph.
    hangul = 0
    with pikepdf.open(built[lang].pdf) as pdf:
        for font, cid_font in embedded_fonts(pdf):
            embedded = TTFont(io.BytesIO(cid_font.FontDescriptor.FontFile2.read_bytes()))
            full = bundled_font(str(font.BaseFont))
            table = cid_font.CIDToGIDMap.read_bytes()
            to_unicode = parse_to_unicode(font.ToUnicode.read_bytes().decode("latin-1"))
            cmap = full.getBestCmap()
            for cid in widths_cids(cid_font):
                gid = int.from_bytes(table[2 * cid : 2 * cid + 2], "big")
                assert outline(embedded, gid) == outline(full, cid), (font.BaseFont, cid)
                text = to_unicode[cid]
                if HANGUL.fullmatch(text):
                    assert full.getGlyphID(cmap[ord(text)]) == cid, text
                    hangul += 1
    assert hangul > 100 if lang == "ko" else hangul == 0


def parse_to_unicode(cmap: str) -> dict[int, str]:
    """CID → text, from the ``bfchar`` entries WeasyPrint writes (``<cid> <utf-16be>``)."""
    pairs = re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", cmap.split("endcodespacerange")[1])
    return {int(cid, 16): bytes.fromhex(text).decode("utf-16-be") for cid, text in pairs}


def test_cid_to_gid_map_steps_between_the_cids_used() -> None:
    # Two bytes per CID up to the last one used; a CID no text shows keeps the glyph of
    # the CID before it (0 before the first).
    assert cid_to_gid_map({}) == b"\0\0"
    assert cid_to_gid_map({2: 1, 5: 2, 6: 3}) == bytes([0, 0, 0, 0, 0, 1, 0, 1, 0, 1, 0, 2, 0, 3])
    assert cid_to_gid_map({0: 0, 1: 300}) == bytes([0, 0, 1, 44])


def test_compact_subsets_only_for_the_weasyprint_they_were_written_for(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import weasyprint
    import weasyprint.pdf
    import weasyprint.pdf.fonts as stock

    assert pdf_subsets.install() is True  # what write_pdf does
    patched = weasyprint.pdf.build_fonts_dictionary
    assert patched is not stock.build_fonts_dictionary
    pdf_subsets.uninstall()
    try:
        monkeypatch.setattr(weasyprint, "__version__", "71.0")
        assert pdf_subsets.install() is False
        assert weasyprint.pdf.build_fonts_dictionary is stock.build_fonts_dictionary
    finally:
        monkeypatch.undo()
        assert pdf_subsets.install() is True


# -- text ---------------------------------------------------------------------------------------


def test_every_korean_word_is_in_the_extracted_text(
    built: dict[str, Edition],
    pdf_text: Callable[..., str],
    html_text: Callable[..., str],
    norm: Callable[[str], str],
) -> None:
    # The HTML's table of contents is left out of the PDF on purpose (bookmarks replace it).
    visible = html_text(
        built["ko"].html.read_text("utf-8"),
        frozenset({"skip-link", "toc", "backref", "chart-data"}),
    )
    words = sorted(set(HANGUL.findall(visible)))
    assert len(words) > 30, words
    extracted = norm(pdf_text(built["ko"].pdf))
    missing = [w for w in words if w not in extracted]
    assert missing == []


@pytest.mark.parametrize("lang", LANGS)
def test_extracted_text_has_no_word_joiner(
    built: dict[str, Edition], lang: str, pdf_text: Callable[..., str]
) -> None:
    text = pdf_text(built[lang].pdf)
    assert "\u2060" not in text
    assert "\ufffd" not in text


def pdf_strings(obj: object) -> list[str]:
    """Every string directly inside ``obj`` (not following indirect references)."""
    found: list[str] = []
    if isinstance(obj, pikepdf.String):
        found.append(str(obj))
    elif isinstance(obj, pikepdf.Array):
        for item in obj:
            if not getattr(item, "is_indirect", False):
                found += pdf_strings(item)
    elif isinstance(obj, pikepdf.Dictionary | pikepdf.Stream):
        for key in obj.keys():  # noqa: SIM118 (pikepdf objects)
            item = obj[key]
            if not getattr(item, "is_indirect", False):
                found += pdf_strings(item)
    return found


@pytest.mark.parametrize("lang", LANGS)
def test_no_word_joiner_in_bookmarks_or_metadata(built: dict[str, Edition], lang: str) -> None:
    # Word joiners are a layout device for the page; bookmarks, metadata and the structure
    # tree are text that readers search, copy and hear.
    with pikepdf.open(built[lang].pdf) as pdf:
        strings = [text for obj in pdf.objects for text in pdf_strings(obj)]
        strings += [str(value) for value in pdf.docinfo.values()]
        strings.append(pdf.Root.Metadata.read_bytes().decode("utf-8"))
    assert [text for text in strings if "\u2060" in text] == []


@pytest.mark.parametrize("lang", LANGS)
def test_bookmarks_list_the_sections(
    built: dict[str, Edition], lang: str, norm: Callable[[str], str]
) -> None:
    html = built[lang].html.read_text("utf-8")
    headings = [
        norm(re.sub(r"<[^>]+>", "", h))
        for h in re.findall(r"<h2 id=\"sec-[^\"]*\">(.*?)</h2>", html)
    ]
    assert len(headings) >= 4
    titles: list[str] = []
    with pikepdf.open(built[lang].pdf) as pdf, pdf.open_outline() as outline:
        stack = list(outline.root)
        while stack:
            item = stack.pop(0)
            titles.append(norm(item.title))
            stack[:0] = list(item.children)
    assert [t for t in titles if t in headings] == headings


# -- reproducibility ----------------------------------------------------------------------------


def test_two_builds_are_byte_identical(
    built: dict[str, Edition], tmp_path: Path, child_env: Callable[..., dict[str, str]]
) -> None:
    # The second build runs in another process, into another folder.
    brief = built["ko"].pdf.parent.parent.parent / "brief" / "minimal.yaml"
    assert brief.is_file()
    args = [
        sys.executable,
        "-m",
        "briefs",
        "build",
        str(brief),
        "--out",
        str(tmp_path / "again"),
        "--audience",
        "government",
        "--lang",
        "ko",
        "--format",
        "pdf",
    ]
    done = subprocess.run(
        args, capture_output=True, text=True, env=child_env(), timeout=120, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    again = tmp_path / "again" / "minimal" / "government.ko.pdf"
    assert again.read_bytes() == built["ko"].pdf.read_bytes()


def test_source_date_epoch_sets_the_creation_date(
    built: dict[str, Edition], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    brief = built["ko"].pdf.parent.parent.parent / "brief" / "minimal.yaml"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")  # 2023-11-14T22:13:20Z
    result = build_brief(
        brief,
        BuildOptions(out=tmp_path, audiences=["government"], languages=["ko"], formats=["pdf"]),
    )
    (output,) = result.outputs
    with pikepdf.open(output.path) as pdf:
        epoch_date = str(pdf.docinfo["/CreationDate"])
        epoch_xmp = [e.text for e in xmp(pdf).iter(f"{{{NS['xmp']}}}CreateDate")]
    with pikepdf.open(built["ko"].pdf) as pdf:
        default_date = str(pdf.docinfo["/CreationDate"])
    assert epoch_date.startswith("D:20231114221320")
    assert epoch_xmp == ["2023-11-14T22:13:20Z"]
    # Without SOURCE_DATE_EPOCH the date is the brief's date, not the time of the build.
    assert default_date.startswith("D:20250127000000")
    assert output.path.read_bytes() != built["ko"].pdf.read_bytes()


# -- Korean line breaking -----------------------------------------------------------------------

SENTENCES = [
    "국가 인공지능 컴퓨팅 인프라를 조기에 확충하고 고대역폭 메모리 공급망의 안정성을 확보하기 "
    "위한 범부처 협력 체계를 마련해야 한다.",
    "딥시크의 등장은 저비용 고효율 모델 개발이 가능하다는 사실을 보여 주었으며 반도체 수출 "
    "통제의 실효성에 대한 근본적인 질문을 제기하였다.",
    "엔비디아의 시가총액은 하루 만에 약 5,890억 달러 감소하였고 국내 반도체 기업들의 주가도 "
    "동반 하락하여 투자자들의 불안감이 확산되었다.",
    "정부는 공공 데이터 개방을 확대하고 중소기업과 스타트업이 연구개발 자원에 손쉽게 접근할 수 "
    "있도록 지원 제도를 정비해야 한다.",
    "오픈소스 생태계에 대한 전략적 참여와 함께 안전성 평가 기준을 국제적으로 조율하는 외교적 "
    "노력이 병행되어야 할 것이다.",
]
# Korean particles attach to the word before them, which is often emphasised or a link.
INLINE_SENTENCES = [
    "**딥시크**는 **엔비디아**의 **시가총액**을 하루 **만**에 크게 **줄였고** **반도체**의 "
    "**수출통제**가 **실효성**을 **잃었다**는 **평가**가 **시장**에서 나왔다.",
    "[과학기술정보통신부](https://example.com/msit)는 `GPU`를 확보할 *예산*을 편성하고 "
    "*국가컴퓨팅센터*의 **조기구축**을 **추진**해야 **한다**.",
]


def long_korean_brief(minimal_text: str, sentences: list[str]) -> str:
    old = "      ko: 고대역폭 메모리(HBM) 수요에 대한 우려가 커졌다[@src-b].\n"
    assert old in minimal_text
    # Paragraphs starting with a growing first word, so line ends sweep across positions.
    paragraphs = [
        "가" * k + " " + " ".join(sentences[(k + i) % len(sentences)] for i in range(8))
        for k in range(1, 9)
    ]
    body = "      ko: |\n" + "".join(f"        {p}\n\n" for p in paragraphs)
    return minimal_text.replace(old, body)


def mid_word_breaks(pdf_lines: list[str], source: str) -> list[tuple[str, str]]:
    """Line ends inside a Korean word: the two halves are joined, without a space, in the
    source text (and the pair with a space is not)."""
    found = []
    lines = [line.replace("\u2060", "").strip() for line in pdf_lines]
    for this, following in itertools.pairwise(lines):
        if not (this and following):
            continue
        if not (HANGUL.fullmatch(this[-1]) and HANGUL.fullmatch(following[0])):
            continue
        tail = this.split()[-1]
        head = following.split()[0]
        if tail + head in source and f"{tail} {head}" not in source:
            found.append((tail, head))
    return found


Built = tuple[list[str], str]


def build_korean(
    brief_text: str,
    folder: Path,
    pdftotext: Callable[..., str],
    visible_text: Callable[..., str],
) -> Built:
    """Build the Korean government edition; return (pdftotext lines, visible HTML text)."""
    folder.mkdir()
    path = folder / "long.yaml"
    path.write_text(brief_text, encoding="utf-8")
    result = build_brief(
        path,
        BuildOptions(out=folder / "out", audiences=["government"], languages=["ko"]),
    )
    paths = {o.format: o.path for o in result.outputs}
    lines = pdftotext(paths["pdf"]).splitlines()
    return lines, visible_text(paths["html"].read_text("utf-8"))


@pytest.fixture(scope="module")
def long_plain(
    tmp_path_factory: pytest.TempPathFactory,
    minimal_text: str,
    pdf_text: Callable[..., str],
    html_text: Callable[..., str],
) -> Built:
    return build_korean(
        long_korean_brief(minimal_text, SENTENCES),
        tmp_path_factory.mktemp("plain") / "b",
        pdf_text,
        html_text,
    )


@pytest.fixture(scope="module")
def long_inline(
    tmp_path_factory: pytest.TempPathFactory,
    minimal_text: str,
    pdf_text: Callable[..., str],
    html_text: Callable[..., str],
) -> Built:
    return build_korean(
        long_korean_brief(minimal_text, INLINE_SENTENCES),
        tmp_path_factory.mktemp("inline") / "b",
        pdf_text,
        html_text,
    )


def test_long_korean_paragraphs_do_wrap(long_plain: Built) -> None:
    lines, _ = long_plain
    # Many lines that end in Hangul and are followed by one that starts with Hangul: the
    # check below has something to check.
    pairs = [
        (a, b)
        for a, b in itertools.pairwise(lines)
        if a.strip() and b.strip() and HANGUL.match(a.strip()[-1]) and HANGUL.match(b.strip())
    ]
    assert len(pairs) > 40


def test_no_korean_word_is_broken_across_lines(long_plain: Built) -> None:
    lines, source = long_plain
    assert mid_word_breaks(lines, source) == []


def test_no_korean_word_is_broken_where_markup_splits_it(long_inline: Built) -> None:
    # "**딥시크**는" is one word (어절): the particle must not start the next line.
    lines, source = long_inline
    assert mid_word_breaks(lines, source) == []


def test_number_stays_with_its_unit(long_plain: Built) -> None:
    lines, _ = long_plain
    text = [line.replace("\u2060", "").strip() for line in lines]
    assert not [line for line in text if line.endswith("5,890억")]
    assert not [line for line in text if line.startswith("달러")]
