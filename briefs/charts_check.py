"""The charts' validation pass: each chart's fields, data and spec checked, problems positioned.

Imported only when a brief has charts. :func:`check_charts` runs during validation on the
raw data (so charts are checked even when another part of the brief is invalid) and keeps
the arranged data with each chart for drawing; :func:`loaded` hands it to the code that
draws. This module checks which fields a chart's type takes and what a raw Vega-Lite spec
may not do (URLs, links, data generators, unknown marks); :mod:`briefs.charts_data` reads
and arranges the data. Every problem points at a YAML line: a bad value in ``data`` at that
value, a problem inside a CSV file at the ``csv`` field, with the CSV line and column in the
message.
"""

from __future__ import annotations

import difflib
import importlib.util
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from briefs.charts import DECLARATIVE, Chart, chart_locations
from briefs.charts_data import Data, Problem, Table, arrange, csv_table, inline_table, spec_data
from briefs.errors import BriefError, Diagnostic
from briefs.loader import FieldPath, Source, format_path
from briefs.preflight import covered

if TYPE_CHECKING:
    from briefs.model import Brief


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


def _find(brief: Brief, path: FieldPath) -> Chart | None:
    """The validated chart at ``path`` (``("findings", 2, "chart")`` or ``("figures", 0)``)."""
    if path[0] == "findings":
        return brief.findings[int(path[1])].chart
    return brief.figures[int(path[1])]


def check_charts(source: Source, brief: Brief | None) -> list[Diagnostic]:
    """Check the data of every chart in ``source`` and keep it with the chart for drawing.

    Runs on the raw data, so a chart is checked even when another part of the brief is
    invalid (pydantic reports the charts' own structural errors). Every problem is positioned
    at its YAML line: a bad value in ``data`` at that value, a problem inside a CSV file at the
    ``csv`` field with the CSV line in the message.
    """
    out: list[Diagnostic] = []
    base_dir = source.path.resolve().parent
    for path, raw, kind in chart_locations(source.data):
        chart: Chart | None = None
        if brief is not None:
            chart = _find(brief, path)
        else:
            try:
                chart = kind.model_validate(raw)
            except ValidationError:
                continue  # reported by the brief's own validation
        if chart is None:
            continue
        loaded, problems = load(chart, base_dir)
        out.extend(_position(source, path, raw, problem) for problem in problems)
        if loaded is None:
            continue
        out.extend(_check_fonts(source, path, loaded))
        pos = source.positions.of_value(path)
        chart._loaded = loaded
        chart._where = Diagnostic(source.name, pos.line, pos.col, format_path(path))
        if chart.type == "vega-lite":
            # Drawing is the only full check of a spec (~0.5 s once, cached for the build).
            lang = brief.first_language if brief is not None else "ko"
            from briefs.charts_svg import HTML
            from briefs.charts_vega import vega_svg

            try:
                vega_svg(chart, lang, HTML, "check")
            except BriefError as exc:
                out.extend(exc.diagnostics)
    return out


def _position(source: Source, base: FieldPath, raw: Any, problem: Problem) -> Diagnostic:
    """A problem found in the chart at ``base``, at its place in the YAML file."""
    rel, message = problem.path, problem.message
    if len(rel) == 2 and rel[0] in ("x", "y", "series") and not isinstance(raw.get(rel[0]), dict):
        rel = rel[:1]  # written as a plain column name
    if rel[:1] == ("data",) and raw.get("data") is None and isinstance(raw.get("csv"), str):
        # A problem in a row of a CSV file: point at `csv`, name the line and column.
        column = f", column '{rel[2]}'" if len(rel) > 2 else ""
        message = f"{raw['csv']} line {problem.line}{column}: {message}"
        rel = ("csv",)
    return source.diagnostic((*base, *rel), message, problem.hint, at_key=problem.at_key)


def _check_fonts(source: Source, path: FieldPath, loaded: Data) -> Iterator[Diagnostic]:
    """Text from a CSV file must be drawable with the bundled fonts, like the YAML's."""
    if loaded.table.csv_name is None:
        return
    for row, line in zip(loaded.table.rows, loaded.table.lines, strict=True):
        for column, value in row.items():
            if isinstance(value, str) and (bad := next((c for c in value if not covered(c)), None)):
                yield source.diagnostic(
                    (*path, "csv"),
                    f"{loaded.table.csv_name} line {line}, column '{column}': character "
                    f"{bad!r} (U+{ord(bad):04X}) is not in the bundled fonts",
                    "remove it; it would print as an empty box",
                )


def loaded(chart: Chart) -> Data:
    """The chart's checked data: kept by :func:`check_charts`, else loaded from ``data``."""
    if chart._loaded is None:
        data, problems = load(chart, None)
        if data is None:
            raise BriefError(
                f"chart '{chart.title.any()}': {format_path(problems[0].path)}: "
                f"{problems[0].message}"
            )
        chart._loaded = data
    return chart._loaded
