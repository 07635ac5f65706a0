"""Charts (issue 6): chart blocks on findings and standalone figures, as accessible SVG.

A chart is data (rows inline in the YAML, or a CSV file next to the brief) plus a declarative
type — ``bar``, ``grouped-bar``, ``stacked-bar``, ``line`` or ``slope`` — drawn offline by a
small SVG writer: no browser, no network, byte-identical output, KRDS colours, and every label
a real ``<text>`` in Pretendard GOV, selectable in the PDF and read by screen readers.
``type: vega-lite`` takes a raw Vega-Lite spec as an escape hatch: it needs the optional
``vl-convert-python``, may not load URLs, and its SVG is reduced to an allow-list.

This module holds what every build needs: the models, validated with the brief, and the two
entry points. The work lives in modules imported only when a brief has charts, so a brief
without them pays nothing for it:

- :mod:`briefs.charts_check` — :func:`check_charts`: reads CSV files, checks columns, values
  and specs, and reports each problem at its YAML line (called by :func:`check`);
- :mod:`briefs.charts_svg` — theme, numbers in the edition's style, text metrics, the SVG
  writer;
- :mod:`briefs.charts_layouts` — the layouts, one per chart type;
- :mod:`briefs.charts_vega` — the Vega-Lite escape hatch and the SVG sanitiser;
- :mod:`briefs.charts_view` — :meth:`Chart.view`: one chart in one edition (SVG, alt text,
  data table), what ``partials/chart.html.j2`` renders.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PrivateAttr

from briefs import model as _model
from briefs.errors import Diagnostic
from briefs.loader import FieldPath
from briefs.model import Markdown, Slug, Targeted, Text, _Model

if TYPE_CHECKING:
    from briefs.charts_data import Data
    from briefs.charts_view import ChartView
    from briefs.edition import Edition
    from briefs.loader import Source
    from briefs.model import Brief

ChartType = Literal["bar", "grouped-bar", "stacked-bar", "line", "slope", "vega-lite"]
DECLARATIVE: tuple[str, ...] = ("bar", "grouped-bar", "stacked-bar", "line", "slope")
"""Chart types drawn by briefs itself (the rest is Vega-Lite)."""

# -- models ------------------------------------------------------------------------------------


def _to_field(value: Any) -> Any:
    return {"field": value} if isinstance(value, str) else value


def _to_key(value: Any) -> Any:
    # A value as ``labels`` keys write it: 2025-01-27 (a YAML date), 2023 (a YAML number).
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return value


ValueKey = Annotated[str, BeforeValidator(_to_key, json_schema_input_type=str | int | dt.date)]
"""A value of ``x`` or ``series`` as written in the data: text, a number or a date."""


class Dimension(_Model):
    """A column of the data drawn as categories, x values or series."""

    field: str
    """The column's name in the data."""
    title: Text | None = None
    """Its name for readers (table header); the column name when omitted."""


class Measure(Dimension):
    """The numeric column a chart draws, and how its numbers are written."""

    format: Literal["number", "percent", "money"] = "number"
    """``number`` (Korean editions group large numbers by 만/억/조), ``percent`` (values are
    percentages: 62 is 62%) or ``money`` (in ``currency``: 5,890억 달러 / $589 billion)."""
    currency: Literal["USD", "KRW", "EUR", "CNY", "JPY"] = "USD"
    """Currency of ``money`` values."""
    unit: Text | None = None
    """A unit written after plain numbers (``{ko: 장, en: GPUs}``)."""
    decimals: int = Field(default=2, ge=0, le=4)
    """Most decimal places shown (trailing zeros are dropped)."""
    zero: bool = True
    """Start the value axis at zero (line and slope charts may turn this off)."""


FieldRef = Annotated[Dimension, BeforeValidator(_to_field, json_schema_input_type=str | Dimension)]
"""A column name, or ``{field: …, title: …}``."""
MeasureRef = Annotated[Measure, BeforeValidator(_to_field, json_schema_input_type=str | Measure)]
"""A column name, or ``{field: …, title: …, format: …}``."""


class Chart(_Model):
    """A chart: its data, what to draw, and the words a reader needs to understand it."""

    type: ChartType
    """``bar``, ``grouped-bar``, ``stacked-bar`` (horizontal bars; groups and stacks by
    ``series``), ``line`` (one line per series), ``slope`` (two values of ``x``, one line
    per series), or ``vega-lite`` (a raw Vega-Lite spec in ``spec``)."""
    title: Text
    """What the chart shows, as a caption (그림 제목)."""
    alt: Text
    """Alternative text: what a reader should take from the chart, in a sentence or two."""
    data: list[dict[str, Any]] | None = None
    """Rows of data, each a mapping of column → value (give ``data`` or ``csv``)."""
    csv: str | None = None
    """A CSV file with a header row, relative to the brief's folder (give ``data`` or ``csv``)."""
    x: FieldRef | None = None
    """The categories (bar charts), the x values (line) or the two periods (slope)."""
    y: MeasureRef | None = None
    """The numbers drawn."""
    series: FieldRef | None = None
    """The column that splits the data into groups, stacks or lines."""
    labels: dict[str, Text] = Field(default_factory=dict)
    """Reader's names of values in ``x`` or ``series`` (``{nvda: {ko: 엔비디아, en: Nvidia}}``)."""
    estimates: list[ValueKey] = Field(default_factory=list)
    """Values of ``x`` or ``series`` that are estimates: drawn lighter and marked 추정/estimate."""
    approximate: list[ValueKey] = Field(default_factory=list)
    """Values of ``x`` or ``series`` whose numbers are approximate: written 약 …/about …."""
    note: Markdown | None = None
    """A note under the chart (what is estimated, what is not comparable)."""
    sources: list[str] = Field(min_length=1)
    """Ids of the sources behind the data, cited in the "자료:" line under the chart."""
    spec: dict[str, Any] | None = None
    """The Vega-Lite spec of a ``vega-lite`` chart; its data may not come from URLs."""

    _loaded: Data | None = PrivateAttr(default=None)
    """The data, checked and arranged (set by :func:`check`)."""
    _where: Diagnostic | None = PrivateAttr(default=None)
    """Where the chart stands in its file, for errors found while drawing it."""

    def view(self, edition: Edition, anchor: str) -> ChartView:
        """The chart as ``edition`` shows it; ``anchor`` is its element id."""
        from briefs.charts_view import view

        return view(self, edition, anchor)


class Figure(Chart, Targeted):
    """A standalone chart: at the end of the findings, or where a profile lists ``figures``."""

    id: Slug
    """Unique among figures."""


# -- entry points ------------------------------------------------------------------------------


def chart_locations(data: Any) -> list[tuple[FieldPath, Any, type[Chart]]]:
    """Every chart in a loaded brief: its path, its raw mapping and its model."""
    found: list[tuple[FieldPath, Any, type[Chart]]] = []
    if not isinstance(data, dict):
        return found
    for i, item in enumerate(data.get("findings") or []):
        if isinstance(item, dict) and isinstance(item.get("chart"), dict):
            found.append((("findings", i, "chart"), item["chart"], Chart))
    for i, item in enumerate(data.get("figures") or []):
        if isinstance(item, dict):
            found.append((("figures", i), item, Figure))
    return found


def check(source: Source, brief: Brief | None) -> list[Diagnostic]:
    """Check every chart's data and spec, positioned; keep the data with the chart.

    See :func:`briefs.charts_check.check_charts`; a brief without charts returns at once.
    """
    if not chart_locations(source.data):
        return []
    from briefs.charts_check import check_charts

    return check_charts(source, brief)


# -- completing the brief's models (see the end of briefs/model.py) ---------------------------


def complete_models() -> None:
    """Resolve ``Finding.chart`` and ``Brief.figures`` once both modules are loaded."""
    _model.Finding.model_rebuild()
    _model.Brief.model_rebuild()


if hasattr(_model, "_charts"):  # briefs.model finished loading first: it cannot do this itself
    complete_models()
