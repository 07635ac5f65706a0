"""CSL-JSON files, as Zotero and other reference managers export them, as source fields.

:mod:`json` decides what the values are; JSON is YAML, so briefs's YAML loader also reads
the file, for the line and column of every value (YAML 1.1 alone would read ``1e5`` as
text, hence both).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from briefs.errors import BriefError, Diagnostic
from briefs.schema.sources import SOURCE_TYPES
from briefs.source import FieldPath, Positions, Source, load_yaml_bytes

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


def csl(text: str, name: str) -> list[tuple[str, Source]]:
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
    entries: list[tuple[str, Source]] = []
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
        entries.append((key, Source(Path(name), name, values, positions, text)))
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
