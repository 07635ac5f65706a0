"""Chart drawing kit: KRDS theme, numbers in the edition's style, text metrics, the SVG writer.

Imported only when a chart is drawn. The layouts (horizontal bars — simple, grouped, stacked
—, lines, slopes; :mod:`briefs.charts.layouts`) write SVG by hand with the writer below:
every coordinate rounded to two decimals and every choice made from the data's order, so the
same chart gives the same bytes on every run. Text is measured with the advance widths of
Pretendard GOV (kept below, checked against the bundled fonts by the tests), so labels are
placed without loading the 11 MB of fonts.
"""

from __future__ import annotations

import datetime as dt
import functools
import html
import math
import re
from dataclasses import dataclass, field

from babel.dates import format_date
from markupsafe import escape

from briefs.schema.brief import Money
from briefs.schema.charts import Measure
from briefs.text.i18n import (
    EN_CURRENCY,
    EN_UNITS,
    KO_CURRENCY,
    KO_UNITS,
    NBSP,
    decimal,
    format_money,
    korean_amount,
)

# -- theme: KRDS light-mode colours (research/korean.md) -------------------------------------

PALETTE: tuple[str, ...] = (
    "#0b50d0",  # primary-60
    "#ab2b36",  # point-60
    "#267337",  # success-60
    "#8a5c00",  # warning-60
    "#464c53",  # gray-70
    "#063a74",  # secondary-70
)
"""Series colours, in order; each has ≥ 4.5:1 contrast with white, for text in it or on it."""
TEXT = "#1e2124"  # gray-90
MUTED = "#464c53"  # gray-70
GRID = "#cdd1d5"  # gray-20
WHITE = "#ffffff"
NEGATIVE = "#ab2b36"  # point-60: a single series' values below zero
THEME_COLOURS = frozenset({*PALETTE, TEXT, MUTED, GRID, WHITE, NEGATIVE})
"""Every colour a chart may use."""
FONT_STACK = (
    "'Pretendard GOV', Pretendard, 'Apple SD Gothic Neo', 'Malgun Gothic', 'Noto Sans KR', "
    "sans-serif"
)
"""The PDF has only Pretendard GOV; a browser without it falls back along the page's stack."""
ESTIMATE_OPACITY = "0.35"
EDGE = 0.3
"""Space kept free at the left and right edges, in ems: browsers set text a little wider."""

# -- numbers and dates in the edition's style -------------------------------------------------


@dataclass(frozen=True)
class Numbers:
    """How one chart writes its numbers in one language."""

    measure: Measure
    lang: str
    unit: str
    """Unit of the axis ticks (``억 달러``, ``$ billion``, ``%``)."""
    scale: float
    """Tick values are divided by this (10⁸ for 억)."""
    unit_text: str = ""
    """The measure's own unit in this language (장, GPUs)."""

    @classmethod
    def make(cls, measure: Measure, lang: str, largest: float, unit_text: str) -> Numbers:
        """The style for values up to ``largest``: the axis unit follows its size."""
        if measure.format == "percent":
            return cls(measure, lang, "%", 1.0, unit_text)
        units = KO_UNITS if lang == "ko" else EN_UNITS
        scale, name = next(((u, n) for u, n in units if largest >= u), (1.0, ""))
        if measure.format == "money":
            if lang == "ko":
                word = KO_CURRENCY[measure.currency]
                unit = f"{name} {word}" if name else word
            else:
                symbol = EN_CURRENCY[measure.currency]
                unit = f"{symbol} {name}" if name else symbol
        else:
            unit = " ".join(p for p in (name, unit_text) if p)
        return cls(measure, lang, unit, scale, unit_text)

    def value(self, number: float, *, approx: bool = False) -> str:
        """A value as a label: ``−16.97%``, ``5,890억 달러``, ``26만 장``, ``$279 billion``."""
        m = self.measure
        if m.format == "money" and abs(number) >= 1e4:
            return format_money(Money(amount=number, currency=m.currency, approx=approx), self.lang)
        if m.format == "money":  # prices: keep the decimals that 만/억 rounding would drop
            digits = decimal(abs(number), m.decimals)
            sign = "−" if number < 0 else ""
            if self.lang == "ko":
                text = f"{sign}{digits}{KO_CURRENCY[m.currency]}"
            else:
                text = f"{sign}{EN_CURRENCY[m.currency]}{digits}"
        elif m.format == "percent":
            text = decimal(number, m.decimals) + "%"
        elif self.lang == "ko" and abs(number) >= 1e4:
            text, exact = korean_amount(number)
            approx = approx or not exact
        else:
            text = decimal(number, m.decimals)
        if self.unit_text:
            joiner = NBSP if self.lang == "en" or text[-1] in "만억조" else ""
            text = f"{text}{joiner}{self.unit_text}"
        if approx:
            text = f"{'약' if self.lang == 'ko' else 'about'}{NBSP}{text}"
        return text

    def tick(self, number: float, step: float) -> str:
        """An axis tick in the axis unit: ``1,000`` (억 달러), ``−20%``."""
        scaled_step = step / self.scale
        digits = max(0, -math.floor(math.log10(scaled_step) + 1e-9)) if scaled_step < 1 else 0
        text = decimal(number / self.scale, min(digits, 4))
        return text + ("%" if self.measure.format == "percent" else "")


def short_date(value: dt.date, lang: str, one_year: bool) -> str:
    """A date on an axis: ``1. 27.`` / ``27 Jan`` (the year too when the axis spans years)."""
    if lang == "ko":
        return format_date(value, "M. d." if one_year else "y. M. d.", locale="ko")
    return format_date(value, "d MMM" if one_year else "d MMM y", locale="en")


# -- text metrics (Pretendard GOV advance widths, per 2048 units of the em) -------------------

_ASCII_REGULAR = (
    "590 526 590 1228 1244 1766 1248 590 590 590 964 1284 590 1180 590 590 1180 1180 1180 1180 "
    "1180 1180 1180 1180 1180 1180 590 590 1284 1180 1284 982 1802 1322 1268 1420 1404 1162 "
    "1140 1452 1446 858 1056 1272 1092 1746 1470 1488 1238 1488 1246 1244 1252 1448 1322 1874 "
    "1254 1298 1218 590 684 590 906 1180 960 1096 1210 1084 1210 1132 690 1186 1152 446 446 "
    "1058 558 1708 1140 1162 1186 1186 716 1016 696 1132 1084 1592 1050 1084 1050 590 626 590 "
    "1180"
)
_ASCII_BOLD = (
    "590 628 590 1278 1290 1966 1328 590 590 590 1104 1338 590 1180 590 590 1180 1180 1180 1180 "
    "1180 1180 1180 1180 1180 1180 590 590 1338 1180 1338 1102 1790 1470 1304 1482 1436 1206 "
    "1152 1500 1474 940 1120 1358 1118 1808 1452 1542 1276 1544 1294 1290 1316 1442 1470 2046 "
    "1404 1424 1312 590 760 590 956 1180 978 1142 1252 1154 1252 1176 752 1246 1228 526 526 "
    "1142 642 1800 1224 1208 1246 1246 798 1104 758 1222 1152 1678 1128 1152 1124 590 728 590 "
    "1180"
)
EXTRA_ADVANCES = {
    "−": (1284, 1338), "–": (964, 982), "·": (520, 578), "\u00a0": (590, 590),
    "₩": (1864, 1874), "→": (1870, 1888), "←": (1870, 1888), "↑": (1870, 1888),
    "↓": (1870, 1888), "℃": (2272, 2348), "×": (1284, 1338), "±": (1284, 1338),
    "…": (1562, 1734), "‘": (452, 540), "’": (452, 540), "“": (900, 994), "”": (900, 994),
    "「": (698, 798), "」": (698, 798), "『": (874, 942), "』": (874, 942), "〈": (698, 798),
    "〉": (698, 798), "《": (988, 1124), "》": (988, 1124), "•": (1044, 952), "°": (876, 902),
    "㎡": (2518, 2632), "㎾": (2932, 3188), "㎿": (3620, 3854),
}  # fmt: skip
"""Advances of the other characters charts set (regular, bold), beyond printable ASCII."""
_WIDE = 1770
"""Hangul syllables (all the same width) and most other wide characters."""


@functools.cache
def _advances(bold: bool) -> dict[str, int]:
    table = dict(
        zip(
            (chr(c) for c in range(32, 127)),
            (int(w) for w in (_ASCII_BOLD if bold else _ASCII_REGULAR).split()),
            strict=True,
        )
    )
    table.update({ch: widths[bold] for ch, widths in EXTRA_ADVANCES.items()})
    return table


def text_width(text: str, size: float, *, bold: bool = False) -> float:
    """Width of ``text`` set in Pretendard GOV at ``size`` (no kerning: a little generous)."""
    table = _advances(bold)
    units = sum(table.get(ch, _WIDE if ord(ch) >= 0x2E80 else 1180) for ch in text)
    return units * size / 2048


def wrap_text(text: str, width: float, size: float, *, bold: bool = False) -> list[str]:
    """Lines of at most ``width`` (breaking at spaces only; a long word stays whole)."""
    lines: list[str] = []
    for word in text.split(" "):
        if lines and text_width(f"{lines[-1]} {word}", size, bold=bold) <= width:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


_ANCHORED = re.compile(r"<text\b([^>]*?) text-anchor=\"(end|middle)\"([^>]*)>([^<]*)</text>")
_X = re.compile(r' x="([-\d.]+)"')
_SIZE = re.compile(r' font-size="([\d.]+)(?:px)?"')
_BOLD = re.compile(r' font-weight="(?:700|bold)"')


def left_edged(svg: str) -> str:
    """``svg`` with every end- or middle-anchored label of plain text placed by its left edge
    instead, from the advances above, for the PDF.

    WeasyPrint 70 draws each anchored label into a transparency group of its own, to shift it
    once measured: about 400 bytes each, 20 KB in a chart-heavy edition. The label starts its
    width (or half of it) before its anchor, the same place within a pixel at 100 dpi. The
    anchor is kept in ``data-anchor`` and ``data-x``, first in the tag, so the office editions,
    drawn by Word in whatever font it has, anchor the label again
    (:func:`briefs.office.images.vector`). A label without a font size is left as it is.
    """

    def place(match: re.Match[str]) -> str:
        before, anchor, after, text = match.groups()
        attrs = before + after
        size = _SIZE.search(attrs)
        if size is None:
            return match.group(0)
        width = text_width(
            html.unescape(text), float(size.group(1)), bold=bool(_BOLD.search(attrs))
        )
        at = _X.search(attrs)
        x = float(at.group(1)) if at else 0.0
        left = x - (width if anchor == "end" else width / 2)
        rest = _X.sub("", attrs, count=1)
        return f'<text x="{fmt(left)}" data-anchor="{anchor}" data-x="{fmt(x)}"{rest}>{text}</text>'

    return _ANCHORED.sub(place, svg)


# -- the SVG writer ----------------------------------------------------------------------------


def fmt(value: float) -> str:
    """A coordinate: at most two decimals, no trailing zeros, never ``-0``."""
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def attr(value: str) -> str:
    return str(escape(value))


@dataclass(frozen=True)
class Box:
    """Where a label's ink may fall, from the bundled font's advances."""

    left: float
    top: float
    right: float
    bottom: float
    text: str

    def overlaps(self, other: Box, slack: float = 0.5) -> bool:
        """Whether the two boxes share more than ``slack`` units each way."""
        return (
            min(self.right, other.right) - max(self.left, other.left) > slack
            and min(self.bottom, other.bottom) - max(self.top, other.top) > slack
        )


@dataclass
class Svg:
    """Shapes and text of one chart, drawn back to front."""

    back: list[str] = field(default_factory=list)
    front: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    boxes: list[Box] = field(default_factory=list)
    """Every label's box, for checking that none is cut off or collides with another."""

    def line(
        self, x1: float, y1: float, x2: float, y2: float, colour: str, width: float = 1
    ) -> None:
        self.back.append(
            f'<line x1="{fmt(x1)}" y1="{fmt(y1)}" x2="{fmt(x2)}" y2="{fmt(y2)}" stroke="{colour}"'
            f' stroke-width="{fmt(width)}"/>'
        )

    def rect(
        self, x: float, y: float, w: float, h: float, colour: str, *, estimate: bool = False
    ) -> None:
        style = (
            f' fill-opacity="{ESTIMATE_OPACITY}" stroke="{colour}" stroke-width="1"'
            ' stroke-dasharray="3 2"'
            if estimate
            else ""
        )
        self.front.append(
            f'<rect x="{fmt(x)}" y="{fmt(y)}" width="{fmt(max(w, 0))}" height="{fmt(h)}"'
            f' fill="{colour}"{style}/>'
        )

    def polyline(self, points: list[tuple[float, float]], colour: str, *, dashed: bool) -> None:
        d = " ".join(f"{'ML'[i > 0]}{fmt(x)} {fmt(y)}" for i, (x, y) in enumerate(points))
        dash = ' stroke-dasharray="5 3"' if dashed else ""
        self.front.append(
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="2"'
            f' stroke-linejoin="round" stroke-linecap="round"{dash}/>'
        )

    def dot(self, x: float, y: float, r: float, colour: str, *, hollow: bool = False) -> None:
        fill = WHITE if hollow else colour
        self.front.append(
            f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="{fmt(r)}" fill="{fill}" stroke="{colour}"'
            ' stroke-width="1.5"/>'
        )

    def text(
        self,
        x: float,
        y: float,
        text: str,
        size: float,
        *,
        anchor: str = "start",
        colour: str = TEXT,
        bold: bool = False,
    ) -> None:
        width = text_width(text, size, bold=bold)
        left = x - width if anchor == "end" else x - width / 2 if anchor == "middle" else x
        # Hangul fills the em from about 0.85 above the baseline to 0.15 below it.
        self.boxes.append(Box(left, y - size * 0.85, left + width, y + size * 0.15, text))
        attrs = f'x="{fmt(x)}" y="{fmt(y)}"'
        if anchor != "start":
            attrs += f' text-anchor="{anchor}"'
        attrs += f' font-size="{fmt(size)}"'
        if bold:
            attrs += ' font-weight="700"'
        if colour != TEXT:
            attrs += f' fill="{colour}"'
        # A line break after each label: markup-only readers of the page (search, reader
        # modes) see separate words, not "62%SK하이닉스".
        self.labels.append(f"<text {attrs}>{escape(text)}</text>\n")

    def body(self) -> str:
        return "".join(self.back + self.front + self.labels)

    def label_problems(self, width: float, height: float) -> list[str]:
        """Labels cut off by the drawing's edges or set over one another (none, when the
        layouts work)."""
        found = [
            f"{box.text!r} is cut off ({box.left:.1f}–{box.right:.1f} of 0–{width:g})"
            for box in self.boxes
            if box.left < -0.5
            or box.right > width + 0.5
            or box.top < -0.5
            or box.bottom > height + 0.5
        ]
        for i, box in enumerate(self.boxes):
            found += [
                f"{box.text!r} overlaps {other.text!r}"
                for other in self.boxes[i + 1 :]
                if box.overlaps(other)
            ]
        return found


@dataclass(frozen=True)
class Canvas:
    """The size a chart is laid out at: width in SVG units, and the base font size."""

    width: float
    font: float
    css_width: str
    """How wide the chart is set in the page (CSS)."""


HTML = Canvas(400, 11, "34rem")
"""The HTML edition: a narrow layout that stays legible on a phone and scales up to 34rem."""
PDF = Canvas(482, 8, "100%")
"""The PDF edition: the full column of an A4 page (170 mm ≈ 482 pt), 8 pt text."""


def document(
    body: str,
    width: float,
    height: float,
    *,
    title: str,
    desc: str,
    anchor: str,
    lang: str,
    css_width: str | None,
    font: float,
) -> str:
    """The ``<svg>`` element: ``role=img``, named by its ``<title>`` and ``<desc>``.

    With ``css_width``, inline in HTML: as wide as the column, up to that width. Without it,
    a standalone image (the PDF sizes it).
    """
    style = (
        f' style="display:block;width:100%;max-width:{css_width};height:auto"'
        if css_width is not None
        else ""
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart-svg" lang="{lang}"'
        f' viewBox="0 0 {fmt(width)} {fmt(height)}" width="{fmt(width)}" height="{fmt(height)}"'
        f' role="img" aria-labelledby="{anchor}-title {anchor}-desc"'
        f' font-family="{attr(FONT_STACK)}" font-size="{fmt(font)}" fill="{TEXT}"{style}>'
        f'<title id="{anchor}-title">{escape(title)}</title>'
        f'<desc id="{anchor}-desc">{escape(desc)}</desc>\n{body}</svg>'
    )
