"""Language-dependent formatting: labels, dates, numbers and money, Korean first.

Korean conventions (국립국어원, see README): dates ``2025. 1. 27.`` with an optional weekday
``2025. 1. 27.(월)``; large numbers grouped by 만/억/조 (``5,890억 달러``, ``557만 6000달러``),
a space between a number and a following unit noun, and none between bare digits and the
currency word. English uses ``27 January 2025`` and ``$589 billion``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
from pathlib import Path
from typing import Any

import yaml
from babel.dates import format_date as _babel_date

from briefs.errors import BriefError, Diagnostic
from briefs.schema.brief import Money

_DATE_FORMATS = {
    "ko": {"day": "y. M. d.", "weekday": "y. M. d.(E)", "month": "y. M.", "year": "y년"},
    "en": {"day": "d MMMM y", "weekday": "EEEE d MMMM y", "month": "MMMM y", "year": "y"},
}

KO_CURRENCY = {"USD": "달러", "KRW": "원", "EUR": "유로", "CNY": "위안", "JPY": "엔"}
"""Currency words of Korean text."""
EN_CURRENCY = {"USD": "$", "KRW": "₩", "EUR": "€", "CNY": "CN¥", "JPY": "¥"}
"""Currency symbols of English text."""
KO_UNITS = ((10**12, "조"), (10**8, "억"), (10**4, "만"))
"""Korean large-number units, largest first."""
EN_UNITS = ((10**12, "trillion"), (10**9, "billion"), (10**6, "million"))
"""English large-number words, largest first."""

NBSP = "\u00a0"
"""Joins a number to its unit so a line never breaks between them."""


def format_date(value: dt.date | str, lang: str, *, weekday: bool = False) -> str:
    """A date in the language's convention; ``"2025-01"`` and ``"2025"`` give month or year."""
    formats = _DATE_FORMATS[lang]
    if isinstance(value, str):
        parts = [int(p) for p in value.split("-")]
        kind = "month" if len(parts) == 2 else "year"
        value = dt.date(parts[0], parts[1] if len(parts) > 1 else 1, 1)
        return _babel_date(value, formats[kind], locale=lang)
    return _babel_date(value, formats["weekday" if weekday else "day"], locale=lang)


def minus(text: str) -> str:
    """A leading hyphen-minus as a minus sign (−), as typeset numbers have it."""
    return "−" + text[1:] if text.startswith("-") else text


def decimal(value: float, digits: int = 3) -> str:
    """``1,234.5``: grouped thousands, up to ``digits`` decimals, a minus sign (−).

    The one number formatter: Korean and English write plain numbers alike (CLDR's
    ``#,##0.###`` for both, which the tests check against Babel), so it needs no locale
    data.
    """
    text = f"{value:,.{digits}f}"
    if digits:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else minus(text)


def format_number(value: float, lang: str, *, digits: int = 3) -> str:
    """A number in ``lang`` with grouping, up to ``digits`` decimals, trailing zeros dropped."""
    return decimal(value, digits)


def korean_amount(value: float, *, groups: int = 2) -> tuple[str, bool]:
    """``589e9`` → ``5,890억``; ``5576000`` → ``557만 6000``.

    Keeps at most ``groups`` of 조/억/만/units, rounding the last one; returns the text and
    whether it is exact (``123456789`` → ``1억 2346만``, not exact).
    """
    negative = value < 0
    whole = round(abs(value))
    units = [*KO_UNITS, (1, "")]
    lead = next((i for i, (size, _) in enumerate(units) if whole >= size), len(units) - 1)
    last = min(lead + groups - 1, len(units) - 1)
    step = units[last][0]
    rounded = (whole + step // 2) // step * step
    exact = rounded == whole and float(whole) == abs(value)
    parts: list[str] = []
    rest = rounded
    for size, unit in units[: last + 1]:
        count, rest = divmod(rest, size)
        if count:
            parts.append(f"{count:,}{unit}" if not parts else f"{count}{unit}")
    text = NBSP.join(parts) or "0"
    return (f"−{text}" if negative else text), exact


def format_money(money: Money, lang: str) -> str:
    """Money in the language's units: ``약 5,890억 달러`` / ``about $589 billion``.

    A figure that had to be rounded to be written this way is marked as approximate too.
    """
    if lang == "ko":
        number, exact = korean_amount(money.amount)
        word = KO_CURRENCY[money.currency]
        # 5,890억 달러 (space after a unit word), 557만 6000달러 (none after bare digits);
        # the space is non-breaking so the number never leaves its unit.
        joiner = NBSP if number[-1] in "만억조" else ""
        text = f"{number}{joiner}{word}"
        return f"약{NBSP}{text}" if money.approx or not exact else text
    value = abs(money.amount)
    scaled, unit = value, ""
    for size, name in reversed(EN_UNITS):  # million, billion, trillion
        if round(value / size, 3) >= 1:
            scaled, unit = value / size, name
    shown = round(scaled, 3 if unit else 2)
    exact = shown == scaled
    number = format_number(shown, "en", digits=3 if unit else 2)
    text = f"{EN_CURRENCY[money.currency]}{number}{NBSP + unit if unit else ''}"
    if money.amount < 0:
        text = f"−{text}"
    return f"about{NBSP}{text}" if money.approx or not exact else text


@functools.cache
def _labels_file(path: Path) -> dict[str, Any]:
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError) as exc:
        raise BriefError(Diagnostic(str(path), 0, 0, f"cannot read labels: {exc}")) from None
    if not isinstance(data, dict):
        raise BriefError(Diagnostic(str(path), 1, 1, "labels must be a mapping"))
    return data


class Labels:
    """The fixed words of one language, from ``locales/<lang>.yaml`` (user folder first)."""

    def __init__(self, lang: str, folders: list[Path]) -> None:
        self.lang = lang
        self._data: dict[str, Any] = {}
        for folder in reversed(folders):  # built-ins first, user entries override
            path = folder / "locales" / f"{lang}.yaml"
            if path.is_file():
                self._data.update(_labels_file(path))
        if not self._data:
            raise BriefError(f"no labels found for language '{lang}'")

    def __call__(self, key: str, **values: Any) -> str:
        """The label ``key`` (dotted for nested keys), with ``{name}`` fields filled in."""
        node: Any = self._data
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                raise BriefError(f"missing label '{key}' in locales/{self.lang}.yaml")
            node = node[part]
        text = str(node)
        if not values:
            return text
        # Labels may come from a user's folder: only plain {name} fields, never
        # {name.attribute} or {name[index]}, which str.format would follow outside any sandbox.
        for _, field, _, _ in string.Formatter().parse(text):
            if field is not None and not re.fullmatch(r"[A-Za-z_]\w*", field):
                raise BriefError(
                    f"label '{key}' in locales/{self.lang}.yaml: field "
                    f"{{{field}}} is not a plain name"
                )
        return text.format(**{k: str(v) for k, v in values.items()})
