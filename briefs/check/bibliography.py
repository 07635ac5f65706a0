"""Sources imported from the files a brief names under ``bibliography:``.

A ``.bib`` file (BibTeX or BibLaTeX) is parsed by pybtex, and its LaTeX (``{AI}``,
``\\'e``, ``--``) turned into text by pybtex's own reader; a ``.json`` file is CSL-JSON as
Zotero and other managers export it, read by :mod:`json`. Each entry becomes the fields of a
:class:`~briefs.schema.sources.SourceEntry`, with the position of each field *in the
bibliography file*, so a bad DOI in ``refs.bib`` is reported at ``refs.bib:12:9``.
Validation (:mod:`briefs.check.validate`) then checks them as it checks inline sources.

The formats are read by :mod:`briefs.check.bibtex` and :mod:`briefs.check.csl`; this module
reads the files (confined to the brief's folder, bounded), and checks the keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from briefs.check import bibtex, csl
from briefs.errors import BriefError, Diagnostic, display_path
from briefs.source import (
    ReadError,
    Source,
    read_file,
)
from briefs.text import citations

MAX_BYTES = 2_000_000
"""Largest bibliography file read (a 2,000-entry Zotero library is about 1 MB)."""
MAX_ENTRIES = 5_000
"""Most entries one file may hold."""

_KEY = re.compile(rf"^{citations.ID}$")


@dataclass(frozen=True)
class Entry:
    """One imported entry: its key (the id it is cited by), its fields and their positions."""

    key: str
    """The BibTeX key or CSL ``id``: cited as ``[@key]``."""
    source: Source
    """The entry's fields as ``SourceEntry`` fields (``data``), positioned in its file."""


def load(brief: Source) -> tuple[list[Entry], list[Diagnostic], bool]:
    """The entries of every file ``brief`` names under ``bibliography``, the problems found
    reading them (a file that cannot be read, a syntax error, a key cited twice), and
    whether every file was read (when one was not, its keys are unknown)."""
    names = brief.data.get("bibliography") if isinstance(brief.data, dict) else None
    if not isinstance(names, list):
        return [], [], True
    folder = brief.path.parent
    entries: list[Entry] = []
    errors: list[Diagnostic] = []
    for i, name in enumerate(names):
        if not isinstance(name, str):
            continue  # the model reports it
        path = ("bibliography", i)
        suffix = Path(name).suffix.lower()
        if suffix not in (".bib", ".json"):
            errors.append(
                brief.diagnostic(
                    path,
                    f"'{name}' is neither a .bib (BibTeX) nor a .json (CSL-JSON) file",
                    "export the library as BibTeX or as CSL JSON",
                )
            )
            continue
        try:
            raw = read_file(folder / name, limit=MAX_BYTES, root=folder)
        except ReadError as exc:
            errors.append(brief.diagnostic(path, f"'{name}': {exc}", exc.hint))
            continue
        shown = display_path(folder / name)
        try:
            text = raw.decode("utf-8").removeprefix("\ufeff")
        except UnicodeDecodeError:
            errors.append(brief.diagnostic(path, f"'{name}' is not UTF-8", "save it as UTF-8"))
            continue
        try:
            found = (
                bibtex.bibtex(text, folder / name, shown)
                if suffix == ".bib"
                else csl.csl(text, shown)
            )
        except BriefError as exc:
            errors.extend(exc.diagnostics)
            continue
        if len(found) > MAX_ENTRIES:
            errors.append(
                brief.diagnostic(
                    path, f"'{name}' has {len(found):,} entries; at most {MAX_ENTRIES:,}"
                )
            )
            continue
        entries.extend(Entry(key, fields) for key, fields in found)
    unread = len(errors)
    errors.extend(_bad_keys(entries))
    return entries, errors, unread == 0


def _bad_keys(entries: list[Entry]) -> Iterator[Diagnostic]:
    seen: dict[str, Entry] = {}
    for entry in entries:
        if not _KEY.match(entry.key):
            yield entry.source.diagnostic(
                (),
                f"key '{entry.key}' cannot be cited as [@{entry.key}]",
                "a key starts with a letter or digit and holds only letters, digits, - and _",
            )
        first = seen.setdefault(entry.key, entry)
        if first is not entry:
            at = first.source.positions.of_value(())
            yield entry.source.diagnostic(
                (),
                f"duplicate source '{entry.key}'",
                f"it is also in {first.source.name}:{at.line}:{at.col}; keep one",
            )
