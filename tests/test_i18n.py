"""Golden cases for dates and money in Korean and English.

Numbers are joined to their unit words by U+00A0 NO-BREAK SPACE so a line never separates
them: each case is compared with NBSP read as a space, and the NBSPs are checked too.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from briefs.schema.brief import Money
from briefs.text.i18n import format_date, format_money

NBSP = "\u00a0"
MONDAY = dt.date(2025, 1, 27)


@pytest.mark.parametrize(
    ("value", "lang", "weekday", "expected"),
    [
        (MONDAY, "ko", False, "2025. 1. 27."),
        (MONDAY, "ko", True, "2025. 1. 27.(월)"),
        (dt.date(2024, 12, 3), "ko", False, "2024. 12. 3."),
        (dt.date(2024, 12, 3), "ko", True, "2024. 12. 3.(화)"),
        (MONDAY, "en", False, "27 January 2025"),
        (dt.date(2024, 12, 3), "en", False, "3 December 2024"),
        ("2025-01", "ko", False, "2025. 1."),
        ("2025-12", "ko", False, "2025. 12."),
        ("2025", "ko", False, "2025년"),
        ("2025-01", "en", False, "January 2025"),
        ("2025", "en", False, "2025"),
    ],
)
def test_format_date(value: dt.date | str, lang: str, weekday: bool, expected: str) -> None:
    assert format_date(value, lang, weekday=weekday) == expected


def test_english_weekday_names_the_day() -> None:
    text = format_date(MONDAY, "en", weekday=True)
    assert "Monday" in text and "27 January 2025" in text


def test_partial_dates_ignore_weekday() -> None:
    # A month or a year has no weekday.
    assert format_date("2025-01", "ko", weekday=True) == "2025. 1."
    assert format_date("2025", "en", weekday=True) == "2025"


MONEY = [
    # (amount, currency, approx, lang, expected with NBSP shown as "_")
    (589_000_000_000, "USD", True, "ko", "약_5,890억_달러"),
    (589_000_000_000, "USD", False, "ko", "5,890억_달러"),
    (5_576_000, "USD", False, "ko", "557만_6000달러"),
    (500_000_000, "USD", False, "ko", "5억_달러"),
    (847_000_000_000_000, "KRW", True, "ko", "약_847조_원"),
    (5_000, "USD", False, "ko", "5,000달러"),
    (10_000, "KRW", False, "ko", "1만_원"),
    (589_000_000_000, "USD", False, "en", "$589_billion"),
    (589_000_000_000, "USD", True, "en", "about_$589_billion"),
    (999_999_999, "USD", False, "en", "about_$1_billion"),
    (123_456_789, "KRW", False, "ko", "약_1억_2346만_원"),
    (123_456_789, "KRW", False, "en", "about_₩123.457_million"),
    (5_576_000, "USD", False, "en", "$5.576_million"),
    (1_000_000_000_000, "USD", False, "en", "$1_trillion"),
    (5_000, "USD", False, "en", "$5,000"),
]


@pytest.mark.parametrize(
    ("amount", "currency", "approx", "lang", "expected"),
    MONEY,
    ids=[
        f"{lang}-{amount}-{currency}{'-approx' if approx else ''}"
        for amount, currency, approx, lang, _ in MONEY
    ],
)
def test_format_money(amount: float, currency: str, approx: bool, lang: str, expected: str) -> None:
    money = Money(amount=amount, currency=currency, approx=approx)  # type: ignore[arg-type]
    text = format_money(money, lang)
    # As a reader sees it:
    assert text.replace(NBSP, " ") == expected.replace("_", " ")
    # And with the no-break spaces exactly where the golden value has them:
    assert text == expected.replace("_", NBSP)
    assert " " not in text


def test_negative_money() -> None:
    money = Money(amount=-589_000_000_000, currency="USD")
    assert format_money(money, "ko").replace(NBSP, " ") == "−5,890억 달러"
    assert format_money(money, "en").replace(NBSP, " ") == "−$589 billion"


def test_money_in_the_built_edition(tmp_path: Path, minimal_path: Path) -> None:
    # The fixture's key figure (589000000000 USD, approx) as both editions print it.
    from briefs.pipeline.build import BuildOptions, build_brief

    result = build_brief(
        minimal_path,
        BuildOptions(out=tmp_path, audiences=["government"], formats=["html"]),
    )
    html = {o.lang: o.path.read_text(encoding="utf-8") for o in result.outputs}
    assert f"약{NBSP}5,890억{NBSP}달러" in html["ko"]
    assert f"about{NBSP}$589{NBSP}billion" in html["en"]
    assert '<time datetime="2025-01-27">2025. 1. 27.</time>' in html["ko"]
    assert '<time datetime="2025-01-27">27 January 2025</time>' in html["en"]
