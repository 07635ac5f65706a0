"""The walk from an edition's print document to WordprocessingML: flows, runs, links,
citation marks and native footnotes.

A :class:`Writer` keeps the open paragraph of the current flow (the body, a table cell or a
footnote); inline elements become runs in named character styles and the run's language;
block elements are handed, by the walk both formats share (:class:`briefs.office.walk.Walk`),
to the ``_<tag>`` methods there and in :class:`briefs.office.docx.DocxWriter`.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from docx.oxml.ns import qn
from docx.oxml.xmlchemy import BaseOxmlElement as Element
from docx.parts.story import StoryPart
from docx.shared import Pt

from briefs.office import wordml
from briefs.office.images import ImageError, PictureError, picture
from briefs.office.tree import INLINE_STYLES, SKIP, Node
from briefs.office.walk import Walk

if TYPE_CHECKING:
    from docx.document import Document

    from briefs.edition.edition import Edition


@dataclass
class Flow:
    """Where paragraphs go: the body, a table cell or a footnote."""

    element: Element
    """The parent of new paragraphs."""
    part: StoryPart
    """The part holding it (for links and pictures)."""
    spare: Element | None = None
    """An empty paragraph to use first (a new cell has one)."""
    width: float = 0.0
    """Its text width, in points."""
    tables: Any = None
    """What makes tables here (the document, a cell); none in a footnote."""


class Writer(Walk):
    """The document being written and where the walk is in it."""

    def __init__(self, document: Document, edition: Edition, width: float) -> None:
        self.doc = document
        self.edition = edition
        self.ids = {s.name: s.style_id for s in document.styles}
        self.body = Flow(document.element.body, document.part, width=width, tables=document)
        self.flow = self.body
        self.p: Element | None = None  # the open paragraph
        self.target: Element | None = None  # where runs go: the paragraph or a hyperlink
        self.style = "Body Text"  # paragraph style for loose text
        self.lists: list[int] = []  # open lists' numIds
        self.linked: set[str] = set()
        self.marks: dict[str, str] = {}  # element id → bookmark name
        self.pending: list[str] = []  # bookmarks for the next paragraph
        self.bookmarks = 0
        self.notes: StoryPart | None = None
        self.note_count = 0
        self.auto_notes = 0
        self.num = self._numbering()
        self.chart_data: dict[str, tuple[list[str], list[list[str]]]] = {}
        self.notes_after: dict[int, list[Node]] = {}  # a citation mark's footnotes
        self.claimed: set[int] = set()  # footnotes placed at their mark

    # -- set-up ---------------------------------------------------------------------------

    def _numbering(self) -> Element:
        numbering: Element = self.doc.part.numbering_part.element
        used = [
            int(n.get(qn("w:abstractNumId")) or 0) for n in numbering.findall(qn("w:abstractNum"))
        ]
        self.bullet_def = max(used, default=0) + 1
        self.number_def = self.bullet_def + 1
        wordml.abstract_numbering(numbering, self.bullet_def, ordered=False)
        wordml.abstract_numbering(numbering, self.number_def, ordered=True)
        nums = [int(n.get(qn("w:numId")) or 0) for n in numbering.findall(qn("w:num"))]
        self.next_num = max(nums, default=0) + 1
        return numbering

    def style_id(self, name: str) -> str:
        """The id of style ``name`` (Normal's if the reference document lacks it)."""
        return str(self.ids.get(name, self.ids.get("Normal", "Normal")))

    # -- paragraphs and runs --------------------------------------------------------------

    def open(self, style: str) -> Element:
        """A new paragraph in the current flow."""
        self.close()
        flow = self.flow
        if flow.spare is not None:
            p, flow.spare = flow.spare, None
        else:
            p = wordml.el("w:p")
            sect = flow.element.find(qn("w:sectPr"))
            if sect is not None:
                sect.addprevious(p)
            else:
                flow.element.append(p)
        ppr = p.find(qn("w:pPr"))
        if ppr is None:
            ppr = wordml.el("w:pPr")
            p.insert(0, ppr)
        ppr.insert(0, wordml.el("w:pStyle", val=self.style_id(style)))
        for name in self.pending:
            self.bookmarks += 1
            wordml.bookmark(p, name, self.bookmarks)
        self.pending = []
        self.p = self.target = p
        return p

    def close(self) -> None:
        """End the open paragraph, trimming the space HTML would not show at its end."""
        if self.p is not None:
            texts = self.p.findall(".//" + qn("w:t"))
            if texts and texts[-1].text:
                texts[-1].text = texts[-1].text.rstrip(" ")
        self.p = self.target = None

    def shown(self) -> str:
        assert self.p is not None
        return "".join(t.text or "" for t in self.p.iter(qn("w:t")))

    def add_text(self, text: str, style: str | None, lang: str) -> None:
        assert self.target is not None
        self.target.append(wordml.run(text, style=self._rstyle(style), lang=lang))

    def _rstyle(self, style: str | None) -> str | None:
        return self.style_id(style) if style else None

    def append(self, r: Element) -> None:
        if self.p is None:
            self.open(self.style)
        assert self.target is not None
        self.target.append(r)

    def mark(self, node: Node) -> None:
        if node.attrs.get("id") in self.linked:
            self.pending.append(self.marks[node.attrs["id"]])

    def picture(self, node: Node) -> None:
        alt = node.attrs.get("alt", "")
        width = self.flow.width
        share = re.search(r"width:\s*([\d.]+)%", node.attrs.get("style", ""))
        if share:
            width = width * float(share.group(1)) / 100
        try:
            image = picture(node.attrs.get("src", ""), width, vector_too=True)
        except ImageError as exc:
            raise PictureError(str(exc), alt) from None
        part = self.flow.part
        inline = part.new_pic_inline(io.BytesIO(image.data), Pt(image.width), Pt(image.height))
        inline.docPr.set("descr", alt)
        if image.svg is not None:
            wordml.svg_blip(part, inline, image.svg)
        drawing = wordml.el("w:drawing")
        drawing.append(inline)
        self.append(wordml.run(child=drawing))

    # -- inline ---------------------------------------------------------------------------

    def inline(self, node: Node, style: str | None, lang: str = "") -> None:
        tag, classes = node.tag, node.classes
        lang = node.attrs.get("lang", lang)
        if tag in SKIP or "visually-hidden" in classes or "backref" in classes:
            return
        if "footnote" in classes:
            self.footnote(node, lang)
            return
        if tag == "sup" and "cite" in classes:
            self.citations(node, lang)
            return
        if tag == "br":
            self.append(wordml.run(child=wordml.el("w:br")))
            return
        if tag == "img":
            self.picture(node)
            return
        if tag == "a" and (href := node.attrs.get("href", "")):
            self.link(node, href, lang)
            return
        if "badge" in classes:
            style = "Badge"
        self.contents(node, INLINE_STYLES.get(tag, style), lang)

    def link(self, node: Node, href: str, lang: str) -> None:
        if href.startswith("#"):
            name = self.marks.get(href[1:])
            if name is None:
                for child in node.children:
                    self.inline(child, None, lang) if isinstance(child, Node) else self.text(
                        child, None, lang
                    )
                return
            link = wordml.hyperlink(anchor=name)
        elif href.startswith(("http://", "https://", "mailto:")):
            link = wordml.hyperlink(rid=wordml.external(self.flow.part, href))
        else:
            self.text(node.text(), None, lang)
            return
        self.append(link)  # opens a paragraph if needed
        saved, self.target = self.target, link
        for child in node.children:
            if isinstance(child, str):
                self.text(child, "Hyperlink", lang)
            else:
                self.inline(child, "Hyperlink", lang)
        self.target = saved

    def citations(self, sup: Node, lang: str) -> None:
        """Citation marks: a source's first mark is its footnote's, the others plain marks."""
        notes = self.following_notes(sup)
        for child in sup.children:
            if isinstance(child, str):
                self.text(child, "Citation", lang)
                continue
            mark = child.text().strip()
            note = notes.pop(mark, None)
            if note is not None:
                self.place(note, lang)
            else:
                target = child.attrs.get("href", "")
                self.link(Node("a", {"href": target}, [mark]), target, lang)
                last = self.target if self.target is not None else self.p
                for r in (last.findall(".//" + qn("w:r")) if last is not None else [])[-1:]:
                    r.find(qn("w:rPr")).find(qn("w:rStyle")).set(
                        qn("w:val"), self.style_id("Citation")
                    )

    def following_notes(self, sup: Node) -> dict[str, Node]:
        """The footnotes set right after ``sup`` (their marks are in it), by mark."""
        found = self.notes_after.get(id(sup), [])
        self.claimed.update(id(note) for note in found)
        return {note.attrs.get("data-n", ""): note for note in found}

    def footnote(self, node: Node, lang: str) -> None:
        """A footnote met in the text: placed here unless its mark placed it already."""
        if id(node) not in self.claimed:
            self.place(node, lang)

    def place(self, node: Node, lang: str) -> None:
        """A native footnote here, holding ``node``'s content. Word numbers it; a mark Word
        would number otherwise (a Markdown note's ``*1``) is kept as the PDF shows it."""
        if self.notes is None:
            self.notes = wordml.footnotes_part(self.doc.part)
        self.note_count += 1
        mark = node.attrs.get("data-n", "")
        custom = None
        if mark == str(self.auto_notes + 1):
            self.auto_notes += 1
        else:
            custom = mark
        style = self.style_id("Footnote Reference")
        for r in wordml.footnote_reference(self.note_count, style, custom=custom):
            self.append(r)
        element = wordml.new_footnote(self.notes, self.note_count)
        saved = self.flow, self.style, self.p, self.target
        self.flow = Flow(element, self.notes, width=self.body.width)
        self.style, self.p, self.target = "Footnote Text", None, None
        self.open("Footnote Text")
        self.append(wordml.footnote_mark(style, custom=custom))
        self.append(wordml.run(" ", lang=lang))
        self.blocks(node, lang)
        self.close()
        self.flow, self.style, self.p, self.target = saved
