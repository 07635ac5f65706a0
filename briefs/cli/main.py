"""The ``briefs`` command: parses options, calls the library, prints, picks the exit code.

Exit codes: 0 success, 1 invalid input or failed build, 2 usage error. A :class:`BriefError`
is printed as its positioned lines; any other exception is a bug, reported in one line
(with the traceback under ``--verbose``).

This module holds the click group and :func:`run`; each command lives in its own module of
:mod:`briefs.cli` and is added to the group here. Commands never import the group: what they
share is in :mod:`briefs.cli.console` (the output state, as an object) and
:mod:`briefs.cli.options`.
"""

from __future__ import annotations

import os
import signal
import sys
import traceback
from collections.abc import Sequence

import click

from briefs.cli import authoring, build, lint, publish, serve, templates
from briefs.cli.console import Console, output_options
from briefs.errors import BriefError, one_line
from briefs.version import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "--version", prog_name="briefs")
@output_options
def cli() -> None:
    """Turn policy findings kept in YAML into audience editions of a brief (HTML and PDF).

    \b
    Example:
      briefs validate inputs/deepseek-2025.yaml
      briefs build inputs/deepseek-2025.yaml --lang ko --format pdf
    """


def run(argv: Sequence[str] | None = None) -> int:
    """Run the command line with ``argv``; return the exit code instead of exiting."""
    args = list(sys.argv[1:] if argv is None else argv)
    console = Console()
    try:
        code = cli.main(args=args, prog_name="briefs", standalone_mode=False, obj=console)
    except click.exceptions.Exit as exc:
        return int(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except click.exceptions.Abort as exc:  # click's name for Ctrl-C (and SIGTERM, see main)
        if isinstance(exc.__cause__, Terminated):
            click.echo("terminated", err=True)
            return 143
        click.echo("aborted", err=True)
        return 130
    except BriefError as exc:
        console.fail(exc)
        return 1
    except KeyboardInterrupt as exc:  # Ctrl-C, or SIGTERM (see main)
        terminated = isinstance(exc, Terminated)
        click.echo("terminated" if terminated else "interrupted", err=True)
        return 143 if terminated else 130
    except BrokenPipeError:
        # The reader went away (`briefs lint … | head`): stop quietly, as Unix tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 1
    except OSError as exc:  # the machine, not the input: a file system, a device, a limit
        if console.verbose:
            traceback.print_exc()
        where = f"{one_line(str(exc.filename))}: " if exc.filename else ""
        click.secho(f"{where}{(exc.strerror or str(exc)).lower()}", fg="red", err=True)
        return 1
    except Exception as exc:  # a bug: one line, traceback only on request
        if console.verbose:
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


class Terminated(KeyboardInterrupt):
    """SIGTERM, handled as Ctrl-C is: work stops, PDF workers are cancelled, temp files go."""


def _terminate(signum: int, frame: object) -> None:
    raise Terminated()


def main() -> None:
    """Console-script entry point (``briefs`` and ``python -m briefs``)."""
    signal.signal(signal.SIGTERM, _terminate)
    sys.exit(run())


for command in (
    authoring.init,
    authoring.new,
    authoring.schema,
    build.build,
    build.validate,
    lint.lint,
    publish.publish,
    serve.serve,
    templates.templates,
):
    cli.add_command(command)
