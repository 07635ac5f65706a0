"""The PDF structure tree's pieces: HTML elements → PDF roles, the nodes being built, and
the small helpers the tagger (:mod:`briefs.pdf.tags`) walks the laid-out boxes with."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from briefs.text.korean import WORD_JOINER

HEADINGS = {f"h{n}": f"H{n}" for n in range(1, 7)}
BLOCK_ROLES = {
    "p": "P",
    **HEADINGS,
    "blockquote": "BlockQuote",
    "main": "Part",
    "section": "Sect",
    "article": "Art",
    "table": "Table",
    "thead": "THead",
    "tbody": "TBody",
    "tfoot": "TFoot",
    "tr": "TR",
    "th": "TH",
    "td": "TD",
    "caption": "Caption",
    "figcaption": "Caption",
    "pre": "P",
    "summary": "P",
}
"""HTML element → PDF structure type; other block-level elements become ``Div``."""
INLINE_ROLES = {"q": "Quote", "code": "Code", "kbd": "Code", "samp": "Code"}
"""Inline elements that mean something; other inline elements add no structure element."""
TRANSPARENT = frozenset({"html", "body", "br", "hr", "wbr"})
GROUPING = frozenset({"L", "TOC", "Table", "THead", "TBody", "TFoot", "TR"})
"""Structure types that hold only other elements: whitespace text in them is an Artifact."""
SVG = "{http://www.w3.org/2000/svg}svg"
SCOPES = {"col": "/Column", "colgroup": "/Column", "row": "/Row", "rowgroup": "/Row"}
PT_PER_PX = 0.75


@dataclass(eq=False)
class Node:
    """A structure element being built."""

    role: str
    parent: Node | None
    lang: str | None
    """The element's language (inherited), for ``/Lang`` where it differs from the parent's."""
    page: int | None = None
    """The page of its first content (``/Pg``)."""
    kids: list[Any] = field(default_factory=list)
    """Child :class:`Node`\\ s, ``Content`` (page, MCID) and ``ObjRef`` (annotations)."""
    attrs: dict[str, Any] = field(default_factory=dict)
    """Extra keys of the element dictionary (Alt, ID, A…)."""
    body: Node | None = None
    """An ``LI``'s ``LBody`` (a ``TOCI``'s ``Reference``), made when content first arrives."""
    element: Any = None
    ref: Any = None

    def content_holder(self, role: str | None) -> Node:
        """Where a child of this role (``None`` for text) goes: list items keep their label
        and put everything else in their body."""
        if self.role == "LI" and role not in ("Lbl", "LBody"):
            if self.body is None:
                self.body = self.add(Node("LBody", self, self.lang))
            return self.body
        if self.role == "TOCI" and role not in ("Lbl", "Reference", "TOC"):
            if self.body is None:
                self.body = self.add(Node("Reference", self, self.lang))
            return self.body
        return self

    def add(self, node: Node) -> Node:
        node.parent = self
        self.kids.append(node)
        return node

    def has_content(self) -> bool:
        return any(not isinstance(kid, Node) or kid.has_content() for kid in self.kids)


@dataclass(frozen=True)
class Content:
    page: int
    mcid: int


@dataclass(frozen=True)
class ObjRef:
    page: int
    annotation: Any


def is_footnote(element: Any) -> bool:
    """Whether an HTML element is a footnote (floated to the page foot in print)."""
    return "footnote" in (element.get("class") or "").split()


def descendants(box: Any) -> Iterator[Any]:
    from weasyprint.layout.absolute import AbsolutePlaceholder

    if isinstance(box, AbsolutePlaceholder):
        box = box._box
    yield box
    for child in getattr(box, "children", ()):
        yield from descendants(child)


def lang_of(box: Any) -> str | None:
    lang = box.style["lang"]
    return str(lang) if lang else None


def effective_lang(node: Node | None) -> str | None:
    while node is not None:
        if node.lang:
            return node.lang
        node = node.parent
    return None


def ancestor_role(node: Node, role: str) -> bool:
    current = node.parent
    while current is not None:
        if current.role == role:
            return True
        current = current.parent
    return False


def plain(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace(WORD_JOINER, "")).strip()


def link_text(node: Node) -> str:
    element = node.element
    if element is None:
        return ""
    label = element.get("aria-label") or element.get("title")
    return plain(label or "".join(element.itertext()))


def prune(node: Node) -> None:
    """Drop elements that ended up with no content (all their text was furniture)."""
    node.kids = [kid for kid in node.kids if not isinstance(kid, Node) or kid.has_content()]
    if node.body is not None and node.body not in node.kids:
        node.body = None
    for kid in node.kids:
        if isinstance(kid, Node):
            prune(kid)
