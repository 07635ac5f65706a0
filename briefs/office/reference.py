"""Reference documents: a ministry's own template supplies the office editions' styles.

As with Pandoc's ``--reference-doc``, the first ``reference.docx`` or ``reference.hwpx`` on
the template search path (the user's templates folder, or the project file's, before the
built-in one) is read, confined to its folder and bounded (:func:`find`). For HWPX,
:func:`hwpx_styles` takes from the reference's ``Contents/header.xml`` the character and
paragraph shapes of each named style the editions use, matched by its Korean name (or else
its English name); the fonts they name come along. What the shapes point to that the edition's
own header does not hold is pointed at the edition's: borders at the plain one, tab stops at
the one tab definition, and the heading numbering stays the edition's (outline headings stay
outline headings, body paragraphs are not numbered). A style the reference lacks keeps its
built-in look on the reference's 바탕글 face, with a warning naming it.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

from briefs.errors import BriefError, Diagnostic, display_path
from briefs.office.owpml import SCRIPTS, STYLES, UNIT, Shapes, Style, q
from briefs.source import ReadError, read_file

LIMIT = 20_000_000
"""Largest reference document read, in bytes."""
HEADER_LIMIT = 4_000_000
"""Largest ``Contents/header.xml`` unpacked (한글's own are tens of kilobytes)."""
HEADER = "Contents/header.xml"
_SLOTS = ("hangul", "latin", "hanja", "japanese", "other", "symbol", "user")
"""A character shape's ``fontRef`` attributes, in :data:`briefs.office.owpml.SCRIPTS` order."""
_AT = re.compile(r": line \d+, column \d+$")
_OWN_FACES = ("Pretendard GOV", "맑은 고딕", "D2Coding")
"""The faces of the edition's own font table, by id."""


def find(folders: list[Path], name: str, hint: str) -> tuple[Path, bytes] | None:
    """The first ``name`` on the search path ``folders`` and its bytes (at most
    :data:`LIMIT`), or None. Raises a positioned :class:`BriefError` when it cannot be
    read, with ``hint`` as the way out."""
    for folder in folders:
        path = folder / name
        if path.is_file():
            try:
                return path, read_file(path, limit=LIMIT, root=folder)
            except ReadError as exc:
                raise problem(path, f"{exc}", hint) from None
    return None


def problem(path: Path | str, message: str, hint: str, line: int = 0, col: int = 0) -> BriefError:
    """A reference document that cannot be used, at ``path`` (``line``, ``col``)."""
    where = display_path(path) if isinstance(path, Path) else path
    return BriefError(
        Diagnostic(where, line, col, f"cannot use this reference document: {message}", hint)
    )


_HWPX_HINT = "save it again from 한글 as an HWPX document (.hwpx)"


def hwpx_header(path: Path, data: bytes) -> ET.Element:
    """The parsed ``Contents/header.xml`` of the HWPX ``data`` read from ``path``: unpacked
    to at most :data:`HEADER_LIMIT` bytes (a zip's stated size bounds what is inflated), no
    DOCTYPE or entities. Raises a positioned :class:`BriefError`."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            info = package.getinfo(HEADER)
            if info.file_size > HEADER_LIMIT:
                raise problem(
                    path, f"its {HEADER} is {info.file_size:,} bytes unpacked", _HWPX_HINT
                )
            with package.open(info) as member:
                raw = member.read(HEADER_LIMIT + 1)
    except KeyError:
        raise problem(path, f"it has no {HEADER}: not an HWPX document", _HWPX_HINT) from None
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError) as exc:
        raise problem(
            path, f"it is not a readable HWPX (zip) package ({exc})", _HWPX_HINT
        ) from None
    where = f"{display_path(path)}/{HEADER}"
    if len(raw) > HEADER_LIMIT:
        raise problem(path, f"its {HEADER} is larger than it says", _HWPX_HINT)
    if re.search(rb"<!DOCTYPE|<!ENTITY", raw, re.IGNORECASE):
        raise problem(where, "a DOCTYPE or entities are not accepted", _HWPX_HINT, 1, 1)
    try:
        root = ET.fromstring(raw)
    except ET.ParseError as exc:
        line, col = exc.position
        why = _AT.sub("", exc.msg)  # the place is the diagnostic's
        message = f"the XML does not parse ({why})"
        raise problem(where, message, _HWPX_HINT, line, col + 1) from None
    if root.tag != q("hh:head"):
        raise problem(where, "the root is not an OWPML <hh:head>", _HWPX_HINT, 1, 1)
    return root


def hwpx_styles(folders: list[Path]) -> tuple[Shapes | None, list[Diagnostic]]:
    """The shapes of the first ``reference.hwpx`` on the search path for the editions'
    named styles, and a warning naming the styles it does not define (None and no warning
    without a reference). A style it lacks keeps its built-in look, on the face and size of
    the reference's 바탕글 where it has one."""
    found = find(folders, "reference.hwpx", _HWPX_HINT)
    if found is None:
        return None, []
    path, data = found
    head = hwpx_header(path, data)
    chars = {e.get("id"): e for e in head.iter(q("hh:charPr"))}
    paras = {e.get("id"): e for e in head.iter(q("hh:paraPr"))}
    styles = list(head.iter(q("hh:style")))
    faces = {
        face.get("lang", ""): {f.get("id"): f for f in face.iter(q("hh:font"))}
        for face in head.iter(q("hh:fontface"))
    }
    shapes = Shapes()
    missing: list[Style] = []
    for n, style in enumerate(STYLES):
        kind = "CHAR" if style.char else "PARA"
        candidates = [s for s in styles if s.get("type", "PARA") == kind]
        match = next((s for s in candidates if s.get("name") == style.name), None)
        if match is None:  # (an element without children is false: compare with None)
            match = next((s for s in candidates if s.get("engName") == style.eng), None)
        char = chars.get(match.get("charPrIDRef")) if match is not None else None
        para = paras.get(match.get("paraPrIDRef")) if match is not None else None
        if char is None or (para is None and not style.char):
            missing.append(style)
            continue
        shapes.chars[n] = _char(char, n, faces, shapes)
        if para is not None and not style.char:
            shapes.paras[n] = _para(para, n, style.outline)
    normal = shapes.chars.get(0)
    for style in missing:
        if normal is not None:
            shapes.chars[STYLES.index(style)] = _looking(normal, STYLES.index(style), style)
    if not missing:
        return shapes, []
    names = ", ".join(f"{s.name} ({s.eng})" for s in missing)
    warning = Diagnostic(
        display_path(path),
        0,
        0,
        f"the reference document has no style {names}: the built-in ones are used",
        "add the styles to the reference document to restyle them too",
    )
    return shapes, [warning]


def _char(
    source: ET.Element, ident: int, faces: dict[str, dict[str | None, ET.Element]], shapes: Shapes
) -> ET.Element:
    """The reference's character shape as shape ``ident`` of the edition, its fonts the
    edition's ids (a face the edition's table lacks is added to it)."""
    shape = copy.deepcopy(source)
    shape.set("id", str(ident))
    shape.set("borderFillIDRef", "1")
    ref = shape.find(q("hh:fontRef"))
    for slot, script in zip(_SLOTS, SCRIPTS, strict=True):
        if ref is None:
            break
        font = faces.get(script, {}).get(ref.get(slot))
        name = font.get("face", "") if font is not None else _OWN_FACES[0]
        added = shapes.fonts.setdefault(script, [])
        known = [*_OWN_FACES, *(f.get("face") for f in added)]
        if name not in known and font is not None:
            kept = copy.deepcopy(font)
            kept.set("id", str(len(known)))
            added.append(kept)
            known.append(name)
        ref.set(slot, str(known.index(name)))
    return shape


def _looking(normal: ET.Element, ident: int, style: Style) -> ET.Element:
    """The character shape of ``style`` (one the reference lacks): the reference's 바탕글
    (face, size) with the style's own look over it."""
    shape = copy.deepcopy(normal)
    shape.set("id", str(ident))
    if not style.char or style.size != STYLES[0].size:
        shape.set("height", str(round(style.size * UNIT)))
    if not style.char or style.color != STYLES[0].color:
        shape.set("textColor", style.color)
    ref = shape.find(q("hh:fontRef"))
    if style.mono and ref is not None:
        ref.attrib.update(dict.fromkeys(_SLOTS, str(_OWN_FACES.index("D2Coding"))))
    for child in list(shape):
        if child.tag in (q("hh:bold"), q("hh:italic"), q("hh:supscript"), q("hh:subscript")):
            shape.remove(child)
    at = next((i for i, c in enumerate(shape) if c.tag == q("hh:underline")), len(shape))
    for wanted, tag in ((style.italic, "hh:italic"), (style.bold, "hh:bold")):
        if wanted:
            shape.insert(at, ET.Element(q(tag)))
    if style.script:
        shape.append(ET.Element(q(f"hh:{style.script.lower().replace('super', 'sup')}")))
    return shape


def _para(source: ET.Element, ident: int, outline: int | None) -> ET.Element:
    """The reference's paragraph shape as shape ``ident`` of the edition: its own tab stops,
    borders and heading numbering pointed at the edition's."""
    shape = copy.deepcopy(source)
    shape.set("id", str(ident))
    shape.set("tabPrIDRef", "0")
    heading = shape.find(q("hh:heading"))
    if heading is not None:
        kind, ref, level = ("OUTLINE", 1, outline) if outline is not None else ("NONE", 0, 0)
        heading.attrib.update(type=kind, idRef=str(ref), level=str(level))
    for border in shape.iter(q("hh:border")):
        border.set("borderFillIDRef", "1")
    return shape
