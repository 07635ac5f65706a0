"""The ``briefs`` command: parses options, calls the library, prints, picks the exit code.

Exit codes: 0 success, 1 invalid input or failed build, 2 usage error. A :class:`BriefError`
is printed as its positioned lines; any other exception is a bug, reported in one line
(with the traceback under ``--verbose``).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from briefs import __version__
from briefs.errors import BriefError, Diagnostic, display_path

F = TypeVar("F", bound=Callable[..., Any])


_quiet = False


def _say(message: str) -> None:
    """Report progress on stdout, unless --quiet."""
    if not _quiet:
        click.echo(message)


def _warn(diagnostics: Sequence[Diagnostic]) -> None:
    if _quiet:
        return
    for diagnostic in diagnostics:
        click.secho(f"warning: {diagnostic}", fg="yellow", err=True)


def _fail(error: BriefError) -> None:
    for diagnostic in error.diagnostics:
        click.secho(str(diagnostic), fg="red", err=True)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="briefs")
@click.option("-v", "--verbose", is_flag=True, help="Show tracebacks of internal errors.")
@click.option("-q", "--quiet", is_flag=True, help="Print only errors.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool, quiet: bool) -> None:
    """Turn policy findings kept in YAML into audience editions of a brief (HTML and PDF).

    \b
    Example:
      briefs validate inputs/deepseek-2025.yaml
      briefs build inputs/deepseek-2025.yaml --lang ko --format pdf
    """
    global _quiet
    _quiet = quiet
    ctx.obj = {"verbose": verbose}


@cli.command()
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
    type=click.Choice(["html", "pdf"]),
    help="Output format (repeatable). Default: html and pdf.",
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("public"),
    show_default=True,
    help="Output folder.",
)
@click.option(
    "--templates",
    "-t",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Your templates folder, searched before the built-ins "
    "(default: ./templates when it exists).",
)
@click.option(
    "--allow-missing-translations",
    is_flag=True,
    help="Build even when a text lacks a translation; the fallback is marked.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="PDF worker processes (default: the number of cores).",
)
@click.option(
    "--plan",
    "show_plan",
    is_flag=True,
    help="Print the sections and items of each edition instead of building.",
)
@click.option("--strict", is_flag=True, help="Treat warnings (budgets, fallbacks) as errors.")
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

    Files go to OUT/<id>/<audience>.<lang>.<html|pdf>.

    \b
    Example:
      briefs build inputs/deepseek-2025.yaml --audience government --lang ko
    """
    if show_plan:
        _print_plan(brief, audiences, languages, templates)
        return
    pool = None
    if not formats or "pdf" in formats:
        # Start a PDF worker before loading anything heavy: WeasyPrint's start-up then
        # overlaps with validating and rendering the brief.
        from briefs.workers import PdfPool

        pool = PdfPool(jobs)
    from briefs.build import BuildOptions, build_brief

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
        _say(f"wrote {display_path(output.path)} ({output.size:,} bytes{pages})")
    if strict and result.warnings:
        raise BriefError(result.warnings)
    _warn(result.warnings)


def _print_plan(
    brief: Path, audiences: Sequence[str], languages: Sequence[str], templates: Path | None
) -> None:
    from briefs.build import BuildOptions, Project, plan
    from briefs.plan import describe

    project = Project(templates)
    validated = project.load(brief)
    options = BuildOptions(languages=languages, audiences=audiences)
    for audience, lang in plan(validated, options, project.profiles):
        edition = project.edition(validated, audience, lang, "html")
        name = edition.profile.text(edition.profile.edition, lang)
        click.secho(f"{audience}.{lang} — {name}", bold=True)
        for section in describe(edition):
            items = f": {', '.join(section.items)}" if section.items else ""
            click.echo(f"  {section.title}{items}")


@cli.command()
@click.argument("briefs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--templates",
    "-t",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Your templates folder (for your own audience profiles).",
)
def validate(briefs: tuple[Path, ...], templates: Path | None) -> None:
    """Check BRIEFS and report every problem, one per line, as path:line:col: message.

    \b
    Example:
      briefs validate inputs/*.yaml
    """
    from briefs.audiences import load_profiles
    from briefs.templates import search_path
    from briefs.validate import load_brief

    audiences = list(load_profiles(search_path(templates)))
    errors: list[BriefError] = []
    for path in briefs:
        try:
            validated = load_brief(path, audiences=audiences)
        except BriefError as exc:
            errors.append(exc)
            continue
        _warn(validated.warnings)
        _say(f"{display_path(path)}: ok")
    if errors:
        raise BriefError.merge(errors)


@cli.command()
@click.argument("briefs", nargs=-1, required=True, type=click.Path(path_type=Path, dir_okay=False))
@click.option("--strict", is_flag=True, help="Fail (exit 1) on warnings too.")
@click.option(
    "--templates",
    "-t",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Your templates folder (for your own audience profiles and budgets).",
)
def lint(briefs: tuple[Path, ...], strict: bool, templates: Path | None) -> None:
    """Check BRIEFS against policy-brief quality rules (sources, translations, lengths).

    Each problem is one line, path:line:col: severity[rule]: message. Errors exit 1;
    warnings exit 0 unless --strict. Switch a rule off for one brief with
    `lint: {disable: [rule-id]}`; the rules are listed in the README.

    \b
    Example:
      briefs lint inputs/*.yaml --strict
    """
    from briefs.build import Project
    from briefs.lint import format_issue, lint_file

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
            _say(f"{display_path(path)}: ok")
    if failed:
        raise BriefError.merge(failed)
    if worst == 2 or (strict and worst == 1):
        raise click.exceptions.Exit(1)


@cli.command()
@click.argument("brief_id", metavar="ID")
@click.option(
    "--lang",
    "languages",
    default="ko,en",
    show_default=True,
    help="Languages of the brief, comma-separated; the first is the main one.",
)
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("inputs"),
    show_default=True,
    help="Folder to write the brief into.",
)
def new(brief_id: str, languages: str, folder: Path) -> None:
    """Write a brief to start from, ID.yaml, that validates and builds as it is.

    Each field has a short comment; the first line points editors at the JSON Schema
    (schema/brief.schema.json, written too when the project has none). Never overwrites.

    \b
    Example:
      briefs new hbm-export-controls --lang ko,en --dir inputs
    """
    from briefs.scaffold import new_brief

    langs = [lang.strip() for lang in languages.split(",") if lang.strip()]
    for path in new_brief(brief_id, languages=langs, folder=folder):
        _say(f"wrote {display_path(path)}")


@cli.command()
@click.argument(
    "inputs_dir",
    required=False,
    default=Path("inputs"),
    type=click.Path(path_type=Path, file_okay=False),
)
@click.option(
    "--out",
    "-o",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("public"),
    show_default=True,
    help="Site folder.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="PDF worker processes (default: the number of cores).",
)
@click.option("--base-url", help="Public address of the site, for absolute links in the feed.")
@click.option("--force", is_flag=True, help="Rebuild every output, changed or not.")
@click.option(
    "--shard", metavar="K/N", help="Build only the K-th of N deterministic parts (for a CI matrix)."
)
@click.option(
    "--merge",
    "merge_dirs",
    multiple=True,
    metavar="DIR",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Assemble shard folders into --out instead of building (repeatable).",
)
@click.option(
    "--templates",
    "-t",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Your templates folder, searched before the built-ins.",
)
def publish(
    inputs_dir: Path,
    out: Path,
    jobs: int | None,
    base_url: str | None,
    force: bool,
    shard: str | None,
    merge_dirs: tuple[Path, ...],
    templates: Path | None,
) -> None:
    """Build every brief in INPUTS_DIR (default: inputs) into a static site.

    Every brief × audience × language, HTML and PDF, plus index.html, feed.xml and
    manifest.json. Only editions whose inputs changed are rebuilt; a failed brief does
    not stop the others, and the exit code is 1 if any failed.

    \b
    Example:
      briefs publish inputs --out public --base-url https://example.org/briefs
      briefs publish --shard 1/2 --out shard-1     # in a CI matrix job
      briefs publish --merge shard-1 --merge shard-2 --out public
    """
    from briefs.publish import merge
    from briefs.publish import publish as run_publish

    if merge_dirs:
        manifest = merge(merge_dirs, out, base_url=base_url, templates=templates)
        click.echo(
            f"merged {len(merge_dirs)} shards: {len(manifest['outputs'])} outputs "
            f"of {len(manifest['briefs'])} briefs in {display_path(out)}"
        )
        return
    part: tuple[int, int] | None = None
    if shard:
        try:
            k, n = (int(x) for x in shard.split("/"))
        except ValueError:
            raise click.BadParameter("expected K/N, e.g. 1/4", param_hint="--shard") from None
        part = (k, n)
    reporter = _Progress(quiet=_quiet)
    try:
        result = run_publish(
            inputs_dir,
            out,
            jobs=jobs,
            base_url=base_url,
            force=force,
            shard=part,
            templates=templates,
            progress=reporter,
        )
    finally:
        reporter.close()
    _warn(result.warnings)
    _say(
        f"{len(result.built)} built, {len(result.skipped)} up to date, "
        f"{len(result.removed)} removed, {len(result.failures)} failed → "
        f"{display_path(out)}"
    )
    if result.failures:
        click.secho("failed briefs:", fg="red", err=True)
        raise BriefError.merge(result.failures)


class _Progress:
    """A progress bar on a terminal; plain lines otherwise (CI logs)."""

    def __init__(self, *, quiet: bool = False) -> None:
        self.bar: Any = None
        self.tty = sys.stderr.isatty()
        self.quiet = quiet

    def __call__(self, event: Any) -> None:
        if self.quiet and event.kind != "failed":
            return
        if event.kind == "plan" and self.tty and event.count:
            self.bar = click.progressbar(length=event.count, label="building", file=sys.stderr)
            self.bar.__enter__()
        elif event.kind == "built":
            if self.bar is not None:
                self.bar.update(event.count)
            else:
                click.echo(f"built {event.brief} ({event.count} files)", err=True)
        elif event.kind == "failed":
            click.secho(f"failed {event.brief}: {event.detail}", fg="red", err=True)
        elif event.kind == "removed" and self.bar is None:
            click.echo(f"removed {event.detail}", err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None


@cli.command()
@click.argument("brief", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--port",
    "-p",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0 picks a free one).",
)
@click.option(
    "--templates",
    "-t",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Your templates folder, searched before the built-ins.",
)
def serve(brief: Path, port: int, templates: Path | None) -> None:
    """Preview the HTML editions of BRIEF on localhost; rebuilt and reloaded on every change.

    Watches the brief, the files next to it and the templates; an open page reloads by
    itself, and an invalid brief shows its errors in the page until it is fixed.

    \b
    Example:
      briefs serve inputs/deepseek-2025.yaml --port 8000
    """
    from briefs.serve import Snapshot
    from briefs.serve import serve as serve_preview

    def built(snapshot: Snapshot) -> None:
        if snapshot.error is not None:
            _fail(snapshot.error)
        else:
            _warn(snapshot.warnings)
            _say(f"built {len(snapshot.editions)} editions")

    serve_preview(
        brief,
        port=port,
        templates=templates,
        on_build=built,
        ready=lambda url: click.echo(f"serving {url} (Ctrl-C to stop)"),
    )


@cli.command()
def schema() -> None:
    """Print the JSON Schema of a brief, for editors and other tools.

    \b
    Example:
      briefs schema > schema/brief.schema.json
    """
    from briefs.scaffold import schema_text

    click.echo(schema_text(), nl=False)


@cli.group()
def templates() -> None:
    """List the templates, styles, labels and audience profiles in use; eject one to edit.

    \b
    Example:
      briefs templates list
      briefs templates eject audiences/government.html.j2
    """


@templates.command("list")
@click.option(
    "--templates",
    "-t",
    "user_dir",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Your templates folder (default: ./templates when it exists).",
)
def templates_list(user_dir: Path | None) -> None:
    """Show every template and profile, where it comes from, and which copy wins.

    \b
    Example:
      briefs templates list --templates my-templates
    """
    from briefs.audiences import load_profiles
    from briefs.catalog import entries
    from briefs.templates import search_path

    folders = search_path(user_dir)
    click.echo("search path (first match wins): " + " → ".join(display_path(f) for f in folders))
    profiles = load_profiles(folders)
    click.secho("\naudiences", bold=True)
    for name, profile in profiles.items():
        labels = f"{profile.text(profile.label, 'ko')} / {profile.text(profile.label, 'en')}"
        click.echo(
            f"  {name:<18} {labels} — template {profile.template}; "
            f"sections: {', '.join(profile.sections)}"
        )
    click.secho("\nfiles", bold=True)
    for entry in entries(folders):
        origin = "built-in" if entry.builtin else display_path(entry.winner)
        note = "  (overrides built-in)" if entry.shadowed else ""
        click.echo(f"  {entry.name:<40} {entry.kind:<9} {origin}{note}")


@templates.command("eject")
@click.argument("name")
@click.option(
    "--templates",
    "-t",
    "user_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("templates"),
    show_default=True,
    help="Your templates folder, created if needed.",
)
def templates_eject(name: str, user_dir: Path) -> None:
    """Copy the built-in NAME into your templates folder to start from.

    NAME is a path as `briefs templates list` shows it, or an audience name (which ejects
    its profile and its template).

    \b
    Example:
      briefs templates eject partials/cover.html.j2
      briefs templates eject government --templates my-templates
    """
    from briefs.catalog import eject

    for path in eject(name, user_dir):
        _say(f"wrote {display_path(path)}")


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv``; return the exit code instead of exiting."""
    args = list(sys.argv[1:] if argv is None else argv)
    verbose = "-v" in args or "--verbose" in args
    try:
        code = cli.main(args=args, prog_name="briefs", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort:
        click.echo("aborted", err=True)
        return 130
    except BriefError as exc:
        _fail(exc)
        return 1
    except KeyboardInterrupt:
        click.echo("interrupted", err=True)
        return 130
    except BrokenPipeError:
        # The reader went away (`briefs lint … | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except Exception as exc:  # a bug: one line, traceback only on request
        if verbose:
            traceback.print_exc()
        click.secho(
            f"internal error: {type(exc).__name__}: {exc} "
            "(run with --verbose for the traceback, and please report it)",
            fg="red",
            err=True,
        )
        return 1
    # click returns the code of a click.exceptions.Exit instead of raising it.
    return code if isinstance(code, int) else 0


def main() -> None:
    """Console-script entry point."""
    sys.exit(run())
