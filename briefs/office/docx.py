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
from briefs.office.tree import BLOCK_STYLES, HEADINGS, Node, chart_tables, parse
from briefs.office.writer import Flow, Writer

if TYPE_CHECKING:
    from docx.document import Document

    from briefs.edition.edition import Edition

__all__ = ["PictureError", "write_docx"]


class DocxWriter(Writer):
    """The edition's block structure: headings, lists, tables, key figures, charts."""

    # -- blocks ---------------------------------------------------------------------------

    def _p(self, node: Node, lang: str) -> None:
        style = next((s for c, s in BLOCK_STYLES.items() if c in node.classes), self.style)
        self.paragraph(node, style, lang)

    def _h1(self, node: Node, lang: str) -> None:
        self.paragraph(node, HEADINGS[node.tag], lang)

    _h2 = _h3 = _h4 = _h5 = _h6 = _h1

    def _pre(self, node: Node, lang: str) -> None:
        self.open("Preformatted")
        for number, line in enumerate(node.text().rstrip("\n").split("\n")):
            if number:
                self.append(wordml.run(child=wordml.el("w:br")))
            self.append(wordml.run(line, lang=lang))
        self.close()

    def _blockquote(self, node: Node, lang: str) -> None:
        saved, self.style = self.style, "Quote"
        self.close()
        self.blocks(node, lang)
        self.close()
        self.style = saved

    def _hr(self, node: Node, lang: str) -> None:
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

    def _dl(self, node: Node, lang: str) -> None:
        self.close()
        facts = bool(node.classes & {"cover-facts", "rec-facts"})
        style = "Cover Fact" if "cover-facts" in node.classes else "Recommendation Fact"
        for child in node.elements():
            group = [child] if child.tag in ("dt", "dd") else list(child.elements())
            if facts:
                self.open(style)
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

    def _ul(self, node: Node, lang: str) -> None:
        if "figures" in node.classes:
            self.key_figures(node, lang)
            return
        ordered = node.tag == "ol"
        items = [li for li in node.elements() if li.tag == "li"]
        start = int(items[0].attrs.get("value") or node.attrs.get("start") or 1) if items else 1
        number = self.next_num
        self.next_num += 1
        wordml.numbering_instance(
            self.num, number, self.number_def if ordered else self.bullet_def, start
        )
        style = "Reference" if "references" in node.classes else "List Paragraph"
        self.close()
        self.lists.append(number)
        for li in items:
            if li.attrs.get("id") in self.linked:
                self.pending.append(self.marks[li.attrs["id"]])
            p = self.open(style)
            wordml.list_item(p, number, min(len(self.lists) - 1, 8))
            saved, self.style = self.style, style
            for child in li.children:
                if isinstance(child, str):
                    self.text(child, None, lang)
                elif child.tag in ("ul", "ol"):
                    self.element(child, lang)
                elif child.tag == "p" and self.p is not None and self.at_start():
                    for grand in child.children:  # a loose list's first paragraph
                        self.text(grand, None, lang) if isinstance(grand, str) else self.inline(
                            grand, None, lang
                        )
                else:
                    self.element(child, lang)
            self.close()
            self.style = saved
        self.lists.pop()

    _ol = _ul

    # -- tables ---------------------------------------------------------------------------

    def table(
        self,
        rows: list[tuple[bool, list[Node | str]]],
        lang: str,
        *,
        styles: tuple[str, ...] = (),
        shares: tuple[float, ...] = (),
    ) -> None:
        """A table of ``rows`` (header?, cells); header rows repeat on every page. Cells take
        ``styles`` by column (else Table Heading or Table Text), columns ``shares`` of the
        width (else equal ones)."""
        self.close()
        columns = max((len(cells) for _, cells in rows), default=0)
        maker = self.flow.tables
        if not columns or maker is None:
            return
        table = maker.add_table(rows=len(rows), cols=columns)
        self.flow.spare = None
        if "Table Grid" in self.ids:
            table.style = self.doc.styles["Table Grid"]
        shares = shares or tuple(1 / columns for _ in range(columns))
        for column, share in zip(table.columns, shares, strict=False):
            column.width = Pt(self.flow.width * share)
        for (header, cells), row in zip(rows, table.rows, strict=True):
            if header:
                row._tr.get_or_add_trPr().append(wordml.el("w:tblHeader"))
            for at, (cell, source) in enumerate(zip(row.cells, cells, strict=False)):
                cell.width = Pt(self.flow.width * shares[min(at, len(shares) - 1)])
                right = isinstance(source, Node) and "align-right" in source.classes
                th = header or (isinstance(source, Node) and source.tag == "th")
                style = (
                    styles[at] if at < len(styles) else ("Table Heading" if th else "Table Text")
                )
                self.cell(cell, source, style, lang, right)

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

    def _table(self, node: Node, lang: str) -> None:
        heads = {id(n) for head in node.walk() if head.tag == "thead" for n in head.walk()}
        rows: list[tuple[bool, list[Node | str]]] = [
            (id(tr) in heads, [c for c in tr.elements() if c.tag in ("td", "th")])
            for tr in node.walk()
            if tr.tag == "tr"
        ]
        self.table(rows, lang)

    def key_figures(self, node: Node, lang: str) -> None:
        """The key figures as a table: value, then label and notes."""
        rows: list[tuple[bool, list[Node | str]]] = []
        for li in node.elements():
            value = li.find("span", "figure-value")
            rest = Node("div", {}, [c for c in li.children if c is not value])
            rows.append((False, [value or "", rest]))
        self.table(rows, lang, styles=("Key Figure Value", "Key Figure Label"), shares=(0.3, 0.7))

    # -- figures --------------------------------------------------------------------------

    def _figure(self, node: Node, lang: str) -> None:
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
            rows: list[tuple[bool, list[Node | str]]] = [(True, list(header))]
            rows += [(False, [Node("th", {}, [row[0]]), *row[1:]]) for row in body]
            self.table(rows, lang)


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
    for node in root.walk():
        kids = node.children
        for at, child in enumerate(kids):
            if isinstance(child, Node) and child.tag == "sup" and "cite" in child.classes:
                notes = []
                for after in kids[at + 1 :]:
                    if isinstance(after, Node) and "footnote" in after.classes:
                        notes.append(after)
                    elif isinstance(after, str) and not after.strip():
                        continue
                    else:
                        break
                writer.notes_after[id(child)] = notes


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
