"""Footnotes past their mark's page: found on the laid-out pages, and repaired.

WeasyPrint 70 sometimes puts a footnote on the page after its mark: it takes footnotes back to
make room for lines it must keep together (upstream #2502). (Footnotes of key-figure tiles,
inline blocks, were the commonest case; they now wait for their line,
:mod:`briefs.pdf.footnote_layout`, and the repair below still handles one left behind.)
:func:`lay_out` lays an edition out and, while a footnote is late, again with a remedy.

A layout that will be thrown away is stopped as soon as its first late footnote is laid out
(:func:`briefs.pdf.passes.watching`): the rest of that first layout would be wasted work. Only
a layout that may be followed by another is stopped; the one kept is always whole.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from briefs.pdf import passes


def lay_out(html: str, render: Callable[[str], Any], most: int) -> tuple[Any, int]:
    """``render(html)``'s document and, while a footnote is past its mark's page, the
    document rendered again with a remedy; and how many layouts it took (at most ``most``,
    stopped ones included).

    Remedies go from the lightest, each tried on the first layout: break where the next
    page starts anyway (:func:`_page_starters`), let single lines stand at page feet and
    tops (:func:`_loosen`), move the marks' blocks to new pages (:func:`_push_to_next_page`,
    repeated while passes are left). Lines of tiles move on in each: a footnote in a tile
    cannot take its line along.
    """
    made = 0

    def attempt(text: str) -> tuple[Any, list[str]]:
        nonlocal made
        made += 1
        if made >= most:  # the last layout allowed: kept whole, late footnotes or not
            document = render(text)
            return document, late_footnotes(document.pages)
        try:
            with passes.watching(_stop_when_late()):
                document = render(text)
        except _Late as stopped:
            return _Stopped(stopped.pages), late_footnotes(stopped.pages)
        return document, late_footnotes(document.pages)

    document, late = attempt(html)
    if not late:
        return document, made
    tiles = [m for m in late if not m.startswith("cite-")]
    first = _push_to_next_page(html, tiles)
    starters = _page_starters(document.pages, late)
    remedies: list[Callable[[str], str]] = [
        *([partial(_break_before, idents=starters)] if starters or tiles else []),
        _loosen,
    ]
    for remedy in remedies:
        if made >= most:
            return document, made
        document, now = attempt(remedy(first))
        if not now:
            return document, made
    text = first
    while late and made < most:
        text = _push_to_next_page(text, late)
        document, late = attempt(text)
    return document, made


@dataclass
class _Stopped:
    """A layout stopped at its first late footnote: the pages laid out until then."""

    pages: list[Any]


class _Late(Exception):
    def __init__(self, pages: list[Any]) -> None:
        super().__init__("a footnote is past its mark's page")
        self.pages = pages


def _stop_when_late() -> passes.Watch:
    """A watch of a first pass that stops it at the first page holding a late footnote."""
    from weasyprint.document import Page

    made: list[Any] = []

    def watch(boxes: list[Any]) -> None:
        made.extend(Page(box) for box in boxes[len(made) :])
        if len(made) > 1 and late_footnotes(made):
            raise _Late(list(made))

    return watch


_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_BLOCKS = {"p", "li", "dd", "dt", "td", "th", "blockquote", "div", "article", "section"}


def late_footnotes(pages: Sequence[Any]) -> list[str]:
    """Ids of citation marks whose footnote WeasyPrint put on a later page.

    WeasyPrint may move a footnote to the next page to make room for a line (upstream
    #2502); each footnote carries the id of its mark (``fn-<mark id>``), so we can check.
    """
    page_of: dict[str, int] = {}
    for number, page in enumerate(pages):
        for anchor in page.anchors:
            page_of[anchor] = number
    late = {
        anchor[3:]
        for anchor, number in page_of.items()
        if anchor.startswith("fn-cite-") and page_of.get(anchor[3:], number) != number
    }
    if not late:
        return []
    # A footnote inside an inline block (a key-figure tile) cannot take its line along when it
    # is moved on: what has to move is the line of tiles, from its first tile.
    rows = _tile_rows(pages)
    return sorted({rows.get(mark, mark) for mark in late})


def _page_starters(pages: Sequence[Any], marks: list[str]) -> list[str]:
    """Ids of the blocks that start the pages after the late marks' pages, where such a block
    starts there whole (not a paragraph running on) and has an id, or an ancestor it opens.

    WeasyPrint tries a block at a page foot, finds it does not fit, takes it back, and with
    it footnotes already placed higher up (the summary's, when the key figures moved on).
    Breaking before that block, where it starts anyway, leaves the page as it was, with its
    footnotes.
    """
    from weasyprint.formatting_structure import boxes

    root = pages[0]._page_box.children[0].element
    parent_of = {child: parent for parent in root.iter() for child in parent}
    page_of = {a: n for n, page in enumerate(pages) for a in page.anchors}

    def elements(box: Any) -> Iterator[Any]:
        if box.element is not None:
            yield box.element
        for child in getattr(box, "children", ()):
            if not isinstance(child, boxes.FootnoteAreaBox | boxes.MarginBox):
                yield from elements(child)

    def first_leaf(box: Any) -> Any:
        if isinstance(box, boxes.LineBox | boxes.ReplacedBox):
            return box.element
        for child in getattr(box, "children", ()):
            if not isinstance(child, boxes.FootnoteAreaBox | boxes.MarginBox):
                found = first_leaf(child)
                if found is not None:
                    return found
        return None

    out: set[str] = set()
    for number in sorted({page_of[m] for m in marks if m in page_of}):
        if number + 1 >= len(pages):
            continue
        before = set(elements(pages[number]._page_box))
        element = first_leaf(pages[number + 1]._page_box)
        best = None
        while element is not None and element not in before and element.tag not in ("main", "body"):
            if element.get("id"):
                best = str(element.get("id"))
            parent = parent_of.get(element)
            if parent is None or next(iter(parent), None) is not element:
                break
            element = parent
        if best is not None:
            out.add(best)
    return sorted(out)


def _tile_rows(pages: Sequence[Any]) -> dict[str, str]:
    """Id of every element inside an inline-block tile → the id of the first tile on its line."""
    from weasyprint.formatting_structure import boxes

    out: dict[str, str] = {}

    def ids(box: Any) -> Iterator[str]:
        if box.element is not None and box.element.get("id"):
            yield str(box.element.get("id"))
        for child in getattr(box, "children", ()):
            yield from ids(child)

    def walk(box: Any) -> None:
        if isinstance(box, boxes.LineBox):
            tiles = [c for c in box.children if isinstance(c, boxes.InlineBlockBox)]
            first = tiles[0].element.get("id") if tiles and tiles[0].element is not None else None
            if first:
                for tile in tiles:
                    out.update((ident, str(first)) for ident in ids(tile))
            return
        for child in getattr(box, "children", ()):
            walk(child)

    for page in pages:
        walk(page._page_box)
    return out


def _break_before(html: str, idents: list[str]) -> str:
    """A page break before each element with one of ``idents`` (and the headings it follows)."""
    starts = set()
    for ident in idents:
        at = html.find(f' id="{ident}"')
        if at >= 0:
            starts.add(_lead_in(html, html.rfind("<", 0, at)))
    return _with_class(html, starts, "fn-push")


def _push_to_next_page(html: str, marks: list[str]) -> str:
    """Start the block holding each mark on a new page, taking its footnote with it.

    A mark may also be the id of a key-figure tile starting a line of tiles: a tile is an
    inline block, so its list is split there, and the second list starts the new page.
    """
    for mark in marks:
        tile = re.search(rf'<li class="figure[^"]*" id="{re.escape(mark)}">', html)
        if tile is not None and not html[: tile.start()].endswith('<ul class="figures">'):
            html = f'{html[: tile.start()]}</ul><ul class="figures">{html[tile.start() :]}'
    starts = [start for mark in marks if (start := _holder(html, mark)) is not None]
    return _with_class(html, {_lead_in(html, start) for start in starts}, "fn-push")


def _loosen(html: str) -> str:
    """The document with one line allowed at a page foot or top (``fn-loose`` on the body).

    WeasyPrint keeps a footnote's line on its page and moves the footnote alone to the
    next one when making room would leave fewer lines than ``orphans`` or ``widows`` on
    either side, in any block of the page (the block at its foot, often, not the mark's):
    letting one line go is a lighter remedy than moving the mark's block to a new page (a
    long paragraph pushed left 57% of a page empty), so it is tried first.
    """
    body = re.search(r"<body\b[^>]*>", html)
    if body is None:
        return html
    tag = body.group(0)
    if ' class="' in tag:
        tag = tag.replace(' class="', ' class="fn-loose ', 1)
    else:
        tag = tag[:-1] + ' class="fn-loose">'
    return html[: body.start()] + tag + html[body.end() :]


def _holder(html: str, mark: str) -> int | None:
    """Where the innermost block holding the element ``mark`` opens."""
    at = html.find(f' id="{mark}"')
    stack: list[tuple[str, int]] = []
    for tag in _TAG.finditer(html, 0, at):
        closing, name = tag.group(1), tag.group(2).lower()
        if name not in _BLOCKS:
            continue
        if closing:
            while stack and stack.pop()[0] != name:
                pass
        else:
            stack.append((name, tag.start()))
    return stack[-1][1] if at >= 0 and stack else None


def _with_class(html: str, starts: set[int], name: str) -> str:
    """``html`` with the class ``name`` added to the tags opening at ``starts``."""
    for start in sorted(starts, reverse=True):
        end = html.index(">", start)
        opening = html[start:end]
        if ' class="' in opening:
            opening = opening.replace(' class="', f' class="{name} ', 1)
        else:
            opening += f' class="{name}"'
        html = html[:start] + opening + html[end:]
    return html


_LAST_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>\s*\Z""")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_LEADS = {"confidence", "rec-facts", "note-title", "evidence-title", "chart-title"}
"""Classes of lines kept with what follows them (``break-after: avoid`` in pdf.css)."""


def _lead_in(html: str, start: int) -> int:
    """Where to start a new page for the block at ``start``: before the headings and lead
    lines right before it, and before the containers it opens, so that moving a block to
    the next page never strands its heading (``3. …`` / ``Confidence: high``) behind."""
    while True:
        last = _LAST_TAG.search(html, 0, start)
        if last is None:
            return start
        closing, name = last.group(1), last.group(2).lower()
        if not closing:
            if name not in _BLOCKS and name not in ("ul", "ol", "dl", "figure"):
                return start
            start = last.start()  # the block is its container's first child
            continue
        if name not in _HEADINGS and name != "p":
            return start
        opening_at = html.rfind(f"<{name}", 0, last.start())
        opening = _TAG.match(html, opening_at) if opening_at >= 0 else None
        if opening is None:
            return start
        classes = set(re.findall(r'class="([^"]*)"', opening.group(0))[:1] or [""])
        if name in _HEADINGS or _LEADS & set(" ".join(classes).split()):
            start = opening_at
            continue
        return start
