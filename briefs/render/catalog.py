"""What is on the template search path, which copy wins, and ejecting a built-in to edit.

Backs ``briefs templates list`` and ``briefs templates eject``.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from briefs.errors import BriefError
from briefs.resources import builtin_dir

KINDS = {
    ".j2": "template",
    ".css": "style",
    ".yaml": "data",
    ".ttf": "font",
    ".txt": "licence",
    ".docx": "reference document",
    ".hwpx": "reference document",
}


@dataclass(frozen=True)
class Entry:
    """One name on the search path."""

    name: str
    """Path relative to a templates folder (``partials/cover.html.j2``)."""
    kind: str
    """template, style, profile, labels, font or licence."""
    winner: Path
    """The file used."""
    shadowed: tuple[Path, ...]
    """Files of the same name further down the path (a built-in you override)."""

    @property
    def builtin(self) -> bool:
        """Whether the file used is the built-in one."""
        return self.winner.is_relative_to(builtin_dir())


def _kind(name: str) -> str:
    if name.startswith("audiences/") and name.endswith(".yaml"):
        return "profile"
    if name.startswith("locales/"):
        return "labels"
    return KINDS.get(PurePosixPath(name).suffix, "file")


def entries(folders: list[Path]) -> list[Entry]:
    """Every file on the search path ``folders``, first folder winning."""
    found: dict[str, list[Path]] = {}
    for folder in folders:
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                name = path.relative_to(folder).as_posix()
                found.setdefault(name, []).append(path)
    return [
        Entry(name, _kind(name), paths[0], tuple(paths[1:]))
        for name, paths in sorted(found.items())
    ]


def eject(name: str, user_dir: Path) -> list[Path]:
    """Copy the built-in ``name`` (or every file of audience ``name``) into ``user_dir``.

    Refuses names outside the built-in folder and files that already exist.
    """
    root = builtin_dir().resolve()
    candidates = [name]
    if "/" not in name and not (root / name).exists():
        candidates = [f"audiences/{name}.yaml", f"audiences/{name}.html.j2"]
    sources: list[tuple[str, Path]] = []
    for candidate in candidates:
        source = (root / candidate).resolve()
        if not source.is_relative_to(root) or not source.is_file():
            continue
        sources.append((candidate, source))
    if not sources:
        raise BriefError(
            f"no built-in template or audience named '{name}' (see `briefs templates list`)"
        )
    written: list[Path] = []
    for candidate, _ in sources:
        target = user_dir / candidate
        if target.exists():
            raise BriefError(f"{target} exists already; remove it first to eject it again")
    for candidate, source in sources:
        target = user_dir / candidate
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        written.append(target)
    return written
