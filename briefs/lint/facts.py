"""Lint rules a fact-checker applies: the brief against its own date, and ko against en.

A brief states what was known on its ``date``: a source read later, a source or an event
dated later, cannot be in it (``accessed-after-date``, ``source-after-date``,
``evidence-after-date``). Its Korean and English texts must state the same figures
(``number-mismatch-ko-en``, comparing values: 5,890억 달러 = $589 billion), and money
converted between currencies needs the rate it was converted at (``unstated-rate``).
Registered in :data:`briefs.lint.rules.RULES` after the rules there.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from typing import Any

from briefs.errors import Diagnostic
from briefs.lint.rules import LintContext, at, earliest, rule, texts
from briefs.source import FieldPath, items, walk
from briefs.text.dates import dates_in
from briefs.text.figures import FigureValue, figure_values, mask, sentences, written_plainly

# -- the brief's own date -----------------------------------------------------------------


@rule(
    "accessed-after-date",
    "warning",
    "A source's `accessed` date is after the brief's `date`.",
)
def _accessed_after_date(ctx: LintContext) -> Iterator[Diagnostic]:
    date = ctx.brief.date
    for i, source in enumerate(ctx.brief.sources):
        if source.accessed is not None and source.accessed > date:
            yield ctx.validated.source_diagnostic(
                i,
                "accessed",
                f"source '{source.id}' was accessed on {source.accessed}, after the brief's "
                f"date {date}",
                "give the day the link was last checked before publication, or move the "
                "brief's date",
            )


@rule(
    "source-after-date",
    "warning",
    "A source's `date` is after the brief's `date`.",
)
def _source_after_date(ctx: LintContext) -> Iterator[Diagnostic]:
    date = ctx.brief.date
    for i, source in enumerate(ctx.brief.sources):
        if source.date is not None and earliest(source.date) > date:
            yield ctx.validated.source_diagnostic(
                i,
                "date",
                f"source '{source.id}' is dated {source.date}, after the brief's date {date}",
                "a brief can only cite what was published by its date: move the date, or "
                "cite an earlier source",
            )


@rule(
    "evidence-after-date",
    "warning",
    "An evidence item's text gives a date (day or month) after the brief's `date`.",
)
def _evidence_after_date(ctx: LintContext) -> Iterator[Diagnostic]:
    date = ctx.brief.date
    for i, finding in items(ctx.data, "findings"):
        for j, evidence in items(finding, "evidence"):
            for path, text in texts(("findings", i, "evidence", j, "text"), evidence.get("text")):
                later = [d for d in dates_in(mask(text)) if d.first > date]
                if later:
                    yield at(
                        ctx.source,
                        path,
                        later[0].start,
                        f"evidence dated '{text[later[0].start : later[0].end]}', after the "
                        f"brief's date {date}",
                        "evidence is what was known by the brief's date: move the date, or "
                        "leave the later event out",
                    )


# -- Korean against English ---------------------------------------------------------------


def _pairs(data: dict[str, Any]) -> Iterator[tuple[FieldPath, str, str]]:
    """Every text given in both languages (sources excepted): path, ko, en."""
    for path, value in walk(data):
        if path[:1] == ("sources",) or not isinstance(value, dict):
            continue
        ko, en = value.get("ko"), value.get("en")
        if isinstance(ko, str) and isinstance(en, str):
            yield path, ko, en


def _unmatched(
    values: list[FigureValue], others: list[FigureValue], other_text: str
) -> list[FigureValue]:
    return [
        v
        for v in values
        if not any(v.same(o) for o in others) and not written_plainly(v, other_text)
    ]


@rule(
    "number-mismatch-ko-en",
    "warning",
    "The Korean and English texts of one field state different figures (compared as values: "
    "5,890억 달러 = $589 billion = US$589bn).",
)
def _number_mismatch(ctx: LintContext) -> Iterator[Diagnostic]:
    for path, ko, en in _pairs(ctx.data):
        ko_values, en_values = figure_values(ko), figure_values(en)
        for lang, mine, theirs, other, other_text in (
            ("ko", ko_values, en_values, "en", en),
            ("en", en_values, ko_values, "ko", ko),
        ):
            missing = _unmatched(mine, theirs, other_text)
            if missing:
                more = f" (and {len(missing) - 1} more)" if len(missing) > 1 else ""
                yield at(
                    ctx.source,
                    (*path, lang),
                    missing[0].start,
                    f"figure '{missing[0].text}'{more} is not in the {other} text",
                    "state the same figures in both languages (5,890억 달러 = $589 billion)",
                )
                break  # one report per field: fixing one side usually fixes both


# -- money converted between currencies ---------------------------------------------------

# Between a figure and its conversion: "5,890억 달러(약 847조 원)", "$589 billion (about KRW
# 847 trillion)", "KRW 30 million ($21,000)", "$1 = ".
_CONVERSION_GAP = re.compile(
    r"\s*[(\[（]?\s*(?:(?:약|about|approximately|approx\.|roughly|around|some|~|≈|=)\s*)?",
    re.IGNORECASE,
)
_RATE = re.compile(
    r"환율|exchange\srate|(?<![\d.,])1\s?(?:달러|USD|US\$|\$|유로|EUR|엔|JPY|위안|CNY)\s?[=≈]"
    r"|(?:US\$|\$|€|¥)1\s?[=≈]|원/달러|KRW/USD|USD/KRW|per\s(?:US\s)?(?:dollar|euro|yen|yuan)",
    re.IGNORECASE,
)


@rule(
    "unstated-rate",
    "warning",
    "Money converted into another currency (5,890억 달러(약 847조 원)) with no exchange rate "
    "and its date in the same sentence.",
)
def _unstated_rate(ctx: LintContext) -> Iterator[Diagnostic]:
    for path, text in _all_texts(ctx.data):
        masked = mask(text)
        if not _has_two_currencies(masked):
            continue
        values = [v for v in figure_values(text) if v.money]
        for start, end in sentences(masked):
            inside = [v for v in values if start <= v.start < end]
            converted = _conversions(masked, inside)
            if not converted:
                continue
            span = masked[start:end]
            if _RATE.search(span) and any(True for _ in dates_in(span)):
                continue
            yield at(
                ctx.source,
                path,
                converted[0].start,
                f"'{converted[0].text}' is converted from another currency with no "
                "exchange rate and date in its sentence",
                "state the rate and its date (1달러=1,438원, 2025. 1. 24. 기준 / at KRW 1,438 "
                "per dollar on 24 January 2025), or give the original currency only",
            )
            break  # one report per text


_MONEY_HINT = re.compile(r"[$₩€¥]|달러|원|유로|엔|위안|KRW|USD|EUR|JPY|CNY|RMB")


def _has_two_currencies(masked: str) -> bool:
    # A cheap filter before the figures are parsed: most texts name one currency or none.
    return len({m[0] for m in _MONEY_HINT.finditer(masked)}) > 1


def _conversions(masked: str, values: list[FigureValue]) -> list[FigureValue]:
    """The figures that restate the money figure just before them in another currency."""
    return [
        after
        for before, after in itertools.pairwise(values)
        if before.kind != after.kind and _CONVERSION_GAP.fullmatch(masked, before.end, after.start)
    ]


def _all_texts(data: dict[str, Any]) -> Iterator[tuple[FieldPath, str]]:
    """Every string of the brief outside its sources."""
    for path, value in walk(data):
        if isinstance(value, str) and path[:1] != ("sources",):
            yield path, value
