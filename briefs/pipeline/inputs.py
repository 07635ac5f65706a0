"""Everything a brief's editions are made from, as one digest.

An HTML edition's font subset covers the characters of all the brief's editions in its
language, so that they share one subset (:func:`briefs.pipeline.build.start_build`). Building
one edition would then render its siblings only to learn their characters. What a sibling
shows depends only on what this digest covers, so the characters are kept in the cache
(:mod:`briefs.cache`) under it, and a rebuild of one edition renders that edition alone:

- the briefs version;
- the validated brief (its texts, data and sources, bibliography entries included);
- the bytes of every file the brief names (images, chart data, bibliographies);
- every file of the template folders (templates, styles, labels, audience profiles), the
  bundled faces aside: which glyphs a face has does not change which characters are shown;
- the project file's settings.

When a file cannot be read, there is no digest, and the siblings are rendered.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefs.check.validate import Validated
from briefs.schema.base import FILE
from briefs.schema.fields import values
from briefs.source import ReadError, read_file
from briefs.version import __version__

if TYPE_CHECKING:
    from briefs.check.project import Institute

MAX_FILE = 64 * 1024 * 1024
"""The largest file hashed; a larger one means no digest."""

_SKIPPED = frozenset({"fonts"})
"""Folders of a template folder that no text comes from."""


def _folder_files(folder: Path) -> Iterable[Path]:
    for top, dirs, files in os.walk(folder):  # symlinks to folders are not followed
        if Path(top) == folder:
            dirs[:] = [d for d in dirs if d not in _SKIPPED]
        dirs.sort()
        for name in sorted(files):
            yield Path(top) / name


def _named_files(validated: Validated) -> list[str]:
    """The file names the brief gives, each once, in order."""
    names: dict[str, None] = {}
    for _, value in values(validated.brief.model_dump(mode="json"), FILE):
        for name in value.values() if isinstance(value, dict) else [value]:
            if isinstance(name, str):
                names[name] = None
    return list(names)


def brief_digest(
    validated: Validated, folders: Sequence[Path], institute: Institute | None = None
) -> str | None:
    """The digest of everything the editions of ``validated`` are made from, or ``None`` when
    one of those files cannot be read."""
    digest = hashlib.sha256()

    def add(*parts: bytes) -> None:
        for part in parts:
            digest.update(len(part).to_bytes(8, "big"))
            digest.update(part)

    add(__version__.encode(), validated.brief.model_dump_json().encode())
    if institute is not None:
        add(institute.settings.model_dump_json().encode(), institute.logo_data)
    base = validated.source.path.resolve().parent
    try:
        for name in _named_files(validated):
            add(name.encode(), read_file(base / name, limit=MAX_FILE, root=base))
        for folder in folders:
            root = folder.resolve()
            add(str(root).encode())
            for path in _folder_files(root):
                add(
                    str(path.relative_to(root)).encode(), read_file(path, limit=MAX_FILE, root=root)
                )
    except ReadError:
        return None
    return digest.hexdigest()
