"""Chart models: chart blocks on findings and standalone figures (issue 6).

A chart is data (rows inline in the YAML, or a CSV file next to the brief) plus a declarative
type — ``bar``, ``grouped-bar``, ``stacked-bar``, ``line`` or ``slope`` — drawn offline by
:mod:`briefs.charts`, with every label a real ``<text>`` in Pretendard GOV. ``type:
vega-lite`` takes a raw Vega-Lite spec as an escape hatch (it needs the optional
``vl-convert-python``). These models are pure data: :mod:`briefs.check.charts` checks a
chart's data and keeps it with the chart, :func:`briefs.charts.view.view` draws one chart in
one edition.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field, PrivateAttr

from briefs.errors import Diagnostic
from briefs.schema.base import (
    BoundedValue,
    FileName,
    Markdown,
    Slug,
    StrictModel,
    Targeted,
    Text,
)

ChartType = Literal["bar", "grouped-bar", "stacked-bar", "line", "slope", "vega-lite"]
DECLARATIVE: tuple[str, ...] = ("bar", "grouped-bar", "stacked-bar", "line", "slope")
BARS: tuple[str, ...] = ("bar", "grouped-bar", "stacked-bar")
"""The chart types drawn as bars, whose value axis always starts at zero."""
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


class Dimension(StrictModel):
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
    zero: bool | None = None
    """Start the value axis at zero. Bars always do (a bar's length is its value), and slopes
    unless ``false`` (they have no axis to read a distance from). Lines, when omitted: from
    zero unless every value has the same sign and the one nearest zero is beyond 5/6 of the
    farthest, as spreadsheets decide, so a narrow band (1,708–1,915 hours) is not drawn as a
    flat line along the top; ``true`` or ``false`` decides it."""


FieldRef = Annotated[Dimension, BeforeValidator(_to_field, json_schema_input_type=str | Dimension)]
"""A column name, or ``{field: …, title: …}``."""
MeasureRef = Annotated[Measure, BeforeValidator(_to_field, json_schema_input_type=str | Measure)]
"""A column name, or ``{field: …, title: …, format: …}``."""


class Chart(StrictModel):
    """A chart: its data, what to draw, and the words a reader needs to understand it."""

    type: ChartType
    """``bar``, ``grouped-bar``, ``stacked-bar`` (horizontal bars; groups and stacks by
    ``series``), ``line`` (one line per series), ``slope`` (two values of ``x``, one line
    per series), or ``vega-lite`` (a raw Vega-Lite spec in ``spec``)."""
    title: Text
    """What the chart shows, as a caption (그림 제목)."""
    alt: Text
    """Alternative text: what a reader should take from the chart, in a sentence or two."""
    data: list[dict[str, BoundedValue]] | None = None
    """Rows of data, each a mapping of column → value (give ``data`` or ``csv``); numbers
    are finite and at most 10¹⁸ in size."""
    csv: FileName | None = None
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
    gaps: bool = False
    """Whether the data may lack values: a row with an empty ``y``, a series with no row for
    an ``x`` the others have, or a year missing from a yearly series. Each is drawn as a gap
    (a line stops and starts again, no bar) and shown as "—" in the data table. Without it,
    each is an error, so that a value left out by mistake is not drawn as a trend."""
    note: Markdown | None = None
    """A note under the chart (what is estimated, what is not comparable)."""
    sources: list[str] = Field(min_length=1)
    """Ids of the sources behind the data, cited in the "자료:" line under the chart."""
    spec: dict[str, Any] | None = None
    """The Vega-Lite spec of a ``vega-lite`` chart; its data may not come from URLs."""

    _data: object = PrivateAttr(default=None)
    _where: Diagnostic | None = PrivateAttr(default=None)

    def keep_data(self, data: object, where: Diagnostic | None) -> None:
        """Keep the chart's checked data, and where it stands in its file, for drawing.

        Set once by the charts' validation pass (:mod:`briefs.check.charts`); the model's
        fields stay frozen.
        """
        self._data = data
        self._where = where

    @property
    def kept_data(self) -> object:
        """The data kept by :meth:`keep_data` (a :class:`briefs.charts.data.Data`), or None."""
        return self._data

    @property
    def kept_at(self) -> Diagnostic | None:
        """Where the chart stands in its file, for errors found while drawing it."""
        return self._where


class Figure(Chart, Targeted):
    """A standalone chart: at the end of the findings, or where a profile lists ``figures``."""

    id: Slug
    """Unique among figures."""


def chart_locations(data: Any) -> list[tuple[tuple[str | int, ...], Any, type[Chart]]]:
    """Every chart in a loaded brief: its path, its raw mapping and its model."""
    found: list[tuple[tuple[str | int, ...], Any, type[Chart]]] = []
    if not isinstance(data, dict):
        return found
    for i, item in enumerate(data.get("findings") or []):
        if isinstance(item, dict) and isinstance(item.get("chart"), dict):
            found.append((("findings", i, "chart"), item["chart"], Chart))
    for i, item in enumerate(data.get("figures") or []):
        if isinstance(item, dict):
            found.append((("figures", i), item, Figure))
    return found
