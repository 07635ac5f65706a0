"""Page references brought up to date in place (briefs/pdf/page_refs.py).

The rule: a page whose only change after a pass is the text of page references held in
floats that keep their size is not laid out again; anything else is laid out again by
WeasyPrint. Either way the PDF is the one WeasyPrint's own passes give. Each test renders
the same document with and without :func:`briefs.pdf.page_refs.refresh` and compares the
bytes, and counts from WeasyPrint's progress log how often page 1 was laid out: once when
refreshed in place, twice when left to WeasyPrint.
"""

from __future__ import annotations

import pytest
import weasyprint

from briefs.pdf import page_refs, passes
from tests.conftest import PagesLaid

PAGE = "@page { size: A6; margin: 12mm } section { break-before: page } body { font-size: 10pt }"
FLOAT = "nav a::after { content: target-counter(attr(href), page); float: right; width: 3em; text-align: right }"


def _document(css: str, sections: int = 3, nav_extra: str = "", body_extra: str = "") -> str:
    entries = "".join(f'<li><a href="#s{i}">Section {i}</a></li>' for i in range(1, sections + 1))
    parts = "".join(
        f'<section id="s{i}"><h2>Section {i}</h2><p>text</p></section>'
        for i in range(1, sections + 1)
    )
    return (
        f"<html><style>{PAGE} {css}</style><body>{body_extra}<nav><ol>{entries}</ol>"
        f"{nav_extra}</nav>{parts}</body></html>"
    )


@pytest.fixture(autouse=True)
def _installed() -> None:
    passes.install()


def _texts(document: weasyprint.Document, index: int) -> list[str]:
    """The texts of the number floats on page ``index``, in order."""
    found = []
    stack = [document.pages[index]._page_box]
    while stack:
        box = stack.pop()
        if box.element_tag == "a::after" and box.is_floated():
            found.append("".join(t.text for t in box.descendants() if hasattr(t, "text")))
        stack.extend(reversed(getattr(box, "children", [])))
    return found


def _both(
    html: str, laid: PagesLaid, monkeypatch: pytest.MonkeyPatch
) -> tuple[weasyprint.Document, int, int]:
    """The document refreshed in place, and how often page 1 was laid out with and without
    the refresh; fails if the two PDFs differ."""
    laid.laid.clear()
    refreshed = weasyprint.HTML(string=html).render()
    with_refresh = laid.laid[1]
    with monkeypatch.context() as patch:
        patch.setattr(page_refs, "refresh", lambda context, pages: 0)
        laid.laid.clear()
        relaid = weasyprint.HTML(string=html).render()
        without = laid.laid[1]
    assert refreshed.write_pdf() == relaid.write_pdf()
    return refreshed, with_refresh, without


def test_numbers_in_fixed_floats_are_put_in_place(
    laid_out: PagesLaid, monkeypatch: pytest.MonkeyPatch
) -> None:
    document, refreshed, relaid = _both(_document(FLOAT), laid_out, monkeypatch)
    assert (refreshed, relaid) == (1, 2)
    assert _texts(document, 0) == ["2", "3", "4"]


def test_two_digit_numbers_in_reserved_room(
    laid_out: PagesLaid, monkeypatch: pytest.MonkeyPatch
) -> None:
    document, refreshed, relaid = _both(_document(FLOAT, sections=11), laid_out, monkeypatch)
    assert (refreshed, relaid) == (1, 2)
    assert _texts(document, 0) == [str(n) for n in range(2, 13)]


def test_a_number_that_needs_more_room_is_laid_out_again(
    laid_out: PagesLaid, monkeypatch: pytest.MonkeyPatch
) -> None:
    # width: auto: "0" in the first pass, "10" and more after it, a wider float.
    css = FLOAT.replace("width: 3em; ", "")
    document, refreshed, relaid = _both(_document(css, sections=11), laid_out, monkeypatch)
    assert (refreshed, relaid) == (2, 2)
    assert _texts(document, 0)[-1] == "12"


def test_numbers_in_running_text_are_laid_out_again(
    laid_out: PagesLaid, monkeypatch: pytest.MonkeyPatch
) -> None:
    css = "nav a::after { content: ' p. ' target-counter(attr(href), page) }"
    _, refreshed, relaid = _both(_document(css), laid_out, monkeypatch)
    assert (refreshed, relaid) == (2, 2)


IMAGE = 'url("data:image/svg+xml,%3Csvg xmlns=%22http://www.w3.org/2000/svg%22 width=%224%22 height=%224%22/%3E")'


@pytest.mark.parametrize("where", ["before", "after"])
def test_a_float_that_is_not_only_text_is_laid_out_again(
    where: str, laid_out: PagesLaid, monkeypatch: pytest.MonkeyPatch
) -> None:
    number = "target-counter(attr(href), page)"
    content = f"{IMAGE} {number}" if where == "before" else f"{number} {IMAGE}"
    css = FLOAT.replace(f"content: {number}", f"content: {content}")
    document, refreshed, relaid = _both(_document(css), laid_out, monkeypatch)
    assert (refreshed, relaid) == (2, 2)
    assert _texts(document, 0) == ["2", "3", "4"]


def test_a_reference_to_a_targets_page_count_keeps_weasyprints_passes(
    laid_out: PagesLaid, monkeypatch: pytest.MonkeyPatch
) -> None:
    # WeasyPrint 70 raises on target-counter(..., pages) itself, so the rule is checked on
    # the lookups of a real layout: one that reads a target's "pages" counter stops it.
    contexts = []
    original = page_refs.refresh

    def spy(context: object, pages: list[object]) -> int:
        contexts.append(context)
        return original(context, pages)

    monkeypatch.setattr(page_refs, "refresh", spy)
    weasyprint.HTML(string=_document(FLOAT)).render()
    (context,) = contexts
    assert page_refs._document_allows(context)
    item = next(iter(context.target_collector.counter_lookup_items.values()))
    next(iter(item.missing_target_counters.values())).append("pages")
    assert not page_refs._document_allows(context)


def test_a_running_element_keeps_weasyprints_passes(
    laid_out: PagesLaid, monkeypatch: pytest.MonkeyPatch
) -> None:
    css = (
        FLOAT
        + " header { position: running(head) } @page { @top-center { content: element(head) } }"
    )
    _, refreshed, relaid = _both(
        _document(css, body_extra="<header>Head</header>"), laid_out, monkeypatch
    )
    assert refreshed == relaid == 2


def test_a_float_broken_over_a_page_keeps_weasyprints_passes(
    laid_out: PagesLaid, monkeypatch: pytest.MonkeyPatch
) -> None:
    tall = '<div style="float: left; width: 2em">' + "x<br>" * 80 + "</div>"
    _, refreshed, relaid = _both(_document(FLOAT, nav_extra=tall), laid_out, monkeypatch)
    assert refreshed == relaid == 2


def test_numbers_in_an_absolutely_positioned_box_are_laid_out_again(
    laid_out: PagesLaid, monkeypatch: pytest.MonkeyPatch
) -> None:
    css = FLOAT + " nav { position: absolute; top: 20mm; left: 0; width: 40mm }"
    document, refreshed, relaid = _both(_document(css), laid_out, monkeypatch)
    assert (refreshed, relaid) == (2, 2)
    assert _texts(document, 0) == ["1", "2", "3"]  # nothing in flow before section 1
