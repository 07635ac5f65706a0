"""The named styles of the Word editions, and the reference document that supplies them.

Every paragraph and run of an edition carries a style name from :data:`PARAGRAPH` or
:data:`CHARACTER`, never direct formatting, so a ministry restyles the document (or builds it
on its own template) as with Pandoc's ``--reference-doc``: a ``reference.docx`` found first on
the template search path gives the page, headers and styles; a style it lacks is added here
with the defaults below. ``templates/reference.docx`` is this module's own output
(``python -m briefs.office.styles templates/reference.docx``).
"""

from __future__ import annotations

import datetime as dt
import io
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from briefs.office import wordml
from briefs.office.reference import find, problem

FONT = "Pretendard GOV"
"""The bundled face, named in every style."""
FALLBACK = "맑은 고딕"
"""What Word and 한글 use where Pretendard GOV is not installed (Malgun Gothic ships with
Windows); the font table names it as the face's alternative."""


@dataclass(frozen=True)
class Look:
    """One style's defaults."""

    size: float | None = None
    bold: bool = False
    italic: bool = False
    colour: str | None = None
    before: float | None = None
    after: float | None = None
    indent: float | None = None
    keep: bool = False
    base: str = "Normal"
    align: str | None = None
    superscript: bool = False
    mono: bool = False
    box: bool = False
    """A rule on the left and a tint behind, as the PDF's note boxes."""


NAVY, GREY, BLUE = "003764", "555555", "0B50D0"
PARAGRAPH: dict[str, Look] = {
    "Normal": Look(size=10.5, after=6),
    "Title": Look(size=22, bold=True, colour=NAVY, after=6),
    "Subtitle": Look(size=13, colour=GREY, after=12),
    "Cover Meta": Look(size=9, colour=GREY, after=4),
    "Cover Fact": Look(size=9.5, after=2),
    "Heading 1": Look(size=15, bold=True, colour=NAVY, before=18, after=8, keep=True),
    "Heading 2": Look(size=12.5, bold=True, colour=NAVY, before=12, after=6, keep=True),
    "Heading 3": Look(size=11, bold=True, before=10, after=4, keep=True),
    "Heading 4": Look(size=10.5, bold=True, before=8, after=4, keep=True),
    "Heading 5": Look(size=10.5, bold=True, italic=True, before=6, after=4, keep=True),
    "Body Text": Look(after=6),
    "List Paragraph": Look(after=3),
    "Confidence": Look(size=9, colour=GREY, after=4),
    "Evidence Title": Look(size=10, bold=True, before=6, after=3, keep=True),
    "Audience Note Title": Look(
        size=9.5, bold=True, colour=NAVY, before=6, after=0, indent=6, keep=True, box=True
    ),
    "Audience Note": Look(size=9.5, indent=6, after=0, box=True),
    "Caption": Look(size=10, bold=True, before=8, after=4, keep=True),
    "Figure": Look(align="center", after=4, keep=True),
    "Source Line": Look(size=8.5, colour=GREY, after=8),
    "Key Figure Value": Look(size=13, bold=True, colour=NAVY, after=0),
    "Key Figure Label": Look(size=9, after=0),
    "Table Heading": Look(size=9.5, bold=True, after=0),
    "Table Text": Look(size=9.5, after=0),
    "Recommendation Fact": Look(size=9.5, after=2),
    "Based On": Look(size=9, italic=True, colour=GREY, after=6),
    "Glossary Term": Look(bold=True, after=2, keep=True),
    "Glossary Definition": Look(indent=12, after=6),
    "Reference": Look(size=9.5, after=3),
    "Colophon": Look(size=8.5, colour=GREY, before=12, after=2),
    "Quote": Look(italic=True, indent=12),
    "Preformatted": Look(size=9, mono=True, after=6),
    "Footnote Text": Look(size=8.5, after=0),
    "TOC Heading": Look(size=15, bold=True, colour=NAVY, before=18, after=8, keep=True),
    "TOC Placeholder": Look(size=9.5, italic=True, colour=GREY),
}
"""Paragraph styles and their defaults."""
CHARACTER: dict[str, Look] = {
    "Strong": Look(bold=True),
    "Emphasis": Look(italic=True),
    "Hyperlink": Look(colour=BLUE),
    "Footnote Reference": Look(superscript=True),
    "Citation": Look(superscript=True, colour=BLUE),
    "Superscript": Look(superscript=True),
    "Subscript": Look(),
    "Code": Look(mono=True),
    "Badge": Look(bold=True, colour="8A5A00"),
    "Fact Label": Look(bold=True),
    "Heading Number": Look(),
    "Deleted": Look(),
    "Marked": Look(bold=True),
}
"""Character styles and their defaults."""


def _apply(style: object, look: Look) -> None:
    font = style.font  # type: ignore[attr-defined]
    if look.size:
        font.size = Pt(look.size)
    font.bold = look.bold or None
    font.italic = look.italic or None
    if look.colour:
        font.color.rgb = RGBColor.from_string(look.colour)
    if look.superscript:
        font.superscript = True
    if look.mono:
        font.name = "D2Coding"
    fmt = getattr(style, "paragraph_format", None)
    if fmt is None or style.type == WD_STYLE_TYPE.CHARACTER:  # type: ignore[attr-defined]
        return
    if look.before is not None:
        fmt.space_before = Pt(look.before)
    if look.after is not None:
        fmt.space_after = Pt(look.after)
    if look.indent is not None:
        fmt.left_indent = Pt(look.indent)
    if look.keep:
        fmt.keep_with_next = True
    if look.align == "center":
        fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if look.box:  # python-docx has no API for borders and shading
        ppr = style.element.get_or_add_pPr()  # type: ignore[attr-defined]
        borders = wordml.el("w:pBdr")
        borders.append(wordml.el("w:left", val="single", sz="18", space="6", color=NAVY))
        wordml.set_ppr(ppr, borders)
        wordml.set_ppr(ppr, wordml.el("w:shd", val="clear", color="auto", fill="EEF2F7"))


def ensure_styles(document: Document) -> None:
    """Add the styles the writer uses that ``document`` lacks, with their defaults; styles
    it has are left as the reference document made them."""
    styles = document.styles
    names = {s.name for s in styles}
    for name, look in PARAGRAPH.items():
        if name not in names:
            style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            style.base_style = styles["Normal"] if name != "Normal" else None
            style.quick_style = True
            _apply(style, look)
    for name, look in CHARACTER.items():
        if name not in names:
            style = styles.add_style(name, WD_STYLE_TYPE.CHARACTER)
            style.quick_style = True
            _apply(style, look)


def _east_asian_defaults(document: Document) -> None:
    """Fonts, languages and Korean line breaking as the document's defaults."""
    styles = document.styles.element
    rpr = styles.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    for child in list(rpr):
        if child.tag in (qn("w:rFonts"), qn("w:lang")):
            rpr.remove(child)
    rpr.insert(0, wordml.el("w:rFonts", ascii=FONT, hAnsi=FONT, eastAsia=FONT, cs=FONT))
    rpr.append(wordml.el("w:lang", val="ko-KR", eastAsia="ko-KR", bidi="ar-SA"))
    normal = document.styles["Normal"].element.get_or_add_pPr()
    # East Asian line breaking: kinsoku rules for first and last characters, and Hangul
    # broken by word (w:wordWrap on is Korean Word's "한글 단어 잘림 허용" left unticked).
    # Korean sets its own spaces between Hangul, Latin and digits: no automatic extra space.
    settings = ("w:kinsoku", "w:wordWrap", "w:overflowPunct", "w:autoSpaceDE", "w:autoSpaceDN")
    defaults = styles.find(qn("w:docDefaults"))
    ppr_default = defaults.find(qn("w:pPrDefault"))
    if ppr_default is None:
        ppr_default = wordml.el("w:pPrDefault")
        defaults.append(ppr_default)
    if ppr_default.find(qn("w:pPr")) is None:
        ppr_default.append(wordml.el("w:pPr"))
    # In the defaults too: LibreOffice reads the spacing between scripts only from there.
    for ppr in (normal, ppr_default.find(qn("w:pPr"))):
        for tag, value in zip(settings, ("1", "1", "1", "0", "0"), strict=True):
            wordml.set_ppr(ppr, wordml.el(tag, val=value))
    fonts = document.part.package.main_document_part.part_related_by(
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable"
    )
    table = fonts.blob.decode("utf-8")
    if FONT not in table:
        entry = (
            f'<w:font w:name="{FONT}"><w:altName w:val="{FALLBACK}"/><w:charset w:val="81"/>'
            '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font>'
            f'<w:font w:name="{FALLBACK}"><w:altName w:val="Malgun Gothic"/>'
            '<w:charset w:val="81"/><w:family w:val="swiss"/><w:pitch w:val="variable"/>'
            "</w:font>"
        )
        fonts._blob = table.replace("</w:fonts>", entry + "</w:fonts>").encode("utf-8")
    settings = document.settings.element
    wordml.set_setting(settings, "w:themeFontLang", val="en-US", eastAsia="ko-KR")
    wordml.set_setting(settings, "w:characterSpacingControl", val="doNotCompress")


_DOCX_HINT = "save it again from Word as a .docx"


def reference(folders: list[Path]) -> Document:
    """A new document on the first ``reference.docx`` of the search path (a user's before
    the built-in one), its body emptied and its missing styles added."""
    found = find(folders, "reference.docx", _DOCX_HINT)
    if found is None:
        document = _fresh()
    else:
        try:
            document = docx.Document(io.BytesIO(found[1]))
        except (ValueError, KeyError, zipfile.BadZipFile) as exc:
            raise problem(found[0], f"{exc}", _DOCX_HINT) from None
    body = document.element.body
    for child in list(body):
        if child.tag != qn("w:sectPr"):
            body.remove(child)
    ensure_styles(document)
    return document


def _fresh() -> Document:
    """python-docx's default document made into the built-in reference: A4, the styles."""
    document = docx.Document()
    package = document.part.package
    for rid, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):  # python-docx's picture of its own template
            package.rels.pop(rid)
    # Word 2010's copy of the styles (Word rebuilds it) and the template's custom XML: half
    # the package's bytes, read and written by every build for nothing.
    main = document.part
    for rid, rel in list(main.rels.items()):
        if rel.reltype.endswith(("/stylesWithEffects", "/customXml")):
            main.rels.pop(rid)
    # The template defines a hundred table styles Word has built in anyway; keep the grid.
    for style in list(document.styles):
        if style.type == WD_STYLE_TYPE.TABLE and style.name not in ("Normal Table", "Table Grid"):
            style.delete()
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(22)
    section.top_margin, section.bottom_margin = Mm(22), Mm(20)
    _east_asian_defaults(document)
    names = {s.name: s for s in document.styles}
    for name, look in (PARAGRAPH | CHARACTER).items():
        if name in names:  # python-docx's own: its theme fonts and colours give way to ours
            rpr = names[name].element.rPr
            for tag in ("w:rFonts", "w:color", "w:sz", "w:szCs", "w:b", "w:bCs", "w:i", "w:iCs"):
                for node in rpr.findall(qn(tag)) if rpr is not None else []:
                    rpr.remove(node)
            _apply(names[name], look)
    ensure_styles(document)
    # Hangul needs more leading than Word's 1.15 (the PDF sets body text at 1.6).
    document.styles["Normal"].paragraph_format.line_spacing = 1.35
    for name in ("Footnote Text", "Table Text", "Table Heading", "Key Figure Value"):
        document.styles[name].paragraph_format.line_spacing = 1.15
    return document


if __name__ == "__main__":  # python -m briefs.office.styles templates/reference.docx
    from briefs.office.package import normalise

    out = io.BytesIO()
    made = _fresh()
    made.core_properties.title = "briefs reference document"
    made.save(out)
    Path(sys.argv[1]).write_bytes(normalise(out.getvalue(), dt.date(1980, 1, 1)))
