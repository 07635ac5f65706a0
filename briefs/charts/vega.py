"""The Vega-Lite escape hatch: a raw spec drawn by vl-convert, then sanitised.

``vl-convert-python`` (optional: ``pip install 'briefs[charts]'``) renders Vega-Lite to SVG
in-process, without a browser. It is imported on the first Vega-Lite chart (~0.5 s to start
its JavaScript engine, ~50 ms a chart after that, cached per spec, language and size). It
is called with ``allowed_base_urls=[]`` — no data is fetched — and the validation refuses
``url`` and ``href`` anywhere in a spec before that. Its SVG is then reduced to drawing
elements and attributes by the one SVG sanitiser (:mod:`briefs.text.svg`), ids prefixed,
fonts and colours from the KRDS theme.
"""

from __future__ import annotations

import functools
import json
from typing import Any, Literal

from briefs.charts.data import Data
from briefs.charts.svg import FONT_STACK, GRID, MUTED, PALETTE, TEXT, WHITE, Canvas
from briefs.errors import BriefError, Diagnostic
from briefs.schema.charts import Chart
from briefs.text import svg as svg_sanitiser


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

    register_fonts(str(builtin_dir() / "fonts"))
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
def register_fonts(folder: str) -> None:
    """Make the bundled faces in ``folder`` known to vl-convert (Vega-Lite and its SVG
    rasteriser), once per process."""
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
    """Vega-Lite's SVG through the one sanitiser (:mod:`briefs.text.svg`): drawing elements
    only, ids prefixed, ``font-family`` the page's font stack. Returns the root's children,
    serialised, and its width and height."""
    try:
        clean = svg_sanitiser.sanitize_svg(svg, prefix=prefix, font_family=FONT_STACK)
    except svg_sanitiser.SvgError as exc:
        raise BriefError(f"Vega-Lite produced an SVG briefs refuses: {exc}") from None
    return clean.body, clean.width, clean.height
