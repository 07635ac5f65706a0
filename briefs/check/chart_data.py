"""The charts' validation pass: each chart's fields, data and spec checked, problems positioned.

Imported only when a brief has charts. :func:`check_charts` runs during validation on the
raw data (so charts are checked even when another part of the brief is invalid) and keeps
the arranged data with each chart for drawing; :func:`briefs.charts.prepare.loaded` hands it to the
code that draws. This module checks which fields a chart's type takes and what a raw Vega-Lite spec
may not do (URLs, links, data generators, unknown marks); :mod:`briefs.charts.data` reads
and arranges the data. Every problem points at a YAML line: a bad value in ``data`` at that
value, a problem inside a CSV file at the ``csv`` field, with the CSV line and column in the
message.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError

from briefs.charts.data import Data, Problem
from briefs.charts.prepare import load
from briefs.check.fonts import covered
from briefs.errors import BriefError, Diagnostic
from briefs.schema.charts import Chart, chart_locations
from briefs.source import FieldPath, Source, format_path

if TYPE_CHECKING:
    from briefs.schema.brief import Brief


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
        chart.keep_data(loaded, Diagnostic(source.name, pos.line, pos.col, format_path(path)))
        if chart.type == "vega-lite":
            # Drawing is the only full check of a spec (~0.5 s once, cached for the build).
            lang = brief.first_language if brief is not None else "ko"
            from briefs.charts.svg import HTML
            from briefs.charts.vega import vega_svg

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
