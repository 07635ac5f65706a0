"""What the command prints, and how much: the output state of one run, as an object.

:func:`briefs.cli.main.run` makes one :class:`Console` and hands it to click as the context
object; ``-q``/``--quiet`` and ``-v``/``--verbose`` set it, before the command or after it.
Commands print through :func:`say`, :func:`warn` and :func:`fail`, which find the console of
the command that is running; there is no module-level state.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

import click

from briefs.errors import BriefError, Diagnostic


@dataclass
class Console:
    """How much one run of ``briefs`` prints."""

    quiet: bool = False
    """Print only errors (``-q``)."""
    verbose: bool = False
    """Show tracebacks of internal errors (``-v``)."""

    def say(self, message: str) -> None:
        """Report progress on stdout, unless quiet."""
        if not self.quiet:
            click.echo(message)

    def warn(self, diagnostics: Sequence[Diagnostic]) -> None:
        """Print warnings on stderr, unless quiet."""
        if self.quiet:
            return
        for diagnostic in diagnostics:
            click.secho(f"warning: {diagnostic}", fg="yellow", err=True)

    def fail(self, error: BriefError) -> None:
        """Print an error's positioned lines on stderr (always)."""
        for diagnostic in error.diagnostics:
            click.secho(str(diagnostic), fg="red", err=True)


def current() -> Console:
    """The console of the command that is running (a default one outside click)."""
    ctx = click.get_current_context(silent=True)
    found = ctx.find_object(Console) if ctx is not None else None
    return found if found is not None else Console()


def say(message: str) -> None:
    """Report progress on stdout, unless ``--quiet``."""
    current().say(message)


def warn(diagnostics: Sequence[Diagnostic]) -> None:
    """Print warnings on stderr, unless ``--quiet``."""
    current().warn(diagnostics)


def fail(error: BriefError) -> None:
    """Print an error's positioned lines on stderr."""
    current().fail(error)


def is_quiet() -> bool:
    """Whether ``--quiet`` was given (read when a command runs)."""
    return current().quiet


F = TypeVar("F", bound=Callable[..., Any])


def _set(name: str) -> Callable[[click.Context, click.Parameter, bool], None]:
    def callback(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
        console = ctx.find_object(Console)
        if value and console is not None:
            setattr(console, name, True)

    return callback


def output_options(command: F) -> F:
    """``-v``/``--verbose`` and ``-q``/``--quiet``, accepted on the group and on every command."""
    command = click.option(
        "-q", "--quiet", is_flag=True, expose_value=False, is_eager=True,
        callback=_set("quiet"), help="Print only errors.",
    )(command)  # fmt: skip
    return click.option(
        "-v", "--verbose", is_flag=True, expose_value=False, is_eager=True,
        callback=_set("verbose"), help="Show tracebacks of internal errors.",
    )(command)  # fmt: skip
