"""``briefs publish``: every brief into a static site, with a progress report on stderr."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from briefs.cli.console import is_quiet, output_options, say, warn
from briefs.cli.options import jobs_option, out_option, templates_option
from briefs.errors import BriefError, display_path, one_line


@click.command()
@output_options
@click.argument(
    "inputs_dir",
    required=False,
    default=Path("inputs"),
    type=click.Path(path_type=Path, file_okay=False),
)
@out_option("Site folder.")
@jobs_option
@click.option(
    "--base-url",
    callback=lambda ctx, param, value: _base_url(value),
    help="Public address of the site, for absolute links in the feed.",
)
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
@templates_option
@click.option(
    "--format",
    "-f",
    "formats",
    multiple=True,
    type=click.Choice(["html", "pdf", "docx", "hwpx"]),
    help="Formats of every edition (repeatable; HTML always, the site links it). "
    "Default: html and pdf.",
)
@click.option("--strict", is_flag=True, help="Treat warnings (budgets, layout findings) as errors.")
def publish(
    inputs_dir: Path,
    out: Path,
    jobs: int | None,
    base_url: str | None,
    force: bool,
    shard: str | None,
    merge_dirs: tuple[Path, ...],
    templates: Path | None,
    formats: tuple[str, ...],
    strict: bool,
) -> None:
    """Build every brief in INPUTS_DIR (default: inputs) into a static site.

    Every brief × audience × language, HTML and PDF (and DOCX or HWPX with --format docx / hwpx),
    plus index.html, feed.xml and manifest.json. Only editions whose inputs changed are
    rebuilt; a failed brief does not stop the others, and the exit code is 1 if any failed.

    \b
    Example:
      briefs publish inputs --out public --base-url https://example.org/briefs
      briefs publish --shard 1/2 --out shard-1     # in a CI matrix job
      briefs publish --merge shard-1 --merge shard-2 --out public
    """
    from briefs.fs import check_out
    from briefs.pipeline.publish import merge
    from briefs.pipeline.publish import publish as run_publish

    check_out(out)
    if merge_dirs:
        manifest = merge(merge_dirs, out, base_url=base_url, templates=templates)
        click.echo(
            f"merged {len(merge_dirs)} shards: {len(manifest.outputs)} outputs "
            f"of {len(manifest.briefs)} briefs in {display_path(out)}"
        )
        return
    part: tuple[int, int] | None = None
    if shard:
        try:
            k, n = (int(x) for x in shard.split("/"))
        except ValueError:
            raise click.BadParameter("expected K/N, e.g. 1/4", param_hint="--shard") from None
        part = (k, n)
    reporter = _Progress(quiet=is_quiet())
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
            formats=("html", *dict.fromkeys(f for f in formats if f != "html"))  # type: ignore[arg-type]
            if formats
            else ("html", "pdf"),
        )
    finally:
        reporter.close()
    if not strict:
        warn(result.warnings)
    say(
        f"{len(result.built)} built, {len(result.skipped)} up to date, "
        f"{len(result.removed)} removed, {len(result.failures)} failed → "
        f"{display_path(out)}"
    )
    if strict and result.warnings:
        raise BriefError.merge([*result.failures, BriefError(result.warnings)])
    if result.failures:
        click.secho("failed briefs:", fg="red", err=True)
        raise BriefError.merge(result.failures)


def _base_url(value: str | None) -> str | None:
    """``--base-url`` checked before any work (it is used only at the end, in the feed)."""
    if value is None:
        return None
    from briefs.pipeline.feed import base_url_problem

    if problem := base_url_problem(value):
        raise click.BadParameter(problem, param_hint="--base-url")
    return value


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
                click.echo(one_line(f"built {event.brief} ({event.count} files)"), err=True)
        elif event.kind == "failed":
            click.secho(one_line(f"failed {event.brief}: {event.detail}"), fg="red", err=True)
        elif event.kind == "removed" and self.bar is None:
            click.echo(one_line(f"removed {event.detail}"), err=True)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.__exit__(None, None, None)
            self.bar = None
