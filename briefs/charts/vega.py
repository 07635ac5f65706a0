"""The Vega-Lite escape hatch: a raw spec drawn by vl-convert, then sanitised.

``vl-convert-python`` (optional: ``pip install 'briefs[charts]'``) renders Vega-Lite to SVG
in-process, without a browser. It is imported on the first Vega-Lite chart (~0.5 s to start
its JavaScript engine, ~50 ms a chart after that, cached per spec, language and size). It
is called with ``allowed_base_urls=[]`` — no data is fetched — and the validation refuses
``url`` and ``href`` anywhere in a spec before that. Its SVG is then reduced to drawing
elements and attributes (:func:`sanitize_svg`), ids prefixed, fonts and colours from the
KRDS theme.
"""

from __future__ import annotations

import functools
import json
import re
from typing import Any, Literal
from xml.etree import ElementTree

from markupsafe import escape

from briefs.charts.data import Data
from briefs.charts.svg import FONT_STACK, GRID, MUTED, PALETTE, TEXT, WHITE, Canvas, attr
from briefs.errors import BriefError, Diagnostic
from briefs.schema.charts import Chart

_SVG = "{http://www.w3.org/2000/svg}"
_KEEP = {
    "svg", "g", "path", "rect", "line", "circle", "ellipse", "polygon", "polyline", "text",
    "tspan", "defs", "clipPath", "linearGradient", "radialGradient", "stop", "title", "desc",
}  # fmt: skip
_UNWRAP = {"a", "switch"}
_ATTRS = {
    "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "width", "height", "d",
    "points", "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width",
    "stroke-opacity", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap",
    "stroke-linejoin", "stroke-miterlimit", "opacity", "font-family", "font-size",
    "font-weight", "font-style", "font-variant", "text-anchor", "dominant-baseline",
    "clip-path", "id", "offset", "stop-color", "stop-opacity", "gradientUnits",
    "gradientTransform", "fx", "fy", "dx", "dy", "display", "visibility", "letter-spacing",
    "text-decoration", "paint-order", "shape-rendering", "clipPathUnits",
}  # fmt: skip
_LOCAL_URL = re.compile(r"url\(#([\w.-]+)\)")


def theme(canvas: Canvas) -> dict[str, Any]:
    """Vega-Lite config: KRDS colours and Pretendard GOV at the canvas's sizes."""
    fs = canvas.font
    axis = {
        "labelColor": MUTED,
        "titleColor": TEXT,
        "gridColor": GRID,
        "domainColor": MUTED,
        "tickColor": MUTED,
        "labelFontSize": fs * 0.9,
        "titleFontSize": fs,
        "titleFontWeight": 700,
    }
    return {
        "font": "Pretendard GOV",
        "background": None,
        "padding": fs * 0.5,
        "view": {"stroke": None, "continuousWidth": canvas.width - fs * 6,
                 "continuousHeight": canvas.width * 0.4,
                 "discreteWidth": {"step": fs * 3.5}, "discreteHeight": {"step": fs * 2.2}},
        "range": {"category": list(PALETTE), "ordinal": list(PALETTE), "ramp": [WHITE, PALETTE[0]]},
        "mark": {"color": PALETTE[0]},
        "axis": axis,
        "legend": {"labelColor": TEXT, "titleColor": TEXT, "labelFontSize": fs * 0.9,
                   "titleFontSize": fs * 0.9},
        "title": {"color": TEXT, "fontSize": fs * 1.1, "subtitleColor": MUTED},
        "text": {"color": TEXT, "fontSize": fs * 0.9},
        "header": {"labelColor": TEXT, "titleColor": TEXT},
    }  # fmt: skip


@functools.lru_cache(maxsize=64)
def _vl_convert(spec: str, config: str, lang: str) -> str:
    import vl_convert

    from briefs.resources import builtin_dir

    _register_fonts(str(builtin_dir() / "fonts"))
    locale: Literal["ko-KR", "en-US"] = "ko-KR" if lang == "ko" else "en-US"
    svg = vl_convert.vegalite_to_svg(
        json.loads(spec),
        config=json.loads(config),
        allowed_base_urls=[],
        format_locale=locale,
        time_format_locale=locale,
    )
    return str(svg)


@functools.cache
def _register_fonts(folder: str) -> None:
    import vl_convert

    vl_convert.register_font_directory(folder)


def vega_svg(chart: Chart, lang: str, canvas: Canvas, anchor: str) -> tuple[str, float, float]:
    """A Vega-Lite chart's drawing, sanitised: (body, width, height)."""
    assert chart.spec is not None
    spec = dict(chart.spec)
    data = chart.kept_data
    if isinstance(data, Data) and data.vega_values:
        spec["data"] = {"values": data.vega_values}
    try:
        raw = _vl_convert(
            json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str),
            json.dumps(theme(canvas), sort_keys=True),
            lang,
        )
    except ValueError as exc:
        message = str(exc).removeprefix("Vega-Lite to SVG conversion failed:").strip()
        first = message.splitlines()[0] if message else "unknown error"
        where = chart.kept_at or Diagnostic("briefs", 0, 0, "chart")
        raise BriefError(
            Diagnostic(
                where.path,
                where.line,
                where.col,
                f"{where.message}.spec: Vega-Lite cannot draw it: {first}",
                "check the spec in the Vega-Lite editor",
            )
        ) from None
    return sanitize_svg(raw, prefix=anchor)


def sanitize_svg(svg: str, *, prefix: str) -> tuple[str, float, float]:
    """Reduce an SVG to drawing elements and attributes: no scripts, links, images or styles.

    Ids are prefixed (two charts on one page must not share a clip path); ``url(#id)`` is the
    only reference kept; ``font-family`` becomes the page's font stack. Returns the children
    of the root, serialised, and the root's width and height.
    """
    if "<!DOCTYPE" in svg or "<!ENTITY" in svg:
        raise BriefError("Vega-Lite produced an SVG with a DOCTYPE; refusing it")
    root = ElementTree.fromstring(svg)
    if root.tag != f"{_SVG}svg":
        raise BriefError("Vega-Lite did not produce an SVG document")
    width = float(re.sub(r"[^\d.]", "", root.get("width", "0")) or 0)
    height = float(re.sub(r"[^\d.]", "", root.get("height", "0")) or 0)
    ids = {el.get("id") for el in root.iter() if el.get("id")}
    out: list[str] = []

    def attrs(el: ElementTree.Element) -> str:
        parts: list[str] = []
        for name, value in el.attrib.items():
            if name not in _ATTRS:
                continue
            if name == "id":
                value = f"{prefix}-{value}"
            elif name == "font-family":
                value = FONT_STACK
            elif "url(" in value:
                match = _LOCAL_URL.fullmatch(value.strip())
                if match is None or match[1] not in ids:
                    continue
                value = f"url(#{prefix}-{match[1]})"
            parts.append(f' {name}="{attr(value)}"')
        return "".join(parts)

    def emit(el: ElementTree.Element) -> None:
        if not isinstance(el.tag, str) or not el.tag.startswith(_SVG):
            return  # comments, processing instructions, other namespaces
        tag = el.tag.removeprefix(_SVG)
        if tag in _UNWRAP:
            for child in el:
                emit(child)
            return
        if tag not in _KEEP or tag in ("title", "desc"):
            return
        out.append(f"<{tag}{attrs(el)}>")
        if el.text and tag in ("text", "tspan"):
            out.append(str(escape(el.text)))
        for child in el:
            emit(child)
            if child.tail and tag in ("text", "tspan"):
                out.append(str(escape(child.tail)))
        out.append(f"</{tag}>\n" if tag == "text" else f"</{tag}>")

    for child in root:
        emit(child)
    return "".join(out), width, height
