"""An edition → a 한글 document (HWPX, OWPML) with named styles and native footnotes (각주).

The walk is the DOCX writer's, over the same print document (:mod:`briefs.office.tree`): the
PDF's content, order, citation numbers and footnote places. Paragraphs and runs name the
styles of :mod:`briefs.office.owpml`; headings are outline (개요) paragraphs, lists use
bullet and numbering shapes, tables repeat their header rows, key figures are a table, charts
are 300 dpi PNGs with their alt text as the picture's comment, links are HYPERLINK fields.
The parts are written with :mod:`xml.etree` and zipped by :mod:`briefs.office.shapes` with
fixed dates and order, so two builds give the same bytes.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING
from xml.etree import ElementTree as ET

from briefs.office import owpml, shapes
from briefs.office.images import ImageError, PictureError, picture
from briefs.office.owpml import STYLE_IDS, UNIT, el
from briefs.office.tree import INLINE_STYLES, SKIP, Node, chart_tables, notes_after, parse
from briefs.office.walk import Rows, Walk, cell_style

if TYPE_CHECKING:
    from briefs.edition.edition import Edition

__all__ = ["PictureError", "write_hwpx"]

WIDTH = (shapes.PAGE[0] - 2 * shapes.MARGIN) / UNIT  # text width, pt
_OWN_TEXT = f"{owpml.q('hp:run')}/{owpml.q('hp:t')}"


class HwpxWriter(Walk):
    """The section being written and where the walk is in it."""

    def __init__(self, edition: Edition) -> None:
        self.edition = edition
        self.section = el("hs:sec")
        self.flow = self.section  # where paragraphs go: the section, a cell, a footnote
        self.width = WIDTH
        self.p: ET.Element | None = None
        self.style = "Body Text"
        self.lists = owpml.Lists()
        self.depth: list[tuple[bool, int, int]] = []  # open lists: ordered, number, start
        self.list_count = 0
        self.ids = 0
        self.note_count = 0
        self.images: list[tuple[str, str, bytes]] = []
        self.chart_data: dict[str, tuple[list[str], list[list[str]]]] = {}
        self.notes_after: dict[int, list[Node]] = {}
        self.claimed: set[int] = set()
        self.shape: int | None = None  # a list item's paragraph shape

    def next_id(self) -> int:
        self.ids += 1
        return self.ids

    # -- paragraphs and runs --------------------------------------------------------------

    def open(self, style: str) -> ET.Element:
        self.close()
        ident = STYLE_IDS.get(style, 0)
        shape = self.shape if self.shape is not None else ident
        self.shape = None
        self.p = el(
            "hp:p",
            self.flow,
            id=self.next_id(),
            paraPrIDRef=shape,
            styleIDRef=ident,
            pageBreak=0,
            columnBreak=0,
            merged=0,
        )
        self.pstyle = ident
        return self.p

    def close(self) -> None:
        if self.p is not None:
            texts = [t for t in self.p.iterfind(_OWN_TEXT) if t.text]
            if texts:
                texts[-1].text = (texts[-1].text or "").rstrip(" ")
            if not len(self.p):
                el("hp:run", self.p, charPrIDRef=self.pstyle)
        self.p = None

    def run(self, style: str | None = None) -> ET.Element:
        if self.p is None:
            self.open(self.style)
        assert self.p is not None
        ident = STYLE_IDS.get(style or "", self.pstyle)
        return el("hp:run", self.p, charPrIDRef=ident)

    def shown(self) -> str:
        assert self.p is not None
        return "".join(t.text or "" for t in self.p.iterfind(_OWN_TEXT))  # not a note's

    def add_text(self, text: str, style: str | None, lang: str) -> None:
        assert self.p is not None
        last = self.p[-1] if len(self.p) else None
        ident = str(STYLE_IDS.get(style or "", self.pstyle))
        if (
            last is not None
            and last.get("charPrIDRef") == ident
            and len(last)
            and last[-1].tag == owpml.q("hp:t")
            and not len(last[-1])  # no line break in it
        ):
            last[-1].text = (last[-1].text or "") + text  # one run for one style
        else:
            el("hp:t", self.run(style), text)

    # -- inline ---------------------------------------------------------------------------

    def inline(self, node: Node, style: str | None, lang: str = "") -> None:
        tag, classes = node.tag, node.classes
        if tag in SKIP or "visually-hidden" in classes or "backref" in classes:
            return
        if "footnote" in classes:
            if id(node) not in self.claimed:
                self.footnote(node)
            return
        if tag == "sup" and "cite" in classes:
            self.citations(node)
            return
        if tag == "br":  # a line break is part of a run's text in OWPML
            el("hp:lineBreak", el("hp:t", self.run(style)))
            return
        if tag == "img":
            self.picture(node)
            return
        href = node.attrs.get("href", "")
        if tag == "a" and href.startswith(("http://", "https://", "mailto:")):
            self.link(node, href)
            return
        style = "Badge" if "badge" in classes else INLINE_STYLES.get(tag, style)
        self.contents(node, style)

    def link(self, node: Node, href: str) -> None:
        """A HYPERLINK field around the link's text."""
        ident = self.next_id()
        shapes.hyperlink(self.run("Hyperlink"), ident, href)
        for child in node.children:
            self.text(child, "Hyperlink") if isinstance(child, str) else self.inline(
                child, "Hyperlink"
            )
        el("hp:fieldEnd", el("hp:ctrl", self.run("Hyperlink")), beginIDRef=ident, fieldid=ident)

    def citations(self, sup: Node) -> None:
        """A source's first mark carries its footnote; later marks stay superscript numbers."""
        found = self.notes_after.get(id(sup), [])
        self.claimed.update(id(note) for note in found)
        notes = {note.attrs.get("data-n", ""): note for note in found}
        for child in sup.children:
            mark = child if isinstance(child, str) else child.text().strip()
            note = None if isinstance(child, str) else notes.pop(mark, None)
            if note is not None:
                self.footnote(note)
            else:
                self.text(mark, "Citation")

    def footnote(self, node: Node) -> None:
        """A native 각주 numbered as the PDF numbers it (a mark out of sequence restarts the
        count there; a Markdown note's ``*1`` is kept as text in the note)."""
        mark = node.attrs.get("data-n", "")
        number = int(mark) if mark.isdigit() else self.note_count + 1
        if number != self.note_count + 1:
            el("hp:newNum", el("hp:ctrl", self.run()), num=number, numType="FOOTNOTE")
        self.note_count = number
        ctrl = el("hp:ctrl", self.run("Footnote Reference"))
        note = el("hp:footNote", ctrl, number=number, suffixChar=41, instId=self.next_id())
        sub = el("hp:subList", note, **shapes.SUBLIST)
        saved = self.flow, self.style, self.p, self.pstyle
        self.flow, self.style, self.p = sub, "Footnote Text", None
        self.open("Footnote Text")
        auto = el(
            "hp:autoNum",
            el("hp:ctrl", self.run("Footnote Reference")),
            num=number,
            numType="FOOTNOTE",
        )
        el(
            "hp:autoNumFormat",
            auto,
            type="DIGIT",
            userChar="",
            prefixChar="",
            suffixChar=")",
            supscript=0,
        )
        el("hp:t", self.run(), " " if mark.isdigit() else f" {mark} ")
        self.blocks(node)
        self.close()
        self.flow, self.style, self.p, self.pstyle = saved

    def mark(self, node: Node) -> None:
        """No bookmarks: links within the document are plain text in HWPX."""

    def picture(self, node: Node) -> None:
        alt = node.attrs.get("alt", "")
        try:
            image = picture(node.attrs.get("src", ""), self.width)
        except ImageError as exc:
            raise PictureError(str(exc), alt) from None
        ident = f"image{len(self.images) + 1}"
        self.images.append((ident, "jpg" if image.kind == "jpeg" else image.kind, image.data))
        w, h = round(image.width * UNIT), round(image.height * UNIT)
        shapes.picture(self.run(), self.next_id(), ident, w, h, alt)

    # -- blocks ---------------------------------------------------------------------------

    def _pre(self, node: Node, lang: str) -> None:
        self.open("Preformatted")
        for number, line in enumerate(node.text().rstrip("\n").split("\n")):
            run = self.run()
            if number:
                el("hp:lineBreak", el("hp:t", run))
            el("hp:t", run, line)
        self.close()

    def _nav(self, node: Node, lang: str) -> None:
        """The contents: its entries as 차례 paragraphs; 한글 makes a live one from the
        outline (개요) headings with 차례 만들기."""
        heading = node.find("h2")
        if heading is not None:
            self.paragraph(heading, "TOC Heading")
        for li in (n for n in node.walk() if n.tag == "li"):
            self.open("TOC 1")
            for child in li.children:
                if isinstance(child, str):
                    self.text(child, None)
                elif child.tag not in ("ul", "ol"):
                    self.inline(child, None)
            self.close()

    def begin_list(self, ordered: bool, start: int) -> None:
        self.list_count += 1
        self.depth.append((ordered, self.list_count, start))

    def open_item(self, style: str) -> None:
        ordered, number, start = self.depth[-1]
        self.shape = self.lists.shape(ordered, number, start, min(len(self.depth) - 1, 6))
        self.open(style)

    def end_list(self) -> None:
        self.depth.pop()

    def grid(
        self, rows: Rows, lang: str, styles: tuple[str, ...], shares: tuple[float, ...]
    ) -> None:
        total = round(self.width * UNIT)
        widths = [round(total * s) for s in shares]
        self.open(self.style)
        tbl = shapes.table(self.run(), self.next_id(), len(rows), len(shares), total)
        saved = self.flow, self.style, self.p, self.width, self.pstyle
        self.p = None
        for r, (header, cells) in enumerate(rows):
            tr = el("hp:tr", tbl)
            for c, width in enumerate(widths):
                source = cells[c] if c < len(cells) else ""
                th, self.style = cell_style(header, source, c, styles)
                self.flow = shapes.cell(tr, r, c, width, header=header, shaded=th)
                self.width = width / UNIT
                if isinstance(source, str):
                    self.text(source, None)
                else:
                    self.blocks(source)
                self.close()
                if not len(self.flow):
                    self.open(self.style)
                    self.close()
        self.flow, self.style, self.p, self.width, self.pstyle = saved
        self.close()


def write_hwpx(html: str, edition: Edition, reference: owpml.Shapes | None = None) -> bytes:
    """The HWPX of ``edition`` from its print ``html``, its styles' shapes the
    ``reference``'s where it has them (:func:`briefs.office.reference.hwpx_styles`). Raises
    :class:`PictureError` for an image the document cannot hold."""
    writer = HwpxWriter(edition)
    writer.chart_data = chart_tables(edition)
    root = parse(html)
    writer.notes_after = notes_after(root)
    shapes.section_start(writer.open("Normal"), edition.running_title)
    writer.close()
    writer.blocks(root)
    writer.close()
    brief = edition.brief
    when = dt.datetime.strptime(edition.created, "%Y-%m-%dT%H:%M:%SZ")
    meta = {
        "title": edition.text(brief.title),
        "creator": "; ".join(edition.text(a.name) for a in brief.authors),
        "subject": edition.text(brief.subtitle) if brief.subtitle else "",
        "description": edition.profile.text(edition.profile.edition, edition.lang),
        "lastsaveby": edition.text(brief.organisation),
        "CreatedDate": edition.created,
        "ModifiedDate": edition.created,
        "date": edition.created[:10],
        "keyword": edition.keywords,
    }
    images = writer.images
    return shapes.package(writer.section, writer.lists, images, meta, edition.lang, when, reference)
