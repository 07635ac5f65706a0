"""Chart layouts: one function per chart type, drawing a chart's data onto an :class:`Svg`.

Horizontal bars (simple, grouped, stacked), lines and slopes, chosen through
:data:`LAYOUTS`; each places its labels, ticks and marks from the data's order with the
kit of :mod:`briefs.charts.svg` (theme, numbers, text metrics, the writer) and returns the
chart's height. Imported only when a chart is drawn.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from briefs.charts.data import Cell, Data, key
from briefs.charts.svg import (
    EDGE,
    GRID,
    MUTED,
    NEGATIVE,
    PALETTE,
    TEXT,
    WHITE,
    Canvas,
    Numbers,
    Svg,
    short_date,
    text_width,
    wrap_text,
)
from briefs.schema.charts import Chart


@dataclass
class Ctx:
    """Everything a layout needs: the chart, its data, the words and numbers of one edition."""

    chart: Chart
    data: Data
    canvas: Canvas
    lang: str
    numbers: Numbers
    name: Callable[[Cell], str]
    """The reader's name of an x or series value."""
    words: dict[str, str]

    @property
    def fs(self) -> float:
        return self.canvas.font

    def estimate(self, x: Cell, s: Cell = None) -> bool:
        marked = self.chart.estimates
        return (x is not None and key(x) in marked) or (s is not None and key(s) in marked)

    def approx(self, x: Cell, s: Cell = None) -> bool:
        marked = self.chart.approximate
        return (x is not None and key(x) in marked) or (s is not None and key(s) in marked)

    def colour(self, index: int) -> str:
        return PALETTE[index % len(PALETTE)]

    def caption(self, svg: Svg) -> float:
        """The value axis's title and unit, top right; returns the y below it."""
        parts = [self.words["y_title"]] if self.words["y_title"] else []
        if self.numbers.unit:
            parts.append(self.words["unit"].format(unit=self.numbers.unit))
        if not parts:
            return 0.0
        svg.text(
            self.canvas.width - self.fs * EDGE,
            self.fs,
            ", ".join(parts),
            self.fs * 0.9,
            anchor="end",
            colour=MUTED,
        )
        return self.fs * 1.6

    def legend(self, svg: Svg, top: float) -> float:
        """Swatches and series names, wrapping; returns the y below the legend."""
        fs, y = self.fs, top + self.fs
        x = start = fs * EDGE
        box = fs * 0.8
        for i, s in enumerate(self.data.series):
            label = self.name(s)
            width = box + fs * 0.4 + text_width(label, fs) + fs * 1.2
            if x > start and x + width > self.canvas.width:
                x, y = start, y + fs * 1.5
            svg.rect(x, y - box * 0.85, box, box, self.colour(i), estimate=self.estimate(None, s))
            svg.text(x + box + fs * 0.4, y, label, fs)
            x += width
        return y + fs * 0.8


def _nice_ticks(lo: float, hi: float, count: int) -> list[float]:
    """Round tick values covering ``lo``–``hi``: steps of 1, 2 or 5 × 10ⁿ."""
    if hi <= lo:
        hi = lo + (abs(lo) or 1.0)
    # Labels show at most 4 decimals and ticks are rounded to 10: a narrower range (values
    # of 1e-300) would give steps of 0.
    raw = max((hi - lo) / max(count, 1), 1e-9)
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw * (1 - 1e-9))
    start = math.floor(lo / step + 1e-9) * step
    end = max(math.ceil(hi / step - 1e-9) * step, start + step)
    return [round(start + i * step, 10) for i in range(round((end - start) / step) + 1)]


def _declutter(ys: list[float], gap: float, top: float, bottom: float) -> list[float]:
    """Move label positions apart by at least ``gap``, keeping their order, within bounds."""
    order = sorted(range(len(ys)), key=lambda i: ys[i])
    placed = [ys[i] for i in order]
    for i in range(1, len(placed)):
        placed[i] = max(placed[i], placed[i - 1] + gap)
    if placed and placed[-1] > bottom:
        placed[-1] = bottom
        for i in range(len(placed) - 2, -1, -1):
            placed[i] = min(placed[i], placed[i + 1] - gap)
    if placed and placed[0] < top:
        placed[0] = top
        for i in range(1, len(placed)):
            placed[i] = max(placed[i], placed[i - 1] + gap)
    out = [0.0] * len(ys)
    for slot, i in enumerate(order):
        out[i] = placed[slot]
    return out


def _last_segment(c: Ctx, x: Cell) -> list[Cell]:
    """The series of the last drawn segment of the stack at ``x``: one, or none."""
    drawn = [s for s in c.data.series if c.data.values.get((x, s)) is not None]
    return drawn[-1:]


def _fits(c: Ctx, x: Cell, s: Cell, sx: Callable[[float], float]) -> bool:
    """Whether the value of the segment ``s`` of the stack at ``x`` fits inside it."""
    before = 0.0
    for other in c.data.series:
        if other == s:
            break
        before += c.data.values.get((x, other)) or 0.0
    v = c.data.values.get((x, s)) or 0.0
    text = c.numbers.value(v, approx=c.approx(x, s))
    return sx(before + v) - sx(before) >= text_width(text, c.fs * 0.9) + c.fs * 0.6


def _bars(c: Ctx, svg: Svg) -> float:
    """Horizontal bars: one per category, grouped or stacked by series. Returns the height."""
    fs, width = c.fs, c.canvas.width
    stacked = c.chart.type == "stacked-bar"
    grouped = c.data.has_series and not stacked
    top = c.caption(svg)
    if c.data.has_series:
        top = c.legend(svg, top)
    gap = fs * 0.5
    cats = c.data.xs
    labels = [c.name(x) for x in cats]
    column = min(width * 0.4, max(text_width(label, fs) for label in labels))
    wrapped = [wrap_text(label, column, fs) for label in labels]
    label_w = max(text_width(line, fs) for lines in wrapped for line in lines)

    values = c.data.values
    texts = {
        pair: c.numbers.value(v, approx=c.approx(*pair))
        for pair, v in values.items()
        if v is not None
    }
    small = fs * 0.9
    right, left = gap, 0.0
    if stacked:
        lo, hi = 0.0, max(sum(values.get((x, s)) or 0.0 for s in c.data.series) for x in cats)
    else:
        numbers = [v for v in values.values() if v is not None]
        lo, hi = min(0.0, *numbers), max(0.0, *numbers)
        # Room for the value labels: after a bar, or before it when it runs below zero.
        for pair, text in texts.items():
            w = text_width(text, small) + gap
            if (values[pair] or 0.0) >= 0:
                right = max(right, w)
            else:
                left = max(left, w)
    edge = fs * EDGE
    x0 = edge + label_w + gap + left
    outside: set[Cell] = set()
    while True:
        # A stack's last segment too narrow for its value has it written after the bar; the
        # room for it narrows the bars, so the scale is made again.
        x1 = width - edge - right
        ticks = _nice_ticks(lo, hi, max(2, int((x1 - x0) / (fs * 5.5))))
        step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
        tick_texts = [c.numbers.tick(t, step) for t in ticks]
        x1 = min(x1, width - edge - text_width(tick_texts[-1], small) / 2)
        sx = _scale(ticks[0], ticks[-1], x0, x0 - x1)  # x0 at the axis start, x1 at its end
        if not stacked:
            break
        # One stack's is enough to move them all: a series reads the same way down the chart.
        if outside or all(_fits(c, x, s, sx) for x in cats for s in _last_segment(c, x)):
            break
        outside = set(cats)
        right = gap + max(
            text_width(texts[x, s], small) + gap for x in outside for s in _last_segment(c, x)
        )

    bar = fs * 1.5
    inner = fs * 0.25
    per = len(c.data.series) if grouped else 1
    y = top + fs * 0.6
    plot_top = y
    for x, lines in zip(cats, wrapped, strict=True):
        band = max(per * bar + (per - 1) * inner, len(lines) * fs * 1.2)
        first = y + (band - (per * bar + (per - 1) * inner)) / 2
        line_y = y + band / 2 - (len(lines) - 1) * fs * 0.6 + fs * 0.35
        for n, line in enumerate(lines):
            svg.text(edge + label_w, line_y + n * fs * 1.2, line, fs, anchor="end")
        base = 0.0
        for j, s in enumerate(c.data.series):
            v = values.get((x, s))
            if v is None:
                continue
            estimate = c.estimate(x, s)
            colour = c.colour(j) if c.data.has_series else (NEGATIVE if v < 0 else PALETTE[0])
            by = first + (j * (bar + inner) if grouped else 0.0)
            if stacked:
                a, b = sx(base), sx(base + v)
                svg.rect(a, by, b - a, bar, colour, estimate=estimate)
                text = texts[x, s]
                if x in outside and [s] == _last_segment(c, x):
                    svg.text(b + gap / 2, by + bar / 2 + small * 0.35, text, small)
                elif b - a >= text_width(text, small) + fs * 0.6:
                    svg.text(
                        (a + b) / 2,
                        by + bar / 2 + small * 0.35,
                        text,
                        small,
                        anchor="middle",
                        colour=TEXT if estimate else WHITE,
                    )
                base += v
            else:
                a, b = sx(min(0.0, v)), sx(max(0.0, v))
                svg.rect(a, by, b - a, bar, colour, estimate=estimate)
                ty = by + bar / 2 + small * 0.35
                if v >= 0:
                    svg.text(b + gap / 2, ty, texts[x, s], small)
                else:
                    svg.text(a - gap / 2, ty, texts[x, s], small, anchor="end")
        y += band + fs * 0.9
    bottom = y - fs * 0.9 + fs * 0.4
    for t, label in zip(ticks, tick_texts, strict=True):
        px = sx(t)
        svg.line(
            px, plot_top - fs * 0.2, px, bottom, MUTED if t == 0 else GRID, 1.2 if t == 0 else 0.6
        )
        svg.text(px, bottom + small * 1.3, label, small, anchor="middle", colour=MUTED)
    return bottom + small * 1.9


def _positions(c: Ctx, x0: float, x1: float) -> dict[Cell, float]:
    """Where each x value goes: evenly for categories, in proportion for dates and numbers."""
    xs = c.data.xs
    if c.data.x_kind == "category" or len(xs) == 1:
        pad = (x1 - x0) / (2 * len(xs)) if c.data.x_kind == "category" else (x1 - x0) / 2
        span = (x1 - x0 - 2 * pad) / max(len(xs) - 1, 1)
        return {x: x0 + pad + i * span for i, x in enumerate(xs)}
    nums = [float(v.toordinal()) if isinstance(v, dt.date) else float(v or 0) for v in xs]
    lo, hi = min(nums), max(nums)
    return {x: x0 + (n - lo) / (hi - lo) * (x1 - x0) for x, n in zip(xs, nums, strict=True)}


def with_estimate(text: str, word: str) -> str:
    """``text`` marked as an estimate, unless it already says so (``2038년(추정)``); a text
    that ends in a parenthesis takes the word inside it (``2024년(계산값, 추정)``), not a
    second pair."""
    if word.casefold() in text.casefold():
        return text
    if text.endswith((")", "）")) and ("(" in text or "（" in text):
        return f"{text[:-1]}, {word[:1].lower()}{word[1:]}{text[-1]}"
    return f"{text} ({word})"


def _x_text(c: Ctx, x: Cell) -> str:
    """An x value as its axis label: short dates (``1. 27.``), else the reader's name."""
    if isinstance(x, dt.date) and key(x) not in c.chart.labels:
        years = {v.year for v in c.data.xs if isinstance(v, dt.date)}
        text = short_date(x, c.lang, len(years) == 1)
        return with_estimate(text, c.words["estimate"]) if c.estimate(x) else text
    return c.name(x)


def from_zero(zero: bool | None, numbers: list[float]) -> bool:
    """Whether a line chart's value axis starts at zero: as asked, else unless every
    value has the same sign and the one nearest zero is beyond 5/6 of the farthest (a
    narrow band, which an axis from zero would flatten)."""
    if zero is not None:
        return zero
    lo, hi = min(numbers), max(numbers)
    if lo > 0:
        return lo <= hi * 5 / 6
    if hi < 0:
        return hi >= lo * 5 / 6
    return True


def _runs(c: Ctx, s: Cell) -> list[list[Cell]]:
    """The x values of one series in unbroken runs (a missing value breaks the line)."""
    runs: list[list[Cell]] = [[]]
    for x in c.data.xs:
        if c.data.values.get((x, s)) is None:
            if runs[-1]:
                runs.append([])
        else:
            runs[-1].append(x)
    return [r for r in runs if r]


def _crosses(
    box: tuple[float, float, float, float], a: tuple[float, float], b: tuple[float, float]
) -> bool:
    """Whether the segment ``a``–``b`` passes through ``box`` (left, top, right, bottom)."""
    left, top, right, bottom = box
    for n in range(33):
        t = n / 32
        x, y = a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t
        if left <= x <= right and top <= y <= bottom:
            return True
    return False


def _scale(lo: float, hi: float, bottom: float, height: float) -> Callable[[float], float]:
    """The y of a value on an axis from ``lo`` (at ``bottom``) to ``hi`` (``height`` above)."""
    return lambda v: bottom - (v - lo) / (hi - lo) * height


def _line(c: Ctx, svg: Svg) -> float:
    """One line per series over x, labelled at its end. Returns the height.

    A series that ends before the last x (a target year only one series has) is labelled
    beside its own last point when the label fits there without crossing another line;
    the others are labelled in a column at the right, moved apart to be readable.
    """
    fs, width = c.fs, c.canvas.width
    small = fs * 0.9
    gap = fs * 0.5
    top = c.caption(svg) + fs * 0.6
    numbers = [v for v in c.data.values.values() if v is not None]
    lo, hi = min(numbers), max(numbers)
    if from_zero(c.chart.y.zero if c.chart.y is not None else None, numbers):
        lo, hi = min(lo, 0.0), max(hi, 0.0)
    ticks = _nice_ticks(lo, hi, 5)
    step = ticks[1] - ticks[0] if len(ticks) > 1 else 1.0
    tick_texts = [c.numbers.tick(t, step) for t in ticks]
    y_w = max(text_width(t, small) for t in tick_texts)
    ends: list[tuple[int, Cell, Cell, float, str]] = []
    for j, s in enumerate(c.data.series):
        last = next((x for x in reversed(c.data.xs) if c.data.values.get((x, s)) is not None), None)
        if last is None:
            continue
        value = c.data.values[last, s]
        assert value is not None
        text = c.numbers.value(value, approx=c.approx(last, s))
        label = f"{c.name(s)} {text}" if c.data.has_series else text
        ends.append((j, s, last, value, label))
    edge = fs * EDGE
    x_texts = [_x_text(c, x) for x in c.data.xs]
    final = c.data.xs[-1]
    # Labels beside their own point, tried first; one that does not fit joins the column.
    inside = {i for i, e in enumerate(ends) if e[2] != final}
    while True:
        column = [i for i in range(len(ends)) if i not in inside] or list(range(len(ends)))
        room = min(width * 0.4, max(text_width(ends[i][4], small, bold=True) for i in column))
        # A label wider than its room wraps (at spaces) rather than run past the drawing's edge.
        end_lines = [wrap_text(e[4], room, small, bold=True) for e in ends]
        room = max(text_width(line, small, bold=True) for i in column for line in end_lines[i])
        right = room + gap + edge
        x0, x1 = edge + y_w + gap, width - right
        height = max(fs * 10, (x1 - x0) * 0.4)
        bottom = top + height
        pos = _positions(c, x0 + fs * 0.3, x1 - fs * 0.3)

        sy = _scale(ticks[0], ticks[-1], bottom, height)
        segments = [
            (j, (pos[a], sy(c.data.values[a, s] or 0.0)), (pos[b], sy(c.data.values[b, s] or 0.0)))
            for j, s in enumerate(c.data.series)
            for run in _runs(c, s)
            for a, b in (pairwise(run) if len(run) > 1 else [(run[0], run[0])])
        ]
        refused = set()
        boxes: list[tuple[float, float, float, float]] = []
        for i in sorted(inside):
            j, _s, last, value, label = ends[i]
            w = text_width(label, small, bold=True)
            lx, ly = pos[last] + gap, sy(value)
            box = (lx - gap / 2, ly - small * 0.8, lx + w, ly + small * 0.5)
            clear = lx + w <= width - edge and not any(
                other != j and _crosses(box, a, b) for other, a, b in segments
            )
            if clear and not any(
                box[0] < o[2] and o[0] < box[2] and box[1] < o[3] and o[1] < box[3] for o in boxes
            ):
                boxes.append(box)
                end_lines[i] = [label]
            else:
                refused.add(i)
        if not refused:
            break
        inside -= refused
    for t, label in zip(ticks, tick_texts, strict=True):
        svg.line(x0, sy(t), x1, sy(t), MUTED if t == 0 else GRID, 1.2 if t == 0 else 0.6)
        svg.text(x0 - gap, sy(t) + small * 0.35, label, small, anchor="end", colour=MUTED)
    widest = max(text_width(t, small) for t in x_texts) + gap
    spacing = (x1 - x0) / max(len(c.data.xs), 1)
    every = max(1, math.ceil(widest / spacing)) if spacing > 0 else 1
    shown = set(range(len(c.data.xs) - 1, -1, -every))
    # From the last label back, each set on the first of two rows where it clears the label
    # after it: x values placed in proportion (2023, 2024 beside 2017, 2030) can be closer
    # than the even spacing; a label that fits on neither row is left to the data table.
    limits = [width - edge, width - edge]
    for i in range(len(c.data.xs) - 1, -1, -1):
        x, label = c.data.xs[i], x_texts[i]
        if i not in shown:
            continue
        w = text_width(label, small)
        anchor = "end" if pos[x] + w / 2 > width - edge else "start" if pos[x] < w / 2 else "middle"
        left = pos[x] - (w if anchor == "end" else w / 2 if anchor == "middle" else 0.0)
        row = next((r for r, limit in enumerate(limits) if left + w + gap / 2 <= limit), None)
        if row is None:
            continue
        label_y = bottom + small * (1.4 + 1.2 * row)
        svg.text(pos[x], label_y, label, small, anchor=anchor, colour=MUTED)
        limits[row] = left
    rows_used = 2 if limits[1] < width - edge else 1
    for j, s in enumerate(c.data.series):
        colour = c.colour(j)
        for run in _runs(c, s):
            points = [(pos[x], sy(c.data.values[x, s] or 0.0)) for x in run]
            if len(points) > 1:
                svg.polyline(points, colour, dashed=c.estimate(None, s))
            for x, (px, py) in zip(run, points, strict=True):
                svg.dot(px, py, fs * 0.28, colour, hollow=c.estimate(x, s))
    for i in sorted(inside):
        j, _s, last, value, label = ends[i]
        svg.text(
            pos[last] + gap, sy(value) + small * 0.35, label, small, colour=c.colour(j), bold=True
        )
    column = [i for i in range(len(ends)) if i not in inside]
    if column:
        tallest = max(len(end_lines[i]) for i in column)
        extra = (tallest - 1) * small * 0.6  # a wrapped label reaches this far above and below
        placed = _declutter(
            [sy(ends[i][3]) for i in column], small * 1.3 * tallest, top + extra, bottom - extra
        )
        for i, y in zip(column, placed, strict=True):
            lines = end_lines[i]
            first = y + small * 0.35 - (len(lines) - 1) * small * 0.6
            for n, line in enumerate(lines):
                svg.text(
                    x1 + gap,
                    first + n * small * 1.2,
                    line,
                    small,
                    colour=c.colour(ends[i][0]),
                    bold=True,
                )
    return bottom + small * (2.2 + 1.2 * (rows_used - 1))


def _slope(c: Ctx, svg: Svg) -> float:
    """Two columns of values, one line per series between them. Returns the height."""
    fs, width = c.fs, c.canvas.width
    small = fs * 0.9
    gap = fs * 0.6
    start, end = c.data.xs
    top = c.caption(svg)
    rows = []
    for j, s in enumerate(c.data.series):
        a, b = c.data.values.get((start, s)), c.data.values.get((end, s))
        left = (
            f"{c.name(s)} {c.numbers.value(a, approx=c.approx(start, s))}" if a is not None else ""
        )
        right = c.numbers.value(b, approx=c.approx(end, s)) if b is not None else ""
        rows.append((j, s, a, b, left, right))
    lw = max(text_width(r[4], small) for r in rows)
    rw = max(text_width(r[5], small, bold=True) for r in rows)
    heads = [_x_text(c, start), _x_text(c, end)]
    edge = fs * EDGE
    xl = edge + max(lw + gap, text_width(heads[0], fs, bold=True) / 2)
    xr = width - edge - max(rw + gap, text_width(heads[1], fs, bold=True) / 2)
    head_y = top + fs * 1.2
    svg.text(xl, head_y, heads[0], fs, anchor="middle", bold=True)
    svg.text(xr, head_y, heads[1], fs, anchor="middle", bold=True)
    plot_top = head_y + fs * 1.2
    height = max(fs * 10, width * 0.3)
    bottom = plot_top + height
    numbers = [v for r in rows for v in (r[2], r[3]) if v is not None]
    lo, hi = min(numbers), max(numbers)
    # A slope has no value axis to read a distance from: it starts at zero unless told not to.
    if c.chart.y is None or c.chart.y.zero is not False:
        lo = min(lo, 0.0)
    if hi == lo:
        hi = lo + 1

    def sy(v: float) -> float:
        return bottom - (v - lo) / (hi - lo) * height

    svg.line(xl, plot_top, xl, bottom, GRID, 0.8)
    svg.line(xr, plot_top, xr, bottom, GRID, 0.8)
    for j, s, a, b, _, _ in rows:
        colour = c.colour(j)
        if a is not None and b is not None:
            svg.polyline([(xl, sy(a)), (xr, sy(b))], colour, dashed=c.estimate(None, s))
        if a is not None:
            svg.dot(xl, sy(a), fs * 0.3, colour, hollow=c.estimate(start, s))
        if b is not None:
            svg.dot(xr, sy(b), fs * 0.3, colour, hollow=c.estimate(end, s))
    gap_y = small * 1.3
    lefts = _declutter(
        [sy(r[2]) if r[2] is not None else bottom for r in rows], gap_y, plot_top, bottom
    )
    rights = _declutter(
        [sy(r[3]) if r[3] is not None else bottom for r in rows], gap_y, plot_top, bottom
    )
    for (j, _s, _a, _b, left, right), ly, ry in zip(rows, lefts, rights, strict=True):
        if left:
            svg.text(xl - gap, ly + small * 0.35, left, small, anchor="end", colour=c.colour(j))
        if right:
            svg.text(xr + gap, ry + small * 0.35, right, small, colour=c.colour(j), bold=True)
    return bottom + fs * 1.2


LAYOUTS: dict[str, Callable[[Ctx, Svg], float]] = {
    "bar": _bars,
    "grouped-bar": _bars,
    "stacked-bar": _bars,
    "line": _line,
    "slope": _slope,
}
