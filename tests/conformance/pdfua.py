"""An independent PDF/UA-1 structure checker, on pikepdf, for the test suite (issue 16).

It reads only the PDF: the structure tree, the marked content of the page streams, the
annotations, fonts and metadata. It knows nothing of briefs or WeasyPrint. Its rules follow
the failure conditions of the Matterhorn Protocol 1.1 (the checkpoint is named in each
rule's description) that a machine can decide, plus the issue's: list items labelled,
furniture as Artifacts, notes with ids next to their marks, every glyph mapped to Unicode.

``check(path)`` returns the failures, each with its rule id; :data:`RULES` describes them.
``structure_text(path)`` returns the text of the structure tree in tree order, for the
reading-order test.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pikepdf

RULES: dict[str, str] = {
    "DOC-001": "catalog: /MarkInfo /Marked true (Matterhorn 06-001... 01-002)",
    "DOC-002": "XMP metadata holds pdfuaid:part 1 (06-002)",
    "DOC-003": "XMP metadata holds a non-empty dc:title (06-003)",
    "DOC-004": "ViewerPreferences /DisplayDocTitle is true (07-001)",
    "DOC-005": "catalog /Lang is set (11-006)",
    "STR-001": "every structure type is a standard PDF 1.7 type or role-mapped to one (02-001)",
    "STR-002": "every structure element's /P is its parent in the tree (the tree is a tree)",
    "CNT-001": "all text and images are marked content: tagged or Artifact (01-005)",
    "CNT-002": "no tagged content inside an Artifact, no Artifact inside tagged content (01-003, 01-004)",
    "CNT-003": "every MCID on a page belongs to exactly one structure element reachable "
    "from the root, and the ParentTree says which (01-006 … 01-007)",
    "PAG-001": "page furniture (text repeated at the same place in the top or bottom "
    "margin of three or more pages: running heads, page numbers) is an Artifact (18-001)",
    "PAG-002": "every page has /Tabs /S (28-? Tabs)",
    "LST-001": "an L holds only LI (and a Caption first) (16-001)",
    "LST-002": "an LI holds only Lbl and LBody, at most one of each, Lbl first (16-002)",
    "LST-003": "LI only in L; Lbl and LBody only in LI (16-003)",
    "HDG-001": "headings H1–H6 do not skip a level going down, and the first is H1 (14-002, 14-003)",
    "HDG-002": "numbered headings and H are not mixed (14-007)",
    "FIG-001": "every Figure has a non-empty /Alt (13-004)",
    "TBL-001": "every TH has a /Scope attribute (Column, Row or Both) (15-003)",
    "TBL-002": "tables are Table > (Caption, THead, TBody, TFoot | TR) > TR > (TH | TD); "
    "a Table with a THead puts its other rows in TBody/TFoot (15-001…)",
    "NTE-001": "every Note has an /ID (19-003)",
    "NTE-002": "Note IDs are unique (19-004)",
    "NTE-003": "every Note follows its mark: the element before it (past the other notes of "
    "the same mark) is a Reference or Link",
    "LNK-001": "every Link annotation is the OBJR of a Link structure element, and its "
    "/StructParent leads there (28-011, 28-002)",
    "LNK-002": "every Link annotation has a non-empty /Contents (28-008)",
    "LNK-003": "every annotation has the Print flag (/F bit 3) (PDF/A; the issue's LNK-004)",
    "LNG-001": "text in Hangul sits in an element whose language (inherited /Lang) is Korean (11-001)",
    "FNT-001": "every font is embedded (31-009)",
    "FNT-002": "every glyph shown maps to Unicode through /ToUnicode (31-027)",
}

STANDARD_TYPES = frozenset(
    [
        "Document",
        "Part",
        "Art",
        "Sect",
        "Div",
        "BlockQuote",
        "Caption",
        "TOC",
        "TOCI",
        "Index",
        "NonStruct",
        "Private",
        "P",
        "H",
        "H1",
        "H2",
        "H3",
        "H4",
        "H5",
        "H6",
        "L",
        "LI",
        "Lbl",
        "LBody",
        "Table",
        "TR",
        "TH",
        "TD",
        "THead",
        "TBody",
        "TFoot",
        "Span",
        "Quote",
        "Note",
        "Reference",
        "BibEntry",
        "Code",
        "Link",
        "Annot",
        "Ruby",
        "RB",
        "RT",
        "RP",
        "Warichu",
        "WT",
        "WP",
        "Figure",
        "Formula",
        "Form",
    ]
)
TABLE_GROUPS = frozenset({"THead", "TBody", "TFoot"})
HANGUL = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]")
TEXT_OPS = frozenset({"Tj", "TJ", "'", '"'})
PAINT_OPS = frozenset({"Tj", "TJ", "'", '"', "Do", "BI", "sh"})
FURNITURE_BAND = 0.12
"""The top and bottom share of the page where running heads and page numbers live."""
FURNITURE_SLACK = 0.003
"""How far (a share of the page height, about 2.5 pt on A4) text may start beyond the rest of
the body text and still be body text: baselines differ with font size."""


@dataclass(frozen=True)
class Failure:
    """One rule that does not hold, with where."""

    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.rule}: {self.message}"


@dataclass
class Elem:
    """A structure element, read from the PDF."""

    role: str
    obj: pikepdf.Dictionary
    parent: Elem | None
    kids: list[Elem | MarkedRef | ObjRef] = field(default_factory=list)

    @property
    def lang(self) -> str | None:
        node: Elem | None = self
        while node is not None:
            if "/Lang" in node.obj:
                return str(node.obj.Lang)
            node = node.parent
        return None

    def walk(self) -> Iterator[Elem]:
        yield self
        for kid in self.kids:
            if isinstance(kid, Elem):
                yield from kid.walk()

    def elements(self) -> list[Elem]:
        return [kid for kid in self.kids if isinstance(kid, Elem)]


@dataclass(frozen=True)
class MarkedRef:
    page: int
    mcid: int


@dataclass(frozen=True)
class ObjRef:
    obj: pikepdf.Object


@dataclass
class Marked:
    """One marked-content sequence of a page: its text and where it starts."""

    text: str = ""
    origin: tuple[float, float] | None = None


@dataclass
class PageContent:
    marked: dict[int, Marked] = field(default_factory=dict)
    """MCID → content."""
    artifact_text: list[str] = field(default_factory=list)
    unmarked: list[str] = field(default_factory=list)
    """Operators painting outside any marked content."""
    nested: list[str] = field(default_factory=list)
    unmapped: list[str] = field(default_factory=list)
    duplicate_mcids: list[int] = field(default_factory=list)


class Reader:
    """Everything the rules look at, read once."""

    def __init__(self, pdf: pikepdf.Pdf) -> None:
        self.pdf = pdf
        self.failures: list[Failure] = []
        self.page_index = {page.obj.objgen: n for n, page in enumerate(pdf.pages)}
        self.fonts: dict[tuple[int, int], tuple[dict[int, str], int]] = {}
        self.pages = [self._read_page(n, page) for n, page in enumerate(pdf.pages)]
        self.root: Elem | None = None
        self.role_map: dict[str, str] = {}
        tree = pdf.Root.get("/StructTreeRoot")
        if tree is not None:
            self.role_map = {str(k)[1:]: str(v)[1:] for k, v in tree.get("/RoleMap", {}).items()}
            self.root = Elem("StructTreeRoot", tree, None)
            self._read_kids(self.root, tree.get("/K"), None)

    # -- the structure tree ----------------------------------------------------------------

    def _read_kids(self, elem: Elem, k: object, page: int | None) -> None:
        if "/Pg" in elem.obj:
            page = self.page_index.get(elem.obj.Pg.objgen, page)
        items = list(k) if isinstance(k, pikepdf.Array) else ([] if k is None else [k])
        for item in items:
            if isinstance(item, int):
                if page is not None:
                    elem.kids.append(MarkedRef(page, int(item)))
            elif isinstance(item, pikepdf.Dictionary):
                kind = item.get("/Type")
                if kind == "/MCR":
                    pg = self.page_index.get(item.Pg.objgen) if "/Pg" in item else page
                    if pg is not None:
                        elem.kids.append(MarkedRef(pg, int(item.MCID)))
                elif kind == "/OBJR":
                    elem.kids.append(ObjRef(item.Obj))
                elif "/S" in item:
                    child = Elem(str(item.S)[1:], item, elem)
                    elem.kids.append(child)
                    if "/P" not in item or item.P.objgen != elem.obj.objgen:
                        self.failures.append(
                            Failure("STR-002", f"{child.role} element's /P is not its parent")
                        )
                    self._read_kids(child, item.get("/K"), page)

    def standard_role(self, role: str) -> str:
        seen = set()
        while role not in STANDARD_TYPES and role in self.role_map and role not in seen:
            seen.add(role)
            role = self.role_map[role]
        return role

    # -- page content --------------------------------------------------------------------

    def _font_map(self, font: pikepdf.Dictionary) -> tuple[dict[int, str], int]:
        key = font.objgen
        if key in self.fonts:
            return self.fonts[key]
        width = 2 if font.get("/Subtype") == "/Type0" else 1
        mapping: dict[int, str] = {}
        if "/ToUnicode" in font:
            mapping = _parse_cmap(font.ToUnicode.read_bytes().decode("latin-1"))
        self.fonts[key] = (mapping, width)
        return mapping, width

    def _read_page(self, number: int, page: pikepdf.Page) -> PageContent:
        content = PageContent()
        height = float(page.mediabox[3]) - float(page.mediabox[1])
        self._read_stream(page, page.obj.get("/Resources", {}), content, [], height, number)
        return content

    def _read_stream(
        self,
        source: object,
        resources: pikepdf.Dictionary,
        content: PageContent,
        stack: list[tuple[str, int | None]],
        height: float,
        number: int,
        ctm: tuple[float, ...] = (1, 0, 0, 1, 0, 0),
    ) -> None:
        fonts = resources.get("/Font", {})
        xobjects = resources.get("/XObject", {})
        ctm_stack: list[tuple[float, ...]] = []
        tm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
        tlm = tm
        leading = 0.0
        font: tuple[dict[int, str], int] = ({}, 1)
        for operands, operator in pikepdf.parse_content_stream(source):  # type: ignore[arg-type]
            op = str(operator)
            if op == "q":
                ctm_stack.append(ctm)
            elif op == "Q":
                ctm = ctm_stack.pop() if ctm_stack else ctm
            elif op == "cm":
                ctm = _mul(tuple(float(x) for x in operands), ctm)
            elif op == "BT":
                tm = tlm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
            elif op == "Tm":
                tm = tlm = tuple(float(x) for x in operands)
            elif op in ("Td", "TD"):
                tx, ty = float(operands[0]), float(operands[1])
                if op == "TD":
                    leading = -ty
                tm = tlm = _mul((1, 0, 0, 1, tx, ty), tlm)
            elif op == "TL":
                leading = float(operands[0])
            elif op == "T*":
                tm = tlm = _mul((1, 0, 0, 1, 0, -leading), tlm)
            elif op == "Tf":
                name = operands[0]
                if name in fonts:
                    font = self._font_map(fonts[name])
            elif op in ("BMC", "BDC"):
                tag = str(operands[0])[1:]
                mcid = None
                properties = operands[1] if op == "BDC" else None
                if isinstance(properties, pikepdf.Dictionary) and "/MCID" in properties:
                    mcid = int(properties.MCID)
                inside_artifact = any(t == "Artifact" for t, _ in stack)
                inside_tagged = any(m is not None for _, m in stack)
                if mcid is not None and inside_artifact:
                    content.nested.append(f"page {number + 1}: MCID {mcid} inside an Artifact")
                if tag == "Artifact" and inside_tagged:
                    content.nested.append(f"page {number + 1}: Artifact inside tagged content")
                if mcid is not None:
                    if mcid in content.marked:
                        content.duplicate_mcids.append(mcid)
                    content.marked[mcid] = Marked()
                stack.append((tag, mcid))
            elif op == "EMC" and stack:
                stack.pop()
            if op in PAINT_OPS:
                owner = next((m for _, m in reversed(stack) if m is not None), None)
                artifact = any(t == "Artifact" for t, _ in stack)
                if owner is None and not artifact:
                    content.unmarked.append(f"page {number + 1}: {op} outside marked content")
            if op in TEXT_OPS:
                text = self._decode(operands, op, font, content, number)
                owner = next((m for _, m in reversed(stack) if m is not None), None)
                if owner is not None and not any(t == "Artifact" for t, _ in stack):
                    marked = content.marked[owner]
                    if marked.origin is None:
                        x, y = _mul(tm, ctm)[4:6]
                        marked.origin = (round(x, 1), round(y / height, 3) if height else 0)
                    marked.text += text
                else:
                    content.artifact_text.append(text)
            if op == "Do":
                xobject = xobjects.get(operands[0])
                if xobject is not None and xobject.get("/Subtype") == "/Form":
                    matrix = tuple(float(x) for x in xobject.get("/Matrix", [1, 0, 0, 1, 0, 0]))
                    self._read_stream(
                        xobject,
                        xobject.get("/Resources", resources),
                        content,
                        stack,
                        height,
                        number,
                        _mul(matrix, ctm),
                    )

    def _decode(
        self,
        operands: list[object],
        op: str,
        font: tuple[dict[int, str], int],
        content: PageContent,
        number: int,
    ) -> str:
        mapping, width = font
        strings: list[bytes] = []
        for operand in operands:
            if isinstance(operand, pikepdf.String):
                strings.append(bytes(operand))
            elif isinstance(operand, pikepdf.Array):
                strings.extend(bytes(s) for s in operand if isinstance(s, pikepdf.String))
        out = []
        for data in strings:
            for i in range(0, len(data) - width + 1, width):
                code = int.from_bytes(data[i : i + width], "big")
                text = mapping.get(code)
                if not text or "\ufffd" in text:
                    content.unmapped.append(f"page {number + 1}: glyph {code:#x}")
                    continue
                out.append(text)
        return "".join(out)


def _mul(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, ...]:
    """a × b for PDF matrices [a b c d e f]."""
    return (
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    )


def _hex_text(hexdigits: str) -> str:
    data = bytes.fromhex(hexdigits)
    return data.decode("utf-16-be", errors="replace")


def _parse_cmap(text: str) -> dict[int, str]:
    """Code → Unicode text, from a ToUnicode CMap's bfchar and bfrange sections."""
    mapping: dict[int, str] = {}
    for block in re.findall(r"beginbfchar(.*?)endbfchar", text, re.S):
        for src, dst in re.findall(r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]*)>", block):
            mapping[int(src, 16)] = _hex_text(dst)
    for block in re.findall(r"beginbfrange(.*?)endbfrange", text, re.S):
        for lo, hi, dst in re.findall(
            r"<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(<[0-9a-fA-F]*>|\[[^\]]*\])", block
        ):
            start, end = int(lo, 16), int(hi, 16)
            if dst.startswith("["):
                for code, item in zip(
                    range(start, end + 1), re.findall(r"<([0-9a-fA-F]*)>", dst), strict=False
                ):
                    mapping[code] = _hex_text(item)
            else:
                base = bytes.fromhex(dst[1:-1])
                for offset in range(end - start + 1):
                    value = int.from_bytes(base, "big") + offset
                    mapping[start + offset] = value.to_bytes(len(base), "big").decode(
                        "utf-16-be", errors="replace"
                    )
    return mapping


# -- the rules ---------------------------------------------------------------------------


def check(source: Path | pikepdf.Pdf) -> list[Failure]:
    """Every failure of the PDF/UA-1 rules in :data:`RULES`."""
    if isinstance(source, Path):
        with pikepdf.open(source) as pdf:
            return check(pdf)
    reader = Reader(source)
    failures = list(reader.failures)
    failures += _document_rules(source)
    failures += _content_rules(reader)
    if reader.root is None:
        return [*failures, Failure("STR-001", "no StructTreeRoot")]
    elements = [e for e in reader.root.walk() if e is not reader.root]
    failures += _structure_rules(reader, elements)
    failures += _annotation_rules(source, reader, elements)
    failures += _font_rules(source, reader)
    return failures


def _document_rules(pdf: pikepdf.Pdf) -> list[Failure]:
    failures = []
    mark_info = pdf.Root.get("/MarkInfo", {})
    if not bool(mark_info.get("/Marked", False)):
        failures.append(Failure("DOC-001", "the catalog's /MarkInfo /Marked is not true"))
    part = title = ""
    if "/Metadata" in pdf.Root:
        xmp = ET.fromstring(pdf.Root.Metadata.read_bytes())
        for node in xmp.iter():
            if node.tag == "{http://www.aiim.org/pdfua/ns/id/}part":
                part = (node.text or "").strip()
            elif node.tag == "{http://purl.org/dc/elements/1.1/}title":
                title = " ".join(node.itertext()).strip()
            for name, value in node.attrib.items():
                if name == "{http://www.aiim.org/pdfua/ns/id/}part":
                    part = value.strip()
    if part != "1":
        failures.append(Failure("DOC-002", f"XMP pdfuaid:part is {part!r}, not '1'"))
    if not title:
        failures.append(Failure("DOC-003", "XMP has no dc:title"))
    prefs = pdf.Root.get("/ViewerPreferences", {})
    if not bool(prefs.get("/DisplayDocTitle", False)):
        failures.append(Failure("DOC-004", "/DisplayDocTitle is not true"))
    if not str(pdf.Root.get("/Lang", "")).strip():
        failures.append(Failure("DOC-005", "the catalog has no /Lang"))
    return failures


def _content_rules(reader: Reader) -> list[Failure]:
    failures = []
    # Footnotes sit at the foot of the page by design: not furniture.
    in_notes = {
        (kid.page, kid.mcid)
        for note in (reader.root.walk() if reader.root is not None else ())
        if reader.standard_role(note.role) == "Note"
        for e in note.walk()
        for kid in e.kids
        if isinstance(kid, MarkedRef)
    }
    for page in reader.pages:
        failures += [Failure("CNT-001", m) for m in page.unmarked[:5]]
        failures += [Failure("CNT-002", m) for m in page.nested[:5]]
        failures += [Failure("CNT-003", f"MCID {m} used twice") for m in page.duplicate_mcids]
    # Furniture: the same tagged text (numbers aside: "3 / 12") starting at the same place,
    # in the top or bottom band of the page, on three pages or more, and outside the band the
    # rest of the tagged text fills (a heading that happens to open three pages is inside it).
    places: dict[tuple[float, float, str], set[int]] = defaultdict(set)
    for number, page in enumerate(reader.pages):
        for mcid, marked in page.marked.items():
            if (
                marked.origin is None
                or not re.search(r"\w", marked.text)
                or (number, mcid) in in_notes
            ):
                continue
            x, y = marked.origin
            if y < FURNITURE_BAND or y > 1 - FURNITURE_BAND:
                places[x, y, re.sub(r"\d+", "#", marked.text.strip())].add(number)
    repeated = {place for place, pages in places.items() if len(pages) >= 3}
    others = [place[1] for place in places if place not in repeated]
    highest, lowest = max(others, default=0.0), min(others, default=1.0)
    for (x, y, text), pages in sorted(places.items()):
        if (x, y, text) not in repeated:
            continue
        inside = y <= highest + FURNITURE_SLACK if y > 0.5 else y >= lowest - FURNITURE_SLACK
        if inside:
            continue  # where body text also starts, on other pages
        failures.append(
            Failure(
                "PAG-001",
                f"tagged text {text!r} at ({x}, {y:.3f}) repeats on pages "
                f"{', '.join(str(p + 1) for p in sorted(pages))}: furniture must be an Artifact",
            )
        )
    return failures


def _structure_rules(reader: Reader, elements: list[Elem]) -> list[Failure]:
    failures: list[Failure] = []
    assert reader.root is not None
    role = reader.standard_role
    for e in elements:
        if role(e.role) not in STANDARD_TYPES:
            failures.append(Failure("STR-001", f"non-standard structure type /{e.role}"))
    # Marked content ↔ structure.
    owners: dict[tuple[int, int], list[Elem]] = defaultdict(list)
    for e in elements:
        for kid in e.kids:
            if isinstance(kid, MarkedRef):
                owners[kid.page, kid.mcid].append(e)
    parent_tree = _number_tree(reader.pdf.Root.StructTreeRoot.get("/ParentTree"))
    for number, page in enumerate(reader.pages):
        pdf_page = reader.pdf.pages[number].obj
        tree_entry = parent_tree.get(int(pdf_page.get("/StructParents", -1)))
        for mcid in sorted(page.marked):
            found = owners.get((number, mcid), [])
            if len(found) != 1:
                failures.append(
                    Failure(
                        "CNT-003",
                        f"page {number + 1}: MCID {mcid} ({page.marked[mcid].text[:30]!r}) "
                        f"belongs to {len(found)} structure elements",
                    )
                )
                continue
            mapped = None
            if isinstance(tree_entry, pikepdf.Array) and mcid < len(tree_entry):
                mapped = tree_entry[mcid]
            if not isinstance(mapped, pikepdf.Dictionary) or mapped.objgen != found[0].obj.objgen:
                failures.append(
                    Failure(
                        "CNT-003", f"page {number + 1}: ParentTree entry of MCID {mcid} is wrong"
                    )
                )
    # Lists.
    for e in elements:
        r = role(e.role)
        kids = [role(k.role) for k in e.elements()]
        if r == "L":
            body = kids[1:] if kids[:1] == ["Caption"] else kids
            bad = sorted({k for k in body if k != "LI"})
            if bad or any(not isinstance(k, Elem) for k in e.kids):
                failures.append(Failure("LST-001", f"L holds {bad or 'content'}"))
        elif r == "LI" and (
            any(k not in ("Lbl", "LBody") for k in kids)
            or kids.count("Lbl") > 1
            or kids.count("LBody") > 1
            or (kids and "Lbl" in kids and kids[0] != "Lbl")
            or any(not isinstance(k, Elem) for k in e.kids)
            or not kids
        ):
            failures.append(Failure("LST-002", f"LI holds {kids or 'content'}"))
        parent_role = role(e.parent.role) if e.parent is not None else ""
        if r == "LI" and parent_role != "L":
            failures.append(Failure("LST-003", f"LI inside {parent_role}"))
        labelled = r == "Lbl" and parent_role in ("TOCI", "Note", "BibEntry")
        if r in ("Lbl", "LBody") and parent_role != "LI" and not labelled:
            failures.append(Failure("LST-003", f"{r} inside {parent_role}"))
    # Headings.
    levels = [int(role(e.role)[1]) for e in elements if re.fullmatch(r"H[1-6]", role(e.role))]
    plain = [e for e in elements if role(e.role) == "H"]
    if levels and plain:
        failures.append(Failure("HDG-002", "both H and H1–H6 headings"))
    if levels:
        if levels[0] != 1:
            failures.append(Failure("HDG-001", f"the first heading is H{levels[0]}, not H1"))
        for before, after in itertools.pairwise(levels):
            if after > before + 1:
                failures.append(Failure("HDG-001", f"H{before} is followed by H{after}"))
    # Figures, tables, notes.
    note_ids: Counter[str] = Counter()
    for e in elements:
        r = role(e.role)
        if r == "Figure" and not str(e.obj.get("/Alt", "")).strip():
            failures.append(Failure("FIG-001", "a Figure has no /Alt"))
        if r == "TH" and _attribute(e.obj, "/Scope") not in ("/Column", "/Row", "/Both"):
            failures.append(Failure("TBL-001", "a TH has no /Scope"))
        failures += _table_shape(e, r, role)
        if r == "Note":
            if "/ID" not in e.obj or not str(e.obj.ID):
                failures.append(Failure("NTE-001", "a Note has no /ID"))
            else:
                note_ids[str(e.obj.ID)] += 1
            siblings = e.parent.kids if e.parent is not None else []
            index = siblings.index(e)
            while index and isinstance(siblings[index - 1], Elem):
                if role(siblings[index - 1].role) != "Note":
                    break
                index -= 1  # the notes of one mark with several sources follow one another
            before = siblings[index - 1] if index else None
            if not (isinstance(before, Elem) and role(before.role) in ("Reference", "Link")):
                failures.append(
                    Failure("NTE-003", f"Note {e.obj.get('/ID')} does not follow a mark")
                )
    for note_id, count in sorted(note_ids.items()):
        if count > 1:
            failures.append(Failure("NTE-002", f"Note /ID {note_id} is used {count} times"))
    # Language: Hangul only where the language is Korean.
    document_lang = str(reader.pdf.Root.get("/Lang", ""))
    in_figures = {id(inner) for e in elements if role(e.role) == "Figure" for inner in e.walk()}
    for e in elements:
        if id(e) in in_figures:  # read as its /Alt
            continue
        text = "".join(
            reader.pages[k.page].marked[k.mcid].text
            for k in e.kids
            if isinstance(k, MarkedRef) and k.mcid in reader.pages[k.page].marked
        )
        lang = (e.lang or document_lang).lower()
        if HANGUL.search(text) and not lang.startswith("ko"):
            failures.append(
                Failure(
                    "LNG-001", f"Hangul in a {e.role} whose language is {lang!r}: {text[:30]!r}"
                )
            )
    return failures


def _table_shape(e: Elem, r: str, role: object) -> list[Failure]:
    assert callable(role)
    kids = [role(k.role) for k in e.elements()]
    parent = role(e.parent.role) if e.parent is not None else ""
    problems = []
    if r == "Table":
        bad = [k for k in kids if k not in ("Caption", "TR", *TABLE_GROUPS)]
        if bad:
            problems.append(f"Table holds {bad}")
        if "THead" in kids and "TR" in kids:
            problems.append("Table has a THead and rows outside TBody")
    elif r in TABLE_GROUPS and (parent != "Table" or any(k != "TR" for k in kids)):
        problems.append(f"{r} inside {parent} holding {kids}")
    elif r == "TR" and (
        parent not in ("Table", *TABLE_GROUPS) or any(k not in ("TH", "TD") for k in kids)
    ):
        problems.append(f"TR inside {parent} holding {kids}")
    elif r in ("TH", "TD") and parent != "TR":
        problems.append(f"{r} inside {parent}")
    return [Failure("TBL-002", p) for p in problems]


def _attribute(obj: pikepdf.Dictionary, name: str) -> str | None:
    attributes = obj.get("/A")
    items = list(attributes) if isinstance(attributes, pikepdf.Array) else [attributes]
    for item in items:
        if isinstance(item, pikepdf.Dictionary) and name in item:
            return str(item[name])
    return None


def _number_tree(node: object) -> dict[int, object]:
    out: dict[int, object] = {}
    if not isinstance(node, pikepdf.Dictionary):
        return out
    nums = node.get("/Nums")
    if isinstance(nums, pikepdf.Array):
        for i in range(0, len(nums) - 1, 2):
            out[int(nums[i])] = nums[i + 1]
    for kid in node.get("/Kids", []):
        out.update(_number_tree(kid))
    return out


def _annotation_rules(pdf: pikepdf.Pdf, reader: Reader, elements: list[Elem]) -> list[Failure]:
    failures = []
    holders: dict[tuple[int, int], Elem] = {}
    for e in elements:
        for kid in e.kids:
            if isinstance(kid, ObjRef):
                holders[kid.obj.objgen] = e
    parent_tree = _number_tree(pdf.Root.StructTreeRoot.get("/ParentTree"))
    for number, page in enumerate(pdf.pages):
        pdf_page = page.obj
        if pdf_page.get("/Tabs") != "/S":
            failures.append(Failure("PAG-002", f"page {number + 1} has no /Tabs /S"))
        for annot in pdf_page.get("/Annots", []):
            subtype = annot.get("/Subtype")
            if not int(annot.get("/F", 0)) & 4:
                failures.append(
                    Failure(
                        "LNK-003", f"page {number + 1}: {subtype} annotation without the Print flag"
                    )
                )
            if subtype != "/Link":
                continue
            holder = holders.get(annot.objgen)
            if holder is None or reader.standard_role(holder.role) != "Link":
                failures.append(
                    Failure(
                        "LNK-001", f"page {number + 1}: a link annotation is not in a Link element"
                    )
                )
            else:
                entry = parent_tree.get(int(annot.get("/StructParent", -1)))
                if not isinstance(entry, pikepdf.Dictionary) or entry.objgen != holder.obj.objgen:
                    failures.append(
                        Failure(
                            "LNK-001",
                            f"page {number + 1}: a link annotation's /StructParent is wrong",
                        )
                    )
            if not str(annot.get("/Contents", "")).strip():
                failures.append(
                    Failure("LNK-002", f"page {number + 1}: a link annotation has no /Contents")
                )
    return failures


def _font_rules(pdf: pikepdf.Pdf, reader: Reader) -> list[Failure]:
    failures = []
    for obj in pdf.objects:
        if not isinstance(obj, pikepdf.Dictionary) or obj.get("/Type") != "/Font":
            continue
        if obj.get("/Subtype") in ("/CIDFontType0", "/CIDFontType2", "/Type3"):
            continue
        for font in obj.DescendantFonts if "/DescendantFonts" in obj else [obj]:
            descriptor = font.get("/FontDescriptor", {})
            if not any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")):
                failures.append(Failure("FNT-001", f"{obj.get('/BaseFont')} is not embedded"))
    for page in reader.pages:
        failures += [Failure("FNT-002", m) for m in page.unmapped[:5]]
    return failures


# -- reading order ---------------------------------------------------------------------------


def structure_text(
    source: Path | pikepdf.Pdf, skip: frozenset[str] = frozenset(), *, separator: str = " "
) -> str:
    """The text of the structure tree in tree order. Elements whose type is in ``skip`` are
    left out with everything in them; a Figure reads as its /Alt."""
    if isinstance(source, Path):
        with pikepdf.open(source) as pdf:
            return structure_text(pdf, skip, separator=separator)
    reader = Reader(source)
    parts: list[str] = []

    def visit(e: Elem) -> None:
        r = reader.standard_role(e.role)
        if r in skip:
            return
        if "/ActualText" in e.obj:
            parts.append(str(e.obj.ActualText))
            return
        for kid in e.kids:
            if isinstance(kid, Elem):
                visit(kid)
            elif isinstance(kid, MarkedRef):
                marked = reader.pages[kid.page].marked.get(kid.mcid)
                if marked is not None:
                    parts.append(marked.text)
        parts.append(separator)

    if reader.root is not None:
        visit(reader.root)
    return "".join(parts)


def structure_outline(source: Path | pikepdf.Pdf) -> list[tuple[str, str]]:
    """(type, text) of every element in tree order: for tests that look at a few elements."""
    if isinstance(source, Path):
        with pikepdf.open(source) as pdf:
            return structure_outline(pdf)
    reader = Reader(source)
    out: list[tuple[str, str]] = []
    if reader.root is None:
        return out

    def text(e: Elem) -> str:
        parts = []
        for kid in e.kids:
            if isinstance(kid, Elem):
                parts.append(text(kid))
            elif isinstance(kid, MarkedRef):
                marked = reader.pages[kid.page].marked.get(kid.mcid)
                parts.append(marked.text if marked else "")
        return "".join(parts)

    for e in reader.root.walk():
        if e is not reader.root:
            out.append((reader.standard_role(e.role), text(e)))
    return out
