"""The layout report: what a reader would see wrong on the laid-out pages (issue 15).

It reads WeasyPrint's page boxes after layout and before the PDF is written, in the PDF
worker, and returns :class:`LayoutFinding`\\ s that travel back with the ``PdfResult``. Each
finding names its rule, its page and the id of the nearest element that has one (a finding,
a recommendation, a chart, a section…), which the build turns into the brief's
``file:line:col``. The rules are in :data:`RULES`.

Footnotes follow the edition's convention: a source's footnote belongs to the page of its
*first* mark; later marks of the same source point back to it (a number is never repeated).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import Any

from briefs.text.korean import WORD_JOINER, keep_numbers

RULES: dict[str, str] = {
    "note-off-page": "a citation or note mark whose footnote is not on the mark's page",
    "footnote-order": "footnotes out of order, skipped or repeated",
    "stranded-heading": "a heading, note heading or caption last on its page",
    "stranded-source": "a source line (자료:/Source:) alone at the top of a page",
    "line-overflow": "a line wider than its box",
    "caption-separated": "a table or figure on another page than its caption",
    "unbreakable-run": "a run with no break opportunity wider than its line",
    "mark-starts-line": "a citation or note mark at the start of a line, away from its word",
    "split-number": "a number split from its unit, or a date split, across lines or pages",
    "unmarked-hangul": 'Hangul in an English edition outside an element marked lang="ko"',
    "running-head-lines": "a running head set on more than one line",
    "underfilled-page": "a page, not the last, left more than 40% empty above its footnotes",
}
"""Rule id → what it finds."""

LEADERS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6", "figcaption", "caption"})
LEADER_CLASSES = frozenset({"note-title", "evidence-title", "chart-title"})
"""Elements that introduce what follows them: never last on a page."""
COMPANIONS = frozenset({"confidence", "rec-facts"})
"""Lines that belong to the heading before them (a finding's confidence line)."""
FOLLOWER_CLASSES = frozenset({"source-line"})
"""Lines that close what comes before them: never first on a page."""
UNDERFILLED = 0.4
"""Share of a page's height that may stay empty before the next page starts: an unbreakable
chart that did not fit can leave a third; a block moved on whole leaves half."""
TOLERANCE = 0.5
"""CSS pixels a line may exceed its box by (rounding) before it overflows."""
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\uac00-\ud7a3\ud7b0-\ud7ff]")
_INVISIBLE = str.maketrans("", "", WORD_JOINER + "\u00ad\u200b")
_NOTE_NUMBER = re.compile(r"\*?(\d+)")
_BREAKABLE = re.compile(r"[ \t\n\u200b]")
_ADDRESS = re.compile(r"://|www\.|[/%=?&@_]")
_UNIT_START = re.compile(r"[\d%A-Za-z\uac00-\ud7a3]")


@dataclass(frozen=True)
class LayoutFinding:
    """One problem on a laid-out page."""

    rule: str
    """The rule's id (a key of :data:`RULES`)."""
    page: int
    """The page, counted from 1."""
    message: str
    """What is wrong, quoting the text concerned."""
    anchor: str | None = None
    """The id of the nearest element that has one, for the brief's position."""


def _classes(element: Any) -> set[str]:
    return set((element.get("class") or "").split()) if element is not None else set()


def _is_footnote(element: Any) -> bool:
    return "footnote" in _classes(element)


def _quote(text: str, size: int = 40) -> str:
    text = " ".join(text.translate(_INVISIBLE).split())
    return text if len(text) <= size else text[: size - 1] + "…"


class _Report:
    """One pass over the pages of one document."""

    def __init__(self, document: Any) -> None:
        from weasyprint.formatting_structure import boxes

        self.boxes = boxes
        self.document = document
        root = document.pages[0]._page_box.children[0].element
        self.lang = str(root.get("lang") or "")
        self.parent_of: dict[Any, Any] = {}
        for parent in root.iter():
            for child in parent:
                self.parent_of[child] = parent
        self.findings: list[LayoutFinding] = []
        self.lines_of: dict[Any, list[tuple[int, Any]]] = {}
        """Block element → its line boxes, in order, with their pages."""
        self.first_page: dict[Any, int] = {}
        self.marked_lines: set[int] = set()
        """Lines that start with a mark (``mark-starts-line``, not also ``split-number``)."""

    # -- helpers ------------------------------------------------------------------------

    def anchor(self, element: Any) -> str | None:
        """The id of ``element`` or of its nearest ancestor that has a meaningful one."""
        while element is not None:
            ident = element.get("id")
            if ident and not ident.startswith(("cite-", "fn-")) and ident != "main":
                return str(ident)
            element = self.parent_of.get(element)
        return None

    def add(self, rule: str, page: int, message: str, element: Any) -> None:
        self.findings.append(LayoutFinding(rule, page + 1, message, self.anchor(element)))

    def ancestors(self, element: Any) -> list[Any]:
        out = []
        while element is not None:
            out.append(element)
            element = self.parent_of.get(element)
        return out

    def in_mark(self, box: Any) -> bool:
        """Whether a box is part of a citation or note mark (``sup.cite``)."""
        return any("cite" in _classes(e) for e in self.ancestors(box.element)[:3])

    def text_of(self, box: Any) -> str:
        """The text a box shows, footnote calls and list markers left out."""
        if isinstance(box, self.boxes.TextBox):
            return str(box.text)
        if "::" in (getattr(box, "element_tag", "") or "") or _is_footnote(box.element):
            return ""
        return "".join(self.text_of(child) for child in getattr(box, "children", ()))

    # -- the walk -----------------------------------------------------------------------

    def run(self) -> list[LayoutFinding]:
        leaves_of_pages: list[list[Any]] = []
        for number, page in enumerate(self.document.pages):
            leaves: list[Any] = []
            for area in page._page_box.children:
                if isinstance(area, self.boxes.MarginBox):
                    self.running_head(number, area)
                elif isinstance(area, self.boxes.FootnoteAreaBox):
                    self.walk(number, area, leaves=None, limit=_right(area))
                else:
                    self.walk(number, area, leaves=leaves, limit=_right(page._page_box))
            leaves_of_pages.append(leaves)
        self.underfilled(leaves_of_pages)
        self.stranded(leaves_of_pages)
        self.footnotes()
        self.captions()
        self.splits()
        return self.findings

    def walk(self, page: int, box: Any, *, leaves: list[Any] | None, limit: float) -> None:
        element = box.element
        if element is not None and element not in self.first_page:
            self.first_page[element] = page
        if isinstance(box, self.boxes.LineBox):
            if leaves is not None and (not leaves or leaves[-1] is not element):
                leaves.append(element)
            self.lines_of.setdefault(element, []).append((page, box))
            self.line(page, box, limit)
            return
        if isinstance(box, self.boxes.ReplacedBox) and leaves is not None:
            leaves.append(element)
        if (
            isinstance(box, self.boxes.BlockContainerBox)
            and box.width is not None
            and not isinstance(box, self.boxes.FootnoteAreaBox)
        ):
            limit = min(limit, box.content_box_x() + box.width)
        if leaves is not None and _is_footnote(element):
            leaves = None  # a footnote's lines are at the page foot, not in the flow
        for child in getattr(box, "children", ()):
            self.walk(page, child, leaves=leaves, limit=limit)

    def line(self, page: int, line: Any, limit: float) -> None:
        """Overflow, unbreakable runs and unmarked Hangul on one line."""
        for box in line.descendants():
            if box.element is not None and box.element not in self.first_page:
                self.first_page[box.element] = page
        pieces = [
            box
            for box in line.descendants()
            if isinstance(box, self.boxes.TextBox | self.boxes.InlineReplacedBox)
        ]
        first = next(
            (p for p in pieces if not isinstance(p, self.boxes.TextBox) or p.text.strip()), None
        )
        if (
            first is not None
            and line is not self.lines_of[line.element][0][1]
            and self.in_mark(first)
        ):
            self.add(
                "mark-starts-line",
                page,
                f"the mark “{_quote(getattr(first, 'text', ''))}” starts a line, "
                "away from its word",
                first.element,
            )
            self.marked_lines.add(id(line))
        widest = max(
            (box.position_x + box.margin_width() for box in pieces),
            default=line.position_x,
        )
        if widest > limit + TOLERANCE and pieces:
            words = [p for p in pieces if isinstance(p, self.boxes.TextBox) and p.text.strip()]
            text = self.text_of(line)
            over = widest - limit
            if len(words) == 1 and not _BREAKABLE.search(words[0].text.strip()):
                self.add(
                    "unbreakable-run",
                    page,
                    f"“{_quote(words[0].text)}” has no break and is {over:.0f}px wider "
                    "than its line",
                    words[0].element or line.element,
                )
            else:
                self.add(
                    "line-overflow",
                    page,
                    f"the line “{_quote(text)}” is {over:.0f}px wider than its box",
                    line.element,
                )
        self.hangul(page, pieces)

    def hangul(self, page: int, pieces: list[Any]) -> None:
        """Hangul outside ``lang="ko"`` in an English edition."""
        if self.lang != "en":
            return
        for box in pieces:
            if (
                isinstance(box, self.boxes.TextBox)
                and _HANGUL.search(box.text)
                and not str(box.style["lang"] or "").startswith("ko")
            ):
                self.add(
                    "unmarked-hangul",
                    page,
                    f'“{_quote(box.text)}” is Hangul in an English edition without lang="ko"',
                    box.element,
                )

    def running_head(self, page: int, margin: Any) -> None:
        lines = [b for b in margin.descendants() if isinstance(b, self.boxes.LineBox)]
        self.hangul(page, [b for b in margin.descendants() if isinstance(b, self.boxes.TextBox)])
        if len(lines) > 1:
            self.add(
                "running-head-lines",
                page,
                f"the running head “{_quote(self.text_of(margin), 60)}” takes {len(lines)} lines",
                None,
            )

    def underfilled(self, pages: list[list[Any]]) -> None:
        """Pages whose flow ends far above their foot (or their footnotes)."""
        for number, share in enumerate(self.empty_shares()):
            following = pages[number + 1][0] if pages[number + 1] else None
            if share > UNDERFILLED and not self.forced(self.document.pages[number + 1]):
                text = _quote(self.text_of_element(following)) if following is not None else ""
                self.add(
                    "underfilled-page",
                    number,
                    f"{share:.0%} of the page is left empty; the next page starts with “{text}”",
                    following,
                )

    def empty_shares(self) -> list[float]:
        """For each page but the last, the share of its height left empty below its flow
        (above its footnotes, when it has some)."""
        shares = []
        for page in self.document.pages[:-1]:
            box = page._page_box
            top, bottom = box.content_box_y(), box.content_box_y() + box.height
            lowest = top
            for area in box.children:
                if isinstance(area, self.boxes.FootnoteAreaBox):
                    if area.children:
                        bottom = min(bottom, area.position_y)
                elif not isinstance(area, self.boxes.MarginBox):
                    lowest = max(lowest, self.lowest(area))
            shares.append((bottom - lowest) / box.height if box.height else 0.0)
        return shares

    def forced(self, page: Any) -> bool:
        """Whether the page starts with a break the template asked for (``break-before:
        page``), not one the renderer made to bring a footnote to its mark (``fn-push``)."""
        box = next((a for a in page._page_box.children if isinstance(a, self.boxes.BlockBox)), None)
        while box is not None:
            if box.style["break_before"] in ("page", "left", "right", "recto", "verso"):
                return "fn-push" not in _classes(box.element)
            children = [
                c for c in getattr(box, "children", ()) if isinstance(c, self.boxes.BlockBox)
            ]
            box = children[0] if children else None
        return False

    def lowest(self, box: Any) -> float:
        """The foot of what a box shows: its lines, images and bordered blocks."""
        if isinstance(box, self.boxes.LineBox | self.boxes.ReplacedBox):
            return float(box.position_y + box.margin_height())
        foot = 0.0
        if isinstance(box, self.boxes.BlockBox) and box.style["border_bottom_width"]:
            foot = float(box.position_y + box.margin_height())
        for child in getattr(box, "children", ()):
            if not _is_footnote(child.element):
                foot = max(foot, self.lowest(child))
        return foot

    # -- rules over the whole document -------------------------------------------------

    def role(self, element: Any) -> str:
        """``leader``, ``companion``, ``follower`` or ``""`` for a leaf block element."""
        for item in self.ancestors(element)[:3]:
            classes = _classes(item)
            if item.tag in LEADERS or classes & LEADER_CLASSES:
                return "leader"
            if classes & COMPANIONS:
                return "companion"
            if classes & FOLLOWER_CLASSES:
                return "follower"
        return ""

    def stranded(self, pages: list[list[Any]]) -> None:
        for number, leaves in enumerate(pages):
            if not leaves:
                continue
            if number + 1 < len(pages):
                for element in reversed(leaves):
                    kind = self.role(element)
                    if kind == "companion":
                        continue
                    if kind == "leader" and element not in pages[number + 1]:
                        text = self.text_of_element(element)
                        self.add(
                            "stranded-heading",
                            number,
                            f"“{_quote(text)}” ends its page, apart from what it introduces",
                            element,
                        )
                    break
            first = leaves[0]
            if number > 0 and self.role(first) == "follower" and first not in pages[number - 1]:
                self.add(
                    "stranded-source",
                    number,
                    f"“{_quote(self.text_of_element(first))}” starts its page, apart from what it "
                    "sources",
                    first,
                )

    def text_of_element(self, element: Any) -> str:
        return "".join(self.text_of(line) for _, line in self.lines_of.get(element, []))

    def footnotes(self) -> None:
        """Every first mark's footnote on its page; footnotes 1, 2, 3… in reading order."""
        page_of: dict[str, int] = {}
        for number, page in enumerate(self.document.pages):
            for anchor in page.anchors:
                page_of.setdefault(anchor, number)
        first_mark: dict[str, tuple[int, Any]] = {}
        notes: list[tuple[str, int, Any]] = []
        for element, page in sorted(self.first_page.items(), key=lambda item: item[1]):
            classes = _classes(element)
            if "cite-link" in classes or "note-link" in classes:
                label = "".join(element.itertext()).translate(_INVISIBLE).strip()
                key = ("*" if label.startswith("*") else "") + label.lstrip("*")
                if key not in first_mark or page < first_mark[key][0]:
                    first_mark[key] = (page, element)
        for number, page in enumerate(self.document.pages):
            for area in page._page_box.children:
                if isinstance(area, self.boxes.FootnoteAreaBox):
                    for box in area.children:
                        if box.element is not None and _is_footnote(box.element):
                            label = str(box.element.get("data-n") or "").translate(_INVISIBLE)
                            notes.append((label, number, box))
        placed: dict[str, int] = {}
        for label, number, _ in notes:
            placed.setdefault(label, number)
        for label, (page, element) in sorted(first_mark.items(), key=lambda kv: kv[1][0]):
            where = placed.get(label)
            if where != page:
                place = "nowhere" if where is None else f"on page {where + 1}"
                self.add(
                    "note-off-page",
                    page,
                    f"mark {label}'s footnote is {place}, not on the mark's page",
                    element,
                )
        for starred in (False, True):
            expected = 1
            for label, number, box in notes:
                if label.startswith("*") != starred or not (m := _NOTE_NUMBER.fullmatch(label)):
                    continue
                value = int(m.group(1))
                if value != expected:
                    what = "repeated" if value < expected else "out of order or skipped"
                    self.add(
                        "footnote-order",
                        number,
                        f"footnote {label} comes where {'*' if starred else ''}{expected} "
                        f"should ({what})",
                        box.element,
                    )
                expected = max(expected, value + 1)

    def captions(self) -> None:
        """A figure's or table's caption on the page where its content starts."""
        for element, page in self.first_page.items():
            if element.tag not in ("figure", "table"):
                continue
            caption = next(
                (c for c in element if c.tag in ("figcaption", "caption")),
                None,
            )
            content = [
                c
                for c in element.iter()
                if c.tag in ("img", "svg", "tbody", "{http://www.w3.org/2000/svg}svg")
            ]
            if caption is None or caption not in self.first_page or not content:
                continue
            starts = min(self.first_page.get(c, 10**9) for c in content)
            if starts < 10**9 and starts != self.first_page[caption]:
                self.add(
                    "caption-separated",
                    page,
                    f"the caption “{_quote(self.text_of_element(caption))}” is on page "
                    f"{self.first_page[caption] + 1}, its {element.tag} starts on page "
                    f"{starts + 1}",
                    element,
                )

    def splits(self) -> None:
        """Line breaks inside a number and its unit, or inside a date."""
        for element, lines in self.lines_of.items():
            if len(lines) < 2 or element is None:
                continue
            full = _own_text(element).translate(_INVISIBLE)
            pos = 0
            ends: list[tuple[int, int, int, bool]] = []  # (start, end, page, mark first)
            for page, line in lines:
                text = self.text_of(line).translate(_INVISIBLE).strip()
                if not text:
                    continue
                at = full.find(text, pos)
                if at < 0:
                    break
                ends.append((at, at + len(text), page, id(line) in self.marked_lines))
                pos = at + len(text)
            for (_, end, _, _), (start, _, page, mark) in itertools.pairwise(ends):
                if start < end or mark:
                    continue
                gap = full[end:start]
                left, right = full[max(0, end - 24) : end], full[start : start + 24]
                if _split(left, gap, right):
                    self.add(
                        "split-number",
                        page,
                        f"“{_quote(left[-12:], 12)} | {_quote(right[:12], 12)}” is split "
                        "across lines",
                        element,
                    )


def _split(left: str, gap: str, right: str) -> bool:
    """Whether a break between ``left`` and ``right`` (with ``gap`` between, the break's
    space or nothing) falls inside a number and its unit, or inside a date."""
    if not left or not right:
        return False
    word = left.split()[-1] if left.split() else ""
    if gap == "" and _ADDRESS.search(word + right.split(" ")[0]):
        return False  # an address or a path breaks where it must
    if not gap.strip() and gap:
        joined = keep_numbers(left.replace("\u00a0", " ") + " " + right.replace("\u00a0", " "))
        return joined[len(left)] == "\u00a0"
    if gap:
        return False
    # No space at the break: a word was cut. Inside a number, or between it and its unit.
    return (
        (left[-1].isdigit() or left[-1] in "만억조,.")
        and bool(_UNIT_START.match(right))
        and (left[-1].isdigit() or right[0].isdigit())
    )


def _right(box: Any) -> float:
    return float(box.content_box_x() + box.width)


def _own_text(element: Any) -> str:
    """An element's text, its footnotes left out (they are laid out at the page foot)."""
    parts = [element.text or ""]
    for child in element:
        if not _is_footnote(child) and isinstance(child.tag, str):
            parts.append(_own_text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def empty_shares(document: Any) -> list[float]:
    """The share of each page but the last left empty (as ``underfilled-page`` measures)."""
    return _Report(document).empty_shares() if document.pages else []


def inspect(document: Any) -> list[LayoutFinding]:
    """Every finding of :data:`RULES` on a laid-out WeasyPrint document."""
    if not document.pages:
        return []
    return _Report(document).run()
