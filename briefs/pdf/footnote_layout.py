"""Two changes to how WeasyPrint 70 lays footnotes out, installed by :func:`install`.

**Footnotes in inline blocks follow ``footnote-policy``.** A key-figure tile is an inline
block. WeasyPrint lays inline blocks out while it breaks their line, and places their footnotes
then, before it knows whether the line fits. When the line, with those footnotes below it, no
longer fits, WeasyPrint makes room as it does for a line of text that may not move on (the
first of a block with lines after it): it moves the page's last footnotes, the tiles' own, to
the next page, and keeps the line. The late-footnote repair of :mod:`briefs.pdf.footnotes`
then laid 13 of the 64 PDF editions of ``inputs/`` and ``corpus/`` out twice. While an inline
block is laid out, the footnotes waiting to be placed are hidden from it
(:func:`_hiding_footnotes`), so the line holding the block places them, as for text: when they
do not fit, ``footnote-policy: line`` moves the line of tiles on with them.

**The footnote area's height, from each footnote's height.** Each time a footnote is placed on
a page, or taken back, WeasyPrint copies the page's whole footnote area and lays it out again,
to learn its height: a page with *n* footnotes lays out about *n²/2* footnotes (about a quarter
of layout time in the briefs of ``inputs/``). :func:`_update_footnote_area` lays each
footnote out once, alone in a copy of the area, and adds the heights up in the order WeasyPrint
would (footnotes are blocks; with no margins between them, and none collapsing, the area's
content is their heights laid end to end). Where that does not hold (a footnote with a
vertical margin, an area with a fixed or bounded height, columns), it falls back to
WeasyPrint's own method. The page's footnotes are still laid out by WeasyPrint when the page
is finished, so what is drawn is WeasyPrint's; only the height used while filling the page is
computed, and it is the same number up to rounding (the 64 PDF editions of ``inputs/``
and ``corpus/`` are byte-identical with and without it, ``benchmarks/footnote_layout.py``).

WeasyPrint is pinned to 70.x: :func:`install` fails loudly when a function it wraps is not the
one it was written for.
"""

from __future__ import annotations

from math import inf
from typing import Any

_INSTALLED = "__briefs_footnotes__"


def install() -> None:
    """Make footnotes in inline blocks wait for their line, and compute the footnote area's
    height from its footnotes' heights (idempotent)."""
    import weasyprint.layout as layout
    import weasyprint.layout.inline as inline

    block = inline.inline_block_box_layout
    context = layout.LayoutContext
    if getattr(block, _INSTALLED, False):
        return
    if block.__code__.co_argcount != 7 or context._update_footnote_area.__code__.co_argcount != 1:
        raise RuntimeError(
            "WeasyPrint's inline block or footnote area layout is not 70's: "
            "briefs cannot place footnotes of key figures with their line"
        )
    inline.inline_block_box_layout = _hiding_footnotes(block)
    context._update_footnote_area = _footnote_area(context._update_footnote_area)


def _hiding_footnotes(original: Any) -> Any:
    def inline_block_box_layout(context: Any, *args: Any) -> Any:
        waiting, context.footnotes = context.footnotes, []
        try:
            return original(context, *args)
        finally:
            # Nothing is placed meanwhile; anything taken back is waiting again.
            back = [footnote for footnote in context.footnotes if footnote not in waiting]
            context.footnotes = waiting + back

    setattr(inline_block_box_layout, _INSTALLED, True)
    inline_block_box_layout.__wrapped__ = original  # type: ignore[attr-defined]
    return inline_block_box_layout


def _footnote_area(original: Any) -> Any:
    def _update_footnote_area(context: Any) -> bool:
        area = context.current_footnote_area
        footnotes = context.current_page_footnotes
        if context.in_column or not footnotes or not _plain(area):
            return bool(original(context))
        heights = _heights(context, area, footnotes)
        if heights is None:
            return bool(original(context))
        if area.height != "auto":
            context.page_bottom += area.margin_height()
        area.children = footnotes
        # The sums WeasyPrint's block layout makes, in its order (block_container_layout).
        top = bottom = area.content_box_y()
        for height in heights:
            bottom += height
        area.height = bottom - top
        context.page_bottom -= area.margin_height()
        return bool(bottom > area.position_y + area.margin_height() - area.margin_bottom)

    _update_footnote_area.__wrapped__ = original  # type: ignore[attr-defined]
    return _update_footnote_area


def _plain(area: Any) -> bool:
    """Whether the area's height is its content's: no set, least or greatest height."""
    return bool(
        area.style["height"] == "auto"
        and area.max_height == inf
        and area.min_height == 0
        and "auto" not in (area.margin_top, area.margin_bottom)
    )


def _heights(context: Any, area: Any, footnotes: list[Any]) -> list[float] | None:
    """Each footnote's margin height, laid out alone in a copy of ``area`` (once per footnote
    and area width); ``None`` when one has a vertical margin, so heights would not add up."""
    from weasyprint.formatting_structure import boxes, build
    from weasyprint.layout.block import block_level_layout

    cache: dict[tuple[int, int, float], tuple[Any, Any, float | None]]
    cache = context.__dict__.setdefault("_briefs_footnote_heights", {})
    out = []
    for footnote in footnotes:
        key = (id(footnote), id(area.style), area.width)
        found = cache.get(key)
        if found is None or found[0] is not footnote or found[1] is not area.style:
            alone = area.copy_with_children([footnote])
            alone.height = "auto"
            laid = block_level_layout(
                context, build.create_anonymous_boxes(alone.deepcopy()), -inf, None, area.page
            )[0]
            child = laid.children[0] if len(laid.children) == 1 else None
            height = None
            if (
                isinstance(child, boxes.BlockBox)
                and child.element is footnote.element
                and child.margin_top == 0
                and child.margin_bottom == 0
            ):
                height = float(child.margin_height())
            found = cache[key] = (footnote, area.style, height)
        if found[2] is None:
            return None
        out.append(found[2])
    return out
