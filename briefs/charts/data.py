"""Chart data: rows read from the YAML or a CSV file, checked against the chart's type, arranged.

Imported only when a brief has charts, by :mod:`briefs.check.charts` (which decides what to
read and positions every :class:`Problem` found here at its YAML line) and by the code that
draws. :func:`inline_table` and :func:`csv_table` read a chart's rows; :func:`arrange`
checks a declarative chart's columns and values against its type and arranges them for
drawing; :func:`spec_data` does the same for the rows of a Vega-Lite chart.

CSV files are read only from the brief's own folder: a relative ``.csv`` path without ``..``,
resolved (symlinks too) and checked to stay inside the folder, at most 1 MB.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import io
import itertools
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from briefs.schema.base import MAX_MAGNITUDE
from briefs.schema.charts import Chart
from briefs.source import FieldPath, ReadError, read_file

MAX_CSV_BYTES = 1_000_000
"""Largest CSV file a chart may read."""
MAX_ROWS = 5_000
"""Most data rows a chart may have."""
MAX_COLUMNS = 64
"""Most columns a chart's data may have."""

Cell = str | float | dt.date | None
"""A data value after loading: text, number, date, or missing."""

# -- the data after loading --------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """Something wrong with a chart's data, before it is given a position."""

    path: FieldPath
    """Where, relative to the chart (``("data", 2, "share")``, ``("x",)``)."""
    message: str
    hint: str = ""
    line: int | None = None
    """The line in the CSV file, for a problem in one of its rows."""
    at_key: bool = False


@dataclass(frozen=True)
class Table:
    """A chart's rows as read: inline from the YAML or from a CSV file."""

    columns: tuple[str, ...]
    rows: tuple[dict[str, Any], ...]
    csv_name: str | None = None
    lines: tuple[int, ...] = ()
    """The CSV line of each row."""


@dataclass
class Data:
    """A chart's data, checked and arranged for drawing."""

    xs: list[Cell]
    series: list[Cell]
    values: dict[tuple[Cell, Cell], float | None]
    x_kind: Literal["category", "date", "number"]
    table: Table
    vega_values: list[dict[str, Any]] = field(default_factory=list)

    @property
    def has_series(self) -> bool:
        """Whether the data is split by a ``series`` column."""
        return self.series != [None]


# -- loading data ----------------------------------------------------------------------------


def key(value: Cell) -> str:
    """The text that ``labels``, ``estimates`` and ``approximate`` use for a value."""
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def inline_table(rows: list[dict[str, Any]]) -> tuple[Table, list[Problem]]:
    """Rows from the YAML: scalar cells only."""
    problems: list[Problem] = []
    columns: dict[str, None] = {}
    for i, row in enumerate(rows):
        for name, value in row.items():
            columns.setdefault(name, None)
            if isinstance(value, dict | list):
                problems.append(Problem(("data", i, name), "expected a number, text or date"))
    if len(rows) > MAX_ROWS:
        problems.append(Problem(("data",), f"{len(rows):,} rows; the limit is {MAX_ROWS:,}"))
    return Table(tuple(columns), tuple(rows)), problems


def csv_table(chart: Chart, base_dir: Path) -> tuple[Table | None, list[Problem]]:
    """Read the chart's CSV file, refusing anything outside the brief's folder."""
    assert chart.csv is not None
    name = chart.csv
    here = ("csv",)
    pure = PurePosixPath(name.replace("\\", "/"))
    if pure.is_absolute() or re.match(r"^[A-Za-z]:", name) or name.startswith("~"):
        return None, [Problem(here, "must be a path relative to the brief's folder")]
    if ".." in pure.parts:
        return None, [Problem(here, "may not contain '..'", "keep the CSV next to the brief")]
    if pure.suffix.lower() != ".csv":
        return None, [Problem(here, "must name a .csv file")]
    try:
        raw = read_file(base_dir / pure, limit=MAX_CSV_BYTES, root=base_dir)
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None, [Problem(here, f"'{name}' is not valid UTF-8", "save it as UTF-8")]
    except ReadError as exc:
        reason = str(exc)
        if reason.startswith(("leads outside", "is outside")):
            return None, [
                Problem(
                    here, f"'{name}' leads outside the brief's folder", "copy the file next to it"
                )
            ]
        if "No such file" in reason or reason == "not a regular file":
            return None, [Problem(here, f"no file '{name}' next to the brief")]
        if reason.startswith("file is "):
            return None, [Problem(here, f"'{name}' is {reason.removeprefix('file is ')}")]
        return None, [Problem(here, f"cannot read '{name}': {reason}")]
    if "\0" in text:
        return None, [Problem(here, f"'{name}' contains a NUL character")]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        return None, [Problem(here, f"{name} line {reader.line_num}: not valid CSV ({exc})")]
    records = [(line, row) for line, row in records if any(cell.strip() for cell in row)]
    if not records:
        return None, [Problem(here, f"'{name}' is empty", "give a header row and data rows")]
    header_line, header = records[0]
    header = [h.strip() for h in header]
    problems: list[Problem] = []
    if len(header) > MAX_COLUMNS:
        problems.append(Problem(here, f"{name}: {len(header)} columns; the limit is {MAX_COLUMNS}"))
    for i, column in enumerate(header):
        if not column:
            problems.append(Problem(here, f"{name} line {header_line}: column {i + 1} has no name"))
        elif column in header[:i]:
            problems.append(
                Problem(here, f"{name} line {header_line}: duplicate column '{column}'")
            )
    rows: list[dict[str, Any]] = []
    lines: list[int] = []
    for line, row in records[1:]:
        if len(row) != len(header):
            problems.append(
                Problem(
                    here,
                    f"{name} line {line}: {len(row)} fields; the header has {len(header)}",
                    "quote values that contain commas",
                )
            )
            continue
        rows.append({h: (cell.strip() or None) for h, cell in zip(header, row, strict=True)})
        lines.append(line)
    if len(rows) > MAX_ROWS:
        problems.append(Problem(here, f"{name}: {len(rows):,} rows; the limit is {MAX_ROWS:,}"))
    if problems:
        return None, problems
    return Table(tuple(header), tuple(rows), name, tuple(lines)), []


def _number(value: Any) -> float | None:
    """A finite number from a YAML number or a CSV cell (``1,234``, ``−5``), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, str):
        try:
            number = float(value.replace(",", "").replace("−", "-"))
        except ValueError:
            return None
        return number if math.isfinite(number) else None
    return None


def _too_large(value: Any) -> bool:
    """Whether a CSV cell is a number beyond :data:`MAX_MAGNITUDE` (``1e308``, ``1e400``).

    Numbers written in the YAML are bounded by the chart's model already.
    """
    if not isinstance(value, str):
        return False
    try:
        number = float(value.replace(",", "").replace("−", "-"))
    except ValueError:
        return False
    return abs(number) > MAX_MAGNITUDE  # infinity too; NaN is no number at all


def _category(value: Any) -> str:
    """A value as a category: as ``labels`` keys write it (``2023``, ``2025-01-27``, ``true``)."""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float | dt.date):
        return key(float(value) if isinstance(value, int | float) else value)
    return str(value)


def _order(value: Cell) -> float:
    """Position of a date or number on a continuous axis."""
    if isinstance(value, dt.date):
        return float(value.toordinal())
    return float(value) if isinstance(value, float) else 0.0


def _date(value: Any) -> dt.date | None:
    """A date from a YAML date or an ISO string (``2025-01-27``), else None."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def arrange(chart: Chart, table: Table) -> tuple[Data | None, list[Problem]]:
    """Check a declarative chart's columns and values against its type; arrange them."""
    problems: list[Problem] = []
    if not table.rows:
        where = ("csv",) if table.csv_name else ("data",)
        return None, [Problem(where, "has no data rows", "give at least one row")]
    for name, ref in (("x", chart.x), ("y", chart.y), ("series", chart.series)):
        if ref is not None and ref.field not in table.columns:
            close = difflib.get_close_matches(ref.field, table.columns, n=1, cutoff=0.6)
            hint = (
                f"did you mean '{close[0]}'?" if close else f"columns: {', '.join(table.columns)}"
            )
            problems.append(Problem((name, "field"), f"no column '{ref.field}' in the data", hint))
    if problems:
        return None, problems
    assert chart.x is not None and chart.y is not None
    xf, yf = chart.x.field, chart.y.field
    sf = chart.series.field if chart.series else None

    def line(row: int) -> int | None:
        return table.lines[row] if table.lines else None

    raw_xs = [row.get(xf) for row in table.rows]
    kind: Literal["category", "date", "number"] = "category"
    if chart.type == "line":
        if all(_date(v) is not None for v in raw_xs):
            kind = "date"
        elif all(_number(v) is not None for v in raw_xs):
            kind = "number"
    xs: list[Cell] = []
    series: list[Cell] = []
    values: dict[tuple[Cell, Cell], float | None] = {}
    empty: list[int] = []  # rows with no y value
    for i, row in enumerate(table.rows):
        if large := [c for c in (xf, yf) if _too_large(row.get(c))]:
            problems.extend(
                Problem(
                    ("data", i, c),
                    "is too large: numbers may be at most 10¹⁸ in size",
                    line=line(i),
                )
                for c in large
            )
            continue
        raw = row.get(xf)
        if raw is None:
            problems.append(Problem(("data", i, xf), f"'{xf}' is missing", line=line(i)))
            continue
        x: Cell = (
            _date(raw) if kind == "date" else _number(raw) if kind == "number" else _category(raw)
        )
        s: Cell = None
        if sf is not None:
            raw_s = row.get(sf)
            if raw_s is None:
                problems.append(Problem(("data", i, sf), f"'{sf}' is missing", line=line(i)))
                continue
            s = _category(raw_s)
        raw_y = row.get(yf)
        y = _number(raw_y)
        if raw_y is not None and y is None:
            got = f"{type(raw_y).__name__} {raw_y!r}" if table.csv_name is None else repr(raw_y)
            problems.append(Problem(("data", i, yf), f"expected a number, got {got}", line=line(i)))
            continue
        if y is not None and y < 0 and chart.type == "stacked-bar":
            problems.append(
                Problem(("data", i, yf), "stacked bars cannot show values below zero", line=line(i))
            )
            continue
        if (x, s) in values:
            what = f"'{key(x)}'" + (f" / '{key(s)}'" if sf else "")
            problems.append(Problem(("data", i), f"a second row for {what}", line=line(i)))
            continue
        values[x, s] = y
        if y is None:
            empty.append(i)
        if x not in xs:
            xs.append(x)
        if s not in series:
            series.append(s)
    if problems:
        return None, problems
    if kind != "category":
        xs.sort(key=_order)
    if not chart.gaps:
        problems += _gaps(table, xs, series, values, empty, xf, yf)
    elif kind == "number":
        # A year the data skips is a gap too: on the axis, with no value, so lines break there.
        xs = sorted([*xs, *map(float, _skipped(xs))], key=_order)
    if all(v is None for v in values.values()):
        problems.append(Problem(("y", "field"), f"no values in column '{yf}'"))
    if chart.type == "slope" and len(xs) != 2:
        shown = ", ".join(key(v) for v in xs[:5])
        problems.append(
            Problem(
                ("x", "field"),
                f"a slope chart compares two values of '{xf}'; the data has {len(xs)}: {shown}",
            )
        )
    known = {key(v) for v in [*xs, *series] if v is not None}
    for attr in ("labels", "estimates", "approximate"):
        keys: Sequence[str] = list(getattr(chart, attr))
        for i, name in enumerate(keys):
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.6)
                hint = (
                    f"did you mean '{close[0]}'?"
                    if close
                    else f"values: {', '.join(sorted(known))}"
                )
                at: FieldPath = (attr, name) if attr == "labels" else (attr, i)
                problems.append(
                    Problem(
                        at,
                        f"'{name}' is not a value of x or series",
                        hint,
                        at_key=attr == "labels",
                    )
                )
    if problems:
        return None, problems
    return Data(xs, series, values, kind, table), []


_GAPS_HINT = "give it, or declare `gaps: true` to draw it as a gap"


def _gaps(
    table: Table,
    xs: list[Cell],
    series: list[Cell],
    values: dict[tuple[Cell, Cell], float | None],
    empty: list[int],
    xf: str,
    yf: str,
) -> list[Problem]:
    """Values the data lacks, for a chart that does not declare ``gaps``: empty ``y`` cells,
    a series with no row for an ``x`` the others have, years missing from a yearly series."""
    problems = [
        Problem(
            ("data", i, yf),
            f"no value for '{yf}'",
            _GAPS_HINT,
            line=table.lines[i] if table.lines else None,
        )
        for i in empty
    ]
    whole: FieldPath = ("csv",) if table.csv_name else ("data",)
    where = f"{table.csv_name}: " if table.csv_name else ""
    if series != [None]:
        for s in series:
            absent = [key(x) for x in xs if (x, s) not in values]
            if absent:
                problems.append(
                    Problem(
                        whole,
                        f"{where}no row for series '{key(s)}' at {', '.join(absent[:5])}"
                        + (f" and {len(absent) - 5} more" if len(absent) > 5 else ""),
                        "add the rows, or declare `gaps: true` to draw them as gaps",
                    )
                )
    if skipped := _skipped(xs):
        shown = ", ".join(str(n) for n in skipped[:5])
        problems.append(
            Problem(
                whole,
                f"{where}'{xf}' skips {shown}: the data has no row there",
                "add the rows, or declare `gaps: true` to draw them as gaps",
            )
        )
    return problems


def _skipped(xs: list[Cell]) -> list[int]:
    """Whole numbers missing from a regular series of them (2024, 2026, 2027 … skips 2025):
    where most steps are the smallest one and every step is a multiple of it."""
    if len(xs) < 3 or not all(isinstance(x, float) and x.is_integer() for x in xs):
        return []
    numbers = [int(x) for x in xs if isinstance(x, float)]
    steps = [b - a for a, b in itertools.pairwise(numbers)]
    if len(numbers) * 4 < sum(steps):
        return []  # sparse, not a series with holes: drawing it in proportion is meant
    unit = min(steps)
    if unit <= 0 or any(step % unit for step in steps) or steps.count(unit) * 2 < len(steps):
        return []
    return [
        n for a, step in zip(numbers, steps, strict=False) for n in range(a + unit, a + step, unit)
    ]


def spec_data(table: Table | None) -> Data:
    """A checked Vega-Lite chart's rows (if not in its spec) as data: CSV numbers as numbers."""
    table = table or Table((), ())
    rows = [
        {
            k: (_number(v) if _number(v) is not None and isinstance(v, str) else v)
            for k, v in r.items()
        }
        for r in table.rows
    ]
    return Data([], [None], {}, "category", table, [jsonable(r) for r in rows])


def jsonable(row: dict[str, Any]) -> dict[str, Any]:
    """A row as JSON can carry it (dates as ISO strings), for Vega-Lite."""
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}
