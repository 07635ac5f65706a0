"""A chart's data made ready to draw: its fields checked for its type, rows read and arranged.

:func:`load` checks which fields a chart's type takes, what a raw Vega-Lite spec may not do
(URLs, links, data generators, unknown marks), then reads and arranges the rows with
:mod:`briefs.charts.data`. :mod:`briefs.check.charts` positions its problems at YAML lines;
:func:`loaded` hands the arranged data to the code that draws.
"""

from __future__ import annotations

import difflib
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefs.charts.data import Data, Problem, Table, arrange, csv_table, inline_table, spec_data
from briefs.errors import BriefError
from briefs.schema.charts import BARS, DECLARATIVE, Chart
from briefs.source import FieldPath, format_path

_MARKS = (
    "arc", "area", "bar", "boxplot", "circle", "errorband", "errorbar", "geoshape", "line",
    "point", "rect", "rule", "square", "text", "tick", "trail",
)  # fmt: skip


def _check_spec(chart: Chart, table: Table | None) -> tuple[Data | None, list[Problem]]:
    """A raw Vega-Lite spec: no URLs or links, a known mark, and some data."""
    problems: list[Problem] = []
    if importlib.util.find_spec("vl_convert") is None:
        problems.append(
            Problem(
                ("type",),
                "type vega-lite needs the optional package vl-convert-python",
                "pip install 'briefs[charts]'",
            )
        )
    spec = chart.spec
    if spec is None:
        return None, [*problems, Problem(("spec",), "type vega-lite needs a 'spec'")]

    def walk(value: Any, path: FieldPath) -> Iterator[Problem]:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "url":
                    yield Problem(
                        (*path, key),
                        "data and images may not come from URLs",
                        "put the data under 'data' or in a CSV file next to the brief",
                        at_key=True,
                    )
                elif key == "href":
                    yield Problem((*path, key), "charts may not contain links", at_key=True)
                elif key in ("sequence", "graticule") and path[-1:] == ("data",):
                    # A generator can ask for a billion rows; real data is short.
                    yield Problem(
                        (*path, key),
                        "data generators are not allowed",
                        "give the rows under 'data' or in a CSV file",
                        at_key=True,
                    )
                else:
                    yield from walk(item, (*path, key))
        elif isinstance(value, list):
            for i, item in enumerate(value):
                yield from walk(item, (*path, i))

    refused = list(walk(spec, ("spec",)))
    problems.extend(refused)
    for path, value in _marks(spec, ("spec",)):
        if value == "image":
            problems.append(Problem(path, "image marks are not allowed (they load files)"))
        elif value not in _MARKS:
            close = difflib.get_close_matches(value, _MARKS, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else ""
            problems.append(Problem(path, f"unknown mark '{value}'", hint))
    views = ("mark", "layer", "concat", "hconcat", "vconcat", "facet", "repeat", "spec")
    if not any(key in spec for key in views):
        problems.append(Problem(("spec",), "a Vega-Lite spec needs a 'mark' or a 'layer'"))
    own = spec.get("data")
    if table is not None:
        if own is not None:
            problems.append(
                Problem(
                    ("spec", "data"),
                    "give the data once: in the spec or under data/csv",
                    at_key=True,
                )
            )
        elif not table.rows:
            where = ("csv",) if table.csv_name else ("data",)
            problems.append(Problem(where, "has no data rows", "give at least one row"))
    elif not refused:  # a spec that loads a URL has no data of its own: said once, above
        values = own.get("values") if isinstance(own, dict) else None
        if (not isinstance(values, list) or not values) and not spec.get("datasets"):
            problems.append(
                Problem(("spec",), "the spec has no data", "give rows under 'data' or a 'csv'")
            )
    if problems:
        return None, problems
    return spec_data(table), []


def _marks(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, str]]:
    """Every mark type named in a spec, with its path (layers and concatenations too)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "mark" and isinstance(item, str):
                yield (*path, key), item
            elif key == "mark" and isinstance(item, dict) and isinstance(item.get("type"), str):
                yield (*path, key, "type"), item["type"]
            else:
                yield from _marks(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _marks(item, (*path, i))


def load(chart: Chart, base_dir: Path | None) -> tuple[Data | None, list[Problem]]:
    """Load and check a chart's data; ``base_dir`` is the brief's folder (for CSV files)."""
    problems: list[Problem] = []
    declarative = chart.type in DECLARATIVE
    if declarative:
        if chart.spec is not None:
            problems.append(
                Problem(("spec",), "'spec' is only read for type vega-lite", at_key=True)
            )
        for name in ("x", "y"):
            if getattr(chart, name) is None:
                problems.append(Problem((name,), f"required for type {chart.type}"))
        if chart.series is None and chart.type in ("grouped-bar", "stacked-bar", "slope"):
            problems.append(Problem(("series",), f"required for type {chart.type}"))
        if chart.type in BARS and chart.y is not None and chart.y.zero is False:
            problems.append(
                Problem(
                    ("y", "zero"),
                    f"type {chart.type} always starts at zero: a bar's length is its value",
                    "remove 'zero: false', or draw a line chart",
                )
            )
    else:
        for name in ("x", "y", "series"):
            if getattr(chart, name) is not None:
                problems.append(
                    Problem(
                        (name,), "not used by type vega-lite (encode it in the spec)", at_key=True
                    )
                )
    if chart.data is not None and chart.csv is not None:
        problems.append(Problem(("csv",), "give either 'data' or 'csv', not both", at_key=True))
    elif declarative and chart.data is None and chart.csv is None:
        problems.append(
            Problem(("data",), "required: rows under 'data', or a CSV file under 'csv'")
        )
    if problems:
        return None, problems
    table: Table | None = None
    if chart.data is not None:
        table, problems = inline_table(chart.data)
    elif chart.csv is not None:
        if base_dir is None:
            raise BriefError(f"chart '{chart.title.any()}': its CSV file was not loaded")
        table, problems = csv_table(chart, base_dir)
    if problems:
        return None, problems
    if not declarative:
        return _check_spec(chart, table)
    assert table is not None
    return arrange(chart, table)


def loaded(chart: Chart) -> Data:
    """The chart's checked data: kept by :func:`check_charts`, else loaded from ``data``."""
    kept = chart.kept_data
    if isinstance(kept, Data):
        return kept
    data, problems = load(chart, None)
    if data is None:
        raise BriefError(
            f"chart '{chart.title.any()}': {format_path(problems[0].path)}: {problems[0].message}"
        )
    chart.keep_data(data, chart.kept_at)
    return data
