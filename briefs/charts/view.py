"""One chart in one edition: the SVG in its language and number style, alt text, data table.

Imported only when a chart is drawn; :meth:`briefs.schema.charts.Chart.view` is the entry point and
``partials/chart.html.j2`` renders the :class:`ChartView` it returns. HTML gets the SVG inline
(``role="img"``, named by ``<title>`` and ``<desc>``) and the data as a table; the PDF gets a
standalone SVG as an image whose ``alt`` — the alt text plus, for small charts, the data —
WeasyPrint writes as the ``/Alt`` of a tagged ``Figure``.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from markupsafe import Markup

from briefs.charts.data import Cell, Data, key
from briefs.charts.layouts import LAYOUTS, Ctx, with_estimate
from briefs.charts.prepare import loaded
from briefs.charts.svg import HTML, PDF, Canvas, Numbers, Svg, document, fmt, left_edged
from briefs.schema.charts import Chart
from briefs.text.i18n import decimal, format_date

if TYPE_CHECKING:
    from briefs.schema.base import Localized
    from briefs.text.i18n import Labels


class Edition(Protocol):
    """What drawing a chart needs of an edition (:class:`briefs.edition.edition.Edition`)."""

    @property
    def lang(self) -> str:
        """The edition's language."""

    @property
    def target(self) -> str:
        """``html`` or ``pdf``."""

    @property
    def t(self) -> Labels:
        """The edition's labels."""

    def text(self, value: Localized | None) -> str:
        """``value`` in the edition's language."""


# -- the chart in an edition -------------------------------------------------------------------


@dataclass(frozen=True)
class ChartView:
    """A chart as one edition shows it; what ``partials/chart.html.j2`` renders."""

    title: str
    """The caption."""
    alt: str
    """The author's alternative text."""
    svg: Markup
    """The chart as inline SVG (HTML editions)."""
    image: str
    """The chart as a ``data:`` URL of a standalone SVG (PDF editions)."""
    image_width: str
    """CSS width of the image in the PDF."""
    alt_text: str
    """Alternative text for the PDF image: the alt text and, for small charts, the data."""
    header: list[str]
    """Column headers of the data table."""
    rows: list[list[str]]
    """Rows of the data table: a row header, then cells."""


def _words(chart: Chart, edition: Edition) -> dict[str, str]:
    return {
        "unit": edition.t("chart.unit"),
        "estimate": edition.t("estimate"),
        "data": edition.t("chart.data"),
        "y_title": edition.text(chart.y.title) if chart.y and chart.y.title else "",
    }


def label_problems(chart: Chart, edition: Edition) -> list[str]:
    """Labels of a declarative ``chart`` that ``edition`` would cut off at the drawing's
    edge or set over one another, measured with the bundled font (for tests)."""
    canvas = HTML if edition.target == "html" else PDF
    svg = Svg()
    context = _context(chart, loaded(chart), canvas, edition, _words(chart, edition))
    height = LAYOUTS[chart.type](context, svg)
    return svg.label_problems(canvas.width, height)


def view(chart: Chart, edition: Edition, anchor: str) -> ChartView:
    """``chart`` as ``edition`` shows it; ``anchor`` is its element id (ids in the SVG)."""
    lang = edition.lang
    words = _words(chart, edition)
    title, alt = edition.text(chart.title), edition.text(chart.alt)
    data = loaded(chart)
    inline = edition.target == "html"
    canvas = HTML if inline else PDF
    if chart.type == "vega-lite":
        from briefs.charts.vega import vega_svg

        body, width, height = vega_svg(chart, lang, canvas, anchor)
        # Vega-Lite sizes are pixels: the HTML scales them like the declarative charts do.
        css_width = f"{fmt(width * 1.45)}px"
    else:
        svg = Svg()
        height = LAYOUTS[chart.type](_context(chart, data, canvas, edition, words), svg)
        body, width, css_width = svg.body(), canvas.width, canvas.css_width
    if not inline:
        body = left_edged(body)  # WeasyPrint draws an anchored label into a group of its own
    svg_text = document(
        body,
        width,
        height,
        title=title,
        desc=alt,
        anchor=anchor,
        lang=lang,
        css_width=css_width if inline else None,
        font=canvas.font,
    )
    header, rows = _table(chart, data, edition, words)
    cells = sum(len(row) - 1 for row in rows)
    if len(header) > 2:  # name each cell's column: "SK하이닉스: 2023년 50%, 2025년 2분기 62%"
        summary = "; ".join(
            f"{row[0]}: {', '.join(f'{h} {v}' for h, v in zip(header[1:], row[1:], strict=True))}"
            for row in rows
        )
    else:
        summary = "; ".join(f"{row[0]}: {row[1]}" for row in rows if len(row) > 1)
    # Korean alt text often ends without a full stop (개조식); the data follows as a sentence.
    stop = " " if alt.endswith((".", "!", "?")) else ". "
    alt_text = f"{alt}{stop}{words['data']}: {summary}." if 0 < cells <= 40 else alt
    return ChartView(
        title=title,
        alt=alt,
        svg=Markup(svg_text) if inline else Markup(""),
        image=""
        if inline
        else "data:image/svg+xml;base64," + base64.b64encode(svg_text.encode()).decode("ascii"),
        image_width=f"{fmt(min(100.0, width / PDF.width * 100))}%",
        alt_text=alt_text,
        header=header,
        rows=rows,
    )


def _namer(chart: Chart, edition: Edition, lang: str) -> Callable[[Cell], str]:
    """The reader's name of a value: its label, a date or number in the edition's style."""

    def name(value: Cell) -> str:
        name_key = key(value)
        if name_key in chart.labels:
            return edition.text(chart.labels[name_key])
        if isinstance(value, dt.date):
            return format_date(value, lang)
        if isinstance(value, float) and not value.is_integer():
            return decimal(value)
        # Whole numbers on an axis or naming a series are years and other identifiers:
        # no thousands separator (2024, not 2,024).
        return name_key

    return name


def _context(
    chart: Chart, data: Data, canvas: Canvas, edition: Edition, words: dict[str, str]
) -> Ctx:
    """What the layouts need for ``chart`` in ``edition``; estimates are named as such."""
    assert chart.y is not None
    numbers = [abs(v) for v in data.values.values() if v is not None]
    unit = edition.text(chart.y.unit) if chart.y.unit else ""
    style = Numbers.make(chart.y, edition.lang, max(numbers, default=0.0), unit)
    name = _namer(chart, edition, edition.lang)

    def shown(value: Cell) -> str:
        text = name(value)
        if value is not None and key(value) in chart.estimates:
            text = with_estimate(text, words["estimate"])
        return text

    return Ctx(chart, data, canvas, edition.lang, style, shown, words)


def _table(
    chart: Chart, data: Data, edition: Edition, words: dict[str, str]
) -> tuple[list[str], list[list[str]]]:
    """The data as a table: categories down, series across (raw rows for Vega-Lite)."""
    if chart.type == "vega-lite":
        records = data.vega_values
        if not records and chart.spec is not None and isinstance(chart.spec.get("data"), dict):
            records = [r for r in chart.spec["data"].get("values", []) if isinstance(r, dict)]
        columns = list(dict.fromkeys(column for record in records for column in record))
        return columns, [[_plain(r.get(c), edition.lang) for c in columns] for r in records]
    assert chart.x is not None and chart.y is not None
    ctx = _context(chart, data, HTML, edition, words)
    style = Numbers(ctx.numbers.measure, edition.lang, "", 1.0, ctx.numbers.unit_text)
    x_head = edition.text(chart.x.title) if chart.x.title else chart.x.field
    y_head = edition.text(chart.y.title) if chart.y.title else chart.y.field
    header = [x_head, *(ctx.name(s) for s in data.series)] if data.has_series else [x_head, y_head]
    rows = []
    for x in data.xs:
        values = [(s, data.values.get((x, s))) for s in data.series]
        cells = ["—" if v is None else style.value(v, approx=ctx.approx(x, s)) for s, v in values]
        rows.append([ctx.name(x), *cells])
    return header, rows


def _plain(value: Any, lang: str) -> str:
    """A raw data value in a table cell."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int | float):
        return decimal(value)
    return str(value)


def render_svg(chart: Chart, edition: Edition, anchor: str) -> str:
    """The chart's SVG for ``edition`` (inline for HTML, standalone for PDF); for tests."""
    shown = view(chart, edition, anchor)
    if edition.target == "html":
        return str(shown.svg)
    return base64.b64decode(shown.image.split(",", 1)[1]).decode()
