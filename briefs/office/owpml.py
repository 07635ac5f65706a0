"""OWPML (KS X 6101, HWPX) parts written with :mod:`xml.etree`: the named styles of
``Contents/header.xml`` and the package's small parts.

Every paragraph style has its own paragraph and character shapes, every character style its
own character shape, so a paragraph or run names its style and carries no formatting of its
own. Every paragraph shape breaks Hangul and Latin text by word (``KEEP_WORD``, 한글's
"어절" line breaking). The face is Pretendard GOV in every script slot, with 맑은 고딕 as its
substitute font.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

NS = {
    "ha": "http://www.hancom.co.kr/hwpml/2011/app",
    "hp": "http://www.hancom.co.kr/hwpml/2011/paragraph",
    "hs": "http://www.hancom.co.kr/hwpml/2011/section",
    "hc": "http://www.hancom.co.kr/hwpml/2011/core",
    "hh": "http://www.hancom.co.kr/hwpml/2011/head",
    "hv": "http://www.hancom.co.kr/hwpml/2011/version",
    "hpf": "http://www.hancom.co.kr/schema/2011/hpf",
    "opf": "http://www.idpf.org/2007/opf/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "hp10": "http://www.hancom.co.kr/hwpml/2016/paragraph",
    "hhs": "http://www.hancom.co.kr/hwpml/2011/history",
    "hm": "http://www.hancom.co.kr/hwpml/2011/master-page",
    "ooxmlchart": "http://www.hancom.co.kr/hwpml/2016/ooxmlchart",
    "hwpunitchar": "http://www.hancom.co.kr/hwpml/2016/HwpUnitChar",
    "epub": "http://www.idpf.org/2007/ops",
    "config": "urn:oasis:names:tc:opendocument:xmlns:config:1.0",
    "ocf": "urn:oasis:names:tc:opendocument:xmlns:container",
    "odf": "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0",
}
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)
ROOT_PREFIXES: tuple[str, ...] = (
    "ha",
    "hp",
    "hp10",
    "hs",
    "hc",
    "hh",
    "hhs",
    "hm",
    "hpf",
    "dc",
    "opf",
)
ROOT_PREFIXES += ("ooxmlchart", "hwpunitchar", "epub", "config")
"""What 한글 declares on the root of header.xml and a section, used or not."""
_DECLARATIONS = re.compile(r'\s+xmlns:\w+="[^"]*"')

FACE = "Pretendard GOV"
FALLBACK = "맑은 고딕"
SCRIPTS = ("HANGUL", "LATIN", "HANJA", "JAPANESE", "OTHER", "SYMBOL", "USER")
LANG_IDS = {"ko": "1042", "en": "1033"}
UNIT = 100
"""HWPUNITs in a point (7200 to the inch)."""


def q(name: str) -> str:
    """``prefix:local`` as an ElementTree name."""
    prefix, local = name.split(":")
    return f"{{{NS[prefix]}}}{local}"


def el(
    tag: str, parent: ET.Element | None = None, text: str | None = None, /, **attrs: object
) -> ET.Element:
    """A new element (under ``parent``); ``attrs`` in the order given, ``_`` for ``-``."""
    values = {k.rstrip("_").replace("__", "-"): str(v) for k, v in attrs.items()}
    node = ET.Element(q(tag), values) if parent is None else ET.SubElement(parent, q(tag), values)
    if text is not None:
        node.text = text
    return node


def xml(root: ET.Element, *, hwpml: bool = False) -> bytes:
    """A part's bytes: a standalone declaration and UTF-8; ``hwpml`` roots (header, section)
    declare every namespace 한글 declares there."""
    text = ET.tostring(root, encoding="unicode")
    if hwpml:
        end = text.index(">")
        start = _DECLARATIONS.sub("", text[:end])
        names = "".join(f' xmlns:{p}="{NS[p]}"' for p in ROOT_PREFIXES)
        text = start.rstrip("/") + names + ("/" if start.endswith("/") else "") + text[end:]
    declaration = '<?xml version="1.0" encoding="UTF-8" standalone="yes" ?>'
    return (declaration + text).encode("utf-8")


@dataclass(frozen=True)
class Style:
    """A named style: its Korean name, English name and look."""

    name: str
    eng: str
    size: float = 10.5
    bold: bool = False
    italic: bool = False
    color: str = "#1A1A1A"
    align: str = "JUSTIFY"
    before: float = 0.0
    after: float = 4.0
    left: float = 0.0
    indent: float = 0.0
    line: int = 160
    outline: int | None = None
    char: bool = False
    script: str = ""  # SUPERSCRIPT / SUBSCRIPT
    mono: bool = False


STYLES = (
    Style("바탕글", "Normal"),
    Style("본문", "Body Text"),
    Style("제목", "Title", size=22, bold=True, align="LEFT", after=8, line=130),
    Style("부제목", "Subtitle", size=13, color="#3A4A5A", align="LEFT", after=10),
    Style("개요 1", "Heading 1", size=15, bold=True, align="LEFT", before=14, after=6, outline=0),
    Style("개요 2", "Heading 2", size=12.5, bold=True, align="LEFT", before=10, after=4, outline=1),
    Style("개요 3", "Heading 3", size=11, bold=True, align="LEFT", before=8, after=3, outline=2),
    Style("개요 4", "Heading 4", size=10.5, bold=True, align="LEFT", before=6, outline=3),
    Style("개요 5", "Heading 5", size=10.5, italic=True, align="LEFT", before=6, outline=4),
    Style("표지 정보", "Cover Meta", size=9.5, color="#3A4A5A", align="LEFT"),
    Style("표지 사실", "Cover Fact", size=10, align="LEFT", after=2),
    Style("신뢰도", "Confidence", size=9.5, color="#3A4A5A"),
    Style("근거 제목", "Evidence Title", bold=True, before=6),
    Style("독자 메모 제목", "Audience Note Title", bold=True, left=8, before=6),
    Style("독자 메모", "Audience Note", left=8),
    Style("출처 줄", "Source Line", size=9, color="#3A4A5A"),
    Style("근거 링크", "Based On", size=9, color="#3A4A5A"),
    Style("권고 사항", "Recommendation Fact", size=10, left=8, after=2),
    Style("인용", "Quote", left=14, italic=True),
    Style("코드", "Preformatted", size=9, align="LEFT", mono=True),
    Style("차례 제목", "TOC Heading", size=13, bold=True, align="LEFT", after=6),
    Style("차례 1", "TOC 1", align="LEFT", after=1),
    Style("용어", "Glossary Term", bold=True, after=1),
    Style("용어 풀이", "Glossary Definition", left=10),
    Style("목록", "List Paragraph", after=2),
    Style("참고문헌", "Reference", size=9.5, after=2),
    Style("표 머리", "Table Heading", size=9.5, bold=True, align="LEFT", after=0, line=140),
    Style("표 내용", "Table Text", size=9.5, align="LEFT", after=0, line=140),
    Style("핵심 수치", "Key Figure Value", size=14, bold=True, align="LEFT", after=0, line=130),
    Style("핵심 수치 설명", "Key Figure Label", size=9.5, align="LEFT", after=0, line=140),
    Style("그림", "Figure", align="CENTER", after=2),
    Style("캡션", "Caption", size=9, bold=True, align="LEFT", before=6, after=2),
    Style("판권", "Colophon", size=8.5, color="#3A4A5A"),
    Style("각주", "Footnote Text", size=8.5, after=1, line=140),
    Style("머리말", "Header", size=8.5, color="#3A4A5A", align="RIGHT"),
    Style("진하게", "Strong", char=True, bold=True),
    Style("기울임", "Emphasis", char=True, italic=True),
    Style("코드 글자", "Code", char=True, size=9.5, mono=True),
    Style("아래 첨자", "Subscript", char=True, script="SUBSCRIPT"),
    Style("위 첨자", "Superscript", char=True, script="SUPERSCRIPT"),
    Style("취소선", "Deleted", char=True, color="#6A6A6A"),
    Style("강조 표시", "Marked", char=True, bold=True),
    Style("배지", "Badge", char=True, size=9, bold=True, color="#2A4A6A"),
    Style("하이퍼링크", "Hyperlink", char=True, color="#0B4F8A"),
    Style("인용 번호", "Citation", char=True, script="SUPERSCRIPT", color="#0B4F8A"),
    Style("사실 이름", "Fact Label", char=True, bold=True),
    Style("각주 번호", "Footnote Reference", char=True, script="SUPERSCRIPT"),
)
"""The styles, paragraph styles first; style *n* has paragraph shape *n* (paragraph styles)
and character shape *n*."""
STYLE_IDS = {s.eng: n for n, s in enumerate(STYLES)}


@dataclass
class Shapes:
    """Shapes taken from a reference document (:mod:`briefs.office.reference`), by style."""

    chars: dict[int, ET.Element] = field(default_factory=dict)
    """A style's id → its character shape (its ``id`` that style's)."""
    paras: dict[int, ET.Element] = field(default_factory=dict)
    """A paragraph style's id → its paragraph shape."""
    fonts: dict[str, list[ET.Element]] = field(default_factory=dict)
    """A script → the faces the shapes name beyond the edition's own three (ids 3, 4, …)."""


def _fonts(parent: ET.Element, extra: dict[str, list[ET.Element]]) -> None:
    faces = el("hh:fontfaces", parent, itemCnt=len(SCRIPTS))
    for script in SCRIPTS:
        face = el("hh:fontface", faces, lang=script, fontCnt=3 + len(extra.get(script, [])))
        main = el("hh:font", face, id=0, face=FACE, type="TTF", isEmbedded=0)
        el("hh:substFont", main, face=FALLBACK, type="TTF", isEmbedded=0, binaryItemIDRef="")
        el(
            "hh:typeInfo",
            main,
            familyType="FCAT_GOTHIC",
            weight=6,
            proportion=4,
            contrast=0,
            strokeVariation=1,
            armStyle=1,
            letterform=1,
            midline=1,
            xHeight=1,
        )
        el("hh:font", face, id=1, face=FALLBACK, type="TTF", isEmbedded=0)
        el("hh:font", face, id=2, face="D2Coding", type="TTF", isEmbedded=0)
        face.extend(extra.get(script, []))


def _border_fills(parent: ET.Element) -> None:
    fills = el("hh:borderFills", parent, itemCnt=3)
    for ident, line, shade in ((1, "NONE", None), (2, "SOLID", None), (3, "SOLID", "#E8EEF4")):
        fill = el("hh:borderFill", fills, id=ident, threeD=0, shadow=0, centerLine="NONE")
        fill.set("breakCellSeparateLine", "0")
        el("hh:slash", fill, type="NONE", Crooked=0, isCounter=0)
        el("hh:backSlash", fill, type="NONE", Crooked=0, isCounter=0)
        for side in ("leftBorder", "rightBorder", "topBorder", "bottomBorder"):
            el(f"hh:{side}", fill, type=line, width="0.12 mm", color="#8A9AAA")
        el("hh:diagonal", fill, type="SOLID", width="0.1 mm", color="#000000")
        if shade:
            brush = el("hc:fillBrush", fill)
            el("hc:winBrush", brush, faceColor=shade, hatchColor="#999999", alpha=0)


def _char_pr(parent: ET.Element, ident: int, style: Style, base: Style) -> None:
    size = (
        style.size if style.char and style.size != 10.5 else base.size if style.char else style.size
    )
    pr = el("hh:charPr", parent, id=ident, height=round(size * UNIT), textColor=style.color)
    pr.attrib.update(shadeColor="none", useFontSpace="0", useKerning="0", symMark="NONE")
    pr.set("borderFillIDRef", "1")
    font = "2" if style.mono else "0"
    el(
        "hh:fontRef",
        pr,
        **{k: font for k in ("hangul", "latin", "hanja", "japanese", "other", "symbol", "user")},
    )
    for part, value in (("ratio", 100), ("spacing", 0), ("relSz", 100), ("offset", 0)):
        el(
            f"hh:{part}",
            pr,
            **{
                k: value
                for k in ("hangul", "latin", "hanja", "japanese", "other", "symbol", "user")
            },
        )
    if style.bold:
        el("hh:bold", pr)
    if style.italic:
        el("hh:italic", pr)
    el("hh:underline", pr, type="NONE", shape="SOLID", color="#000000")
    el("hh:strikeout", pr, shape="SOLID" if style.eng == "Deleted" else "NONE", color="#000000")
    el("hh:outline", pr, type="NONE")
    el("hh:shadow", pr, type="NONE", color="#B2B2B2", offsetX=10, offsetY=10)
    if style.script == "SUPERSCRIPT":
        el("hh:supscript", pr)
    elif style.script == "SUBSCRIPT":
        el("hh:subscript", pr)


def para_pr(
    parent: ET.Element,
    ident: int,
    style: Style,
    *,
    head: str = "NONE",
    ref: int = 0,
    level: int = 0,
) -> None:
    """A paragraph shape: ``style``'s, with list or outline numbering ``head``."""
    if style.outline is not None and head == "NONE":
        head, ref, level = "OUTLINE", 1, style.outline
    pr = el("hh:paraPr", parent, id=ident, tabPrIDRef=0, condense=0, fontLineHeight=0)
    pr.attrib.update(snapToGrid="1", suppressLineNumbers="0", checked="0")
    el("hh:align", pr, horizontal=style.align, vertical="BASELINE")
    el("hh:heading", pr, type=head, idRef=ref, level=level)
    el(
        "hh:breakSetting",
        pr,
        breakLatinWord="KEEP_WORD",
        breakNonLatinWord="KEEP_WORD",
        widowOrphan=1,
        keepWithNext=1 if style.outline is not None else 0,
        keepLines=0,
        pageBreakBefore=0,
        lineWrap="BREAK",
    )
    el("hh:autoSpacing", pr, eAsianEng=0, eAsianNum=0)
    margin = el("hh:margin", pr)
    left = style.left + (level + 1) * 14 if head in ("BULLET", "NUMBER") else style.left
    indent = -14 if head in ("BULLET", "NUMBER") else style.indent
    for side, value in (
        ("intent", indent),
        ("left", left),
        ("right", 0.0),
        ("prev", style.before),
        ("next", style.after),
    ):
        el(f"hc:{side}", margin, value=round(value * UNIT), unit="HWPUNIT")
    el("hh:lineSpacing", pr, type="PERCENT", value=style.line, unit="HWPUNIT")
    el(
        "hh:border",
        pr,
        borderFillIDRef=1,
        offsetLeft=0,
        offsetRight=0,
        offsetTop=0,
        offsetBottom=0,
        connect=0,
        ignoreMargin=0,
    )


def _para_head(parent: ET.Element, level: int, *, start: int | None = None) -> ET.Element:
    """A numbering's (with its ``start``) or a bullet's head at ``level``: digits, left,
    half a character from the text, in the paragraph's own character shape."""
    head = el("hh:paraHead", parent) if start is None else el("hh:paraHead", parent, start=start)
    head.attrib.update(level=str(level), align="LEFT", useInstWidth="0" if start is None else "1")
    head.attrib.update(autoIndent="1", widthAdjust="0", textOffsetType="PERCENT")
    head.attrib.update(textOffset="50", numFormat="DIGIT", charPrIDRef="4294967295")
    head.set("checkable", "0")
    return head


def _numbering(parent: ET.Element, ident: int, start: int, text: str) -> None:
    numbering = el("hh:numbering", parent, id=ident, start=start)
    for level in range(1, 8):
        head = _para_head(numbering, level, start=start if level == 1 else 1)
        head.text = text.replace("N", f"^{level}") if text else None


@dataclass
class Lists:
    """The list shapes a section asks for. Bullet lists share a shape per level; each
    numbered list has its own numbering (its start) and shapes. Ids follow on without gaps,
    after the styles' shapes and the outline's numbering (1)."""

    shapes: dict[tuple[bool, int, int, int], int] = field(default_factory=dict)
    """(ordered, numbering id or 0, level, 0) → paragraph shape id."""
    starts: dict[int, int] = field(default_factory=dict)
    """A numbered list's numbering id → its start."""
    ids: dict[int, int] = field(default_factory=dict)
    """A numbered list's number in the section → its numbering id."""

    def shape(self, ordered: bool, number: int, start: int, level: int) -> int:
        """The paragraph shape of a list item (list ``number`` of the section, ``level``
        deep)."""
        numbering = 0
        if ordered:
            numbering = self.ids.setdefault(number, len(self.ids) + 2)
            self.starts.setdefault(numbering, start)
        key = (ordered, numbering, level, 0)
        if key not in self.shapes:
            self.shapes[key] = len(STYLES) + len(self.shapes)
        return self.shapes[key]


def header(lists: Lists, lang: str, reference: Shapes | None = None) -> bytes:
    """``Contents/header.xml``: fonts, borders, shapes, numbering and the named styles (their
    shapes the ``reference``'s where it has them)."""
    reference = reference or Shapes()
    head = el("hh:head", version="1.4", secCnt=1)
    el("hh:beginNum", head, page=1, footnote=1, endnote=1, pic=1, tbl=1, equation=1)
    refs = el("hh:refList", head)
    _fonts(refs, reference.fonts)
    _border_fills(refs)
    chars = el("hh:charProperties", refs, itemCnt=len(STYLES))
    for n, style in enumerate(STYLES):
        if n in reference.chars:
            chars.append(reference.chars[n])
        else:
            _char_pr(chars, n, style, STYLES[0])
    el("hh:tabProperties", refs, itemCnt=1).append(
        ET.Element(q("hh:tabPr"), {"id": "0", "autoTabLeft": "0", "autoTabRight": "0"})
    )
    numberings = el("hh:numberings", refs, itemCnt=1 + len(lists.starts))
    _numbering(numberings, 1, 1, "")  # the outline: headings keep their own numbers as text
    for numbering, start in sorted(lists.starts.items()):
        _numbering(numberings, numbering, start, "N.")
    bullets = el("hh:bullets", refs, itemCnt=1)
    bullet = el("hh:bullet", bullets, id=1, char="•", useImage=0)
    _para_head(bullet, 0)
    paras = el("hh:paraProperties", refs, itemCnt=len(STYLES) + len(lists.shapes))
    for n, style in enumerate(STYLES):
        if n in reference.paras:
            paras.append(reference.paras[n])
        else:
            para_pr(paras, n, style)
    base = STYLES[STYLE_IDS["List Paragraph"]]
    for (ordered, number, level, _), ident in sorted(lists.shapes.items(), key=lambda kv: kv[1]):
        para_pr(
            paras,
            ident,
            base,
            head="NUMBER" if ordered else "BULLET",
            ref=number if ordered else 1,
            level=level,
        )
    styles = el("hh:styles", refs, itemCnt=len(STYLES))
    for n, style in enumerate(STYLES):
        el(
            "hh:style",
            styles,
            id=n,
            type="CHAR" if style.char else "PARA",
            name=style.name,
            engName=style.eng,
            paraPrIDRef=0 if style.char else n,
            charPrIDRef=n,
            nextStyleIDRef=0 if style.char else n,
            langID=LANG_IDS.get(lang, "1042"),
            lockForm=0,
        )
    compatible = el("hh:compatibleDocument", head, targetProgram="HWP201X")
    el("hh:layoutCompatibility", compatible)
    option = el("hh:docOption", head)
    el("hh:linkinfo", option, path="", pageInherit=0, footnoteInherit=0)
    return xml(head, hwpml=True)


def container() -> bytes:
    root = el("ocf:container")
    files = el("ocf:rootfiles", root)
    el(
        "ocf:rootfile",
        files,
        full__path="Contents/content.hpf",
        media__type="application/hwpml-package+xml",
    )
    return xml(root)


def manifest() -> bytes:
    return xml(el("odf:manifest"))


def version() -> bytes:
    return xml(
        el(
            "hv:HCFVersion",
            tagetApplication="WORDPROCESSOR",
            major=5,
            minor=1,
            micro=0,
            buildNumber=1,
            os=1,
            xmlVersion="1.4",
            application="briefs",
            appVersion="1",
        )
    )


def settings() -> bytes:
    root = el("ha:HWPApplicationSetting")
    el("ha:CaretPosition", root, listIDRef=0, paraIDRef=0, pos=0)
    return xml(root)


def content(meta: dict[str, str], lang: str, images: list[tuple[str, str]]) -> bytes:
    """``Contents/content.hpf``: the document's properties and its parts."""
    package = el("opf:package", version="", unique__identifier="", id="")
    metadata = el("opf:metadata", package)
    el("opf:title", metadata, meta.get("title", ""))
    el("opf:language", metadata, lang)
    for name in (
        "creator",
        "subject",
        "description",
        "lastsaveby",
        "CreatedDate",
        "ModifiedDate",
        "date",
        "keyword",
    ):
        el("opf:meta", metadata, meta.get(name, ""), name=name, content="text")
    items = el("opf:manifest", package)
    el("opf:item", items, id="header", href="Contents/header.xml", media__type="application/xml")
    el(
        "opf:item",
        items,
        id="section0",
        href="Contents/section0.xml",
        media__type="application/xml",
    )
    el("opf:item", items, id="version", href="version.xml", media__type="application/xml")
    el("opf:item", items, id="settings", href="settings.xml", media__type="application/xml")
    for ident, kind in images:
        el(
            "opf:item",
            items,
            id=ident,
            href=f"BinData/{ident}.{kind}",
            media__type="image/jpeg" if kind == "jpg" else f"image/{kind}",
            isEmbeded=1,
        )
    spine = el("opf:spine", package)
    el("opf:itemref", spine, idref="header", linear="yes")
    el("opf:itemref", spine, idref="section0", linear="yes")
    return xml(package)
