"""``briefs lint``: briefs checked against the policy-brief quality rules."""

from __future__ import annotations

from pathlib import Path

import click

from briefs.cli.console import output_options, say
from briefs.cli.options import templates_option
from briefs.errors import BriefError, display_path, one_line


@click.command()
@output_options
@click.argument("briefs", nargs=-1, required=True, type=click.Path(path_type=Path, exists=True))
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@templates_option
def lint(briefs: tuple[Path, ...], strict: bool, templates: Path | None) -> None:
    """Check BRIEFS against policy-brief quality rules (sources, translations, lengths).

    Each problem is one line, path:line:col: severity[rule]: message. Errors exit 1;
    warnings exit 0 unless --strict. A folder stands for its *.yaml briefs, which are also
    compared with each other (sentences repeated across briefs). Switch a rule off for one
    brief with `lint: {disable: [rule-id]}`; the rules are listed in the README.

    \b
    Example:
      briefs lint inputs/*.yaml --strict
      briefs lint inputs
    """
    from briefs.lint.engine import LintIssue, format_issue, lint_catalog, lint_file
    from briefs.pipeline.build import Project
    from briefs.source import briefs_in

    project = Project.for_path(briefs[0] if briefs else Path.cwd(), templates)
    failed: list[BriefError] = []
    results: list[tuple[Path, list[LintIssue]]] = []
    for path in briefs:
        if path.is_dir():
            paths = briefs_in(path)
            if not paths:
                failed.append(BriefError(f"no briefs (*.yaml) in {display_path(path)}"))
            found, errors = lint_catalog(paths, project)
            results.extend(found.items())
            failed.extend(errors)
            continue
        try:
            results.append((path, lint_file(path, project)))
        except BriefError as exc:
            failed.append(exc)
    worst = 0
    for path, issues in results:
        for issue in issues:
            colour = "red" if issue.severity == "error" else "yellow"
            click.secho(format_issue(issue), fg=colour)
            worst = max(worst, 2 if issue.severity == "error" else 1)
        if not issues:
            say(one_line(f"{display_path(path)}: ok"))
    if failed:
        raise BriefError.merge(failed)
    if worst == 2 or (strict and worst == 1):
        raise click.exceptions.Exit(1)
