"""The walk both office writers share: the print document's blocks mapped to named styles.

:class:`Walk` goes through the tree of :mod:`briefs.office.tree` and calls ``_<tag>`` for
each block element; the blocks that read the same in Word and 한글 are here (paragraphs and
headings, quotes, the cover facts, recommendations' facts and the glossary, tables, key
figures, figures and their data tables). What a format writes — paragraphs, runs, lists,
tables, pictures, notes — each writer provides (:class:`briefs.office.writer.Writer` for
WordprocessingML, :class:`briefs.office.hwpx.HwpxWriter` for OWPML). ``lang`` is the
language of the text met (HWPX has no language on a run and passes it on unused).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from collections.abc import Callable
from typing import Any

from briefs.office.tree import BLOCK_STYLES, BLOCKS, HEADINGS, SKIP, Node

_SPACE = re.compile(r"[ \t\n\r\f]+")
Rows = list[tuple[bool, list[Node | str]]]
"""A table's rows: whether each is a header row, and its cells."""
FACTS = {"cover-facts": "Cover Fact", "rec-facts": "Recommendation Fact"}
"""The definition lists written as one ``label: value`` paragraph a fact, and their style."""


class Walk(ABC):
    """A writer's walk of the print document; ``style`` is the paragraph style of loose
    text, ``chart_data`` each chart's data table by its figure id."""

    style: str
    p: Any
    """The open paragraph (None between paragraphs)."""
    chart_data: dict[str, tuple[list[str], list[list[str]]]]

    # -- what each format writes ----------------------------------------------------------

    @abstractmethod
    def open(self, style: str) -> Any:
        """A new paragraph in ``style``."""

    @abstractmethod
    def close(self) -> None:
        """End the open paragraph."""

    @abstractmethod
    def shown(self) -> str:
        """The text of the open paragraph so far (not a note's inside it)."""

    @abstractmethod
    def add_text(self, text: str, style: str | None, lang: str) -> None:
        """``text`` at the end of the open paragraph, in character style ``style`` (the
        paragraph's own when None)."""

    @abstractmethod
    def inline(self, node: Node, style: str | None, lang: str = "") -> None:
        """An inline element."""

    @abstractmethod
    def picture(self, node: Node) -> None:
        """An ``<img>``."""

    @abstractmethod
    def grid(
        self, rows: Rows, lang: str, styles: tuple[str, ...], shares: tuple[float, ...]
    ) -> None:
        """The table of :meth:`table`: as many columns as ``shares``, the paragraph closed."""

    @abstractmethod
    def begin_list(self, ordered: bool, start: int) -> None:
        """A list starts, numbered from ``start`` or bulleted, inside the lists open."""

    @abstractmethod
    def open_item(self, style: str) -> None:
        """A paragraph in ``style`` that is an item of the innermost list."""

    @abstractmethod
    def end_list(self) -> None:
        """The innermost list ends."""

    @abstractmethod
    def mark(self, node: Node) -> None:
        """What an element's id needs before its content (DOCX: a bookmark; HWPX: none)."""

    # -- the walk -------------------------------------------------------------------------

    def text(self, text: str, style: str | None, lang: str = "") -> None:
        """Text as HTML shows it: runs of white space one space, none at a paragraph's start
        or after a space; loose text opens a paragraph in the current style."""
        text = _SPACE.sub(" ", text)
        if self.p is None:
            text = text.lstrip(" ")
            if not text:
                return
            self.open(self.style)
        shown = self.shown()
        if not shown or shown.endswith(" "):
            text = text.lstrip(" ")
        if text:
            self.add_text(text, style, lang)

    def blocks(self, node: Node, lang: str = "") -> None:
        """The children of ``node``: loose text in the current style, elements walked."""
        for child in node.children:
            if isinstance(child, str):
                self.text(child, None, lang)
            else:
                self.element(child, lang)

    def element(self, node: Node, lang: str = "") -> None:
        """One element: skipped, inline, or the block handler ``_<tag>`` (its children
        walked when there is none)."""
        tag, classes = node.tag, node.classes
        lang = node.attrs.get("lang", lang)
        if tag in SKIP or "visually-hidden" in classes or "skip-link" in classes:
            return
        self.mark(node)
        if tag not in BLOCKS:
            self.inline(node, None, lang)
            return
        handler: Callable[[Node, str], None] | None = getattr(self, f"_{tag}", None)
        saved = self.style
        if "audience-note" in classes:
            self.style = "Audience Note"
        elif tag == "footer":
            self.style = "Colophon"
        if handler is not None:
            handler(node, lang)
        else:
            self.close()
            self.blocks(node, lang)
            self.close()
        self.style = saved

    def paragraph(self, node: Node, style: str, lang: str = "") -> None:
        """``node``'s content as one paragraph in ``style``."""
        self.open(style)
        self.contents(node, None, lang)
        self.close()

    def contents(self, node: Node, style: str | None, lang: str = "") -> None:
        """What ``node`` holds, in the open paragraph: text and inline elements in character
        style ``style``, block elements (a list in a cell, …) walked."""
        for child in node.children:
            if isinstance(child, str):
                self.text(child, style, lang)
            elif child.tag in BLOCKS:
                self.element(child, lang)
            else:
                self.inline(child, style, lang)

    def _p(self, node: Node, lang: str) -> None:
        style = next((s for c, s in BLOCK_STYLES.items() if c in node.classes), self.style)
        self.paragraph(node, style, lang)

    def _h1(self, node: Node, lang: str) -> None:
        self.paragraph(node, HEADINGS[node.tag], lang)

    _h2 = _h3 = _h4 = _h5 = _h6 = _h1

    def _blockquote(self, node: Node, lang: str) -> None:
        saved, self.style = self.style, "Quote"
        self.close()
        self.blocks(node, lang)
        self.close()
        self.style = saved

    def _hr(self, node: Node, lang: str) -> None:
        self.close()

    def _dl(self, node: Node, lang: str) -> None:
        """Cover facts and a recommendation's facts as ``label: value`` paragraphs; any
        other list (the glossary) as terms and their definitions."""
        self.close()
        facts = next((s for c, s in FACTS.items() if c in node.classes), None)
        for child in node.elements():
            group = [child] if child.tag in ("dt", "dd") else list(child.elements())
            if facts is not None:
                self.open(facts)
                for item in group:
                    if item.tag == "dt":
                        self.inline(item, "Fact Label", lang)
                        self.text(": ", "Fact Label", lang)
                    else:
                        self.inline(item, None, lang)
                self.close()
                continue
            for item in group:
                if item.tag == "dt":
                    self.paragraph(item, "Glossary Term", lang)
                else:
                    saved, self.style = self.style, "Glossary Definition"
                    self.blocks(item, lang)
                    self.close()
                    self.style = saved

    def table(
        self,
        rows: Rows,
        lang: str = "",
        *,
        styles: tuple[str, ...] = (),
        shares: tuple[float, ...] = (),
    ) -> None:
        """A table of ``rows`` whose header rows repeat on every page; cells take ``styles``
        by column (else :func:`cell_style`'s), columns ``shares`` of the width (else equal
        ones)."""
        self.close()
        columns = max((len(cells) for _, cells in rows), default=0)
        if columns:
            self.grid(rows, lang, styles, shares or tuple(1 / columns for _ in range(columns)))

    def _ul(self, node: Node, lang: str) -> None:
        """A list (the key figures: a table), each item a list paragraph; a loose list's
        first paragraph is its item's."""
        if "figures" in node.classes:
            self.key_figures(node, lang)
            return
        items = [li for li in node.elements() if li.tag == "li"]
        start = int(items[0].attrs.get("value") or node.attrs.get("start") or 1) if items else 1
        style = "Reference" if "references" in node.classes else "List Paragraph"
        self.close()
        self.begin_list(node.tag == "ol", start)
        for li in items:
            self.mark(li)
            self.open_item(style)
            saved, self.style = self.style, style
            for child in li.children:
                if isinstance(child, str):
                    self.text(child, None, lang)
                elif child.tag == "p" and self.p is not None and not self.shown():
                    for grand in child.children:
                        if isinstance(grand, str):
                            self.text(grand, None, lang)
                        else:
                            self.inline(grand, None, lang)
                else:
                    self.element(child, lang)
            self.close()
            self.style = saved
        self.end_list()

    _ol = _ul

    def _table(self, node: Node, lang: str) -> None:
        heads = {id(n) for head in node.walk() if head.tag == "thead" for n in head.walk()}
        rows: Rows = [
            (id(tr) in heads, [c for c in tr.elements() if c.tag in ("td", "th")])
            for tr in node.walk()
            if tr.tag == "tr"
        ]
        self.table(rows, lang)

    def key_figures(self, node: Node, lang: str) -> None:
        """The key figures as a table: value, then label and notes."""
        rows: Rows = []
        for li in node.elements():
            value = li.find("span", "figure-value")
            rest = Node("div", {}, [c for c in li.children if c is not value])
            rows.append((False, [value or "", rest]))
        self.table(rows, lang, styles=("Key Figure Value", "Key Figure Label"), shares=(0.3, 0.7))

    def _figure(self, node: Node, lang: str) -> None:
        """A figure: caption, picture, then (a chart's) data as a table."""
        self.close()
        for child in node.elements():
            if child.tag == "figcaption":
                self.paragraph(child, "Caption", lang)
            elif child.tag == "img":
                self.open("Figure")
                self.picture(child)
                self.close()
            else:
                self.element(child, lang)
        data = self.chart_data.get(node.attrs.get("id", ""))
        if data is not None:
            header, body = data
            rows: Rows = [(True, list(header))]
            rows += [(False, [Node("th", {}, [row[0]]), *row[1:]]) for row in body]
            self.table(rows, lang)


def cell_style(
    header: bool, source: Node | str, at: int, styles: tuple[str, ...]
) -> tuple[bool, str]:
    """Whether a cell (column ``at`` of a ``header`` row or not) is a heading, and its style:
    the column's of ``styles``, else Table Heading or Table Text."""
    th = header or (isinstance(source, Node) and source.tag == "th")
    return th, styles[at] if at < len(styles) else ("Table Heading" if th else "Table Text")
