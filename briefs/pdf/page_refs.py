"""Page references brought up to date in place, instead of by laying their page out again.

A contents entry that shows its section's page (``target-counter(attr(href), page)``) reads
0 in the first layout pass, since no section has a page yet. WeasyPrint then parses the
entry's content again with the right number and lays the whole of page 1 out once more, about
a twentieth of a brief's PDF time, although nothing but the numbers changed.

When the numbers sit in boxes whose size does not depend on them, that second layout can only
give the same page with other digits. :func:`refresh` checks that and does just that much:
for a page marked for another layout, it lays out again only each page reference's box whose
text changed, with WeasyPrint's own float layout, puts it where the old box was, and unmarks
the page. briefs' contents numbers are such boxes: right floats of a fixed width holding
tabular figures (``templates/styles/pdf.css``).

It keeps the page as it is, and leaves it to WeasyPrint's pass, unless all of these hold, so
that the page laid out again could only differ in those boxes:

- every page reference on the page whose text changed is a float (a block box, not a table,
  flex or grid box) holding only text, and laid out again it has the old box's margin box,
  width and height, in one line as before: the lines beside it are then laid out as before;
- nothing on any page was broken out of flow over a page break in the pass (a float could
  then continue on the next page), and no running element was placed;
- no page reference reads a counter of its target other than ``page`` (the anchors' cached
  counters are not brought up to date, as a layout of the page would do), and the page does
  not want the page count.

Anything else (an entry that wraps differently, a number that needs more room than its box, a
reference in running text) is laid out again by WeasyPrint as before: only the saving is lost.
``benchmarks/toc_pass.py`` shows the pages byte-identical to WeasyPrint's on the 64 PDF
editions of ``inputs/`` and ``corpus/``, and ``tests/test_page_refs.py`` checks each
condition.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any


def refresh(context: Any, pages: list[Any]) -> int:
    """Bring the page references of ``pages`` (the last pass's) up to date in place where
    that gives the page another layout would, unmark those pages, and say how many."""
    if not _document_allows(context):
        return 0
    lookups = context.target_collector.counter_lookup_items
    refreshed = 0
    for index, page in enumerate(pages):
        if index >= len(context.page_maker):
            break
        state = context.page_maker[index][-1]
        if not state["content_changed"] or state["pages_wanted"]:
            continue
        if _refresh_page(context, page, lookups):
            state["content_changed"] = False
            refreshed += 1
    return refreshed


def note_pass(context: Any) -> None:
    """Record, after each page of a pass, whether anything was broken out of flow over the
    page break (WeasyPrint forgets that at the end of the pass)."""
    if context.broken_out_of_flow:
        context.briefs_broken_out_of_flow = True


def _document_allows(context: Any) -> bool:
    if getattr(context, "briefs_broken_out_of_flow", False):
        return False
    if any(pages for pages in context.running_elements.values()):
        return False
    for item in context.target_collector.counter_lookup_items.values():
        for counters in item.missing_target_counters.values():
            if any(name != "page" for name in counters):
                return False
    return True


def _refresh_page(context: Any, page: Any, lookups: dict[Any, Any]) -> bool:
    replacements = []
    for box, parent, block in _references(page):
        if (box.missing_link, "content") not in lookups:
            continue
        source = box.missing_link
        if _text(box) == _text(source):
            continue
        new = None if parent is None else _relaid(context, box, source, block)
        if new is None:
            return False
        replacements.append((parent, box, new))
    for parent, old, new in replacements:
        parent.children = [new if child is old else child for child in parent.children]
    return True


def _references(page: Any) -> Iterator[tuple[Any, Any, Any]]:
    """Each laid-out box of ``page`` made from a box with page references, with its parent
    and its containing block (the nearest block container above it). The parent is None for
    a box that cannot be replaced in place: one in an absolutely positioned box, which its
    placeholder holds (WeasyPrint looks there too)."""
    from weasyprint.formatting_structure import boxes

    stack: list[tuple[Any, Any, Any]] = [(page, None, None)]
    while stack:
        box, parent, block = stack.pop()
        if not isinstance(box, boxes.Box):  # an absolute box's placeholder
            box, parent, block = box._box, None, None
        if box.missing_link is not None:
            yield box, parent, block
        if isinstance(box, boxes.ParentBox):
            inner = box if isinstance(box, boxes.BlockContainerBox) else block
            kept = box if parent is not None or box is page else None
            stack.extend(
                (child, kept, inner if kept is not None else None)
                for child in reversed(box.children)
            )


def _text(box: Any) -> str:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return str(box.text)
    if isinstance(box, boxes.ParentBox):
        return "".join(_text(child) for child in box.children)
    return "\0"  # an image or another atomic box: never taken for text


def _text_only(box: Any) -> bool:
    from weasyprint.formatting_structure import boxes

    if isinstance(box, boxes.TextBox):
        return True
    if type(box) in (boxes.LineBox, boxes.InlineBox):
        return all(_text_only(child) for child in box.children)
    return False


def _relaid(context: Any, old: Any, source: Any, block: Any) -> Any | None:
    """``source`` laid out again as the float ``old`` was, if it comes out the same size."""
    from weasyprint.formatting_structure import boxes
    from weasyprint.layout.float import float_layout

    if (
        block is None
        or type(source) is not boxes.BlockBox
        or type(old) is not boxes.BlockBox
        or not source.is_floated()
        or not all(type(child) is boxes.LineBox for child in source.children)
        or not all(_text_only(child) for child in source.children)
        or len(old.children) != 1
    ):
        return None
    # The containing block as the line layout saw it: its height not yet known.
    containing = copy.copy(block)
    containing.height = "auto"
    source.position_x, source.position_y = old.position_x, old.position_y
    key = object()
    context._excluded_shapes_root_boxes.append(key)
    context._excluded_shapes[key] = []
    try:
        new, resume_at = float_layout(
            context, source, containing, [], [], bottom_space=-float("inf"), skip_stack=None
        )
    finally:
        context._excluded_shapes.pop(context._excluded_shapes_root_boxes.pop())
    if (
        resume_at is not None
        or len(new.children) != 1
        or new.margin_width() != old.margin_width()
        or new.margin_height() != old.margin_height()
        or new.width != old.width
        or new.height != old.height
    ):
        return None
    new.translate(old.position_x - new.position_x, old.position_y - new.position_y)
    return new
