"""An edition → a Word document (DOCX) with named styles, native footnotes and a TOC field.

The writer walks the edition's print document (:mod:`briefs.office.tree`): the same content,
order and citation numbers as the PDF, footnotes where their marks are. Each element maps to
a named style of :mod:`briefs.office.styles`; lists get real numbering definitions, tables
repeat their header rows, charts become SVG drawings (a 300 dpi picture beside them for
readers without SVG) with their alt text and, as in the HTML edition, their data as a table.
The package is rewritten with fixed dates and order, so two builds of a brief give the same
bytes.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from briefs.office import wordml
from briefs.office.images import PictureError
from briefs.office.package import normalise
from briefs.office.styles import reference
from briefs.office.tree import Node, chart_tables, notes_after, parse
from briefs.office.walk import Rows, cell_style
from briefs.office.writer import Flow, Writer

if TYPE_CHECKING:
    from docx.document import Document

    from briefs.edition.edition import Edition

__all__ = ["PictureError", "write_docx"]


class DocxWriter(Writer):
    """The blocks Word writes its own way: code, the contents, lists, tables."""

    # -- blocks ---------------------------------------------------------------------------

    def _pre(self, node: Node, lang: str) -> None:
        self.open("Preformatted")
        for number, line in enumerate(node.text().rstrip("\n").split("\n")):
            if number:
                self.append(wordml.run(child=wordml.el("w:br")))
            self.append(wordml.run(line, lang=lang))
        self.close()

    def _nav(self, node: Node, lang: str) -> None:
        """The contents: a TOC field whose shown result lists the sections until updated."""
        heading = node.find("h2")
        if heading is not None:
            self.paragraph(heading, "TOC Heading", lang)
        entries = [li for li in node.walk() if li.tag == "li"]
        p = self.open("Normal")
        first = True
        for li in entries:
            if not first:
                p = self.open("Normal")
            if first:
                wordml.field_start(p, 'TOC \\o "1-3" \\h \\z \\u')
                first = False
            self.blocks(li, lang)
        p = self.open("TOC Placeholder")
        if first:
            wordml.field_start(p, 'TOC \\o "1-3" \\h \\z \\u')
        p.append(wordml.run(self.edition.t("update_contents"), lang=lang))
        wordml.field_end(p)
        self.close()
        wordml.set_setting(self.doc.settings.element, "w:updateFields", val="true")

    def begin_list(self, ordered: bool, start: int) -> None:
        number = self.next_num
        self.next_num += 1
        wordml.numbering_instance(
            self.num, number, self.number_def if ordered else self.bullet_def, start
        )
        self.lists.append(number)

    def open_item(self, style: str) -> None:
        p = self.open(style)
        wordml.list_item(p, self.lists[-1], min(len(self.lists) - 1, 8))

    def end_list(self) -> None:
        self.lists.pop()

    # -- tables ---------------------------------------------------------------------------

    def grid(
        self, rows: Rows, lang: str, styles: tuple[str, ...], shares: tuple[float, ...]
    ) -> None:
        maker = self.flow.tables
        if maker is None:  # a footnote holds no table
            return
        table = maker.add_table(rows=len(rows), cols=len(shares))
        self.flow.spare = None
        if "Table Grid" in self.ids:
            table.style = self.doc.styles["Table Grid"]
        for column, share in zip(table.columns, shares, strict=False):
            column.width = Pt(self.flow.width * share)
        for (header, cells), row in zip(rows, table.rows, strict=True):
            if header:
                row._tr.get_or_add_trPr().append(wordml.el("w:tblHeader"))
            for at, (cell, source) in enumerate(zip(row.cells, cells, strict=False)):
                cell.width = Pt(self.flow.width * shares[min(at, len(shares) - 1)])
                right = isinstance(source, Node) and "align-right" in source.classes
                self.cell(cell, source, cell_style(header, source, at, styles)[1], lang, right)

    def cell(self, cell: Any, source: Node | str, style: str, lang: str, right: bool) -> None:
        tc = cell._tc
        width = float(cell.width or 0) / 12700 or self.flow.width / 2
        flow = Flow(tc, self.flow.part, spare=tc.find(qn("w:p")), width=width, tables=cell)
        saved = self.flow, self.style, self.p, self.target
        self.flow, self.style, self.p, self.target = flow, style, None, None
        if isinstance(source, str):
            self.text(source, None, lang)
        else:
            self.blocks(source, source.attrs.get("lang", lang))
        self.close()
        if right:
            for p in tc.findall(qn("w:p")):
                wordml.set_ppr(p.find(qn("w:pPr")), wordml.el("w:jc", val="right"))
        self.flow, self.style, self.p, self.target = saved


def _index(root: Node, writer: DocxWriter) -> None:
    """Which ids are linked to (they get bookmarks), and which footnotes follow which marks."""
    targets = {n.attrs["href"][1:] for n in root.walk() if n.attrs.get("href", "").startswith("#")}
    names: set[str] = set()
    for node in root.walk():
        ident = node.attrs.get("id")
        if ident and ident in targets and ident not in writer.marks:
            name = re.sub(r"[^A-Za-z0-9_]", "_", ident)[:36]
            name = name if name[:1].isalpha() else f"b_{name}"[:36]
            while name in names:
                name = f"{name[:32]}_{len(names)}"
            names.add(name)
            writer.marks[ident] = name
    writer.linked = set(writer.marks)
    writer.notes_after = notes_after(root)


def write_docx(html: str, edition: Edition, folders: list[Path]) -> bytes:
    """The DOCX of ``edition`` from its print ``html``, on the first reference document of
    ``folders``. Raises :class:`PictureError` for an image the document cannot hold."""
    document = reference(folders)
    section = document.sections[0]
    page = [section.page_width, section.left_margin, section.right_margin]
    if None in page:
        page = [Mm(210), Mm(22), Mm(22)]  # a reference document without a page size: A4
    width = (int(page[0] or 0) - int(page[1] or 0) - int(page[2] or 0)) / 12700  # EMU → pt
    writer = DocxWriter(document, edition, float(width))
    writer.chart_data = chart_tables(edition)
    root = parse(html)
    _index(root, writer)
    writer.blocks(root, edition.lang)
    writer.close()
    _furniture(document, edition)
    _properties(document, edition)
    out = io.BytesIO()
    document.save(out)
    return normalise(out.getvalue(), _moment(edition.created))


def _moment(created: str) -> dt.datetime:
    """The build's timestamp (see :func:`briefs.pipeline.build.creation_date`)."""
    return dt.datetime.strptime(created, "%Y-%m-%dT%H:%M:%SZ")


def _furniture(document: Document, edition: Edition) -> None:
    """A running head and ``page / pages`` in the footer, where the reference has none."""
    section = document.sections[0]
    header, footer = section.header, section.footer
    lang = edition.lang
    if header.is_linked_to_previous:
        p = header.paragraphs[0]
        p.style = document.styles["Header"]
        p._p.append(wordml.run(edition.running_title, lang=lang))
    if footer.is_linked_to_previous:
        p = footer.paragraphs[0]
        p.style = document.styles["Footer"]
        p.alignment = 1
        wordml.simple_field(p._p, "PAGE", "1", lang)
        p._p.append(wordml.run(" / ", lang=lang))
        wordml.simple_field(p._p, "NUMPAGES", "1", lang)


def _properties(document: Document, edition: Edition) -> None:
    """Title, authors, subject, keywords and dates, from the brief (not the clock)."""
    brief = edition.brief
    props = document.core_properties
    moment = _moment(edition.created)
    props.title = edition.text(brief.title)
    props.subject = edition.text(brief.subtitle) if brief.subtitle else ""
    props.author = "; ".join(edition.text(a.name) for a in brief.authors)
    props.keywords = edition.keywords
    props.category = edition.profile.text(edition.profile.edition, edition.lang)
    props.language = wordml.LANGS.get(edition.lang, edition.lang)
    props.identifier = brief.id
    props.last_modified_by = edition.text(brief.organisation)
    props.comments = ""
    props.created = props.modified = moment
    props.last_printed = moment
    props.revision = 1
