"""An edition's HTML document as a small tree, for the office writers to walk.

The office writers convert the document the PDF is rendered from (citations already numbered,
footnotes set where their marks are) rather than walking the brief again: the content, its
order and a user template's changes are then the same as in the PDF, and the Markdown is
converted once, by :mod:`briefs.text.markdown`. The HTML is the package's own, sanitised, so
a forgiving :mod:`html.parser` tree is enough; word joiners (the PDF's way of keeping Korean
words whole) are dropped, since Word and 한글 break Korean by word themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import TYPE_CHECKING

from briefs.text.korean import WORD_JOINER

if TYPE_CHECKING:
    from briefs.edition.edition import Edition

# The print document's vocabulary, as the office writers map it to named styles.
HEADINGS = {"h1": "Title", "h2": "Heading 1", "h3": "Heading 2", "h4": "Heading 3"}
HEADINGS |= {"h5": "Heading 4", "h6": "Heading 5"}
BLOCK_STYLES = {
    "cover-meta": "Cover Meta",
    "subtitle": "Subtitle",
    "confidence": "Confidence",
    "evidence-title": "Evidence Title",
    "note-title": "Audience Note Title",
    "source-line": "Source Line",
    "based-on": "Based On",
}
INLINE_STYLES = {
    "strong": "Strong",
    "b": "Strong",
    "em": "Emphasis",
    "i": "Emphasis",
    "cite": "Emphasis",
    "code": "Code",
    "kbd": "Code",
    "sub": "Subscript",
    "sup": "Superscript",
    "del": "Deleted",
    "s": "Deleted",
    "mark": "Marked",
}
BLOCKS = frozenset(
    [
        "address",
        "article",
        "aside",
        "blockquote",
        "details",
        "dd",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "form",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "table",
        "ul",
    ]
)
SKIP = frozenset({"script", "style", "template", "summary"})

VOID = frozenset({"br", "img", "hr", "meta", "link", "input", "wbr", "col", "source"})


@dataclass
class Node:
    """One element: its tag, attributes and children (elements or text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    @property
    def classes(self) -> set[str]:
        """The element's classes."""
        return set(self.attrs.get("class", "").split())

    def elements(self) -> Iterator[Node]:
        """The child elements."""
        return (c for c in self.children if isinstance(c, Node))

    def walk(self) -> Iterator[Node]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.elements():
            yield from child.walk()

    def text(self) -> str:
        """The text inside, as a reader sees it."""
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def find(self, tag: str, cls: str | None = None) -> Node | None:
        """The first element inside with ``tag`` (and class ``cls``)."""
        for node in self.walk():
            if node.tag == tag and (cls is None or cls in node.classes):
                return node
        return None


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        data = data.replace(WORD_JOINER, "")
        if data:
            self.stack[-1].children.append(data)


def parse(html: str) -> Node:
    """The ``<body>`` of an HTML document (or the whole fragment when it has none)."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    return builder.root.find("body") or builder.root


def notes_after(root: Node) -> dict[int, list[Node]]:
    """The footnotes set right after each citation mark (``sup.cite``), by the mark's
    ``id()``: the print document places a source's footnote after its first mark."""
    found: dict[int, list[Node]] = {}
    for node in root.walk():
        kids = node.children
        for at, child in enumerate(kids):
            if isinstance(child, Node) and child.tag == "sup" and "cite" in child.classes:
                notes = []
                for after in kids[at + 1 :]:
                    if isinstance(after, Node) and "footnote" in after.classes:
                        notes.append(after)
                    elif not (isinstance(after, str) and not after.strip()):
                        break
                found[id(child)] = notes
    return found


def chart_tables(edition: Edition) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Each chart's data table by its figure id, as the HTML edition shows it."""
    found: dict[str, tuple[list[str], list[list[str]]]] = {}
    charts = [(f"finding-{f.id}-chart", f.chart) for f in edition.findings if f.chart]
    charts += [(f"figure-{f.id}", f) for f in edition.figures]
    for anchor, chart in charts:
        view = edition.chart(chart, anchor)
        found[anchor] = (view.header, view.rows)
    return found
