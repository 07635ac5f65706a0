"""Options shared by several commands, written once."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])

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
