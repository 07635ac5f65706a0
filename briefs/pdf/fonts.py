"""Compact font subsets in the PDF (issue 21), in place of WeasyPrint 70's.

WeasyPrint 70 subsets an embedded font keeping every glyph id up to the last one used: the
content streams name glyphs by their ids in the full font (``Identity-H``, CID = glyph id,
``/CIDToGIDMap /Identity``). A Korean brief uses 400–600 of Pretendard GOV's 23,410 glyphs,
most of them far into the font, so the subset carries about 22,600 entries of ``hmtx``,
``loca`` and the vertical metrics ``vmtx``, nearly all empty. Here the subset keeps only the
glyphs used (HarfBuzz renumbers them in order), drops the vertical metrics (``vhea``,
``vmtx``, ``VORG``: WeasyPrint writes horizontal text only, ``Identity-H``, and a PDF
viewer takes vertical metrics from ``/W2``, never from the font) and the tables no PDF
viewer reads in an embedded CID font (``GDEF``), and writes a ``/CIDToGIDMap`` stream from
the CIDs the content streams already use to the new glyph ids. Content streams, widths
(``/W``, by CID), ``ToUnicode`` (by CID) and the structure tree stay as they are.

:func:`install` patches two functions of WeasyPrint 70.0 (``Font._harfbuzz_subset`` and the
``build_fonts_dictionary`` that ``weasyprint.pdf`` calls); with any other WeasyPrint it does
nothing and the stock subsets are written.
"""

from __future__ import annotations

from typing import Any

WEASYPRINT = "70.0"
"""The WeasyPrint release this module was written for and checked against."""
DROPPED = (
    # WeasyPrint 70's own list
    "BASE", "DSIG", "EBDT", "EBLC", "EBSC", "GPOS", "GSUB", "JSTF", "LTSH", "PCLT", "SVG ",
    # vertical metrics (horizontal text only) and glyph classes (read by shapers, not viewers)
    "VORG", "vhea", "vmtx", "GDEF",
)  # fmt: skip
"""Tables left out of an embedded subset."""
_CDEF = """
typedef ... hb_subset_plan_t;
typedef ... hb_map_t;
hb_subset_plan_t * hb_subset_plan_create_or_fail (hb_face_t *face, const hb_subset_input_t *input);
void hb_subset_plan_destroy (hb_subset_plan_t *plan);
hb_face_t * hb_subset_plan_execute_or_fail (hb_subset_plan_t *plan);
const hb_map_t * hb_subset_plan_old_to_new_glyph_mapping (const hb_subset_plan_t *plan);
hb_codepoint_t hb_map_get (const hb_map_t *map, hb_codepoint_t key);
"""
_MISSING = 0xFFFFFFFF
"""``HB_MAP_VALUE_INVALID``: the glyph is not in the subset."""
_stock: dict[str, Any] = {}


def install() -> bool:
    """Make WeasyPrint 70.0 embed compact font subsets; whether it did (not with another
    WeasyPrint, nor without HarfBuzz's subsetter, whose plan API it needs: HarfBuzz 4.1+)."""
    import weasyprint
    import weasyprint.pdf
    import weasyprint.pdf.fonts as wp_fonts
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset

    if weasyprint.pdf.build_fonts_dictionary is _fonts_dictionary:
        return True
    if (
        weasyprint.__version__ != WEASYPRINT
        or weasyprint.pdf.build_fonts_dictionary is not wp_fonts.build_fonts_dictionary
        or not harfbuzz_subset
        or not harfbuzz.hb_version_atleast(4, 1, 0)
    ):
        return False
    if not _stock:  # once: cffi refuses a second declaration
        ffi.cdef(_CDEF)
        _stock["subset"] = wp_fonts.Font._harfbuzz_subset
        _stock["dictionary"] = wp_fonts.build_fonts_dictionary
    wp_fonts.Font._harfbuzz_subset = _compact_subset
    weasyprint.pdf.build_fonts_dictionary = _fonts_dictionary
    return True


def uninstall() -> None:
    """Put WeasyPrint's own subsetting back (for measuring one against the other)."""
    import weasyprint.pdf
    import weasyprint.pdf.fonts as wp_fonts

    if _stock:
        wp_fonts.Font._harfbuzz_subset = _stock["subset"]
        weasyprint.pdf.build_fonts_dictionary = _stock["dictionary"]


def _compact_subset(font: Any, to_unicode: dict[int, str], hinting: bool) -> None:
    """Subset ``font`` to the glyphs in ``to_unicode`` (by glyph id), renumbered, and keep
    on it which new glyph id each old one got (``font.briefs_gids``)."""
    from weasyprint.text.ffi import ffi, harfbuzz, harfbuzz_subset
    from weasyprint.text.fonts import get_hb_object_data

    font.briefs_gids = None
    hb_input = ffi.gc(
        harfbuzz_subset.hb_subset_input_create_or_fail(), harfbuzz_subset.hb_subset_input_destroy
    )
    if hb_input == ffi.NULL:
        return _stock["subset"](font, to_unicode, hinting)  # type: ignore[no-any-return]
    used = sorted(to_unicode)
    glyphs = harfbuzz_subset.hb_subset_input_glyph_set(hb_input)
    harfbuzz.hb_set_add_sorted_array(glyphs, ffi.new("hb_codepoint_t[]", used), len(used))
    flags = (
        harfbuzz_subset.HB_SUBSET_FLAGS_PASSTHROUGH_UNRECOGNIZED
        | harfbuzz_subset.HB_SUBSET_FLAGS_DESUBROUTINIZE
    )
    if not hinting:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NO_HINTING
    if font.missing:
        flags |= harfbuzz_subset.HB_SUBSET_FLAGS_NOTDEF_OUTLINE
    harfbuzz_subset.hb_subset_input_set_flags(hb_input, flags)
    drop = harfbuzz_subset.hb_subset_input_set(
        hb_input, harfbuzz_subset.HB_SUBSET_SETS_DROP_TABLE_TAG
    )
    tags = sorted(harfbuzz.hb_tag_from_string(tag.encode(), -1) for tag in DROPPED)
    harfbuzz.hb_set_add_sorted_array(drop, ffi.new("hb_codepoint_t[]", tags), len(tags))
    plan = harfbuzz_subset.hb_subset_plan_create_or_fail(font.hb_face, hb_input)
    if plan == ffi.NULL:
        return _stock["subset"](font, to_unicode, hinting)  # type: ignore[no-any-return]
    plan = ffi.gc(plan, harfbuzz_subset.hb_subset_plan_destroy)
    mapping = harfbuzz_subset.hb_subset_plan_old_to_new_glyph_mapping(plan)
    gids = {old: harfbuzz.hb_map_get(mapping, old) for old in used}
    face = harfbuzz_subset.hb_subset_plan_execute_or_fail(plan)
    data = get_hb_object_data(ffi.gc(face, harfbuzz.hb_face_destroy)) if face else None
    if not data:
        return _stock["subset"](font, to_unicode, hinting)  # type: ignore[no-any-return]
    font.file_content = data
    font.briefs_gids = {old: new for old, new in gids.items() if new != _MISSING}
    return None


def _fonts_dictionary(pdf: Any, fonts: dict[Any, Any], compress: bool, *args: Any) -> Any:
    """WeasyPrint's fonts dictionary, each compact subset's CID fonts given the map from
    their CIDs (the old glyph ids) to the subset's glyph ids."""
    import pydyf

    first = len(pdf.objects)
    result = _stock["dictionary"](pdf, fonts, compress, *args)
    # Fonts of one file share its hash, and the one subset made for them all.
    gids = {
        font.hash: font.briefs_gids
        for font in fonts.values()
        if getattr(font, "briefs_gids", None) is not None
    }
    maps: dict[str, Any] = {}
    for obj in pdf.objects[first:]:
        if not (
            isinstance(obj, pydyf.Dictionary)
            and obj.get("Subtype") == "/CIDFontType2"
            and obj.get("CIDToGIDMap") == "/Identity"
        ):
            continue
        key = bytes(obj["BaseFont"])[1:].split(b"+")[0].decode()
        if key not in gids:
            continue
        if key not in maps:
            maps[key] = _map_stream(gids[key], compress)
            pdf.add_object(maps[key])
        obj["CIDToGIDMap"] = maps[key].reference
    return result


def _map_stream(gids: dict[int, int], compress: bool) -> Any:
    """The ``/CIDToGIDMap`` stream for ``gids``, compressed with the PNG "up" predictor."""
    import pydyf

    if not compress:
        return pydyf.Stream([cid_to_gid_map(gids)])
    params = pydyf.Dictionary({"Predictor": 12, "Columns": 2})
    return pydyf.Stream([png_up(gids)], pydyf.Dictionary({"DecodeParms": params}), compress=True)


def _runs(gids: dict[int, int]) -> list[tuple[int, int]]:
    """The map from CIDs to glyph ids as runs of (glyph id, CIDs).

    A CID that no text shows may map to any glyph: each takes the glyph of the CID before it
    (0, ``.notdef``, before the first), so the map only ever steps up, and compresses to half
    what a map with zeros between its entries does.
    """
    cids = sorted(gids)
    if not cids:
        return [(0, 1)]
    ends = [*cids[1:], cids[-1] + 1]
    runs = [(0, cids[0])] if cids[0] else []
    return runs + [(gids[cid], end - cid) for cid, end in zip(cids, ends, strict=True)]


def cid_to_gid_map(gids: dict[int, int]) -> bytes:
    """A ``/CIDToGIDMap`` stream's bytes for ``gids`` (CID → glyph id): for each CID from 0 to
    the largest, its glyph id as two bytes, big-endian (see :func:`_runs`)."""
    return b"".join(gid.to_bytes(2, "big") * count for gid, count in _runs(gids))


def png_up(gids: dict[int, int]) -> bytes:
    """:func:`cid_to_gid_map` under the PNG "up" predictor, one CID a row: each row tagged 2
    and given as its difference, byte by byte, from the row before it."""
    out = bytearray()
    high = low = 0
    for gid, count in _runs(gids):
        out += bytes((2, (gid >> 8) - high & 255, (gid & 255) - low & 255))
        out += b"\2\0\0" * (count - 1)
        high, low = gid >> 8, gid & 255
    return bytes(out)
