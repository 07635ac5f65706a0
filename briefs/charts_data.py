"""Chart data: inline rows and CSV files, checked against the chart's type, positioned.

Imported only when a brief has charts. :func:`check_charts` runs during validation on the
raw data (so charts are checked even when another part of the brief is invalid) and keeps
the arranged data with each chart for drawing. Every problem points at a YAML line: a bad
value in ``data`` at that value, a problem inside a CSV file at the ``csv`` field, with the
CSV line and column in the message.

CSV files are read only from the brief's own folder: a relative ``.csv`` path without ``..``,
resolved (symlinks too) and checked to stay inside the folder, at most 1 MB.
"""

from __future__ import annotations

import csv
import datetime as dt
import difflib
import importlib.util
import io
import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, Literal

from pydantic import ValidationError

from briefs.charts import DECLARATIVE, Chart, chart_locations
from briefs.errors import BriefError, Diagnostic
from briefs.loader import FieldPath, Source, format_path
from briefs.preflight import covered

if TYPE_CHECKING:
    from briefs.model import Brief

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


def _inline_table(rows: list[dict[str, Any]]) -> tuple[Table, list[Problem]]:
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


def _csv_table(chart: Chart, base_dir: Path) -> tuple[Table | None, list[Problem]]:
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
    root = base_dir.resolve()
    try:
        path = (root / pure).resolve()
        if not path.is_relative_to(root):
            return None, [
                Problem(
                    here, f"'{name}' leads outside the brief's folder", "copy the file next to it"
                )
            ]
        if not path.is_file():
            return None, [Problem(here, f"no file '{name}' next to the brief")]
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            return None, [
                Problem(here, f"'{name}' is {size:,} bytes; the limit is {MAX_CSV_BYTES:,}")
            ]
        text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return None, [Problem(here, f"'{name}' is not valid UTF-8", "save it as UTF-8")]
    except (OSError, RuntimeError) as exc:  # a symlink loop, a name too long, no permission
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "symlink loop"
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


def _arrange(chart: Chart, table: Table) -> tuple[Data | None, list[Problem]]:
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
    for i, row in enumerate(table.rows):
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
        if x not in xs:
            xs.append(x)
        if s not in series:
            series.append(s)
    if problems:
        return None, problems
    if kind != "category":
        xs.sort(key=_order)
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
    table = table or Table((), ())
    rows = [
        {
            k: (_number(v) if _number(v) is not None and isinstance(v, str) else v)
            for k, v in r.items()
        }
        for r in table.rows
    ]
    return Data([], [None], {}, "category", table, [jsonable(r) for r in rows]), []


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


def jsonable(row: dict[str, Any]) -> dict[str, Any]:
    """A row as JSON can carry it (dates as ISO strings), for Vega-Lite."""
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in row.items()}


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
        table, problems = _inline_table(chart.data)
    elif chart.csv is not None:
        if base_dir is None:
            raise BriefError(f"chart '{chart.title.any()}': its CSV file was not loaded")
        table, problems = _csv_table(chart, base_dir)
    if problems:
        return None, problems
    if not declarative:
        return _check_spec(chart, table)
    assert table is not None
    return _arrange(chart, table)


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
