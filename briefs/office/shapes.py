"""OWPML shapes of a section (the page set-up, pictures, tables: their frames; the writer
in :mod:`briefs.office.hwpx` fills them) and the HWPX package: ``mimetype`` first and
stored, then the fixed parts, every entry dated from the brief."""

from __future__ import annotations

import datetime as dt
from xml.etree import ElementTree as ET

from briefs.office import owpml
from briefs.office.owpml import el
from briefs.office.package import pack

MIMETYPE = "application/hwp+zip"
ORDER: tuple[str, ...] = (
    "mimetype",
    "version.xml",
    "META-INF/container.xml",
    "META-INF/manifest.xml",
)
ORDER += ("Contents/content.hpf", "Contents/header.xml", "Contents/section0.xml", "settings.xml")

PAGE = (59528, 84186)  # A4 in HWPUNITs
MARGIN = 5669  # 20 mm


def section_start(p: ET.Element, running_head: str) -> None:
    """The first paragraph: the page (A4), footnote shape, one column, the running head
    (in the 머리말 style) and page numbers at the foot."""
    run = el("hp:run", p, charPrIDRef=0)
    sec = el(
        "hp:secPr",
        run,
        id="",
        textDirection="HORIZONTAL",
        spaceColumns=1134,
        tabStop=8000,
        tabStopVal=4000,
        tabStopUnit="HWPUNIT",
        outlineShapeIDRef=1,
        memoShapeIDRef=0,
        textVerticalWidthHead=0,
        masterPageCnt=0,
    )
    el("hp:startNum", sec, pageStartsOn="BOTH", page=0, pic=0, tbl=0, equation=0)
    el("hp:grid", sec, lineGrid=0, charGrid=0, wonggojiFormat=0)
    el(
        "hp:visibility",
        sec,
        hideFirstHeader=0,
        hideFirstFooter=0,
        hideFirstMasterPage=0,
        border="SHOW_ALL",
        fill="SHOW_ALL",
        hideFirstPageNum=0,
        hideFirstEmptyLine=0,
        showLineNumber=0,
    )
    el("hp:lineNumberShape", sec, restartType=0, countBy=0, distance=0, startNumber=0)
    page = el(
        "hp:pagePr", sec, landscape="WIDELY", width=PAGE[0], height=PAGE[1], gutterType="LEFT_ONLY"
    )
    el(
        "hp:margin",
        page,
        header=4252,
        footer=4252,
        gutter=0,
        left=MARGIN,
        right=MARGIN,
        top=MARGIN,
        bottom=MARGIN,
    )
    for kind, place in (("footNotePr", "EACH_COLUMN"), ("endNotePr", "END_OF_DOCUMENT")):
        notes = el(f"hp:{kind}", sec)
        el(
            "hp:autoNumFormat",
            notes,
            type="DIGIT",
            userChar="",
            prefixChar="",
            suffixChar=")",
            supscript=0,
        )
        el("hp:noteLine", notes, length=-1, type="SOLID", width="0.12 mm", color="#000000")
        el("hp:noteSpacing", notes, betweenNotes=283, belowLine=567, aboveLine=850)
        el("hp:numbering", notes, type="CONTINUOUS", newNum=1)
        el("hp:placement", notes, place=place, beneathText=0)
    border = el(
        "hp:pageBorderFill",
        sec,
        type="BOTH",
        borderFillIDRef=1,
        textBorder="PAPER",
        headerInside=0,
        footerInside=0,
        fillArea="PAPER",
    )
    el("hp:offset", border, left=1417, right=1417, top=1417, bottom=1417)
    el(
        "hp:colPr",
        el("hp:ctrl", run),
        id="",
        type="NEWSPAPER",
        layout="LEFT",
        colCount=1,
        sameSz=1,
        sameGap=0,
    )
    style = owpml.STYLE_IDS["Header"]
    header = el("hp:header", el("hp:ctrl", run), id=1, applyPageType="BOTH")
    sub = el("hp:subList", header, id="", textDirection="HORIZONTAL", lineWrap="BREAK")
    sub.attrib.update(vertAlign="BOTTOM", linkListIDRef="0", linkListNextIDRef="0")
    sub.attrib.update(textWidth=str(PAGE[0] - 2 * MARGIN), textHeight="4252")
    sub.attrib.update(hasTextRef="0", hasNumRef="0")
    para = el("hp:p", sub, id=0, paraPrIDRef=style, styleIDRef=style, pageBreak=0)
    para.attrib.update(columnBreak="0", merged="0")
    el("hp:t", el("hp:run", para, charPrIDRef=style), running_head)
    el("hp:pageNum", el("hp:ctrl", run), pos="BOTTOM_CENTER", formatType="DIGIT", sideChar="")


def _object(tag: str, run: ET.Element, number: int, kind: str, **attrs: object) -> ET.Element:
    """A drawing object (a picture, a table) numbered ``number`` in ``run``, counted with
    the ``kind`` (PICTURE, TABLE) of 그림 and 표 numbers, on its own lines."""
    return el(
        tag,
        run,
        id=number,
        zOrder=0,
        numberingType=kind,
        textWrap="TOP_AND_BOTTOM",
        textFlow="BOTH_SIDES",
        lock=0,
        dropcapstyle="None",
        **attrs,
    )


def _size_and_place(shape: ET.Element, width: int, height: int, *, as_char: bool) -> None:
    """A drawing object's size in HWPUNITs, and its place: in the paragraph, at the column's
    left (set as a character when ``as_char``)."""
    el("hp:sz", shape, width=width, widthRelTo="ABSOLUTE", height=height, heightRelTo="ABSOLUTE")
    shape[-1].set("protect", "0")
    pos = el("hp:pos", shape, treatAsChar=int(as_char), affectLSpacing=0, flowWithText=1)
    pos.attrib.update(allowOverlap="0", holdAnchorAndSO="0", vertRelTo="PARA")
    pos.attrib.update(horzRelTo="COLUMN", vertAlign="TOP", horzAlign="LEFT")
    pos.attrib.update(vertOffset="0", horzOffset="0")


def picture(run: ET.Element, number: int, ident: str, w: int, h: int, alt: str) -> None:
    """A picture of ``w`` × ``h`` HWPUNITs showing bin item ``ident``, set as a character,
    with ``alt`` as its comment (what 한글 shows as the picture's description)."""
    pic = _object("hp:pic", run, number, "PICTURE", href="", groupLevel=0, instid=number)
    pic.set("reverse", "0")
    el("hp:offset", pic, x=0, y=0)
    el("hp:orgSz", pic, width=w, height=h)
    el("hp:curSz", pic, width=w, height=h)
    el("hp:flip", pic, horizontal=0, vertical=0)
    el("hp:rotationInfo", pic, angle=0, centerX=w // 2, centerY=h // 2, rotateimage=1)
    info = el("hp:renderingInfo", pic)
    for matrix in ("transMatrix", "scaMatrix", "rotMatrix"):
        el(f"hc:{matrix}", info, e1=1, e2=0, e3=0, e4=0, e5=1, e6=0)
    el("hc:img", pic, binaryItemIDRef=ident, bright=0, contrast=0, effect="REAL_PIC", alpha=0)
    rect = el("hp:imgRect", pic)
    for n, (x, y) in enumerate(((0, 0), (w, 0), (w, h), (0, h))):
        el(f"hc:pt{n}", rect, x=x, y=y)
    el("hp:imgClip", pic, left=0, right=w, top=0, bottom=h)
    el("hp:inMargin", pic, left=0, right=0, top=0, bottom=0)
    el("hp:imgDim", pic, dimwidth=w, dimheight=h)
    el("hp:effects", pic)
    _size_and_place(pic, w, h, as_char=True)
    el("hp:outMargin", pic, left=0, right=0, top=0, bottom=0)
    el("hp:shapeComment", pic, alt)


def table(run: ET.Element, number: int, rows: int, columns: int, width: int) -> ET.Element:
    """A table of ``rows`` × ``columns`` cells, ``width`` HWPUNITs wide, whose header rows
    repeat on every page (the caller adds the rows)."""
    tbl = _object("hp:tbl", run, number, "TABLE", pageBreak="CELL", repeatHeader=1)
    tbl.attrib.update(rowCnt=str(rows), colCnt=str(columns), cellSpacing="0")
    tbl.attrib.update(borderFillIDRef="2", noAdjust="0")
    _size_and_place(tbl, width, rows * 1800, as_char=False)
    el("hp:outMargin", tbl, left=0, right=0, top=0, bottom=280)
    el("hp:inMargin", tbl, left=510, right=510, top=141, bottom=141)
    return tbl


SUBLIST = {"id": "", "textDirection": "HORIZONTAL", "lineWrap": "BREAK", "vertAlign": "TOP"}
SUBLIST |= {"linkListIDRef": "0", "linkListNextIDRef": "0", "textWidth": "0"}
SUBLIST |= {"textHeight": "0", "hasTextRef": "0", "hasNumRef": "0"}
"""The attributes of a cell's or a note's paragraph list."""


def cell(
    tr: ET.Element, row: int, column: int, width: int, *, header: bool, shaded: bool
) -> ET.Element:
    """A cell of row ``tr`` (at ``row``, ``column``; ``width`` HWPUNITs wide; in a
    ``header`` row; ``shaded`` as a heading cell): the paragraph list its text goes in."""
    tc = el("hp:tc", tr, name="", header=int(header), hasMargin=0, protect=0, editable=0)
    tc.attrib.update(dirty="0", borderFillIDRef="3" if shaded else "2")
    paragraphs = el("hp:subList", tc, **SUBLIST)
    el("hp:cellAddr", tc, colAddr=column, rowAddr=row)
    el("hp:cellSpan", tc, colSpan=1, rowSpan=1)
    el("hp:cellSz", tc, width=width, height=1800)
    el("hp:cellMargin", tc, left=510, right=510, top=141, bottom=141)
    return paragraphs


def hyperlink(run: ET.Element, ident: int, href: str) -> None:
    """The start of a HYPERLINK field to ``href`` (the caller adds its text and end)."""
    begin = el(
        "hp:fieldBegin",
        el("hp:ctrl", run),
        id=ident,
        type="HYPERLINK",
        name="",
        editable=0,
        dirty=0,
        zorder=-1,
        fieldid=ident,
    )
    params = el("hp:parameters", begin, cnt=3, name="")
    el("hp:integerParam", params, "0", name="Prop")
    command = href.replace("\\", "\\\\").replace(":", "\\:").replace("?", "\\?")
    el("hp:stringParam", params, f"{command};1;0;0;", name="Command")
    el("hp:stringParam", params, href, name="Path")


def package(
    section: ET.Element,
    lists: owpml.Lists,
    images: list[tuple[str, str, bytes]],
    meta: dict[str, str],
    lang: str,
    when: dt.datetime,
    reference: owpml.Shapes | None = None,
) -> bytes:
    """The HWPX package of ``section`` and its ``images`` (id, extension, bytes), the
    styles' shapes the ``reference``'s where it has them."""
    parts = {
        "mimetype": MIMETYPE.encode("ascii"),
        "version.xml": owpml.version(),
        "META-INF/container.xml": owpml.container(),
        "META-INF/manifest.xml": owpml.manifest(),
        "Contents/content.hpf": owpml.content(meta, lang, [(i, k) for i, k, _ in images]),
        "Contents/header.xml": owpml.header(lists, lang, reference),
        "Contents/section0.xml": owpml.xml(section, hwpml=True),
        "settings.xml": owpml.settings(),
        "Preview/PrvText.txt": "".join(section.itertext())[:1024].encode("utf-8"),
    }
    for ident, kind, data in images:
        parts[f"BinData/{ident}.{kind}"] = data
    return pack(parts, when, first=ORDER, stored=("mimetype",))
