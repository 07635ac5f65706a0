"""TOML files (the project file) read like briefs: confined, bounded, every value positioned.

:mod:`tomllib` parses, and names the line and column of a syntax error in its message; it
keeps no positions of values, so they are found here in the text: table headers
(``[site]``, ``[[defaults.authors]]``), keys (``a.b = …``) and keys of inline tables on the
same line. A position found this way is the key's; that is where an editor should go.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from briefs.errors import BriefError, Diagnostic, display_path
from briefs.source import Position, Positions, ReadError, Source, excerpt, read_file

MAX_TOML_BYTES = 200_000
"""Largest project file accepted; a real one is a page."""

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_BARE = r"(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
_KEY = re.compile(rf"^\s*({_BARE}(?:\s*\.\s*{_BARE})*)\s*=")


def _parts(dotted: str) -> list[str]:
    # Dotted keys split at every dot: a quoted key holding a dot is positioned at its table.
    return [part.strip().strip("\"'") for part in dotted.split(".")]


def toml_positions(text: str) -> Positions:
    """Where each table and key of a TOML text starts (1-based), by its path."""
    positions = Positions()
    table: list[str | int] = []
    counts: dict[tuple[str | int, ...], int] = {}
    for number, line in enumerate(text.split("\n"), start=1):
        if header := _HEADER.match(line):
            path: list[str | int] = list(_parts(header.group(2)))
            if header.group(1) == "[[":
                index = counts.get(tuple(path), 0)
                counts[tuple(path)] = index + 1
                path.append(index)
            table = path
            at = Position(number, line.index("[") + 1)
            positions.values.setdefault(tuple(table), at)
            positions.keys.setdefault(tuple(table), at)
            continue
        if key := _KEY.match(line):
            full = (*table, *_parts(key.group(1)))
            at = Position(number, key.start(1) + 1)
            positions.keys.setdefault(full, at)
            value_col = key.end() + len(line[key.end() :]) - len(line[key.end() :].lstrip()) + 1
            positions.values.setdefault(full, Position(number, value_col))
            # Keys of an inline table on this line: organisation = { ko = "…", en = "…" }.
            rest = line[key.end() :]
            if rest.lstrip().startswith("{"):
                for inner in re.finditer(r"[{,]\s*([A-Za-z0-9_-]+)\s*=", rest):
                    col = key.end() + inner.start(1) + 1
                    positions.keys.setdefault((*full, inner.group(1)), Position(number, col))
                    positions.values.setdefault((*full, inner.group(1)), Position(number, col))
    return positions


def load_toml_file(path: Path, *, root: Path, name: str | None = None) -> Source:
    """Read ``path`` (inside ``root``) as TOML, or raise :class:`BriefError`, positioned."""
    name = name or display_path(path)
    try:
        raw = read_file(path, limit=MAX_TOML_BYTES, root=root)
    except ReadError as exc:
        raise BriefError(Diagnostic(name, 0, 0, str(exc), exc.hint)) from None
    try:
        text = raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise BriefError(
            Diagnostic(name, line, 1, "file is not valid UTF-8", "save it as UTF-8")
        ) from None
    try:
        data: dict[str, Any] = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
        line, col = (int(found.group(1)), int(found.group(2))) if found else (0, 0)
        if found:
            message = message[: found.start()]
        if not found and (end := re.search(r"\(at end of document\)$", message)):
            line = text.count("\n") + 1
            message = message[: end.start()].rstrip()
        raise BriefError(
            Diagnostic(
                name,
                line,
                col,
                f"invalid TOML: {message[:1].lower()}{message[1:]}",
                "see https://toml.io for the syntax",
                excerpt=excerpt(text, line, col),
            )
        ) from None
    positions = toml_positions(text)
    positions.values.setdefault((), Position(1, 1))
    return Source(path, name, data, positions, text)
