"""Every PDF edition, of inputs/ and of the test corpus, passes the independent PDF/UA-1
structure check (tests/conformance/pdfua.py), and its structure tree reads in the same order
as the HTML edition.

What the two editions may differ in, and nothing else:
- only the screen shows the skip link, the references' back links, the charts' data tables
  (a disclosure under each chart) and, when the PDF is too short for one, the contents;
- a Markdown footnote (``[^x]``) is read where its mark is in print (a ``Note`` after the
  mark) and under its paragraph on screen (``.md-notes``): its text is compared on its own;
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


MD_NOTE = "fn-cite-note-"
"""The id prefix of a Markdown footnote's ``Note`` (a citation's source note has another)."""


def print_text(pdf: pikepdf.Pdf) -> tuple[str, bool, list[str]]:
    """The structure tree's text in tree order, without what only print shows; whether the
    PDF has a table of contents; and the text of each Markdown footnote, in tree order."""
    reader = pdfua.Reader(pdf)
    assert reader.root is not None, "no structure tree"
    has_toc = False
    notes: list[str] = []

    def text(e: pdfua.Elem) -> str:
        nonlocal has_toc
        role = reader.standard_role(e.role)
        has_toc = has_toc or role == "TOC"
        md_note = role == "Note" and str(e.obj.get("/ID", "")).startswith(MD_NOTE)
        if role in ("Note", "Figure") and not md_note:
            return ""
        parts = []
        for kid in e.kids:
            if md_note and isinstance(kid, pdfua.Elem) and kid.role == "Lbl":
                continue  # the note's number, "*1": the HTML has it as a back link
            if isinstance(kid, pdfua.Elem):
                parts.append(text(kid))
            elif isinstance(kid, pdfua.MarkedRef):
                marked = reader.pages[kid.page].marked.get(kid.mcid)
                parts.append(marked.text if marked else "")
        out = "".join(parts)
        if md_note:
            notes.append(out)
            return ""
        in_item = e.parent is not None and reader.standard_role(e.parent.role) == "LI"
        if role == "Lbl" and in_item and LIST_MARKER.fullmatch(out):
            return ""
        if role == "TOCI":
            out = PAGE_NUMBER.sub("", out)
        return out + " "

    return text(reader.root), has_toc, notes


def screen_text(html: str, *, with_toc: bool) -> str:
    """The HTML edition's visible text without what only the screen shows, and without the
    Markdown footnotes gathered under their paragraphs (see :func:`screen_notes`)."""
    skip = SCREEN_ONLY | {"md-notes"} if with_toc else SCREEN_ONLY | {"toc", "md-notes"}
    return visible_text(html, skip, frozenset({"svg"}))


def screen_notes(html: str) -> list[str]:
    """The text of each Markdown footnote of the HTML edition, without its back link."""
    import lxml.html

    notes = []
    for note in lxml.html.fromstring(html).find_class("md-note"):
        for back in note.find_class("note-back"):
            back.drop_tree()
        notes.append(note.text_content())
    return notes


def squash(text: str) -> str:
    """Text without any white space: line breaks in the PDF fall where HTML has spaces, and
    a line's last space may or may not be in its text."""
    return re.sub(r"\s+", "", normalise(text))


@pytest.mark.parametrize("edition", corpus_editions(), ids=str)
def test_reading_order_is_the_html_order(built: dict[EditionId, Built], edition: EditionId) -> None:
    with pikepdf.open(built[edition].pdf) as pdf:
        printed, has_toc, printed_notes = print_text(pdf)
    html = built[edition].html.read_text("utf-8")
    shown = screen_text(html, with_toc=has_toc)
    assert [squash(n) for n in printed_notes] == [squash(n) for n in screen_notes(html)]
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
