"""``briefs build`` and ``briefs validate``: one brief into its editions, or only checked."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from briefs.cli.console import current, output_options, say, warn
from briefs.cli.options import jobs_option, out_option, templates_option
from briefs.errors import BriefError, display_path, one_line


@click.command()
@output_options
@click.argument("brief", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--audience",
    "-a",
    "audiences",
    multiple=True,
    metavar="NAME",
    help="Audience edition to build (repeatable). Default: those the brief declares.",
)
@click.option(
    "--lang",
    "-l",
    "languages",
    multiple=True,
    type=click.Choice(["ko", "en"]),
    help="Language to build (repeatable). Default: every language of the brief.",
)
@click.option(
    "--format",
    "-f",
    "formats",
    multiple=True,
    type=click.Choice(["html", "pdf", "docx", "hwpx"]),
    help="Output format (repeatable): html, pdf, docx (Word), hwpx (한글). Default: html and pdf.",
)
@out_option("Output folder.")
@templates_option
@click.option(
    "--allow-missing-translations",
    is_flag=True,
    help="Build even when a text lacks a translation; the fallback is marked.",
)
@jobs_option
@click.option(
    "--plan",
    "show_plan",
    is_flag=True,
    help="Print the sections and items of each edition instead of building.",
)
@click.option(
    "--strict",
    is_flag=True,
    help="Treat warnings (budgets, fallbacks, layout findings) as errors.",
)
def build(
    brief: Path,
    audiences: tuple[str, ...],
    languages: tuple[str, ...],
    formats: tuple[str, ...],
    out: Path,
    templates: Path | None,
    allow_missing_translations: bool,
    jobs: int | None,
    show_plan: bool,
    strict: bool,
) -> None:
    """Build the editions of BRIEF as HTML and PDF.

    Files go to OUT/<id>/<audience>.<lang>.<html|pdf|docx|hwpx>.

    \b
    Example:
      briefs build inputs/deepseek-2025.yaml --audience government --lang ko
    """
    if show_plan:
        _print_plan(brief, audiences, languages, templates)
        return
    from briefs.fs import check_out

    check_out(out)  # a read-only or misplaced --out fails now, not after the work
    pool = None
    if not formats or "pdf" in formats:
        # Start a PDF worker before loading anything heavy: WeasyPrint's start-up then
        # overlaps with validating and rendering the brief.
        from briefs.pdf.pool import PdfPool

        pool = PdfPool(jobs)
    from briefs.pipeline.build import BuildOptions, build_brief

    options = BuildOptions(
        out=out,
        languages=languages,
        audiences=audiences,
        formats=tuple(formats) or ("html", "pdf"),  # type: ignore[arg-type]
        templates=templates,
        allow_missing_translations=allow_missing_translations,
    )
    try:
        result = build_brief(brief, options, pool=pool)
    finally:
        if pool is not None:
            pool.close(cancel=True)
    for output in result.outputs:
        pages = ""
        if output.pages:
            pages = f", {output.pages} page{'s' if output.pages > 1 else ''}"
        say(f"wrote {display_path(output.path)} ({output.size:,} bytes{pages})")
    pdfs = [output.layouts for output in result.outputs if output.layouts]
    if pdfs and current().verbose:
        again = sum(1 for n in pdfs if n > 1)
        say(f"PDF layouts: {sum(pdfs)} for {len(pdfs)} PDFs ({again} laid out more than once)")
    if strict and result.warnings:
        raise BriefError(result.warnings)
    warn(result.warnings)


def _print_plan(
    brief: Path, audiences: Sequence[str], languages: Sequence[str], templates: Path | None
) -> None:
    from briefs.edition.plan import describe
    from briefs.pipeline.build import BuildOptions, Project, plan

    project = Project.for_path(brief, templates)
    validated = project.load(brief)
    options = BuildOptions(languages=languages, audiences=audiences)
    for audience, lang in plan(validated, options, project.profiles):
        edition = project.edition(validated, audience, lang, "html")
        name = edition.profile.text(edition.profile.edition, lang)
        click.secho(f"{audience}.{lang} — {name}", bold=True)
        for section in describe(edition):
            items = f": {', '.join(section.items)}" if section.items else ""
            click.echo(f"  {section.title}{items}")


@click.command()
@output_options
@click.argument("briefs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@templates_option
def validate(briefs: tuple[Path, ...], templates: Path | None) -> None:
    """Check BRIEFS and report every problem, one per line, as path:line:col: message.

    \b
    Example:
      briefs validate inputs/*.yaml
    """
    from briefs.check.project import find_project_file
    from briefs.pipeline.build import Project

    projects: dict[Path | None, Project] = {}  # one per project file
    errors: list[BriefError] = []
    for path in briefs:
        try:
            found = find_project_file(path)
            if found not in projects:
                projects[found] = Project.for_path(path, templates)
            validated = projects[found].load(path)
        except BriefError as exc:
            errors.append(exc)
            continue
        warn(validated.warnings)
        say(one_line(f"{display_path(path)}: ok"))
    if errors:
        raise BriefError.merge(errors)
