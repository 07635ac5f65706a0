"""The ``briefs`` command: parses options, calls the library, prints, picks the exit code.

Exit codes: 0 success, 1 invalid input or failed build, 2 usage error. A :class:`BriefError`
is printed as its positioned lines; any other exception is a bug, reported in one line
(with the traceback under ``--verbose``).

This module holds the click group, the output helpers every command shares and
:func:`run`; each command lives in :mod:`briefs.commands`, one module per command or family,
and registers itself on :func:`cli` when imported (at the end of this module).
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
from briefs.errors import BriefError, Diagnostic

_quiet = False


def _is_quiet() -> bool:
    """Whether --quiet was given (read when a command runs, not when it is imported)."""
    return _quiet


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


templates_option = click.option(
    "--templates",
    "-t",
    "templates",
    type=click.Path(path_type=Path, file_okay=False, exists=True),
    help="Your templates folder, searched before the built-ins "
    "(default: ./templates when it exists).",
)
"""The user templates option, the same for every command that reads templates or profiles."""

jobs_option = click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=1),
    help="PDF worker processes (default: the number of cores).",
)
"""The number of PDF worker processes."""


F = TypeVar("F", bound=Callable[..., Any])


def out_option(what: str) -> Callable[[F], F]:
    """The output folder option (``public/`` by default); ``what`` is its help text."""
    return click.option(
        "--out",
        "-o",
        type=click.Path(path_type=Path, file_okay=False),
        default=Path("public"),
        show_default=True,
        help=what,
    )


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


# The commands register themselves on `cli` when imported: last, so that `cli` and the
# helpers above exist by then (each command module imports them from here). They import
# only click and briefs.errors at the top; the library is imported when a command runs.
from briefs.commands import authoring, build, lint, publish, serve, templates  # noqa: E402, F401
