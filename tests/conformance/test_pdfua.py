"""Every PDF edition, of inputs/ and of the test corpus, passes the independent PDF/UA-1
structure check (tests/conformance/pdfua.py), and its structure tree reads in the same order
as the HTML edition.

What the two editions may differ in, and nothing else:
- only the screen shows the skip link, the references' back links, the charts' data tables
  (a disclosure under each chart) and, when the PDF is too short for one, the contents;
- only print shows the footnotes (``Note``: the source of a citation, on its page), the list
  markers (``Lbl`` of a list item: "•", "1."), and the page numbers of the contents;
- a chart is a picture in both: its ``Figure`` reads as its Alt text, and the HTML's inline
  SVG is left out here (axe and vnu check its name).
Running heads and page numbers are Artifacts, so they are not in the tree at all.
"""

from __future__ import annotations

import difflib
import re

import pikepdf
import pytest

from tests.conformance import pdfua
from tests.conformance.corpus import Built, EditionId, corpus_editions
from tests.conftest import normalise, visible_text

pytestmark = pytest.mark.slow

SCREEN_ONLY = frozenset({"skip-link", "backref", "chart-data"})
LIST_MARKER = re.compile(r"\s*(?:\d+[.)]|[•◦▪‣–-])\s*")
"""The text of a generated list-item label: a bullet or a number."""
PAGE_NUMBER = re.compile(r"\d+\s*$")


@pytest.mark.parametrize("edition", corpus_editions(), ids=str)
def test_pdf_passes_the_pdfua_check(built: dict[EditionId, Built], edition: EditionId) -> None:
    failures = pdfua.check(built[edition].pdf)
    if failures:
        lines = [f"  {f}" for f in failures[:40]]
        pytest.fail(
            f"{edition.name}.pdf: {len(failures)} PDF/UA-1 failure(s):\n" + "\n".join(lines),
            pytrace=False,
        )


def print_text(pdf: pikepdf.Pdf) -> tuple[str, bool]:
    """The structure tree's text in tree order, without what only print shows; and whether
    the PDF has a table of contents."""
    reader = pdfua.Reader(pdf)
    assert reader.root is not None, "no structure tree"
    has_toc = False

    def text(e: pdfua.Elem) -> str:
        nonlocal has_toc
        role = reader.standard_role(e.role)
        has_toc = has_toc or role == "TOC"
        if role in ("Note", "Figure"):
            return ""
        parts = []
        for kid in e.kids:
            if isinstance(kid, pdfua.Elem):
                parts.append(text(kid))
            elif isinstance(kid, pdfua.MarkedRef):
                marked = reader.pages[kid.page].marked.get(kid.mcid)
                parts.append(marked.text if marked else "")
        out = "".join(parts)
        in_item = e.parent is not None and reader.standard_role(e.parent.role) == "LI"
        if role == "Lbl" and in_item and LIST_MARKER.fullmatch(out):
            return ""
        if role == "TOCI":
            out = PAGE_NUMBER.sub("", out)
        return out + " "

    return text(reader.root), has_toc


def screen_text(html: str, *, with_toc: bool) -> str:
    """The HTML edition's visible text without what only the screen shows."""
    skip = SCREEN_ONLY if with_toc else SCREEN_ONLY | {"toc"}
    return visible_text(html, skip, frozenset({"svg"}))


def squash(text: str) -> str:
    """Text without any white space: line breaks in the PDF fall where HTML has spaces, and
    a line's last space may or may not be in its text."""
    return re.sub(r"\s+", "", normalise(text))


@pytest.mark.parametrize("edition", corpus_editions(), ids=str)
def test_reading_order_is_the_html_order(built: dict[EditionId, Built], edition: EditionId) -> None:
    with pikepdf.open(built[edition].pdf) as pdf:
        printed, has_toc = print_text(pdf)
    shown = screen_text(built[edition].html.read_text("utf-8"), with_toc=has_toc)
    a, b = squash(shown), squash(printed)
    assert len(a) > 200, f"too little text to compare: {shown[:200]!r}"
    if a != b:
        matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
        diffs = [
            f"  {op}: HTML …{a[max(0, i1 - 25) : i2 + 5]!r} / PDF …{b[max(0, j1 - 25) : j2 + 5]!r}"
            for op, i1, i2, j1, j2 in matcher.get_opcodes()
            if op != "equal"
        ]
        pytest.fail(
            f"{edition.name}: the PDF's structure tree does not read like the HTML "
            f"({len(diffs)} difference(s)):\n" + "\n".join(diffs[:15]),
            pytrace=False,
        )
