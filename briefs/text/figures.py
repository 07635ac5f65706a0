"""Figures in Markdown text: which numbers need a source, and the sentences they sit in.

Used by the ``number-without-citation`` lint rule. A figure is a share (16.97%), an amount of
money ($589 billion, 5,890억 달러) or a large count (2,048); years, Korean dates, codes like
H20 or HBM3E, and citation marks are not.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal, NamedTuple

from briefs.text import citations

_NUM = r"\d+(?:[.,]\d+)*"
_SCALE = r"(?:\s?(?:thousand|million|billion|trillion)\b|(?:bn|tn|[kKmMbB])\b)"
FIGURE = re.compile(
    # Not inside a word, code or date: H20, HBM3E, V3, 2025-01-27, 18:00 are not figures.
    rf"""(?<![A-Za-z0-9.,_/:])(?<![A-Za-z0-9]-)
    (?:
        (?:US\$|\$|₩|€|£|¥|(?:KRW|USD|EUR|CNY|JPY|RMB)\s?){_NUM}{_SCALE}?
      | {_NUM}\s?(?:%(?:p\b|포인트)?|퍼센트|percent\b|per\scent\b|percentage\spoints?\b)
      | {_NUM}(?:조|억|만|천)(?:\s?(?:달러|원|위안|엔|유로))?
      | {_NUM}\s?(?:달러|위안|유로|(?:원|엔)(?![가-힣])|원(?=[은는이을를의도과와에으]))
      | {_NUM}\s(?:thousand|million|billion|trillion)\b
      | \d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?      # 2,048 · 50,000: a large number, not a year
      | \d{{5,}}(?:\.\d+)?
    )""",
    re.VERBOSE,
)
"""A figure that needs a source: a share, an amount of money, a large count."""
_MASK = re.compile(
    rf"{citations.CANDIDATE.pattern}|\]\([^()\n]*\)|https?://\S+|`[^`\n]*`"
    # A link target stops at the next "(" too: with "[^)\n]*", 82 KB of "](" took 14 s,
    # each "](" scanning to the end of the line (quadratic).
    # A Korean date (2025. 1. 27.) is neither a figure nor the end of a sentence.
    r"|\b\d{4}\.\s?\d{1,2}\.(?:\s?\d{1,2}\.)?"
)
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+")
_HEADING = re.compile(r"[ \t]{0,3}#")
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])[.!?。][\"'”’)\]*_]*\s+")
_SCALE_WORDS = {
    "thousand": "k",
    "million": "m",
    "billion": "b",
    "trillion": "t",
    "bn": "b",
    "tn": "t",
}


def mask(text: str) -> str:
    """``text`` with citations, link targets, code and Korean dates blanked, same length."""
    return _MASK.sub(lambda m: " " * len(m[0]), text)


class Unit(NamedTuple):
    """A span of Markdown text that one citation covers: a sentence, a list item, a
    heading or a whole table."""

    start: int
    """Offset of its first character."""
    end: int
    """Offset just after it."""
    kind: Literal["sentence", "item", "heading", "table"]
    """What it is."""


_TABLE_RULE = re.compile(r"[ \t]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
"""The line under a table's header: ``|---|---:|``."""
SOURCE_LINE = re.compile(r"[ \t]*(?:자료|출처|Sources?|Data)[ \t]*[:：]", re.IGNORECASE)
"""A source line under a table or figure: ``자료: …``, ``Source: …``."""


def units(text: str) -> Iterator[Unit]:
    """The list items, headings, tables and sentences of Markdown ``text``, in order.

    A table runs from its header line to the end of its block, as Python-Markdown reads it
    (a line right under the table, even without ``|``, is one of its rows).
    """
    start = end = 0
    in_item = False

    def paragraph() -> Iterator[Unit]:
        if in_item:
            yield Unit(start, end, "item")
            return
        cut = start
        for match in _SENTENCE_END.finditer(text, start, end):
            yield Unit(cut, match.end(), "sentence")
            cut = match.end()
        if cut < end:
            yield Unit(cut, end, "sentence")

    lines = text.splitlines(keepends=True)
    in_table = False
    offset = 0
    for number, line in enumerate(lines):
        line_start, offset = offset, offset + len(line)
        if in_table and line.strip():
            end = offset
            continue
        if in_table:
            yield Unit(start, end, "table")
            in_table = False
            start = end = offset
            continue
        if not line.strip():
            yield from paragraph()
            start = end = offset
            in_item = False
        elif _HEADING.match(line):
            yield from paragraph()
            yield Unit(line_start, offset, "heading")
            start = end = offset
            in_item = False
        elif (
            start == end
            and "|" in line
            and number + 1 < len(lines)
            and _TABLE_RULE.match(lines[number + 1])
        ):
            # A table starts a block: its header, then the rule line under it.
            start, end, in_table, in_item = line_start, offset, True, False
        elif _LIST_ITEM.match(line):
            yield from paragraph()
            start, end, in_item = line_start, offset, True
        else:
            end = offset
    if in_table:
        yield Unit(start, end, "table")
    else:
        yield from paragraph()


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the list items, headings, tables and sentences of Markdown ``text``."""
    for unit in units(text):
        yield unit.start, unit.end


def figure_token(figure: str) -> str:
    """A figure reduced for comparison: ``$589 billion`` and ``$589B`` are both ``$589b``."""
    token = re.sub(r"\s+", "", figure).lower().replace("us$", "$")
    for word, short in _SCALE_WORDS.items():
        token = token.replace(word, short)
    return token


# -- the value of a figure ----------------------------------------------------------------
# Used by the lint rules that compare the Korean and English texts of an item and that look
# for money converted between currencies: 5,890억 달러, $589 billion and US$589bn are one
# value, and 557만 6000달러 is one figure, not two.

_CURRENCY = re.compile(
    r"(?P<USD>US\$|\$|\bUSD\b|달러)|(?P<KRW>₩|\bKRW\b|원)|(?P<EUR>€|\bEUR\b|유로)"
    r"|(?P<JPY>¥|\bJPY\b|엔)|(?P<CNY>\bCNY\b|\bRMB\b|위안)"
)
_MULTIPLIERS = {
    "thousand": 1e3, "k": 1e3, "천": 1e3, "만": 1e4, "million": 1e6, "m": 1e6, "억": 1e8,
    "billion": 1e9, "bn": 1e9, "b": 1e9, "trillion": 1e12, "tn": 1e12, "t": 1e12, "조": 1e12,
}  # fmt: skip
_NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
_SCALE_AFTER = re.compile(r"\s?(thousand|million|billion|trillion|bn|tn|[kmbt]\b|[조억만천])", re.I)
_POINTS = re.compile(r"%p\b|포인트|percentage\spoints?", re.I)
# How the other language may write a figure that FIGURE does not count: "3.5 points" for
# 3.5%p, "9302명" (Korean writes four digits without a comma) for 9,302.
_PLAIN = {
    "pp": r"(?<![\d.,]){n}\s?(?:%p\b|%포인트|포인트|(?:percentage\s)?points?\b|pp\b)",
    "#": r"(?<![\d.,]){n}(?![\d.,])",
}


def written_plainly(value: FigureValue, text: str) -> bool:
    """Whether ``text`` states ``value`` in a form that is not a FIGURE (see :data:`_PLAIN`)."""
    pattern = _PLAIN.get(value.kind)
    number = _NUMBER.search(value.text)
    if pattern is None or number is None or (value.kind == "#" and value.unit != 1):
        return False
    shown = number[0].replace(",", "")
    return re.search(pattern.format(n=re.escape(shown)), mask(text)) is not None


# A Korean amount goes on in smaller groups after its first: 557만 6000달러, 1조 4600억 원.
_KOREAN_GROUP = re.compile(r"\s?(\d[\d,]*(?:\.\d+)?)\s?([억만천]?)")
# As in FIGURE: 원 and 엔 only as a word of their own or before a particle ("원인" is not 원).
_KOREAN_CURRENCY = re.compile(
    r"\s?(?:달러|위안|유로|(?:원|엔)(?![가-힣])|(?:원|엔)(?=[은는이을를의도과와에으가임]))"
)


@dataclass(frozen=True)
class FigureValue:
    """A figure found in text, reduced to what it measures."""

    kind: str
    """``USD``, ``KRW``, ``EUR``, ``JPY`` or ``CNY`` for money; ``%`` for a share, ``pp`` for
    percentage points, ``#`` for a count."""
    value: float
    """The value in units: 589000000000.0 for $589 billion, 16.97 for 16.97%."""
    start: int
    """Offset of the figure in the text."""
    end: int
    """Offset just after it."""
    text: str
    """The figure as written."""
    unit: float = 1.0
    """What its last written digit is worth: 1e11 for KRW 26.4 trillion, 1e8 for 26조 4479억."""

    @property
    def money(self) -> bool:
        """Whether the figure is an amount of money."""
        return self.kind not in ("%", "pp", "#")

    def same(self, other: FigureValue) -> bool:
        """Whether both state the same quantity, the more precise rounded to the other's
        last digit: 약 26조 4479억 원 and about KRW 26.4 trillion are the same figure."""
        if self.kind != other.kind:
            return False
        tolerance = max(self.unit, other.unit) / 2
        return abs(self.value - other.value) <= tolerance * (1 + 1e-9) or math.isclose(
            self.value, other.value, rel_tol=1e-9
        )


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _last_digit(text: str) -> float:
    """What the last digit of a written number is worth: 0.01 for 16.97, 1 for 2,048."""
    return 10.0 ** -len(text.partition(".")[2])


def _kind(figure: str) -> str:
    if "%" in figure or "퍼센트" in figure or "percent" in figure.lower():
        return "pp" if _POINTS.search(figure) else "%"
    currency = _CURRENCY.search(figure)
    return currency.lastgroup or "#" if currency else "#"


def figure_values(text: str) -> list[FigureValue]:
    """Every figure of ``text`` (see :data:`FIGURE`) with its value, in order."""
    masked = mask(text)
    found: list[FigureValue] = []
    pos = 0
    while match := FIGURE.search(masked, pos):
        start, end = match.span()
        number = _NUMBER.search(match[0])
        assert number is not None  # every alternative of FIGURE has digits
        value = _number(number[0])
        digit = _last_digit(number[0])
        kind = _kind(match[0])
        if match[0][-1] in "조억만천":  # a Korean amount without its currency yet
            value *= _MULTIPLIERS[match[0][-1]]
            unit = match[0][-1]
            digit *= _MULTIPLIERS[unit]
            while group := _KOREAN_GROUP.match(masked, end):
                if group[2] and _MULTIPLIERS[group[2]] >= _MULTIPLIERS[unit]:
                    break
                worth = _MULTIPLIERS[group[2]] if group[2] else 1
                value += _number(group[1]) * worth
                digit = _last_digit(group[1]) * worth
                end, unit = group.end(), group[2]
                if not unit:
                    break
            if currency := _KOREAN_CURRENCY.match(masked, end):
                kind, end = _kind(currency[0]), currency.end()
        elif kind != "%" and kind != "pp":
            scale = _SCALE_AFTER.match(match[0], number.end())
            if scale:
                value *= _MULTIPLIERS[scale[1].lower()]
                digit *= _MULTIPLIERS[scale[1].lower()]
        found.append(FigureValue(kind, value, start, end, text[start:end].strip(), digit))
        pos = end
    return found
