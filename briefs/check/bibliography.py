"""Sources imported from the files a brief names under ``bibliography:``.

A ``.bib`` file (BibTeX or BibLaTeX) is parsed by pybtex, and its LaTeX (``{AI}``,
``\\'e``, ``--``) turned into text by pybtex's own reader; a ``.json`` file is CSL-JSON as
Zotero and other managers export it, read by :mod:`json`. Each entry becomes the fields of a
:class:`~briefs.schema.sources.SourceEntry`, with the position of each field *in the
bibliography file*, so a bad DOI in ``refs.bib`` is reported at ``refs.bib:12:9``.
Validation (:mod:`briefs.check.validate`) then checks them as it checks inline sources.

pybtex gives no positions beyond its syntax errors' line: an entry's position is where its
``@type{key,`` stands in the text, a field's where ``name =`` stands after it. JSON is
YAML, so a CSL-JSON file is also read by briefs's YAML loader, for the position of every
value; :mod:`json` decides what the values are (YAML 1.1 would read ``1e5`` as text).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefs.errors import BriefError, Diagnostic, display_path
from briefs.schema.sources import SOURCE_TYPES
from briefs.source import (
    FieldPath,
    Position,
    Positions,
    ReadError,
    Source,
    line_starts,
    load_yaml_bytes,
    position,
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
            found = bibtex(text, folder / name, shown) if suffix == ".bib" else csl(text, shown)
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
        entries.extend(found)
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


# -- BibTeX -------------------------------------------------------------------------------

_BIB_TYPES = {
    "article": "article-journal",
    "book": "book",
    "inbook": "book",
    "incollection": "book",
    "booklet": "book",
    "inproceedings": "article-journal",
    "conference": "article-journal",
    "techreport": "report",
    "report": "report",
    "thesis": "report",
    "phdthesis": "report",
    "mastersthesis": "report",
    "manual": "report",
    "online": "webpage",
    "www": "webpage",
    "electronic": "webpage",
    "dataset": "dataset",
    "data": "dataset",
    "legislation": "legislation",
    "legal": "legislation",
    "jurisdiction": "legislation",
    "unpublished": "report",
}
_LANGUAGES = {
    "korean": "ko",
    "ko": "ko",
    "english": "en",
    "en": "en",
    "american": "en",
    "british": "en",
    "english-us": "en",
}


def _kind(entry_type: str, fields: dict[str, str]) -> str:
    """The source type of a BibTeX entry: its type, refined by ``entrysubtype`` or ``type``."""
    hint = f"{fields.get('entrysubtype', '')} {fields.get('type', '')}".lower()
    if "newspaper" in hint or "magazine" in hint:
        return "article-newspaper"
    if "press" in hint or "보도" in hint:
        return "press-release"
    if "speech" in hint or "statement" in hint or "연설" in hint:
        return "speech"
    return _BIB_TYPES.get(entry_type.lower(), "webpage" if "url" in fields else "report")


def bibtex(text: str, path: Path, name: str) -> list[Entry]:
    """The entries of a BibTeX or BibLaTeX file, or :class:`BriefError` at its syntax error."""
    from pybtex.database import BibliographyDataError, parse_string
    from pybtex.scanner import PybtexSyntaxError

    starts = line_starts(text)
    try:
        data = parse_string(text, "bibtex")
    except PybtexSyntaxError as exc:
        line = getattr(exc, "lineno", 0) or 0
        info = getattr(exc, "error_context_info", None)
        col = 1
        if info and len(info) == 3 and 0 <= info[2] <= len(text):
            at = position(starts, info[2])
            if at.line == line:
                col = at.col
        raise BriefError(
            Diagnostic(
                name,
                line,
                col,
                f"BibTeX syntax error: {exc.args[0] if exc.args else exc}".replace(
                    f" in line {line}", ""
                ),
                "check the braces and commas of the entry",
            )
        ) from None
    except BibliographyDataError as exc:
        message = str(exc)
        key = message.rpartition(": ")[2]
        found = list(_entry_starts(text, key))
        at = position(starts, found[1]) if len(found) > 1 else Position(0, 0)
        first = position(starts, found[0]) if found else Position(0, 0)
        raise BriefError(
            Diagnostic(
                name,
                at.line,
                at.col,
                f"duplicate source '{key}'",
                f"the first is on line {first.line}; keep one",
            )
        ) from None
    except Exception as exc:  # pybtex raises PybtexError subclasses for what it refuses
        raise BriefError(Diagnostic(name, 0, 0, f"cannot read BibTeX: {exc}")) from None
    entries = []
    starts_of: dict[str, int] = {}  # each key's first `@type{key,`, found in one pass
    for match in _ENTRY.finditer(text):
        starts_of.setdefault(match.group(1).lower(), match.start())
    for key, entry in data.entries.items():
        offset = starts_of.get(key.lower(), 0)
        positions = Positions()
        positions.values[()] = position(starts, offset)
        fields = {k.lower(): _latex(v) for k, v in entry.fields.items()}
        values = _bib_fields(entry.type, fields)
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        if people:
            values["authors"] = [_person(p) for p in people]
        for field_name, bib_names in _BIB_NAMES.items():
            if field_name in values:
                field_at = _field_offset(text, offset, bib_names)
                if field_at is not None:
                    positions.values[(field_name,)] = position(starts, field_at)
                    positions.keys[(field_name,)] = position(starts, field_at)
        entries.append(Entry(key, Source(path, name, values, positions, text)))
    return entries


_BIB_NAMES = {  # SourceEntry field → the BibTeX fields it may come from
    "title": ("title",),
    "publisher": ("publisher", "institution", "organization", "school"),
    "container": ("journal", "journaltitle", "booktitle", "series"),
    "number": ("number",),
    "volume": ("volume",),
    "issue": ("number", "issue"),
    "pages": ("pages",),
    "date": ("date", "year"),
    "doi": ("doi",),
    "isbn": ("isbn",),
    "url": ("url",),
    "accessed": ("urldate",),
    "authors": ("author", "editor"),
    "language": ("langid", "language"),
    "type": ("entrysubtype", "type"),
}


def _bib_fields(entry_type: str, f: dict[str, str]) -> dict[str, Any]:
    kind = _kind(entry_type, f)
    values: dict[str, Any] = {"type": kind, "title": f.get("title", "")}
    publisher = f.get("publisher") or f.get("institution") or f.get("organization")
    publisher = publisher or f.get("school")
    container = f.get("journal") or f.get("journaltitle") or f.get("booktitle")
    container = container or (f.get("series") if kind in ("report", "book") else None)
    if kind == "webpage" and not container:
        container = (
            f.get("howpublished")
            if not str(f.get("howpublished", "")).startswith("\\url")
            else None
        )
    if publisher:
        values["publisher"] = publisher
    if container:
        values["container"] = container
    if "number" in f:
        values["issue" if kind == "article-journal" else "number"] = f["number"]
    if "issue" in f:
        values["issue"] = f["issue"]
    for bib, ours in (
        ("volume", "volume"),
        ("pages", "pages"),
        ("doi", "doi"),
        ("isbn", "isbn"),
        ("url", "url"),
        ("urldate", "accessed"),
    ):
        if f.get(bib):
            values[ours] = f[bib]
    if values.get("doi", "").lower().startswith(("https://doi.org/", "http://dx.doi.org/")):
        values["doi"] = values["doi"].split(".org/", 1)[1]
    date = f.get("date") or f.get("year")
    if date:
        values["date"] = _bib_date(date, f.get("month"))
    language = (f.get("langid") or f.get("language") or "").lower()
    if language in _LANGUAGES:
        values["language"] = _LANGUAGES[language]
    return values


_MONTHS = {
    m: i
    for i, m in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        1,
    )
}


def _bib_date(date: str, month: str | None) -> str:
    """``2024`` + ``March`` → ``2024-03``; a BibLaTeX ``date = {2024-03-05}`` as it is."""
    if month and re.fullmatch(r"\d{4}", date):
        number = _MONTHS.get(month.strip().lower()) or (
            int(month) if month.strip().isdigit() else 0
        )
        if 1 <= number <= 12:
            return f"{date}-{number:02d}"
    return date


_LATEX = re.compile(r"[\\{}~$%&]|--")
"""What LaTeX reads otherwise than as written: commands, groups, ties, math, dashes."""


@functools.cache
def _plain_text() -> Any:
    # render_as("text") looks its backend up among the installed entry points at each call
    # (8 ms each: 0.8 s for 21 entries); the backend itself is stateless.
    from pybtex.backends.plaintext import Backend

    return Backend()


def _latex(value: str) -> str:
    from pybtex.richtext import Text

    if not _LATEX.search(value):
        return " ".join(value.split())  # plain text (most fields): as LaTeX would read it
    try:
        text = str(Text.from_latex(value).render(_plain_text()))
    except Exception:  # text pybtex's LaTeX reader refuses is kept as written
        text = value
    return re.sub(r"\\([$%&_#{}])", r"\1", text)  # pybtex keeps \$ and \% escaped


def _person(person: Any) -> Any:
    """A pybtex person as ``{family, given}``, or an organisation's name (``{Korea
    Development Institute}``, written in braces so that BibTeX does not split it)."""
    last = " ".join(person.prelast_names + person.last_names)
    given = " ".join(person.first_names + person.middle_names)
    if not given and len(person.last_names) == 1 and person.last_names[0].startswith("{"):
        return _latex(person.last_names[0])
    out: dict[str, str] = {"family": _latex(last)}
    if given:
        out["given"] = _latex(given)
    return out


_ENTRY = re.compile(r"@\s*\w+\s*[{(]\s*([^\s,{}()]+)\s*,")


def _entry_starts(text: str, key: str) -> Iterator[int]:
    for match in re.finditer(rf"@\s*\w+\s*[{{(]\s*{re.escape(key)}\s*,", text):
        yield match.start()


def _field_offset(text: str, start: int, fields: tuple[str, ...]) -> int | None:
    """Offset of the first of ``fields`` written ``name =`` in the entry at ``start``."""
    end = text.find("\n@", start + 1)  # the next entry: each search stays in its own
    names = "|".join(fields)
    found = re.compile(rf"\b(?:{names})\s*=", re.I).search(
        text, start, end if end >= 0 else len(text)
    )
    return found.start() if found else None


# -- CSL-JSON -----------------------------------------------------------------------------

_CSL_TYPES = {
    **{t: t for t in SOURCE_TYPES},
    "article": "article-journal",
    "paper-conference": "article-journal",
    "article-magazine": "article-newspaper",
    "post-weblog": "webpage",
    "post": "webpage",
    "chapter": "book",
    "thesis": "report",
    "manuscript": "report",
    "document": "report",
    "bill": "legislation",
    "regulation": "legislation",
    "treaty": "legislation",
    "interview": "speech",
}
_CSL_FIELDS = {  # CSL variable → SourceEntry field
    "title": "title",
    "publisher": "publisher",
    "container-title": "container",
    "collection-title": "container",
    "number": "number",
    "volume": "volume",
    "issue": "issue",
    "page": "pages",
    "DOI": "doi",
    "ISBN": "isbn",
    "URL": "url",
    "language": "language",
}


def csl(text: str, name: str) -> list[Entry]:
    """The entries of a CSL-JSON file (a list of items), positioned."""
    try:
        items = json.loads(text)
    except json.JSONDecodeError as exc:
        raise BriefError(
            Diagnostic(
                name,
                exc.lineno,
                exc.colno,
                f"invalid JSON: {exc.msg}",
                "export the library again as CSL JSON",
            )
        ) from None
    except RecursionError:
        raise BriefError(Diagnostic(name, 0, 0, "JSON nested too deeply")) from None
    if isinstance(items, dict) and isinstance(items.get("items"), list):
        items = items["items"]
    if not isinstance(items, list):
        raise BriefError(Diagnostic(name, 1, 1, "CSL-JSON is a list of items [{…}, …]"))
    try:  # positions only; a file YAML cannot read keeps the entries' order for positions
        where = load_yaml_bytes(text.replace("\t", " ").encode(), path=Path(name), name=name)
        located = where.positions
    except BriefError:
        located = Positions()
    entries = []
    for i, item in enumerate(items):
        if not isinstance(item, dict):
            at = located.of_value((i,))
            raise BriefError(Diagnostic(name, at.line, at.col, "a CSL item must be a mapping {…}"))
        key = _csl_key(item)
        positions = Positions()
        positions.values[()] = located.of_value((i,))
        values: dict[str, Any] = {}
        for csl_name, ours in _CSL_FIELDS.items():
            if csl_name in item and ours not in values:
                values[ours] = item[csl_name]
                _locate(positions, located, (i, csl_name), (ours,))
        kind = str(item.get("type", "report"))
        genre = str(item.get("genre", "")).lower()
        values["type"] = (
            "press-release"
            if "press" in genre or "보도" in genre
            else _CSL_TYPES.get(kind, "report")
        )
        _locate(positions, located, (i, "type"), ("type",))
        if isinstance(values.get("language"), str):
            lang = values["language"].split("-")[0].lower()
            values["language"] = lang if lang in ("ko", "en") else None
            if values["language"] is None:
                del values["language"]
        if "author" in item or "editor" in item:
            role = "author" if "author" in item else "editor"
            values["authors"] = (
                [_csl_name(n) for n in item[role]] if isinstance(item[role], list) else item[role]
            )
            _locate(positions, located, (i, role), ("authors",))
            for j in range(len(values["authors"]) if isinstance(values["authors"], list) else 0):
                _locate(positions, located, (i, role, j), ("authors", j))
        for csl_name, ours in (("issued", "date"), ("accessed", "accessed")):
            if csl_name in item:
                values[ours] = _csl_date(item[csl_name])
                _locate(positions, located, (i, csl_name), (ours,))
        entries.append(Entry(key, Source(Path(name), name, values, positions, text)))
    return entries


def _csl_key(item: dict[str, Any]) -> str:
    """The key an item is cited by: its ``citation-key`` (Zotero 7, Better BibTeX), else its
    ``id``; a Zotero item URI (``http://zotero.org/users/local/…/items/IWAUVD53``) gives its
    item key (``IWAUVD53``)."""
    key = str(item.get("citation-key") or item.get("id", ""))
    if key.startswith(("http://zotero.org/", "https://zotero.org/")):
        key = key.rstrip("/").rpartition("/")[2]
    return key


def _locate(positions: Positions, located: Positions, csl_path: FieldPath, ours: FieldPath) -> None:
    if csl_path in located.values:
        positions.values[ours] = located.values[csl_path]
    if csl_path in located.keys:
        positions.keys[ours] = located.keys[csl_path]


def _csl_name(name: Any) -> Any:
    if isinstance(name, dict) and "literal" in name:
        return str(name["literal"])
    if isinstance(name, dict):
        return {k: v for k, v in name.items() if k in ("family", "given")}
    return name


def _csl_date(value: Any) -> Any:
    """CSL ``{"date-parts": [[2024, 3, 5]]}`` → ``2024-03-05`` (``2024-03``, ``2024``)."""
    if isinstance(value, dict):
        parts = value.get("date-parts")
        if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
            numbers = [int(p) for p in parts[0][:3] if str(p).isdigit()]
            return "-".join([f"{numbers[0]:04d}", *(f"{n:02d}" for n in numbers[1:])])
        if "raw" in value:
            return str(value["raw"])
        if "literal" in value:
            return str(value["literal"])
    return value
