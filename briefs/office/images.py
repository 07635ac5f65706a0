"""Images for the office formats: what a word processor can hold, at print resolution.

The edition embeds images as ``data:`` URLs: PNG and JPEG go into the document as they are;
SVG (every chart, and a brief's own drawings) is rasterised to a PNG at :data:`DPI` with
vl-convert's resvg, the bundled faces registered, so Hangul labels keep the brief's font.
LibreOffice, Word before 2016 and 한글 show that bitmap; Word 2016+ shows the drawing itself,
which DOCX carries beside it (:func:`vector`: sanitised, the bundled face named with a Korean
fallback). Anything else is refused with :class:`ImageError`, which the caller positions at
the image.
"""

from __future__ import annotations

import base64
import binascii
import functools
import re
import struct
from dataclasses import dataclass
from importlib import metadata
from xml.etree import ElementTree as ET

from briefs.cache import cached
from briefs.text.svg import SVG_NS, SvgError, escape, sanitize_svg

DPI = 300
"""Resolution of rasterised drawings."""
SVG_FONTS = "'Pretendard GOV', '맑은 고딕', 'Malgun Gothic', sans-serif"
"""The faces a drawing in a document names: the bundled one, then the Korean face Windows
ships (what Word falls back to where Pretendard GOV is not installed)."""
_SIZE = re.compile(r'<svg\b[^>]*?\swidth="([\d.]+)(?:px|pt)?"[^>]*?\sheight="([\d.]+)(?:px|pt)?"')
_VIEWBOX = re.compile(r'<svg\b[^>]*?\sviewBox="[\d.\-]+[ ,]+[\d.\-]+[ ,]+([\d.]+)[ ,]+([\d.]+)"')


class ImageError(ValueError):
    """An image the document cannot hold (the caller adds where it is)."""


class PictureError(ValueError):
    """An image the document cannot hold: why, and its alt text (to find it in the brief)."""

    def __init__(self, message: str, alt: str) -> None:
        super().__init__(message)
        self.alt = alt


@dataclass(frozen=True)
class Picture:
    """An image ready for a document: PNG or JPEG bytes and their natural size."""

    data: bytes
    """The file's bytes."""
    kind: str
    """``png`` or ``jpeg``."""
    width: float
    """Natural width, in points."""
    height: float
    """Natural height, in points."""
    svg: bytes | None = None
    """The drawing itself, when the image is one (:func:`vector`); ``data`` is its bitmap."""


def decode(url: str) -> tuple[str, bytes]:
    """The media type and bytes of a ``data:`` URL."""
    head, sep, payload = url.partition(",")
    if not head.startswith("data:") or not sep:
        raise ImageError("only embedded images can go into the document, not a link")
    media = head[5:].split(";")[0].lower()
    try:
        data = base64.b64decode(payload, validate=True) if head.endswith(";base64") else None
    except (binascii.Error, ValueError):
        raise ImageError("the embedded image is not valid base64") from None
    if data is None:
        from urllib.parse import unquote_to_bytes

        data = unquote_to_bytes(payload)
    return media, data


def _png_size(data: bytes) -> tuple[float, float]:
    width, height = struct.unpack(">II", data[16:24])
    dpi = 96.0
    at = data.find(b"pHYs")
    if at > 0:
        ppm_x, _, unit = struct.unpack(">IIB", data[at + 4 : at + 13])
        if unit == 1 and ppm_x:
            dpi = ppm_x * 0.0254
    return width * 72 / dpi, height * 72 / dpi


def _jpeg_size(data: bytes) -> tuple[float, float]:
    at = 2
    while at + 9 < len(data):
        if data[at] != 0xFF:
            break
        marker, length = data[at + 1], struct.unpack(">H", data[at + 2 : at + 4])[0]
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[at + 5 : at + 9])
            return width * 0.75, height * 0.75
        at += 2 + length
    raise ImageError("the JPEG image has no frame size")


def svg_size(svg: str) -> tuple[float, float]:
    """An SVG's width and height in its own units (pixels, read as points)."""
    match = _SIZE.search(svg) or _VIEWBOX.search(svg)
    if match is None:
        return 300.0, 150.0  # what a browser gives a drawing that states no size
    width, height = float(match.group(1)), float(match.group(2))
    if width <= 0 or height <= 0:
        raise ImageError(f"the SVG drawing is {match.group(1)} × {match.group(2)}: nothing to show")
    return width, height


@functools.lru_cache(maxsize=32)
def rasterise(svg: str, width_pt: float) -> bytes:
    """An SVG drawing as a PNG of :data:`DPI` when shown ``width_pt`` wide (kept: the
    editions of one language share their charts)."""
    natural, _ = svg_size(svg)

    def draw() -> bytes:
        import vl_convert

        from briefs.charts.vega import register_fonts
        from briefs.resources import builtin_dir

        register_fonts(str(builtin_dir() / "fonts"))
        try:
            return bytes(vl_convert.svg_to_png(svg, scale=width_pt / natural, ppi=DPI))
        except ValueError as exc:
            raise ImageError(f"the SVG drawing cannot be drawn ({exc})") from None

    # Kept between runs (briefs.cache): drawing a chart takes about 65 ms.
    made_from = f"{metadata.version('vl-convert-python')}\0{width_pt!r}\0{DPI}\0{svg}"
    return cached("png", made_from, draw, magic=b"\x89PNG\r\n\x1a\n")


_ANCHORED = re.compile(r'<text x="[-\d.]+" data-anchor="(end|middle)" data-x="([-\d.]+)"')
"""A chart label the PDF places by its left edge (:func:`briefs.charts.svg.left_edged`)."""


@functools.lru_cache(maxsize=32)
def vector(svg: str) -> bytes:
    """An SVG drawing as a document holds it beside its bitmap: through the one sanitiser
    (no scripts, styles, links or outside references), the root's presentation attributes
    kept on a group, every ``font-family`` :data:`SVG_FONTS`."""
    try:
        clean = sanitize_svg(svg, font_family=SVG_FONTS)
        root = ET.fromstring(svg)
    except (SvgError, ET.ParseError) as exc:
        raise ImageError(f"the SVG drawing cannot be read ({exc})") from None
    inherited = "".join(
        f' {name}="{escape(value)}"'
        for name in ("font-size", "font-weight", "fill", "stroke", "color")
        if (value := root.get(name)) is not None and "url(" not in value
    )
    return (
        f'<svg xmlns="{SVG_NS}"{clean.root_attributes}>'
        f'<g font-family="{escape(SVG_FONTS)}"{inherited}>{clean.body}</g></svg>'
    ).encode()


def picture(url: str, max_width_pt: float, *, vector_too: bool = False) -> Picture:
    """The image of a ``data:`` URL as the document holds it, at most ``max_width_pt`` wide;
    with ``vector_too``, a drawing's :func:`vector` form beside its bitmap."""
    media, data = decode(url)
    if media == "image/png" and data.startswith(b"\x89PNG\r\n\x1a\n"):
        width, height = _png_size(data)
        kind = "png"
    elif media in ("image/jpeg", "image/jpg") and data.startswith(b"\xff\xd8"):
        width, height = _jpeg_size(data)
        kind = "jpeg"
    elif media == "image/svg+xml":
        # A chart's labels anchored again (the PDF places them by their left edge): Word draws
        # the vector form in whatever font it has, and the bitmap is drawn from the same.
        svg = _ANCHORED.sub(r'<text x="\2" text-anchor="\1"', data.decode("utf-8", "replace"))
        width, height = svg_size(svg)
        shown = min(width, max_width_pt)
        bitmap = rasterise(svg, shown)
        return Picture(
            bitmap, "png", shown, height * shown / width, vector(svg) if vector_too else None
        )
    else:
        raise ImageError(
            f"a {media or 'untyped'} image cannot go into the document (PNG, JPEG or SVG only)"
        )
    if width > max_width_pt:
        width, height = max_width_pt, height * max_width_pt / width
    return Picture(data, kind, width, height)
