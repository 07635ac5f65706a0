"""The one project exception and the positioned messages it carries.

Every problem a user can fix (bad YAML, a wrong field, an unknown source id, a template that
breaks the sandbox) becomes a :class:`Diagnostic` with a file, line and column, and all of a
file's diagnostics travel together in one :class:`BriefError`. The CLI prints them one per
line and exits 1; nothing else in the package prints.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, at one place in one file."""

    path: str
    """The file, as the user named it (relative paths stay relative)."""
    line: int
    """1-based line of the offending node (0 when the problem is not tied to a line)."""
    col: int
    """1-based column of the offending node."""
    message: str
    """What is wrong, starting with the field path when there is one."""
    hint: str = ""
    """How to fix it, when we can tell."""
    excerpt: str = field(default="", compare=False)
    """The offending source line with a caret under the column, for a terminal (may be empty);
    not part of ``str()``, which stays one line."""

    def __str__(self) -> str:
        path = one_line(self.path)  # a file name may hold a newline too ("x\n::error ...")
        where = f"{path}:{self.line}:{self.col}" if self.line else path
        text = f"{where}: {one_line(self.message)}"
        return f"{text} — {one_line(self.hint)}" if self.hint else text


def one_line(text: str) -> str:
    """Control characters (a newline in a key or a file name) escaped: one diagnostic, one
    line, so no input can start a line of its own in a CI log (``::error``, ``##vso``)."""
    return "".join(char if char.isprintable() or char == " " else repr(char)[1:-1] for char in text)


class BriefError(Exception):
    """A brief, template or build that cannot be completed, with every reason found.

    ``str(error)`` is one line per diagnostic, ready for a terminal.
    """

    def __init__(self, diagnostics: Sequence[Diagnostic] | Diagnostic | str) -> None:
        if isinstance(diagnostics, str):
            diagnostics = [Diagnostic("briefs", 0, 0, diagnostics)]
        elif isinstance(diagnostics, Diagnostic):
            diagnostics = [diagnostics]
        self.diagnostics: list[Diagnostic] = list(diagnostics)
        super().__init__("\n".join(str(d) for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[BriefError], tuple[list[Diagnostic]]]:
        # Keeps the diagnostics whole across process boundaries (PDF workers).
        return (type(self), (self.diagnostics,))

    @classmethod
    def merge(cls, errors: Iterable[BriefError]) -> BriefError:
        """One error holding the diagnostics of several."""
        return cls([d for e in errors for d in e.diagnostics])


def display_path(path: Path) -> str:
    """The path as a user would recognise it: relative to the working folder when inside it.

    Symlinks are not followed: a message names the file the user gave, never where a
    symlink leads.
    """
    try:
        return str(Path(os.path.abspath(path)).relative_to(os.getcwd()))
    except (ValueError, OSError):
        return str(path)
