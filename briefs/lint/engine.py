"""Lint: the policy-brief quality rules run on a valid brief, each finding reported positioned.

Runs the rules of :mod:`briefs.lint.rules` (and of :mod:`briefs.lint.facts` and
:mod:`briefs.lint.wording`) that a brief has not switched off, and reports each issue as
``path:line:col: severity[rule-id]: message — hint``, in file order. :func:`lint_catalog`
also compares the briefs of a folder with each other. The README's table of rules comes
from :func:`rule_table`.

A brief switches rules off with ``lint: {disable: [rule-id, …]}``; an unknown id there is an
error (rule ``lint-config``), so a typo cannot silently keep a rule on.
"""

from __future__ import annotations

import datetime as dt
import difflib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from briefs.check.validate import Validated, validate
from briefs.edition.audiences import AudienceProfile
from briefs.errors import BriefError, Diagnostic

# facts, wording and sources register their rules in RULES when imported, after those of
# rules.
from briefs.lint import facts, wording  # noqa: F401
from briefs.lint import sources as source_rules  # noqa: F401
from briefs.lint.rules import RULES, LintContext, Rule, Severity
from briefs.source import Source, load_yaml_file

if TYPE_CHECKING:
    from briefs.pipeline.build import Project

LINT_KEY = "lint"
"""The brief's top-level key that configures lint (``lint: {disable: [rule-id]}``)."""


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
    return sorted(issues, key=_order)


def _order(issue: LintIssue) -> tuple[int, int, str, str]:
    """File order, then rule and message for issues at the same place."""
    d = issue.diagnostic
    return d.line, d.col, issue.rule, d.message


def lint_file(
    path: Path | str, project: Project, *, today: dt.date | None = None
) -> list[LintIssue]:
    """Load, validate and lint the brief at ``path`` against ``project``'s audiences.

    Raises :class:`~briefs.errors.BriefError` when the brief is invalid, as ``validate``
    does, except that missing translations are left to the ``missing-translation`` rule.
    """
    return lint(_load(path, project), project.profiles, today=today)


def _load(path: Path | str, project: Project) -> Validated:
    source = load_yaml_file(Path(path))
    return validate(source, audiences=list(project.profiles), allow_missing_translations=True)


def lint_catalog(
    paths: list[Path], project: Project, *, today: dt.date | None = None
) -> tuple[dict[Path, list[LintIssue]], list[BriefError]]:
    """Lint the briefs of a catalogue one by one, then compare them with each other.

    Besides each brief's own issues, a sentence that repeats one of an earlier brief (in
    the order of ``paths``) is a ``duplicate-text`` issue of the later brief, unless that
    brief switches the rule off. Returns the issues of each valid brief, in ``paths``
    order, and the errors of the invalid ones.
    """
    found: dict[Path, list[LintIssue]] = {}
    sources: dict[str, tuple[Path, Source]] = {}
    failed: list[BriefError] = []
    for path in paths:
        try:
            validated = _load(path, project)
        except BriefError as exc:
            failed.append(exc)
            continue
        found[path] = lint(validated, project.profiles, today=today)
        if DUPLICATE_RULE not in _read_config(validated.source)[0]:
            sources[validated.source.name] = (path, validated.source)
    rule = RULES[DUPLICATE_RULE]
    for diagnostic in wording.catalog_repeats(source for _, source in sources.values()):
        path = sources[diagnostic.path][0]
        found[path].append(LintIssue(rule.id, rule.severity, diagnostic))
    for issues in found.values():
        issues.sort(key=_order)
    return found, failed


DUPLICATE_RULE = "duplicate-text"
"""The rule that also compares the briefs of a catalogue (:func:`lint_catalog`)."""


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
"""Checks the brief's ``lint`` key itself; always on, so it is not in
:data:`briefs.lint.rules.RULES`."""
