"""The lint rules: what a rule sees, how one is declared, and every policy-brief rule.

Validation (:mod:`briefs.check.validate`) decides whether a brief *can* be built; these rules say
whether it is a *good* brief: every finding has evidence, every figure a citation, every
recommendation an owner and a horizon, every image an alt text. Each rule has a kebab-case
id, a severity and a one-line summary, and is registered in :data:`RULES` in the order it
runs; :mod:`briefs.lint.engine` runs them and reports what they find.

Rules read the raw YAML data next to the model where they need positions inside strings
(:meth:`briefs.source.Source.locate`), and only the data otherwise. The rules that check a
brief against its own date and its two languages are in :mod:`briefs.lint.facts`, those on
its wording in :mod:`briefs.lint.wording`; both use the helpers here.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, Literal

from briefs.check.validate import Validated, missing_translations
from briefs.edition.audiences import BUILTIN_AUDIENCES, AudienceProfile
from briefs.edition.plan import summary_over_budget
from briefs.errors import Diagnostic
from briefs.schema.base import LANGUAGES
from briefs.schema.brief import Brief
from briefs.schema.fields import markdown_values
from briefs.source import FieldPath, Source, format_path, items, walk
from briefs.text import citations
from briefs.text.figures import FIGURE, SOURCE_LINE, Unit, figure_token, mask, units

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class LintContext:
    """What every rule sees: the valid brief, its file, the audience profiles and today."""

    validated: Validated
    profiles: dict[str, AudienceProfile]
    today: dt.date

    @property
    def brief(self) -> Brief:
        """The typed brief."""
        return self.validated.brief

    @property
    def source(self) -> Source:
        """The loaded file, for positions."""
        return self.validated.source

    @property
    def data(self) -> dict[str, Any]:
        """The raw YAML mapping (a valid brief always is one)."""
        data: dict[str, Any] = self.validated.source.data
        return data


Check = Callable[[LintContext], Iterable[Diagnostic]]


@dataclass(frozen=True)
class Rule:
    """One lint rule."""

    id: str
    """Kebab-case id, used in output and in ``lint.disable``."""
    severity: Severity
    """``error`` fails ``briefs lint``; ``warning`` fails it only under ``--strict``."""
    summary: str
    """What the rule reports, in one line (for the README and ``--help``)."""
    check: Check
    """Yields one diagnostic per problem found."""


RULES: dict[str, Rule] = {}
"""Every rule that can be switched off, by id, in the order they run."""


def rule(rule_id: str, severity: Severity, summary: str) -> Callable[[Check], Check]:
    """Register the decorated check in :data:`RULES` as rule ``rule_id``."""

    def register(check: Check) -> Check:
        RULES[rule_id] = Rule(rule_id, severity, summary, check)
        return check

    return register


# -- raw-data helpers ---------------------------------------------------------------------

_CITE = citations.CANDIDATE


def texts(path: FieldPath, value: Any) -> Iterator[tuple[FieldPath, str]]:
    """The strings of a text field: itself when plain, else each language's."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for lang in LANGUAGES:
            if isinstance(value.get(lang), str):
                yield (*path, lang), value[lang]


def markdown_fields(data: dict[str, Any]) -> Iterator[tuple[FieldPath, str, bool]]:
    """Every Markdown string (path, text, backed): ``backed`` when the item lists sources.

    The fields come from the models (:func:`briefs.schema.fields.markdown_values`).
    """
    for field_path, value in markdown_values(data):
        backed = False
        if len(field_path) >= 3 and field_path[-3] == "evidence" and field_path[-1] == "text":
            evidence = _value_at(data, field_path[:-1])
            backed = isinstance(evidence, dict) and bool(evidence.get("sources"))
        for path, text in texts(field_path, value):
            yield path, text, backed


def _value_at(data: Any, path: FieldPath) -> Any:
    for key in path:
        data = data[key]
    return data


def cited_ids(data: dict[str, Any]) -> set[str]:
    """Source ids cited anywhere: in ``sources`` lists and inline ``[@id]``."""
    cited: set[str] = set()
    for path, value in walk(data):
        if not path or path[0] == "sources":
            continue
        if path[-1] == "sources" and isinstance(value, list):
            cited.update(v for v in value if isinstance(v, str))
        elif isinstance(value, str):
            cited.update(citations.cited(value))
    return cited


def at(source: Source, path: FieldPath, offset: int, message: str, hint: str) -> Diagnostic:
    """A diagnostic at character ``offset`` of the string at ``path``."""
    pos = source.locate(path, offset)
    return Diagnostic(source.name, pos.line, pos.col, f"{format_path(path)}: {message}", hint)


# -- rules: findings, evidence, sources ---------------------------------------------------


@rule("finding-without-evidence", "warning", "A finding lists no evidence.")
def _finding_without_evidence(ctx: LintContext) -> Iterator[Diagnostic]:
    for i, finding in enumerate(ctx.brief.findings):
        if not finding.evidence:
            yield ctx.source.diagnostic(
                ("findings", i),
                f"finding '{finding.id}' has no evidence",
                "add evidence: [{text: …, sources: [source-id]}]",
            )


@rule(
    "evidence-without-source",
    "error",
    "An evidence item has no `sources` and no inline `[@id]` citation.",
)
def _evidence_without_source(ctx: LintContext) -> Iterator[Diagnostic]:
    for i, finding in enumerate(ctx.brief.findings):
        for j, evidence in enumerate(finding.evidence):
            texts = (evidence.text.plain, evidence.text.ko, evidence.text.en)
            if not evidence.sources and not any(t and _CITE.search(t) for t in texts):
                yield ctx.source.diagnostic(
                    ("findings", i, "evidence", j),
                    "evidence cites no source",
                    "add sources: [source-id], or cite [@source-id] in its text",
                )


@rule("source-never-cited", "warning", "A source is listed but never cited.")
def _source_never_cited(ctx: LintContext) -> Iterator[Diagnostic]:
    cited = cited_ids(ctx.data)
    for i, source in enumerate(ctx.brief.sources):
        # An imported entry unused is `bibliography-entry-unused`: a shared bibliography
        # holds more than one brief cites.
        if source.id not in cited and source.id not in ctx.validated.imported:
            yield ctx.validated.source_diagnostic(
                i,
                "id",
                f"source '{source.id}' is never cited",
                "cite it with [@id] or in an item's sources, or remove it",
            )


_MISSING = (  # rule, the brief's list, the field, its name in the message, the hint
    (
        "source-without-date",
        "sources",
        "date",
        "date",
        "add date: 2025-01-27 (or 2025-01, or 2025 when the day is unknown)",
    ),
    (
        "source-without-url",
        "sources",
        "url",
        "URL",
        "add url: https://… (and accessed: the date you checked it)",
    ),
    (
        "recommendation-without-owner",
        "recommendations",
        "owner",
        "owner",
        "add owner: the ministry, agency or company that should act",
    ),
    (
        "recommendation-without-horizon",
        "recommendations",
        "horizon",
        "horizon",
        "add horizon: immediate, short, medium or long",
    ),
)


def _missing(items: str, field: str, name: str, hint: str) -> Check:
    """A check that warns about each item of ``brief.<items>`` with no ``field``."""
    noun = items.removesuffix("s")

    def check(ctx: LintContext) -> Iterator[Diagnostic]:
        for i, item in enumerate(getattr(ctx.brief, items)):
            if getattr(item, field) is None:
                message = f"{noun} '{item.id}' has no {name}"
                if items == "sources":
                    yield ctx.validated.source_diagnostic(i, None, message, hint)
                else:
                    yield ctx.source.diagnostic((items, i), message, hint)

    return check


for _id, _items, _field, _name, _hint in _MISSING:
    rule(_id, "warning", f"A {_items.removesuffix('s')} has no `{_field}`.")(
        _missing(_items, _field, _name, _hint)
    )


@rule(
    "date-in-the-future",
    "warning",
    "The brief's `date`, or a source's `date` or `accessed`, is after today.",
)
def _date_in_the_future(ctx: LintContext) -> Iterator[Diagnostic]:
    today = ctx.today
    if ctx.brief.date > today:
        yield ctx.source.diagnostic(
            ("date",), f"date {ctx.brief.date} is in the future", f"today is {today}"
        )
    for i, source in enumerate(ctx.brief.sources):
        if source.date is not None and earliest(source.date) > today:
            yield ctx.validated.source_diagnostic(
                i, "date", f"date {source.date} is in the future", f"today is {today}"
            )
        if source.accessed is not None and source.accessed > today:
            yield ctx.validated.source_diagnostic(
                i,
                "accessed",
                f"accessed date {source.accessed} is in the future",
                f"today is {today}",
            )


def earliest(value: dt.date | str) -> dt.date:
    """The first day a partial date (``2025`` or ``2025-01``) can mean."""
    if isinstance(value, dt.date):
        return value
    year, _, month = value.partition("-")
    return dt.date(int(year), int(month or 1), 1)


# -- rules: recommendations, summaries, translations --------------------------------------


@rule(
    "summary-over-budget",
    "warning",
    "An edition's summary is longer than its audience's `budget.summary_chars`.",
)
def _summary_over_budget(ctx: LintContext) -> Iterator[Diagnostic]:
    brief = ctx.brief
    audiences = brief.audiences or [a for a in BUILTIN_AUDIENCES if a in ctx.profiles]
    for audience in audiences:
        profile = ctx.profiles.get(audience)
        if profile is None:
            continue
        summary = brief.audience_summary.get(audience, brief.summary)
        for lang in brief.languages:
            text = summary.get(lang, brief.first_language) or summary.any()
            if found := summary_over_budget(ctx.source, brief, profile, lang, text):
                yield found


@rule(
    "missing-translation",
    "warning",
    "A text lacks one of the brief's `languages` (an error for `build` without "
    "`--allow-missing-translations`).",
)
def _missing_translation(ctx: LintContext) -> Iterator[Diagnostic]:
    return missing_translations(ctx.source, ctx.brief)


# -- rules: Markdown text -----------------------------------------------------------------

_IMAGE_NO_ALT = re.compile(r"!\[\s*\]\s*[(\[]")
_IMAGE_KEYS = ("chart", "image")


@rule(
    "missing-alt-text",
    "error",
    "A Markdown image `![](…)`, or a `chart`/`image` entry, has no alt text.",
)
def _missing_alt_text(ctx: LintContext) -> Iterator[Diagnostic]:
    for path, value in walk(ctx.data):
        if path and path[0] == "sources":
            continue
        if isinstance(value, str):
            for match in _IMAGE_NO_ALT.finditer(value):
                yield at(
                    ctx.source,
                    path,
                    match.start(),
                    "image has no alt text",
                    "describe it for screen readers: ![what the image shows](…)",
                )
        elif isinstance(value, dict):
            for key in _IMAGE_KEYS:
                entries = value.get(key)
                listed = entries if isinstance(entries, list) else [entries]
                for n, entry in enumerate(listed):
                    if isinstance(entry, dict) and not _has_text(entry.get("alt")):
                        where = (*path, key, n) if isinstance(entries, list) else (*path, key)
                        yield ctx.source.diagnostic(
                            where,
                            f"{key} has no alt text",
                            "add alt: what it shows, for screen readers",
                            at_key=not isinstance(entries, list),
                        )


def _has_text(value: Any) -> bool:
    if isinstance(value, str):
        return bool(value.strip())
    return isinstance(value, dict) and any(_has_text(v) for v in value.values())


def _cited_table(text: str, spans: list[Unit], n: int) -> bool:
    """Whether unit ``n`` is a table cited in the sentence just before it or in a source
    line (``자료: …[@id]``) just under it."""
    if spans[n].kind != "table":
        return False
    before = spans[n - 1] if n > 0 else None
    after = spans[n + 1] if n + 1 < len(spans) else None
    if (
        before is not None
        and before.kind == "sentence"
        and _CITE.search(text, before.start, before.end)
    ):
        return True
    return (
        after is not None
        and SOURCE_LINE.match(text, after.start) is not None
        and _CITE.search(text, after.start, after.end) is not None
    )


@rule(
    "number-without-citation",
    "warning",
    "A figure (%, money, 억/조/만, a large number) in Markdown text with no `[@id]` in its "
    "sentence or list item, nor stated with one elsewhere in the brief. A table is covered "
    "by a citation in the sentence before it or in a `자료:`/`Source:` line under it.",
)
def _number_without_citation(ctx: LintContext) -> Iterator[Diagnostic]:
    # A figure restated without a citation (a summary repeating the body) counts as cited
    # when the same figure is cited elsewhere; summaries conventionally carry no citations.
    cited: set[str] = set()
    for i, figure in items(ctx.data, "key_figures"):
        if figure.get("sources"):
            for _, text in texts(("key_figures", i, "value"), figure.get("value")):
                cited.update(figure_token(m[0]) for m in FIGURE.finditer(text))
    loose: list[tuple[FieldPath, list[re.Match[str]]]] = []
    for path, text, backed in markdown_fields(ctx.data):
        masked = mask(text)
        spans = list(units(masked))
        for n, (start, end, _) in enumerate(spans):
            figures = list(FIGURE.finditer(masked, start, end))
            if not figures:
                continue
            if backed or _CITE.search(text, start, end) or _cited_table(text, spans, n):
                cited.update(figure_token(m[0]) for m in figures)
            else:
                loose.append((path, figures))
    for path, figures in loose:
        uncited = [m for m in figures if figure_token(m[0]) not in cited]
        if uncited:
            more = f" (and {len(uncited) - 1} more)" if len(uncited) > 1 else ""
            yield at(
                ctx.source,
                path,
                uncited[0].start(),
                f"figure '{uncited[0][0]}'{more} has no citation in its sentence",
                "cite the source with [@source-id] in the same sentence or list item",
            )
