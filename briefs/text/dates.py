"""Dates written in prose: which day or month a sentence says something happened.

Used by the ``evidence-after-date`` and ``unstated-rate`` lint rules. Recognises the Korean
forms the briefs are written in (``2025. 1. 27.``, ``2025. 1.``, ``2025년 1월 27일``,
``2025년 1월``), ISO dates (``2025-01-27``) and English ones (``27 January 2025``,
``January 27, 2025``, ``January 2025``, with abbreviated months). A year alone is not a date
here: "2026년 목표" or "in 2027" names a period, not an event.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

_MONTH_NAMES = [
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
]
# English names spelled out, not calendar.month_name, which follows the process locale.
_MONTHS = {name: n for n, full in enumerate(_MONTH_NAMES, 1) for name in (full, full[:3])} | {
    "sept": 9
}
_MONTH = r"(?P<{0}>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE = re.compile(
    "|".join(
        [
            # 2025. 1. 27. · 2025. 1. (a month); not 2025.1.27 (a version number)
            r"(?<![\d.])(?P<ky>\d{4})\.\s(?P<km>\d{1,2})\.(?:\s(?P<kd>\d{1,2})\.)?",
            # 2025년 1월 27일 · 2025년 1월
            r"(?<!\d)(?P<hy>\d{4})년\s?(?P<hm>\d{1,2})월(?:\s?(?P<hd>\d{1,2})일)?",
            # 2025-01-27 · 2025-01
            r"(?<![\w-])(?P<iy>\d{4})-(?P<im>0[1-9]|1[0-2])(?:-(?P<id>[0-3]\d))?(?![\w-])",
            # 27 January 2025
            r"(?<![\w])(?P<ed>\d{1,2})\s" + _MONTH.format("em") + r"\s(?P<ey>\d{4})(?!\d)",
            # January 27, 2025 · January 2025
            r"(?<![\w])" + _MONTH.format("am") + r"\s(?:(?P<ad>\d{1,2}),?\s)?(?P<ay>\d{4})(?!\d)",
        ]
    ),
    re.IGNORECASE,
)


@dataclass(frozen=True)
class TextDate:
    """A date found in text: a day, or a month when no day is written."""

    first: dt.date
    """The first day it can mean (the day itself, or the first of the month)."""
    day: bool
    """Whether a day was written, not only a month."""
    start: int
    """Offset in the text."""
    end: int
    """Offset just after it."""


def dates_in(text: str) -> Iterator[TextDate]:
    """The dates written in ``text``, in order; impossible ones (31 February) are skipped."""
    for match in _DATE.finditer(text):
        groups = {k: v for k, v in match.groupdict().items() if v is not None}
        prefix = next(k[0] for k in groups)
        year = int(groups[prefix + "y"])
        month_text = groups[prefix + "m"]
        month = _MONTHS[month_text.lower()] if month_text.isalpha() else int(month_text)
        day = groups.get(prefix + "d")
        try:
            first = dt.date(year, month, int(day) if day else 1)
        except ValueError:
            continue
        yield TextDate(first, day is not None, match.start(), match.end())
