"""``briefs lint``: briefs checked against the policy-brief quality rules."""

from __future__ import annotations

from pathlib import Path

import click

from briefs.cli.console import output_options, say
from briefs.cli.options import templates_option
from briefs.errors import BriefError, display_path


@click.command()
@output_options
@click.argument("briefs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@templates_option
def lint(briefs: tuple[Path, ...], strict: bool, templates: Path | None) -> None:
    """Check BRIEFS against policy-brief quality rules (sources, translations, lengths).

    Each problem is one line, path:line:col: severity[rule]: message. Errors exit 1;
    warnings exit 0 unless --strict. Switch a rule off for one brief with
    `lint: {disable: [rule-id]}`; the rules are listed in the README.

    \b
    Example:
      briefs lint inputs/*.yaml --strict
    """
    from briefs.lint.engine import format_issue, lint_file
    from briefs.pipeline.build import Project

    project = Project(templates)
    failed: list[BriefError] = []
    worst = 0
    for path in briefs:
        try:
            issues = lint_file(path, project)
        except BriefError as exc:
            failed.append(exc)
            continue
        for issue in issues:
            colour = "red" if issue.severity == "error" else "yellow"
            click.secho(format_issue(issue), fg=colour)
            worst = max(worst, 2 if issue.severity == "error" else 1)
        if not issues:
            say(f"{display_path(path)}: ok")
    if failed:
        raise BriefError.merge(failed)
    if worst == 2 or (strict and worst == 1):
        raise click.exceptions.Exit(1)
