"""The one SVG sanitiser: for images in briefs and for the drawings Vega-Lite makes.

An allow-list, not a deny-list: only drawing elements and presentation attributes survive;
scripts, styles, images, links, animation, foreign content and every other element go, with
event handlers, ``style`` attributes and every ``url()`` that is not a local ``#id``.

``<use>`` is flattened: each reference is replaced by a copy of what it names, and the
result has no ``href`` left at all. A renderer expands nested ``<use>`` exponentially (a
1.8 KB file kept WeasyPrint busy for minutes); here the expansion is counted and an SVG with
more than :data:`MAX_ELEMENTS` elements once expanded, or a ``<use>`` that refers to itself,
is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from xml.etree import ElementTree

SVG_NS = "http://www.w3.org/2000/svg"
MAX_ELEMENTS = 20_000
"""Most elements an SVG may have once every ``<use>`` is expanded."""
MAX_DEPTH = 64
"""Deepest nesting of elements (``<use>`` expansion counted)."""

_XLINK_HREF = "{http://www.w3.org/1999/xlink}href"
_KEEP = {
    "svg", "g", "path", "rect", "line", "circle", "ellipse", "polygon", "polyline", "text",
    "tspan", "defs", "clipPath", "linearGradient", "radialGradient", "stop",
}  # fmt: skip
_UNWRAP = {"a", "switch"}
"""Elements replaced by their children."""
_TEXT = {"text", "tspan"}
_DRAWN = {"g", "path", "rect", "line", "circle", "ellipse", "polygon", "polyline", "text",
          "svg", "symbol", "use"}  # fmt: skip
"""What a ``<use>`` may refer to."""
_ATTRS = {
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "d",
    "points", "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
    "stroke-opacity", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "opacity", "font-family", "font-size",
    "font-weight", "font-style", "font-variant", "text-anchor", "dominant-baseline",
    "clip-path", "clip-rule", "id", "offset", "stop-color", "stop-opacity", "gradientUnits",
    "gradientTransform", "spreadMethod", "fx", "fy", "dx", "dy", "display", "visibility",
    "letter-spacing", "text-decoration", "paint-order", "shape-rendering", "clipPathUnits",
    "viewBox", "preserveAspectRatio", "color",
}  # fmt: skip
_ROOT_ATTRS = ("width", "height", "viewBox", "preserveAspectRatio")
_LOCAL_URL = re.compile(r"url\(\s*#([\w.-]+)\s*\)")
_NUMBER = re.compile(r"-?(\d+\.?\d*|\.\d+)([eE]-?\d+)?")


class SvgError(ValueError):
    """Why an SVG is refused."""


@dataclass(frozen=True)
class CleanSvg:
    """A sanitised SVG: its root's size and its children, serialised."""

    body: str
    """The root's children, sanitised."""
    width: float
    """The root's width (0 when not given in plain units)."""
    height: float
    """The root's height."""
    root_attributes: str
    """The root's kept attributes (size, viewBox), serialised."""

    def document(self) -> bytes:
        """The whole SVG document."""
        return f'<svg xmlns="{SVG_NS}"{self.root_attributes}>{self.body}</svg>'.encode()


def escape(text: str) -> str:
    """Text or an attribute value, escaped for XML."""
    return (
        text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    )


def _size(value: str | None) -> float:
    match = _NUMBER.match((value or "").strip())
    return float(match.group(0)) if match else 0.0


def sanitize_svg(text: str, *, prefix: str = "", font_family: str | None = None) -> CleanSvg:
    """``text`` reduced to drawing elements and attributes, ``<use>`` flattened.

    Ids are prefixed with ``prefix-`` when a prefix is given (two charts on one page must
    not share a clip path); ``font-family`` becomes ``font_family`` when one is given.
    Raises :class:`SvgError` for a DOCTYPE or entities, a file that does not parse or is
    not an SVG, nesting deeper than :data:`MAX_DEPTH`, or more than :data:`MAX_ELEMENTS`.
    """
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        raise SvgError("SVG with a DOCTYPE or entities is not accepted")
    try:
        root = ElementTree.fromstring(text)
    except ElementTree.ParseError as exc:
        raise SvgError(f"SVG does not parse: {exc}") from None
    namespace = "{" + SVG_NS + "}" if root.tag.startswith("{") else ""
    if root.tag != f"{namespace}svg":
        raise SvgError("the file is not an SVG image")
    writer = _Writer(root, namespace, prefix, font_family)
    for child in root:
        writer.element(child, 1, ())
    kept = "".join(
        f' {name}="{escape(value)}"'
        for name in _ROOT_ATTRS
        if (value := root.get(name)) is not None and _safe_value(value)
    )
    return CleanSvg("".join(writer.out), _size(root.get("width")), _size(root.get("height")), kept)


def _safe_value(value: str) -> bool:
    return "\\" not in value and "url(" not in value.lower() and "&" not in value


class _Writer:
    def __init__(
        self, root: ElementTree.Element, namespace: str, prefix: str, font: str | None
    ) -> None:
        self.namespace = namespace
        self.prefix = prefix
        self.font = font
        self.by_id = {el.get("id"): el for el in root.iter() if el.get("id")}
        self.out: list[str] = []
        self.count = 0

    def tag(self, el: ElementTree.Element) -> str | None:
        """The element's SVG name, or None for comments and other namespaces."""
        if not isinstance(el.tag, str) or not el.tag.startswith(self.namespace):
            return None
        local = el.tag[len(self.namespace) :]
        return None if "}" in local else local

    def attrs(self, el: ElementTree.Element, *, copy: bool, skip: tuple[str, ...] = ()) -> str:
        parts: list[str] = []
        for name, value in el.attrib.items():
            if name not in _ATTRS or name in skip or "\\" in value:
                continue
            if name == "id":
                if copy:
                    continue  # a copy made for a <use> must not repeat the original's id
                value = f"{self.prefix}-{value}" if self.prefix else value
            elif name == "font-family" and self.font is not None:
                value = self.font
            elif "url(" in value.lower():
                match = _LOCAL_URL.fullmatch(value.strip())
                if match is None or match[1] not in self.by_id:
                    continue
                value = f"url(#{self.prefix}-{match[1]})" if self.prefix else f"url(#{match[1]})"
            parts.append(f' {name}="{escape(value)}"')
        return "".join(parts)

    def counted(self, depth: int) -> None:
        self.count += 1
        if self.count > MAX_ELEMENTS:
            raise SvgError(
                f"SVG has more than {MAX_ELEMENTS:,} elements once <use> references are expanded"
            )
        if depth > MAX_DEPTH:
            raise SvgError(f"SVG is nested deeper than {MAX_DEPTH} levels")

    def element(
        self, el: ElementTree.Element, depth: int, active: tuple[str, ...], copy: bool = False
    ) -> None:
        tag = self.tag(el)
        if tag is None:
            return
        if tag in _UNWRAP:
            for child in el:
                self.element(child, depth, active, copy)
            return
        if tag == "use":
            self.use(el, depth, active)
            return
        if tag not in _KEEP and not (tag == "symbol" and copy):
            return  # a <symbol> draws only through a <use>
        self.counted(depth)
        name = "g" if tag == "symbol" else tag
        skip = ("x", "y", "width", "height", "viewBox") if tag in ("symbol", "svg") else ()
        self.out.append(f"<{name}{self.attrs(el, copy=copy, skip=skip)}>")
        if el.text and tag in _TEXT:
            self.out.append(escape(el.text))
        for child in el:
            self.element(child, depth + 1, active, copy)
            if child.tail and tag in _TEXT:
                self.out.append(escape(child.tail))
        self.out.append(f"</{name}>\n" if name == "text" else f"</{name}>")

    def use(self, el: ElementTree.Element, depth: int, active: tuple[str, ...]) -> None:
        """A ``<use>`` as a group holding a copy of what it refers to (or nothing)."""
        href = (el.get("href") or el.get(_XLINK_HREF) or "").strip()
        target = self.by_id.get(href[1:]) if href.startswith("#") else None
        if target is None or self.tag(target) not in _DRAWN:
            return  # not a local drawing: a gradient, a clip path, another file
        if href[1:] in active:
            raise SvgError(f"SVG <use> refers to {href!r}, which contains it")
        self.counted(depth)
        moves = [el.get("transform") or ""]
        x, y = _size(el.get("x")), _size(el.get("y"))
        if x or y:
            moves.append(f"translate({x:g} {y:g})")
        transform = " ".join(m for m in moves if m)
        own = self.attrs(el, copy=True, skip=("x", "y", "width", "height", "transform"))
        moved = f' transform="{escape(transform)}"' if transform else ""
        self.out.append(f"<g{own}{moved}>")
        self.element(target, depth + 1, (*active, href[1:]), copy=True)
        self.out.append("</g>")
