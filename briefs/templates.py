"""The template search path and the one function that builds the Jinja environment.

Lookup order: the user's templates folder (``--templates DIR``, else ``./templates`` when it
exists and is not the package's own folder), then the built-ins. A user template can extend
the built-in it overrides with ``{% extends "builtin:base.html.j2" %}`` instead of copying it.
Every template renders in a sandbox with autoescaping and strict undefined variables.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
)
from jinja2.exceptions import SecurityError
from jinja2.runtime import Context
from jinja2.sandbox import SandboxedEnvironment

MAX_SEQUENCE = 1_000_000
"""Longest string or list a template may make with ``*`` (characters or items)."""
MAX_POWER = 4096
"""Largest exponent a template may use with ``**``."""

BUILTIN_PREFIX = "builtin"
"""``{% extends "builtin:NAME" %}`` always reaches the built-in template NAME."""


def builtin_dir() -> Path:
    """The built-in templates: inside the installed package, or the repository's folder."""
    here = Path(__file__).resolve().parent
    packaged = here / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def search_path(user_dir: Path | None = None) -> list[Path]:
    """Folders searched for templates, profiles, labels and styles, first match wins.

    ``user_dir`` is the ``--templates`` option; without it, ``./templates`` is used when it
    exists (and is not the built-in folder itself, as in this repository).
    """
    builtin = builtin_dir()
    if user_dir is None:
        local = Path("templates")
        if local.is_dir() and local.resolve() != builtin.resolve():
            user_dir = local
    folders = [user_dir] if user_dir is not None else []
    return [*folders, builtin]


def make_environment(folders: list[Path]) -> SandboxedEnvironment:
    """A sandboxed Jinja environment over ``folders`` (as from :func:`search_path`)."""
    builtin = FileSystemLoader(folders[-1])
    loader = ChoiceLoader(
        [
            *(FileSystemLoader(folder) for folder in folders[:-1]),
            builtin,
            PrefixLoader({BUILTIN_PREFIX: builtin}, delimiter=":"),
        ]
    )
    env = BoundedEnvironment(
        loader=loader,
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
        bytecode_cache=_bytecode_cache(),
    )
    return env


class BoundedEnvironment(SandboxedEnvironment):
    """Jinja's sandbox, plus bounds on what one expression may build.

    The sandbox stops attribute escapes, not ``{{ 'a' * 10**9 }}``: multiplying a string
    or list and raising to a power are checked here; the render's total time and output
    size are bounded in :func:`briefs.render.render_template`.
    """

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for seq, count in ((left, right), (right, left)):
                if (
                    isinstance(seq, str | bytes | list | tuple)
                    and isinstance(count, int)
                    and len(seq) * count > MAX_SEQUENCE
                ):
                    raise SecurityError(
                        f"template makes a sequence of {len(seq) * count:,} items "
                        f"(limit {MAX_SEQUENCE:,})"
                    )
        if operator == "**" and isinstance(right, int) and abs(right) > MAX_POWER:
            raise SecurityError(f"template raises to the power {right} (limit {MAX_POWER})")
        return super().call_binop(context, operator, left, right)


def _bytecode_cache() -> BytecodeCache | None:
    """Compiled templates cached per user (keyed by source checksum): saves ~50 ms a run.

    The folder is private to the user (0700), since cached bytecode is executed.
    """
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    folder = base / "briefs" / "jinja"
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = folder.stat()
        if hasattr(os, "getuid") and (info.st_uid != os.getuid() or info.st_mode & 0o077):
            return None
    except OSError:
        return None
    return FileSystemBytecodeCache(str(folder))
