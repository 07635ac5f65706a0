"""The contents' page numbers cost one layout pass of page 1, not two (briefs/pdf/passes.py).

WeasyPrint logs "Step 5 - Creating layout - Page N" each time it lays page N out. A document
whose page 1 holds a contents list of ``target-counter(attr(href), page)`` entries needs page 1
laid out twice: once with unknown targets, once with their pages. Everything else is laid out
once. The expected counts below follow from that rule, and the stock WeasyPrint run shows the
third pass the wrapper removes, so the test fails if the wrapper stops working.
"""

from __future__ import annotations

from collections import Counter

import pytest
import weasyprint
import weasyprint.layout

from briefs.pdf import passes
from tests.conftest import PagesLaid

SECTIONS = 3

CONTENTS_CSS = """
@page { size: A6; margin: 12mm; @bottom-center { content: counter(page) " / " counter(pages) } }
nav a::after { content: " … " target-counter(attr(href), page) }
nav.total::after { content: "of " counter(pages) }
section { break-before: page }
"""


def _document(total_reader: bool = False) -> str:
    entries = "".join(f'<li><a href="#s{i}">S{i}</a></li>' for i in range(1, SECTIONS + 1))
    sections = "".join(
        f'<section id="s{i}"><h2>S{i}</h2><p>text</p></section>' for i in range(1, SECTIONS + 1)
    )
    nav = "<nav class=total>" if total_reader else "<nav>"
    return f"<html><style>{CONTENTS_CSS}</style><body>{nav}<ol>{entries}</ol></nav>{sections}</body></html>"


def _render(html: str) -> tuple[weasyprint.Document, list[str]]:
    document = weasyprint.HTML(string=html).render()
    texts = []
    for page in document.pages:
        words: list[str] = []
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            if hasattr(box, "text"):
                words.append(box.text)
            stack.extend(reversed(getattr(box, "children", [])))
        texts.append(" ".join(" ".join(words).split()))
    return document, texts


def _stock(monkeypatch: pytest.MonkeyPatch) -> None:
    current = weasyprint.layout.make_all_pages
    monkeypatch.setattr(
        weasyprint.layout, "make_all_pages", getattr(current, "__wrapped__", current)
    )


def test_contents_page_is_laid_out_twice_and_the_rest_once(laid_out: PagesLaid) -> None:
    passes.install()
    document, texts = _render(_document())
    pages = SECTIONS + 1
    assert len(document.pages) == pages
    assert laid_out.laid == Counter({1: 2, **{n: 1 for n in range(2, pages + 1)}})
    for i in range(1, SECTIONS + 1):  # section i starts on page i + 1
        assert f"S{i} … {i + 1}" in texts[0]
    assert f"1 / {pages}" in texts[0]


def test_stock_weasyprint_lays_the_contents_page_out_three_times(
    laid_out: PagesLaid, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The cost the wrapper removes; if WeasyPrint stops paying it, the wrapper can go."""
    passes.install()
    _stock(monkeypatch)
    _render(_document())
    assert laid_out.laid[1] == 3


def test_same_pages_with_and_without(monkeypatch: pytest.MonkeyPatch) -> None:
    passes.install()
    _, wrapped = _render(_document(total_reader=True))
    _stock(monkeypatch)
    _, stock = _render(_document(total_reader=True))
    assert wrapped == stock


def test_a_reference_to_the_total_still_sees_it(laid_out: PagesLaid) -> None:
    """Content that reads the page total on the contents page still gets it."""
    passes.install()
    _, texts = _render(_document(total_reader=True))
    assert f"S3 … 4 of {SECTIONS + 1}" in texts[0]


def test_install_is_idempotent_and_refuses_a_foreign_function(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    passes.install()
    wrapped = weasyprint.layout.make_all_pages
    passes.install()
    assert weasyprint.layout.make_all_pages is wrapped

    def other(context: object, root_box: object, html: object, pages: object) -> None:
        return None

    monkeypatch.setattr(weasyprint.layout, "make_all_pages", other)
    with pytest.raises(RuntimeError, match="not WeasyPrint 70"):
        passes.install()


class _Enough(Exception):
    pass


def test_a_watch_sees_the_first_pass_page_by_page_and_can_stop_it(laid_out: PagesLaid) -> None:
    passes.install()
    seen: list[int] = []

    def watch(boxes: list[object]) -> None:
        seen.append(len(boxes))
        if len(boxes) == 2:
            raise _Enough

    with passes.watching(watch), pytest.raises(_Enough):
        _render(_document())
    assert seen == [1, 2]
    assert laid_out.laid == Counter({1: 1, 2: 1})  # pages 3 and 4 never laid out
    seen.clear()
    _render(_document())  # outside ``watching``, nothing is watched
    assert seen == []


def test_only_the_first_pass_is_watched(laid_out: PagesLaid) -> None:
    passes.install()
    seen: list[int] = []
    with passes.watching(lambda boxes: seen.append(len(boxes))):
        document, _ = _render(_document())
    assert seen == list(range(1, len(document.pages) + 1))  # the second pass (page 1) is not
