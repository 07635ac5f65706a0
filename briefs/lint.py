"""Lint: policy-brief quality rules run on a valid brief, each finding positioned.

Validation (:mod:`briefs.validate`) decides whether a brief *can* be built; lint says whether
it is a *good* brief: every finding has evidence, every figure a citation, every
recommendation an owner and a horizon, every image an alt text. Each rule has a kebab-case
id, a severity and a one-line summary (the README's table comes from :func:`rule_table`).

A brief switches rules off with ``lint: {disable: [rule-id, …]}``; an unknown id there is an
error (rule ``lint-config``), so a typo cannot silently keep a rule on.

Rules read the raw YAML data next to the model where they need positions inside strings
(:meth:`briefs.loader.Source.locate`), and only the data otherwise.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from briefs.audiences import BUILTIN_AUDIENCES, AudienceProfile
from briefs.errors import Diagnostic
from briefs.figures import FIGURE, figure_token, mask, sentences
from briefs.loader import FieldPath, Source, format_path, items, load_yaml_file, walk
from briefs.markdown import CITE_PATTERN
from briefs.model import LANGUAGES, Brief
from briefs.validate import CITATION, Validated, _missing_translations, validate

if TYPE_CHECKING:
    from briefs.build import Project

Severity = Literal["error", "warning"]
LINT_KEY = "lint"
"""The brief's top-level key that configures lint (``lint: {disable: [rule-id]}``)."""


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


@dataclass(frozen=True)
class LintIssue:
    """One problem found by one rule."""

    rule: str
    """The rule's id."""
    severity: Severity
    """The rule's severity."""
    diagnostic: Diagnostic
    """Where, what, and how to fix it."""

    def __str__(self) -> str:
        return format_issue(self)


RULES: dict[str, Rule] = {}
"""Every rule that can be switched off, by id, in the order they run."""


def _rule(rule_id: str, severity: Severity, summary: str) -> Callable[[Check], Check]:
    def register(check: Check) -> Check:
        RULES[rule_id] = Rule(rule_id, severity, summary, check)
        return check

    return register


def format_issue(issue: LintIssue) -> str:
    """``path:line:col: severity[rule-id]: message — hint``."""
    d = issue.diagnostic
    where = f"{d.path}:{d.line}:{d.col}" if d.line else d.path
    text = f"{where}: {issue.severity}[{issue.rule}]: {d.message}"
    return f"{text} — {d.hint}" if d.hint else text


def lint(
    validated: Validated,
    profiles: dict[str, AudienceProfile],
    *,
    today: dt.date | None = None,
) -> list[LintIssue]:
    """Every issue the enabled rules find in ``validated``, in file order.

    ``profiles`` gives the audiences' budgets; ``today`` (default: the real today) is the
    date after which a date is in the future.
    """
    ctx = LintContext(validated, profiles, today or dt.date.today())
    disabled, problems = _read_config(validated.source)
    issues = [LintIssue(CONFIG_RULE.id, CONFIG_RULE.severity, d) for d in problems]
    for rule in RULES.values():
        if rule.id not in disabled:
            issues.extend(LintIssue(rule.id, rule.severity, d) for d in rule.check(ctx))
    return sorted(
        issues, key=lambda i: (i.diagnostic.line, i.diagnostic.col, i.rule, i.diagnostic.message)
    )


def lint_file(
    path: Path | str, project: Project, *, today: dt.date | None = None
) -> list[LintIssue]:
    """Load, validate and lint the brief at ``path`` against ``project``'s audiences.

    Raises :class:`~briefs.errors.BriefError` when the brief is invalid, as ``validate``
    does, except that missing translations are left to the ``missing-translation`` rule.
    """
    source = load_yaml_file(Path(path))
    validated = validate(source, audiences=list(project.profiles), allow_missing_translations=True)
    return lint(validated, project.profiles, today=today)


def rule_table() -> str:
    """The rules as a Markdown table, for the README."""
    rows = [*RULES.values(), CONFIG_RULE]
    lines = ["| rule | severity | reports |", "|---|---|---|"]
    lines += [f"| `{r.id}` | {r.severity} | {r.summary} |" for r in rows]
    return "\n".join(lines)


# -- configuration ------------------------------------------------------------------------


def _read_config(source: Source) -> tuple[set[str], list[Diagnostic]]:
    """The ids of disabled rules, and the problems with the ``lint`` key."""
    raw = source.data.get(LINT_KEY) if isinstance(source.data, dict) else None
    problems: list[Diagnostic] = []
    disabled: set[str] = set()
    if raw is None:
        return disabled, []
    if not isinstance(raw, dict):
        problems.append(
            source.diagnostic((LINT_KEY,), "expected a mapping", "write lint: {disable: [rule-id]}")
        )
        raw = {}
    for key in raw:
        if key != "disable":
            problems.append(
                source.diagnostic(
                    (LINT_KEY, key), "unknown field", "known fields: disable", at_key=True
                )
            )
    ids = raw.get("disable", [])
    if not isinstance(ids, list):
        problems.append(source.diagnostic((LINT_KEY, "disable"), "expected a list of rule ids"))
        ids = []
    known = list(RULES)
    for i, rule_id in enumerate(ids):
        if isinstance(rule_id, str) and rule_id in RULES:
            disabled.add(rule_id)
            continue
        close = difflib.get_close_matches(str(rule_id), known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else "see the rules in the README"
        problems.append(
            source.diagnostic((LINT_KEY, "disable", i), f"unknown lint rule '{rule_id}'", hint)
        )
    return disabled, problems


CONFIG_RULE = Rule(
    "lint-config",
    "error",
    "The `lint` key is malformed or names an unknown rule (this rule cannot be switched off).",
    lambda ctx: _read_config(ctx.source)[1],
)
"""Checks the brief's ``lint`` key itself; always on, so it is not in :data:`RULES`."""


# -- raw-data helpers ---------------------------------------------------------------------

_TARGETED = ("key_figures", "findings", "implications", "recommendations", "glossary")
_CITE = re.compile(f"{CITE_PATTERN}|{CITATION.pattern}")


def _texts(path: FieldPath, value: Any) -> Iterator[tuple[FieldPath, str]]:
    """The strings of a text field: itself when plain, else each language's."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for lang in LANGUAGES:
            if isinstance(value.get(lang), str):
                yield (*path, lang), value[lang]


def _markdown_fields(data: dict[str, Any]) -> Iterator[tuple[FieldPath, str, bool]]:
    """Every Markdown string (path, text, backed): ``backed`` when the item lists sources."""
    for path, text in _texts(("summary",), data.get("summary")):
        yield path, text, False
    own = data.get("audience_summary")
    for audience, value in own.items() if isinstance(own, dict) else ():
        for path, text in _texts(("audience_summary", audience), value):
            yield path, text, False
    for path, text in _texts(("context",), data.get("context")):
        yield path, text, False
    for section in ("findings", "implications", "recommendations"):
        for i, item in items(data, section):
            for path, text in _texts((section, i, "body"), item.get("body")):
                yield path, text, False
            for j, evidence in items(item, "evidence"):
                backed = bool(evidence.get("sources"))
                for path, text in _texts((section, i, "evidence", j, "text"), evidence.get("text")):
                    yield path, text, backed
    for section in _TARGETED:
        for i, item in items(data, section):
            notes = item.get("notes")
            for audience, value in notes.items() if isinstance(notes, dict) else ():
                for path, text in _texts((section, i, "notes", audience), value):
                    yield path, text, False


def _cited_ids(data: dict[str, Any]) -> set[str]:
    """Source ids cited anywhere: in ``sources`` lists and inline ``[@id]``."""
    cited: set[str] = set()
    for path, value in walk(data):
        if not path or path[0] == "sources":
            continue
        if path[-1] == "sources" and isinstance(value, list):
            cited.update(v for v in value if isinstance(v, str))
        elif isinstance(value, str):
            for match in _CITE.finditer(value):
                if match[1] is not None:
                    cited.add(match[1])
                    cited.update(re.findall(r"@([\w-]+)", match[2] or ""))
                else:
                    cited.add(match[3])
    return cited


def _at(source: Source, path: FieldPath, offset: int, message: str, hint: str) -> Diagnostic:
    """A diagnostic at character ``offset`` of the string at ``path``."""
    pos = source.locate(path, offset)
    return Diagnostic(source.name, pos.line, pos.col, f"{format_path(path)}: {message}", hint)


# -- rules: findings, evidence, sources ---------------------------------------------------


@_rule("finding-without-evidence", "warning", "A finding lists no evidence.")
def _finding_without_evidence(ctx: LintContext) -> Iterator[Diagnostic]:
    for i, finding in enumerate(ctx.brief.findings):
        if not finding.evidence:
            yield ctx.source.diagnostic(
                ("findings", i),
                f"finding '{finding.id}' has no evidence",
                "add evidence: [{text: …, sources: [source-id]}]",
            )


@_rule(
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


@_rule("source-never-cited", "warning", "A source is listed but never cited.")
def _source_never_cited(ctx: LintContext) -> Iterator[Diagnostic]:
    cited = _cited_ids(ctx.data)
    for i, source in enumerate(ctx.brief.sources):
        if source.id not in cited:
            yield ctx.source.diagnostic(
                ("sources", i, "id"),
                f"source '{source.id}' is never cited",
                "cite it with [@id] or in an item's sources, or remove it",
            )


@_rule("source-without-date", "warning", "A source has no `date`.")
def _source_without_date(ctx: LintContext) -> Iterator[Diagnostic]:
    for i, source in enumerate(ctx.brief.sources):
        if source.date is None:
            yield ctx.source.diagnostic(
                ("sources", i),
                f"source '{source.id}' has no date",
                "add date: 2025-01-27 (or 2025-01, or 2025 when the day is unknown)",
            )


@_rule("source-without-url", "warning", "A source has no `url`.")
def _source_without_url(ctx: LintContext) -> Iterator[Diagnostic]:
    for i, source in enumerate(ctx.brief.sources):
        if source.url is None:
            yield ctx.source.diagnostic(
                ("sources", i),
                f"source '{source.id}' has no URL",
                "add url: https://… (and accessed: the date you checked it)",
            )


@_rule(
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
        if source.date is not None and _earliest(source.date) > today:
            yield ctx.source.diagnostic(
                ("sources", i, "date"), f"date {source.date} is in the future", f"today is {today}"
            )
        if source.accessed is not None and source.accessed > today:
            yield ctx.source.diagnostic(
                ("sources", i, "accessed"),
                f"accessed date {source.accessed} is in the future",
                f"today is {today}",
            )


def _earliest(value: dt.date | str) -> dt.date:
    """The first day a partial date (``2025`` or ``2025-01``) can mean."""
    if isinstance(value, dt.date):
        return value
    year, _, month = value.partition("-")
    return dt.date(int(year), int(month or 1), 1)


# -- rules: recommendations, summaries, translations --------------------------------------


@_rule("recommendation-without-owner", "warning", "A recommendation has no `owner`.")
def _recommendation_without_owner(ctx: LintContext) -> Iterator[Diagnostic]:
    for i, rec in enumerate(ctx.brief.recommendations):
        if rec.owner is None:
            yield ctx.source.diagnostic(
                ("recommendations", i),
                f"recommendation '{rec.id}' has no owner",
                "add owner: the ministry, agency or company that should act",
            )


@_rule("recommendation-without-horizon", "warning", "A recommendation has no `horizon`.")
def _recommendation_without_horizon(ctx: LintContext) -> Iterator[Diagnostic]:
    for i, rec in enumerate(ctx.brief.recommendations):
        if rec.horizon is None:
            yield ctx.source.diagnostic(
                ("recommendations", i),
                f"recommendation '{rec.id}' has no horizon",
                "add horizon: immediate, short, medium or long",
            )


@_rule(
    "summary-over-budget",
    "warning",
    "An edition's summary is longer than its audience's `budget.summary_chars`.",
)
def _summary_over_budget(ctx: LintContext) -> Iterator[Diagnostic]:
    # The same measure and message as briefs.plan.summary_budget, without building editions.
    brief = ctx.brief
    audiences = brief.audiences or [a for a in BUILTIN_AUDIENCES if a in ctx.profiles]
    for audience in audiences:
        profile = ctx.profiles.get(audience)
        if profile is None:
            continue
        own = audience in brief.audience_summary
        summary = brief.audience_summary.get(audience, brief.summary)
        path: FieldPath = ("audience_summary", audience) if own else ("summary",)
        for lang in brief.languages:
            limit = profile.budget.summary_chars.get(lang)
            text = summary.get(lang, brief.first_language) or summary.any()
            if limit is not None and len(text) > limit:
                yield ctx.source.diagnostic(
                    path,
                    f"{lang} summary is {len(text)} characters; the {audience} edition "
                    f"allows {limit}",
                    "shorten it, or give this audience its own under audience_summary",
                )


@_rule(
    "missing-translation",
    "warning",
    "A text lacks one of the brief's `languages` (an error for `build` without "
    "`--allow-missing-translations`).",
)
def _missing_translation(ctx: LintContext) -> Iterator[Diagnostic]:
    return _missing_translations(ctx.source, ctx.brief)


# -- rules: Markdown text -----------------------------------------------------------------

_IMAGE_NO_ALT = re.compile(r"!\[\s*\]\s*[(\[]")
_IMAGE_KEYS = ("chart", "image")


@_rule(
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
                yield _at(
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


@_rule(
    "number-without-citation",
    "warning",
    "A figure (%, money, 억/조/만, a large number) in Markdown text with no `[@id]` in its "
    "sentence or list item, nor stated with one elsewhere in the brief.",
)
def _number_without_citation(ctx: LintContext) -> Iterator[Diagnostic]:
    # A figure restated without a citation (a summary repeating the body) counts as cited
    # when the same figure is cited elsewhere; summaries conventionally carry no citations.
    cited: set[str] = set()
    for i, figure in items(ctx.data, "key_figures"):
        if figure.get("sources"):
            for _, text in _texts(("key_figures", i, "value"), figure.get("value")):
                cited.update(figure_token(m[0]) for m in FIGURE.finditer(text))
    loose: list[tuple[FieldPath, list[re.Match[str]]]] = []
    for path, text, backed in _markdown_fields(ctx.data):
        masked = mask(text)
        for start, end in sentences(masked):
            figures = list(FIGURE.finditer(masked, start, end))
            if not figures:
                continue
            if backed or _CITE.search(text, start, end):
                cited.update(figure_token(m[0]) for m in figures)
            else:
                loose.append((path, figures))
    for path, figures in loose:
        uncited = [m for m in figures if figure_token(m[0]) not in cited]
        if uncited:
            more = f" (and {len(uncited) - 1} more)" if len(uncited) > 1 else ""
            yield _at(
                ctx.source,
                path,
                uncited[0].start(),
                f"figure '{uncited[0][0]}'{more} has no citation in its sentence",
                "cite the source with [@source-id] in the same sentence or list item",
            )
