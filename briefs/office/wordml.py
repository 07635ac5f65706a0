"""WordprocessingML that python-docx has no API for, kept small: runs with a language,
hyperlinks, bookmarks, fields, footnotes, list numbering and a picture's SVG form.

Everything else (styles, tables, pictures, properties) goes through python-docx's own API.
"""

from __future__ import annotations

import functools

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.oxml.ns import NamespacePrefixedTag, nsdecls, qn
from docx.oxml.parser import oxml_parser
from docx.oxml.xmlchemy import BaseOxmlElement as Element
from docx.parts.story import StoryPart

LANGS = {"ko": "ko-KR", "en": "en-US"}
"""The language tags Word and 한글 use."""


@functools.cache
def _name(tag: str) -> tuple[str, dict[str, str]]:
    """A ``prefix:tag``'s Clark name and namespace map (a document makes thousands)."""
    name = NamespacePrefixedTag(tag)
    return name.clark_name, name.nsmap


@functools.cache
def _attribute(key: str) -> str:
    return qn(f"w:{key}")


def el(tag: str, **attrs: str) -> Element:
    """A ``w:`` element with ``w:`` attributes (``val="1"`` → ``w:val="1"``): python-docx's
    ``OxmlElement``, its names worked out once per tag."""
    name, nsmap = _name(tag)
    element: Element = oxml_parser.makeelement(name, nsmap=nsmap)
    for key, value in attrs.items():
        element.set(_attribute(key), value)
    return element


def run(
    text: str = "",
    *,
    style: str | None = None,
    lang: str | None = None,
    child: Element | None = None,
) -> Element:
    """A ``w:r`` of ``text`` (tabs and breaks kept), in character style ``style`` (an id)
    and language ``lang`` (``ko``/``en``), or holding ``child`` (a break, a field code)."""
    r = el("w:r")
    if style or lang:
        rpr = el("w:rPr")
        if style:
            rpr.append(el("w:rStyle", val=style))
        if lang:
            rpr.append(el("w:lang", val=LANGS.get(lang, lang), eastAsia="ko-KR"))
        r.append(rpr)
    if child is not None:
        r.append(child)
    if text:
        t = el("w:t")
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        r.append(t)
    return r


def hyperlink(*, rid: str | None = None, anchor: str | None = None) -> Element:
    """A ``w:hyperlink`` to an external address (relationship ``rid``) or a bookmark."""
    link = el("w:hyperlink")
    if rid is not None:
        link.set(qn("r:id"), rid)
    if anchor is not None:
        link.set(qn("w:anchor"), anchor)
    link.set(qn("w:history"), "1")
    return link


def external(part: Part, url: str) -> str:
    """The relationship id of an external link from ``part``."""
    rid: str = part.relate_to(url, RT.HYPERLINK, is_external=True)
    return rid


SVG_BLIP = "{96DAC541-7B7A-43D3-8B79-37D633B846F1}"
"""The extension of ``a:blip`` through which Word 2016+ shows a picture's SVG form."""


def svg_blip(part: Part, inline: Element, svg: bytes) -> None:
    """The picture of ``inline`` (made by python-docx in ``part``) shown from ``svg`` where
    Word can: the drawing is an image part named as the bitmap's (``image3.png`` →
    ``image3.svg``), which stays the blip's own picture for every other reader."""
    blip = inline.find(".//" + qn("a:blip"))
    bitmap = part.related_parts[blip.get(qn("r:embed"))]
    name = PackURI(bitmap.partname.rsplit(".", 1)[0] + ".svg")
    drawing = next((p for p in part.package.iter_parts() if p.partname == name), None) or Part(
        name, "image/svg+xml", svg, part.package
    )
    rid = part.relate_to(drawing, RT.IMAGE)
    blip.append(
        parse_xml(
            f'<a:extLst {nsdecls("a", "r")}><a:ext uri="{SVG_BLIP}">'
            '<asvg:svgBlip xmlns:asvg="http://schemas.microsoft.com/office/drawing/2016/SVG/main"'
            f' r:embed="{rid}"/></a:ext></a:extLst>'
        )
    )


def bookmark(p: Element, name: str, number: int) -> None:
    """A bookmark ``name`` around the start of paragraph ``p`` (links and the TOC go there)."""
    start = el("w:bookmarkStart", id=str(number), name=name)
    end = el("w:bookmarkEnd", id=str(number))
    ppr = p.find(qn("w:pPr"))
    at = 0 if ppr is None else list(p).index(ppr) + 1
    p.insert(at, start)
    p.insert(at + 1, end)


# -- footnotes ------------------------------------------------------------------------------

_FOOTNOTES = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>'
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0"'
    ' w:line="240" w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p>'
    "</w:footnote></w:footnotes>"
)


def footnotes_part(document: StoryPart) -> StoryPart:
    """The document's footnotes part, made (with Word's two separators) when missing."""
    for rel in document.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            target = rel.target_part
            assert isinstance(target, StoryPart)
            return target
    part = StoryPart(
        PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(_FOOTNOTES), document.package
    )
    document.relate_to(part, RT.FOOTNOTES)
    settings = document.package.main_document_part.settings.element
    if settings.find(qn("w:footnotePr")) is None:
        pr = el("w:footnotePr")
        pr.append(el("w:footnote", id="-1"))
        pr.append(el("w:footnote", id="0"))
        _insert_setting(settings, pr)
    return part


def new_footnote(part: StoryPart, number: int) -> Element:
    """An empty ``w:footnote`` with id ``number`` at the end of the footnotes part."""
    note = el("w:footnote", id=str(number))
    part.element.append(note)
    return note


def footnote_reference(number: int, style: str, *, custom: str | None = None) -> list[Element]:
    """The runs of a footnote's mark in the text: Word's number, or the mark ``custom``."""
    ref = el("w:footnoteReference", id=str(number))
    if custom is not None:  # the mark follows in the same run, as Word writes it
        ref.set(qn("w:customMarkFollows"), "1")
    return [run(custom or "", style=style, child=ref)]


def footnote_mark(style: str, *, custom: str | None = None) -> Element:
    """The mark at the start of a footnote's own text."""
    if custom is not None:
        return run(custom, style=style)
    return run(style=style, child=el("w:footnoteRef"))


# -- settings -------------------------------------------------------------------------------

_SETTINGS_ORDER = [
    "w:writeProtection",
    "w:view",
    "w:zoom",
    "w:removePersonalInformation",
    "w:removeDateAndTime",
    "w:doNotDisplayPageBoundaries",
    "w:displayBackgroundShape",
    "w:printPostScriptOverText",
    "w:printFractionalCharacterWidth",
    "w:printFormsData",
    "w:embedTrueTypeFonts",
    "w:embedSystemFonts",
    "w:saveSubsetFonts",
    "w:saveFormsData",
    "w:mirrorMargins",
    "w:alignBordersAndEdges",
    "w:bordersDoNotSurroundHeader",
    "w:bordersDoNotSurroundFooter",
    "w:gutterAtTop",
    "w:hideSpellingErrors",
    "w:hideGrammaticalErrors",
    "w:activeWritingStyle",
    "w:proofState",
    "w:formsDesign",
    "w:attachedTemplate",
    "w:linkStyles",
    "w:stylePaneFormatFilter",
    "w:stylePaneSortMethod",
    "w:documentType",
    "w:mailMerge",
    "w:revisionView",
    "w:trackRevisions",
    "w:doNotTrackMoves",
    "w:doNotTrackFormatting",
    "w:documentProtection",
    "w:autoFormatOverride",
    "w:styleLockTheme",
    "w:styleLockQFSet",
    "w:defaultTabStop",
    "w:autoHyphenation",
    "w:consecutiveHyphenLimit",
    "w:hyphenationZone",
    "w:doNotHyphenateCaps",
    "w:showEnvelope",
    "w:summaryLength",
    "w:clickAndTypeStyle",
    "w:defaultTableStyle",
    "w:evenAndOddHeaders",
    "w:bookFoldRevPrinting",
    "w:bookFoldPrinting",
    "w:bookFoldPrintingSheets",
    "w:drawingGridHorizontalSpacing",
    "w:drawingGridVerticalSpacing",
    "w:displayHorizontalDrawingGridEvery",
    "w:displayVerticalDrawingGridEvery",
    "w:doNotUseMarginsForDrawingGridOrigin",
    "w:drawingGridHorizontalOrigin",
    "w:drawingGridVerticalOrigin",
    "w:doNotShadeFormData",
    "w:noPunctuationKerning",
    "w:characterSpacingControl",
    "w:printTwoOnOne",
    "w:strictFirstAndLastChars",
    "w:noLineBreaksAfter",
    "w:noLineBreaksBefore",
    "w:savePreviewPicture",
    "w:doNotValidateAgainstSchema",
    "w:saveInvalidXml",
    "w:ignoreMixedContent",
    "w:alwaysShowPlaceholderText",
    "w:doNotDemarcateInvalidXml",
    "w:saveXmlDataOnly",
    "w:useXSLTWhenSaving",
    "w:saveThroughXslt",
    "w:showXMLTags",
    "w:alwaysMergeEmptyNamespace",
    "w:updateFields",
    "w:hdrShapeDefaults",
    "w:footnotePr",
    "w:endnotePr",
    "w:compat",
    "w:docVars",
    "w:rsids",
    "m:mathPr",
    "w:attachedSchema",
    "w:themeFontLang",
    "w:clrSchemeMapping",
]
"""CT_Settings' child order: Word refuses a settings part whose children are out of it."""


def _insert_setting(settings: Element, child: Element) -> None:
    def rank(node: Element) -> int:
        prefix, _, local = str(node.tag).rpartition("}")
        name = ("m:" if "math" in prefix else "w:") + local
        return _SETTINGS_ORDER.index(name) if name in _SETTINGS_ORDER else len(_SETTINGS_ORDER)

    for old in settings.findall(child.tag):
        settings.remove(old)
    mine = rank(child)
    for at, node in enumerate(settings):
        if rank(node) > mine:
            settings.insert(at, child)
            return
    settings.append(child)


def set_setting(settings: Element, tag: str, **attrs: str) -> None:
    """Put ``tag`` (with ``attrs``) into a settings part, in its schema place."""
    _insert_setting(settings, el(tag, **attrs))


# -- numbering ------------------------------------------------------------------------------

BULLETS = ("•", "◦", "▪")


def _level(ilvl: int, fmt: str, text: str) -> str:
    indent = 425 * (ilvl + 1) + (142 if fmt != "bullet" else 0)  # room for "12."
    return (
        f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/>'
        f'<w:lvlText w:val="{text}"/><w:lvlJc w:val="left"/>'
        f'<w:pPr><w:ind w:left="{indent}" w:hanging="{283 if fmt == "bullet" else 425}"/>'
        "</w:pPr></w:lvl>"
    )


def abstract_numbering(numbering: Element, number: int, *, ordered: bool) -> None:
    """A list definition: bullets (•, ◦, ▪ by level) or numbers (1., a., i., …)."""
    formats = ("decimal", "lowerLetter", "lowerRoman")
    levels = "".join(
        _level(i, formats[i % 3], f"%{i + 1}.") if ordered else _level(i, "bullet", BULLETS[i % 3])
        for i in range(9)
    )
    kind = "hybridMultilevel"
    xml = (
        f'<w:abstractNum {nsdecls("w")} w:abstractNumId="{number}">'
        f'<w:multiLevelType w:val="{kind}"/>{levels}</w:abstractNum>'
    )
    first_num = numbering.find(qn("w:num"))
    node = parse_xml(xml)
    if first_num is None:
        numbering.append(node)
    else:
        first_num.addprevious(node)


def numbering_instance(numbering: Element, number: int, abstract: int, start: int) -> None:
    """A list (``w:num``) of definition ``abstract`` whose first level starts at ``start``."""
    xml = (
        f'<w:num {nsdecls("w")} w:numId="{number}"><w:abstractNumId w:val="{abstract}"/>'
        f'<w:lvlOverride w:ilvl="0"><w:startOverride w:val="{start}"/></w:lvlOverride>'
        "</w:num>"
    )
    numbering.append(parse_xml(xml))


def list_item(p: Element, number: int, level: int) -> None:
    """Make paragraph ``p`` an item of list ``number`` at ``level``."""
    ppr = p.find(qn("w:pPr"))
    if ppr is None:
        ppr = el("w:pPr")
        p.insert(0, ppr)
    num = el("w:numPr")
    num.append(el("w:ilvl", val=str(level)))
    num.append(el("w:numId", val=str(number)))
    set_ppr(ppr, num)


def field_start(p: Element, instruction: str) -> None:
    """The start of a complex field in ``p``: its code; the result shown until it is
    updated follows, then :func:`field_end` (possibly paragraphs later)."""
    p.append(run(child=el("w:fldChar", fldCharType="begin", dirty="true")))
    code = el("w:instrText")
    code.text = f" {instruction} "
    code.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    p.append(run(child=code))
    p.append(run(child=el("w:fldChar", fldCharType="separate")))


def field_end(p: Element) -> None:
    """The end of a complex field."""
    p.append(run(child=el("w:fldChar", fldCharType="end")))


def simple_field(p: Element, instruction: str, shown: str, lang: str) -> None:
    """A simple field (``PAGE``) showing ``shown`` until updated."""
    node = el("w:fldSimple", instr=f" {instruction} ")
    node.append(run(shown, lang=lang))
    p.append(node)


_PPR_ORDER = [
    "pStyle",
    "keepNext",
    "keepLines",
    "pageBreakBefore",
    "framePr",
    "widowControl",
    "numPr",
    "suppressLineNumbers",
    "pBdr",
    "shd",
    "tabs",
    "suppressAutoHyphens",
    "kinsoku",
    "wordWrap",
    "overflowPunct",
    "topLinePunct",
    "autoSpaceDE",
    "autoSpaceDN",
    "bidi",
    "adjustRightInd",
    "snapToGrid",
    "spacing",
    "ind",
    "contextualSpacing",
    "mirrorIndents",
    "suppressOverlap",
    "jc",
    "textDirection",
    "textAlignment",
    "textboxTightWrap",
    "outlineLvl",
    "divId",
    "cnfStyle",
    "rPr",
    "sectPr",
    "pPrChange",
]
"""CT_PPr's child order: Word refuses paragraph properties out of it."""


def set_ppr(ppr: Element, child: Element) -> None:
    """Put ``child`` into paragraph properties ``ppr`` in its schema place, replacing its
    namesake."""
    name = str(child.tag).rpartition("}")[2]
    for old in ppr.findall(child.tag):
        ppr.remove(old)
    mine = _PPR_ORDER.index(name)
    for node in ppr:
        local = str(node.tag).rpartition("}")[2]
        if local in _PPR_ORDER and _PPR_ORDER.index(local) > mine:
            node.addprevious(child)
            return
    ppr.append(child)
