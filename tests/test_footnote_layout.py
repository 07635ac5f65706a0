"""Footnotes in inline blocks go with their line, and the footnote area's height is computed
from its footnotes' heights (briefs/pdf/footnote_layout.py).

The tile documents put a line of inline-block tiles, each with a footnote, below a growing
number of lines of text, so that for some counts the tiles fit on page 1 and their footnotes
do not. The rule: every footnote is on its call's page. Stock WeasyPrint breaks it for some
counts (shown below, so the test fails if the change stops mattering); with the change, no
count breaks it.

The area documents have many footnotes of different lengths; the PDF must be the same bytes
with WeasyPrint's own height and with the computed one, and the computed one must be used
(WeasyPrint's own layout of the area, ``weasyprint.layout.block_level_layout``, not called)
unless a footnote has a vertical margin, where WeasyPrint's method is kept.
"""

from __future__ import annotations

from typing import Any

import pytest
import weasyprint
import weasyprint.layout
import weasyprint.layout.inline

from briefs.pdf import footnote_layout, footnotes

PAGE_CSS = """
@page { size: A6; margin: 10mm; @footnote { border-top: 0.5pt solid; padding-top: 1mm } }
body { font-size: 9pt; line-height: 1.5; orphans: 2; widows: 2 }
p { margin: 0 }
.fn { float: footnote; footnote-policy: line; font-size: 7pt }
.fn::footnote-call { content: none }
.fn::footnote-marker { content: attr(data-n) ") " }
"""
TILES = range(1, 7)
"""Two lines of three tiles: WeasyPrint moves footnotes on alone only from a line with another
line after it in its block."""
TILES_CSS = """
.figures { orphans: 1; widows: 1 }
.figure { display: inline-block; width: 30%; vertical-align: top }
.fn-loose { orphans: 1; widows: 1 }
.fn-push { break-before: page }
"""


FIGURES = '<ul class="figures">'
"""The list of tiles, as the key-figures template writes it (the repair looks for it)."""


def _tiles(space: int) -> str:
    text = f'<div style="height: {space}pt"></div>'
    tiles = "".join(
        f'<li class="figure" id="kf-{n}"><b>{n}0%</b> share <sup id="cite-{n}">{n}</sup>'
        f'<span class="fn" id="fn-cite-{n}" data-n="{n}">Note {n}: '
        + "a source that takes two lines in the footnote area. " * 2
        + "</span></li>"
        for n in TILES
    )
    after = "<p>Text after the tiles.</p>" * 5
    return f"<html><style>{PAGE_CSS}{TILES_CSS}</style><body>{text}<section><h2>Key figures</h2>{FIGURES}{tiles}</ul></section>{after}</body></html>"


def _render(html: str) -> weasyprint.Document:
    return weasyprint.HTML(string=html).render()


def _late(html: str, document: weasyprint.Document | None = None) -> list[str]:
    """Calls whose footnote is on another page."""
    document = document or _render(html)
    page_of = {a: n for n, page in enumerate(document.pages) for a in page.anchors}
    return [f"cite-{n}" for n in TILES if page_of[f"cite-{n}"] != page_of[f"fn-cite-{n}"]]


def _stock_tiles(monkeypatch: pytest.MonkeyPatch) -> None:
    current = weasyprint.layout.inline.inline_block_box_layout
    monkeypatch.setattr(weasyprint.layout.inline, "inline_block_box_layout", current.__wrapped__)


SPACES = range(150, 330, 6)
"""Heights above the tiles, in points, a step much smaller than the footnotes' height."""


def test_footnotes_of_tiles_are_on_their_tiles_page() -> None:
    footnote_layout.install()
    assert {space: _late(_tiles(space)) for space in SPACES} == {space: [] for space in SPACES}


def test_stock_weasyprint_leaves_footnotes_of_tiles_behind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """What the change repairs: with stock WeasyPrint some count puts a footnote late."""
    footnote_layout.install()
    _stock_tiles(monkeypatch)
    assert any(_late(_tiles(space)) for space in SPACES)


def test_the_repair_still_moves_a_line_of_tiles_whose_footnotes_were_left_behind(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Should WeasyPrint leave a tile's footnote behind anyway, the late-footnote repair
    (briefs/pdf/footnotes.py) moves the tiles' line to the next page: shown on stock
    WeasyPrint, which leaves them behind."""
    footnote_layout.install()
    _stock_tiles(monkeypatch)
    spaces = [space for space in SPACES if _late(_tiles(space))]
    assert spaces
    for space in spaces:
        document, layouts = footnotes.lay_out(_tiles(space), _render, 4)
        assert layouts > 1 and _late("", document) == [], space


def _notes(lines: int, margin: bool = False) -> str:
    body = "".join(
        f'<p>Paragraph {i} with a call<span class="fn" data-n="{i}">Note {i}. '
        + "More words. " * (i % 7 * 3)
        + "</span> and words to fill the line after it.</p>"
        for i in range(lines)
    )
    extra = ".fn { margin-top: 1pt }" if margin else ""
    return f"<html><style>{PAGE_CSS}{extra}</style><body>{body}</body></html>"


def _stock_area(monkeypatch: pytest.MonkeyPatch) -> None:
    current = weasyprint.layout.LayoutContext._update_footnote_area
    monkeypatch.setattr(
        weasyprint.layout.LayoutContext, "_update_footnote_area", current.__wrapped__
    )


def _counting(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Count WeasyPrint's own layouts of the footnote area."""
    calls = [0]
    original = weasyprint.layout.block_level_layout

    def counted(*args: Any, **kwargs: Any) -> Any:
        calls[0] += 1
        return original(*args, **kwargs)

    monkeypatch.setattr(weasyprint.layout, "block_level_layout", counted)
    return calls


@pytest.mark.parametrize("margin", [False, True], ids=["plain", "margins"])
def test_the_computed_area_height_gives_the_same_pdf(
    monkeypatch: pytest.MonkeyPatch, margin: bool
) -> None:
    footnote_layout.install()
    documents = [_notes(lines, margin) for lines in (12, 25, 40)]
    calls = _counting(monkeypatch)
    computed = [weasyprint.HTML(string=html).write_pdf() for html in documents]
    own = calls[0]
    with monkeypatch.context() as stock:
        _stock_area(stock)
        expected = [weasyprint.HTML(string=html).write_pdf() for html in documents]
    assert computed == expected
    assert calls[0] > own  # the stock runs lay the area out
    if margin:
        assert own > 0  # a footnote with a margin: WeasyPrint's own method
    else:
        assert own == 0


def test_install_is_idempotent_and_refuses_a_foreign_function(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    footnote_layout.install()
    wrapped = weasyprint.layout.inline.inline_block_box_layout
    footnote_layout.install()
    assert weasyprint.layout.inline.inline_block_box_layout is wrapped

    def other(context: object, box: object) -> None:
        return None

    monkeypatch.setattr(weasyprint.layout.inline, "inline_block_box_layout", other)
    with pytest.raises(RuntimeError, match="not 70's"):
        footnote_layout.install()
