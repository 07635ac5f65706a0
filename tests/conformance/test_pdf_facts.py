"""Facts about every PDF edition of every brief in ``inputs/``: tagged (a structure tree),
its language and title set, every font embedded and subset with a ToUnicode map, and the
text extracting back to the words of the HTML edition.
"""

from __future__ import annotations

import html as htmllib
import re
import subprocess
from collections.abc import Callable

import pikepdf
import pytest

from tests.conformance import tools
from tests.conformance.corpus import Built, EditionId, editions

pytestmark = pytest.mark.slow

WORDS = re.compile(r"[\uac00-\ud7a3]+|[A-Za-z]+")
"""Hangul runs (a Korean word, 어절, without punctuation) and runs of Latin letters."""
XMP_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
}


@pytest.mark.parametrize("edition", editions(), ids=str)
def test_pdf_is_tagged(built: dict[EditionId, Built], edition: EditionId) -> None:
    with pikepdf.open(built[edition].pdf) as pdf:
        assert "/MarkInfo" in pdf.Root and bool(pdf.Root.MarkInfo.get("/Marked")), "not marked"
        assert "/StructTreeRoot" in pdf.Root, "no StructTreeRoot"
        tree = pdf.Root.StructTreeRoot
        assert "/K" in tree and "/ParentTree" in tree, "empty structure tree"


@pytest.mark.parametrize("edition", editions(), ids=str)
def test_pdf_language(built: dict[EditionId, Built], edition: EditionId) -> None:
    with pikepdf.open(built[edition].pdf) as pdf:
        assert "/Lang" in pdf.Root, "no /Lang in the catalog"
        lang = str(pdf.Root.Lang)
    assert lang.split("-")[0].lower() == edition.lang, lang


@pytest.mark.parametrize("edition", editions(), ids=str)
def test_pdf_title_is_the_html_title(built: dict[EditionId, Built], edition: EditionId) -> None:
    match = re.search(r"<title>(.*?)</title>", built[edition].html.read_text("utf-8"), re.S)
    assert match is not None, "the HTML has no <title>"
    html_title = " ".join(htmllib.unescape(match[1]).split())
    with pikepdf.open(built[edition].pdf) as pdf:
        assert "/Title" in pdf.docinfo, "no /Title in the document info"
        info_title = str(pdf.docinfo["/Title"])
        with pdf.open_metadata() as meta:
            xmp_title = meta.get("dc:title")
        shows_title = bool(pdf.Root.get("/ViewerPreferences", {}).get("/DisplayDocTitle"))
    assert info_title.strip(), "empty /Title"
    assert info_title == html_title
    assert xmp_title == info_title
    assert shows_title, "ViewerPreferences /DisplayDocTitle is not true"


@pytest.mark.parametrize("edition", editions(), ids=str)
def test_every_font_is_embedded_and_subset_with_tounicode(
    built: dict[EditionId, Built],
    edition: EditionId,
    pdf_fonts: Callable[..., list[dict[str, str]]],
) -> None:
    tools.poppler("pdffonts")
    rows = pdf_fonts(built[edition].pdf)
    assert rows, "pdffonts lists no font"
    bad = [r for r in rows if (r.get("emb"), r.get("sub"), r.get("uni")) != ("yes", "yes", "yes")]
    assert not bad, f"fonts not embedded, subset and mapped to Unicode: {bad}"
    assert all(re.fullmatch(r"[A-Z]{6}\+\S+", r["name"]) for r in rows), rows
    with pikepdf.open(built[edition].pdf) as pdf:
        for obj in pdf.objects:
            if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
                continue
            if obj.get("/Subtype") in ("/CIDFontType0", "/CIDFontType2"):
                continue  # descendants: checked through their Type0 parent
            name = str(obj.get("/BaseFont", obj.get("/Name", "?")))
            assert "/ToUnicode" in obj, f"{name} has no ToUnicode map"
            for font in obj.DescendantFonts if "/DescendantFonts" in obj else [obj]:
                if "/FontDescriptor" not in font:  # Type3: glyphs are in the PDF itself
                    continue
                descriptor = font.FontDescriptor
                assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), (
                    f"{name} is not embedded"
                )


@pytest.mark.parametrize("edition", editions(), ids=str)
def test_text_extracts_back_to_the_words_of_the_page(
    built: dict[EditionId, Built],
    edition: EditionId,
    html_text: Callable[..., str],
    norm: Callable[[str], str],
) -> None:
    # Every word a reader sees in the HTML edition comes back, whole, from the PDF: no glyph
    # without a Unicode mapping, and no Korean word broken across lines. (The HTML's table of
    # contents, skip link and back-links of the references are not part of the PDF's text.)
    pdftotext = tools.poppler("pdftotext")
    visible = html_text(
        built[edition].html.read_text("utf-8"),
        frozenset({"skip-link", "toc", "backref", "chart-data"}),
    )
    done = subprocess.run(
        [pdftotext, "-raw", "-enc", "UTF-8", str(built[edition].pdf), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    extracted = norm(done.stdout.decode("utf-8"))
    assert "\ufffd" not in extracted, "unmapped glyphs (U+FFFD) in the extracted text"
    assert "\u2060" not in extracted, "word joiners (U+2060) in the extracted text"
    words = set(WORDS.findall(visible))
    assert len(words) > 100, f"too few words to compare: {sorted(words)}"
    missing = sorted(words - set(WORDS.findall(extracted)))
    if missing:
        context = {
            w: [m[0] for m in re.finditer(rf"\S*{re.escape(w)}\S*.{{0,12}}", visible)][:2]
            for w in missing[:20]
        }
        pytest.fail(
            f"{edition.name}.pdf: {len(missing)} word(s) of the HTML do not come back whole "
            f"from pdftotext: {context}",
            pytrace=False,
        )
