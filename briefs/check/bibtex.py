"""BibTeX and BibLaTeX files as source fields, each positioned in the file.

pybtex parses the file and its LaTeX reader turns ``{AI}``, ``\\'e`` and ``--`` into text.
pybtex gives no positions beyond its syntax errors' line: an entry's position is where its
``@type{key,`` stands in the text, a field's where ``name =`` stands after it. Before pybtex
sees a file, :func:`check_expansion` bounds what its ``@string`` macros expand to (pybtex
expands them eagerly: 30 doublings would be gigabytes).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from briefs.errors import BriefError, Diagnostic
from briefs.source import Position, Positions, Source, line_starts, position

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


MAX_EXPANSION = 100_000
"""Most characters a field or ``@string`` macro may expand to (a text's limit in a brief)."""
_AT = re.compile(r"@\s*(\w+)\s*([{(])")


def check_expansion(text: str) -> int | None:
    """The offset of the first entry or macro whose value would expand past
    :data:`MAX_EXPANSION` characters, or ``None``: in one pass, as BibTeX reads a file
    (``@string{a = b # b}`` is the size of ``b`` twice)."""
    sizes: dict[str, int] = {}
    pos = 0
    while (found := _AT.search(text, pos)) is not None:
        closing = "}" if found.group(2) == "{" else ")"
        end = _closing(text, found.end(), closing)
        kind = found.group(1).lower()
        if kind not in ("comment", "preamble"):
            for field in _split(text[found.end() : end], ","):
                key, eq, value = field.partition("=")
                if not eq:
                    continue
                size = sum(_size(part.strip(), sizes) for part in _split(value, "#"))
                if size > MAX_EXPANSION:
                    return found.start()
                if kind == "string":
                    sizes[key.strip().lower()] = size
        pos = max(end, found.end())
    return None


def _closing(text: str, start: int, closing: str) -> int:
    """Where the entry whose body starts at ``start`` ends (its ``}`` or ``)``)."""
    depth = 0
    quoted = False
    for i in range(start, len(text)):
        char = text[i]
        if char == "{":
            depth += 1
        elif char == "}":
            if depth == 0:
                return i
            depth -= 1
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == closing and depth == 0 and not quoted:
            return i
    return len(text)


def _split(text: str, separator: str) -> list[str]:
    """``text`` split at ``separator`` outside braces and quotes."""
    parts: list[str] = []
    depth, quoted, last = 0, False, 0
    for i, char in enumerate(text):
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == '"' and depth == 0:
            quoted = not quoted
        elif char == separator and depth == 0 and not quoted:
            parts.append(text[last:i])
            last = i + 1
    parts.append(text[last:])
    return parts


def _size(part: str, sizes: dict[str, int]) -> int:
    """What one operand of ``#`` expands to: a literal its length, a macro its size."""
    if part[:1] in ('"', "{") or part.isdigit():
        return len(part)
    return sizes.get(part.lower(), len(part))


def bibtex(text: str, path: Path, name: str) -> list[tuple[str, Source]]:
    """The entries of a BibTeX or BibLaTeX file, or :class:`BriefError` at its syntax error."""
    from pybtex.database import BibliographyDataError, parse_string
    from pybtex.scanner import PybtexSyntaxError

    starts = line_starts(text)
    if (too_big := check_expansion(text)) is not None:
        at = position(starts, too_big)
        raise BriefError(
            Diagnostic(
                name,
                at.line,
                at.col,
                f"this expands to more than {MAX_EXPANSION:,} characters through @string macros",
                "write the text out; macros joined with # must not double up",
            )
        )
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
    entries: list[tuple[str, Source]] = []
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
        entries.append((key, Source(path, name, values, positions, text)))
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
