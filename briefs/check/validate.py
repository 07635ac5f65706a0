"""Stage 2b: turn a loaded YAML file into a :class:`Brief`, or report every problem at once.

Three passes, all of whose findings are collected before raising:

1. structure and types, by pydantic, each error mapped back to its YAML node;
2. references, on the raw data so they run even when pass 1 failed: unique ids, cited
   source ids (in lists and inline ``[@id]``), finding ids in ``based_on``, audience names,
   anchors (:mod:`briefs.check.anchors`);
3. translations: a brief built in several languages must give every text in each of them.
"""

from __future__ import annotations

import difflib
from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from briefs.check import anchors, assets, bibliography, charts, fonts
from briefs.errors import BriefError, Diagnostic
from briefs.schema import fields
from briefs.schema.base import Localized, Original
from briefs.schema.brief import Brief
from briefs.schema.sources import UNION_TAGS, SourceEntry
from briefs.source import (
    FieldPath,
    Positions,
    Source,
    format_path,
    items,
    load_yaml_file,
    strings,
    walk,
)
from briefs.text import citations, markdown

MAX_TEXT = 100_000
"""Most characters in one text (a field, in one language): fifty times the longest in the
example briefs; beyond it a field is an error, so no text processing meets an unbounded field."""
MAX_CITATION_ERRORS = 20
"""Unknown citations reported one by one per field; the rest are counted."""

_WITH_IDS = ("key_figures", "findings", "implications", "recommendations", "sources", "figures")


@dataclass
class Validated:
    """A valid brief, with its source file (for positions) and any warnings."""

    brief: Brief
    source: Source
    warnings: list[Diagnostic] = field(default_factory=list)
    imported: dict[str, Source] = field(default_factory=dict)
    """The sources read from ``bibliography`` files, by id: each entry's fields, positioned
    in its file (``source.diagnostic(("doi",), …)`` points into ``refs.bib``)."""

    def source_diagnostic(
        self, index: int, field_name: str | None, message: str, hint: str = ""
    ) -> Diagnostic:
        """A diagnostic at source ``index`` of ``brief.sources`` (at its ``field_name``):
        in the brief for an inline source, in its bibliography file for an imported one."""
        src = self.brief.sources[index]
        if src.id in self.imported:
            entry = self.imported[src.id]
            return entry.diagnostic((field_name,) if field_name else (), message, hint)
        path: FieldPath = ("sources", index, field_name) if field_name else ("sources", index)
        return self.source.diagnostic(path, message, hint)


def load_brief(
    path: Path | str,
    *,
    audiences: Sequence[str] | None = None,
    allow_missing_translations: bool = False,
    defaults: Mapping[str, Any] | None = None,
) -> Validated:
    """Load and validate the brief at ``path``.

    ``audiences`` lists the audience names that exist (built-in and user profiles); when
    omitted, names are not checked. ``defaults`` are top-level fields (from the project
    file) the brief gets when it does not give them. Raises :class:`BriefError` with every
    problem found.
    """
    source = load_yaml_file(Path(path))
    if defaults and isinstance(source.data, dict):
        missing = {k: v for k, v in defaults.items() if k not in source.data}
        source = replace(source, data={**source.data, **missing})
    return validate(
        source, audiences=audiences, allow_missing_translations=allow_missing_translations
    )


def validate(
    source: Source,
    *,
    audiences: Sequence[str] | None = None,
    allow_missing_translations: bool = False,
) -> Validated:
    """Validate a loaded file; see :func:`load_brief`."""
    data = source.data
    if not isinstance(data, dict):
        raise BriefError(
            source.diagnostic(
                (), "a brief must be a YAML mapping of fields", "start from `briefs new ID`"
            )
        )
    errors: list[Diagnostic] = []
    brief: Brief | None = None
    imported, keys, bib_errors = _imported(source, data)
    errors.extend(bib_errors)
    inline = data.get("sources", [])
    extra = [found.entry for found in imported.values()]
    merged = {**data, "sources": [*inline, *extra]} if isinstance(inline, list) else data
    try:
        brief = Brief.model_validate(merged)
    except ValidationError as exc:
        errors.extend(positioned_errors(source, exc, Brief))
        errors.extend(_inside_misspelt_fields(source, data, exc))
    errors.extend(_check_references(source, data, audiences, keys))
    errors.extend(anchors.check(source))  # ids are briefs's own, each used once
    errors.extend(
        source.diagnostic(path, f"{len(text):,} characters; a text may have at most {MAX_TEXT:,}")
        for path, text in strings(data)
        if len(text) > MAX_TEXT
    )
    errors.extend(_check_notes(source, data))
    errors.extend(fonts.check(source))
    errors.extend(charts.check(source, brief))  # issue 6: chart data, CSV files, specs
    # An image that cannot be embedded is left out of the outputs, with a warning here;
    # one over the pixel limits (a decompression bomb) is an error.
    warnings, image_errors = assets.check(source)
    errors.extend(image_errors)
    if brief is not None:
        missing = list(missing_translations(source, brief))
        if allow_missing_translations:
            warnings.extend(missing)
        else:
            errors.extend(missing)
    if errors or brief is None:
        raise BriefError(sorted(set(errors), key=lambda d: (d.path, d.line, d.col, d.message)))
    return Validated(brief, source, warnings, {k: v.source for k, v in imported.items()})


@dataclass(frozen=True)
class _Import:
    entry: SourceEntry
    source: Source


def _imported(
    brief: Source, data: dict[str, Any]
) -> tuple[dict[str, _Import], list[str] | None, list[Diagnostic]]:
    """The sources of the brief's ``bibliography`` files, validated; the keys of all their
    entries (one whose fields are wrong is still a known id: its errors are in its file);
    and every problem found in them, positioned in those files."""
    entries, errors, complete = bibliography.load(brief)
    inline = {
        item["id"]: i for i, item in items(data, "sources") if isinstance(item.get("id"), str)
    }
    found: dict[str, _Import] = {}
    for entry in entries:
        if entry.key in inline:
            at = brief.positions.of_value(("sources", inline[entry.key], "id"))
            errors.append(
                entry.source.diagnostic(
                    (),
                    f"duplicate source '{entry.key}'",
                    f"it is also under sources: in {brief.name}:{at.line}:{at.col}; keep one",
                )
            )
            continue
        if entry.key in found:
            continue  # reported by bibliography.load
        try:
            model = SourceEntry.model_validate({**entry.source.data, "id": "imported"})
        except ValidationError as exc:
            errors.extend(
                replace(d, message=f"@{entry.key} {d.message}")
                for d in positioned_errors(entry.source, exc, SourceEntry)
            )
            continue
        errors.extend(fonts.check(entry.source))
        found[entry.key] = _Import(model.model_copy(update={"id": entry.key}), entry.source)
    # A file that could not be read leaves its keys unknown: citing them is not an error too.
    return found, [entry.key for entry in entries] if complete else None, errors


# -- pass 1: pydantic errors → positioned diagnostics -------------------------------------

_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field",
    "string_type": "expected text",
    "list_type": "expected a list",
    "dict_type": "expected a mapping",
    "model_type": "expected a mapping of fields",
    "date_from_datetime_parsing": "expected a date like 2025-01-27",
    "date_parsing": "expected a date like 2025-01-27",
    "date_type": "expected a date like 2025-01-27",
    "bool_type": "expected true or false",
    "bool_parsing": "expected true or false",
    "float_type": "expected a number",
    "float_parsing": "expected a number",
}


def positioned_errors(
    source: Source, exc: ValidationError, root: type[BaseModel]
) -> Iterator[Diagnostic]:
    """pydantic's errors for a model of type ``root`` read from ``source``, positioned.

    A misspelt field gives one message, at the misspelling, not also "required field is
    missing" for the field it was meant to be.
    """
    errors = [(_clean_loc(err["loc"], source.data), err) for err in exc.errors(include_url=False)]
    typos = {
        (*loc[:-1], close[0])
        for loc, err in errors
        if err["type"] == "extra_forbidden"
        and (
            close := difflib.get_close_matches(
                str(loc[-1]), _known_fields(loc[:-1], root), n=1, cutoff=0.6
            )
        )
    }
    for loc, err in errors:
        kind = err["type"]
        message = _MESSAGES.get(kind) or err["msg"].removeprefix("Value error, ")
        hint = ""
        if kind == "missing":
            if loc not in typos:
                # Point at the mapping that lacks the field.
                yield source.diagnostic(loc, message)
            continue
        if kind == "extra_forbidden":
            known = _known_fields(loc[:-1], root)
            close = difflib.get_close_matches(str(loc[-1]), known, n=1, cutoff=0.6)
            hint = (
                f"did you mean '{close[0]}'?"
                if close
                else (f"known fields: {', '.join(known)}" if known else "")
            )
            yield source.diagnostic(loc, message, hint, at_key=True)
            continue
        value = err.get("input")
        if kind == "list_type" and isinstance(value, dict):
            dashed = next((k for k in value if isinstance(k, str) and k.startswith("-")), None)
            if dashed is not None:  # `-name: …` is a key, not a list item
                yield source.diagnostic(
                    (*loc, dashed),
                    "a list item needs a space after '-'",
                    f"write '- {dashed[1:]}: …'",
                    at_key=True,
                )
                continue
        if kind == "string_pattern_mismatch" and loc and loc[-1] in ("id", "based_on"):
            message = "must be a slug: lower-case letters, digits and hyphens"
            hint = "e.g. market-shock"
        elif kind == "string_pattern_mismatch" and "url" in loc:
            message = "must be an http:// or https:// address"
        elif kind == "too_short":
            message = "must not be empty"
        elif kind == "literal_error":
            message = f"must be one of {err['ctx']['expected']}"
        if not isinstance(err.get("input"), dict | list) and kind.endswith("_type"):
            message = f"{message}, got {type(err['input']).__name__} {err['input']!r}"
        yield source.diagnostic(loc, message, hint)


def _inside_misspelt_fields(
    source: Source, data: dict[str, Any], exc: ValidationError
) -> Iterator[Diagnostic]:
    """Problems inside a misspelt top-level field, checked as the field it most likely means.

    ``recomendations:`` is reported as unknown; without this, a typo inside it
    (``owener:``) would only show once the first is fixed.
    """
    for err in exc.errors(include_url=False):
        typo = err["loc"][0] if err["type"] == "extra_forbidden" and len(err["loc"]) == 1 else None
        if not isinstance(typo, str):
            continue
        close = difflib.get_close_matches(typo, list(Brief.model_fields), n=1, cutoff=0.6)
        if not close or close[0] in data:
            continue
        meant = close[0]
        renamed = Source(
            source.path,
            source.name,
            {(meant if key == typo else key): value for key, value in data.items()},
            Positions(
                {_renamed(k, typo, meant): v for k, v in source.positions.values.items()},
                {_renamed(k, typo, meant): v for k, v in source.positions.keys.items()},
            ),
            source.text,
        )
        try:
            Brief.model_validate(renamed.data)
        except ValidationError as inner:
            for found in positioned_errors(renamed, inner, Brief):
                rest = found.message.removeprefix(meant)
                if rest != found.message and rest[:1] in ("[", "."):
                    yield replace(found, message=typo + rest)


def _renamed(path: FieldPath, old: str, new: str) -> FieldPath:
    return (new, *path[1:]) if path[:1] == (old,) else path


def _clean_loc(loc: tuple[int | str, ...], data: Any) -> FieldPath:
    """Drop pydantic's union/validator labels, keeping only keys that exist in the data."""
    out: list[int | str] = []
    node = data
    for part in loc:
        if part in UNION_TAGS and not (isinstance(node, dict) and part in node):
            continue  # the arm of a tagged union pydantic tried, not a key
        if isinstance(node, dict) and isinstance(part, str) and (part in node or part == loc[-1]):
            out.append(part)
            node = node.get(part)
        elif isinstance(node, list) and isinstance(part, int):
            out.append(part)
            node = node[part] if part < len(node) else None
        elif isinstance(node, dict) and isinstance(part, str):
            # A field that is missing from a nested mapping.
            out.append(part)
            node = None
    return tuple(out)


def _known_fields(path: FieldPath, root: type[BaseModel]) -> list[str]:
    """Field names of the model found at ``path`` below ``root``."""
    model: type[BaseModel] | None = root
    keyed = False  # the next part is a key of a dict (an audience name), not a field
    for part in path:
        if model is None or isinstance(part, int):
            continue
        if keyed:
            keyed = False
            continue
        info = model.model_fields.get(str(part))
        if info is None:
            return []
        keyed = getattr(info.annotation, "__origin__", None) is dict
        model = _model_of(info.annotation)
    return list(model.model_fields) if model is not None else []


def _model_of(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or getattr(annotation, "__metadata__", ()):
        if (found := _model_of(arg)) is not None:
            return found
    origin = getattr(annotation, "__origin__", None)
    return _model_of(origin) if origin not in (None, list, dict) else None


# -- pass 2: references -------------------------------------------------------------------


def _check_references(
    source: Source,
    data: dict[str, Any],
    audiences: Sequence[str] | None,
    imported: list[str] | None,
) -> Iterator[Diagnostic]:
    """Ids that repeat, and references to ids that do not exist; ``imported`` lists the keys
    of the bibliography files (``None`` when one could not be read: then source ids are not
    checked, as each would be reported)."""
    for section in _WITH_IDS:
        seen: dict[str, int] = {}
        for i, item in items(data, section):
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            if item_id in seen:
                first = source.positions.of_value((section, seen[item_id], "id")).line
                yield source.diagnostic(
                    (section, i, "id"), f"duplicate id '{item_id}'", f"the first is on line {first}"
                )
            else:
                seen[item_id] = i

    source_ids = [
        item["id"] for _, item in items(data, "sources") if isinstance(item.get("id"), str)
    ] + (imported or [])
    finding_ids = [
        item["id"] for _, item in items(data, "findings") if isinstance(item.get("id"), str)
    ]

    def unknown(kind: str, value: str, known: list[str]) -> tuple[str, str]:
        close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
        hint = f"did you mean '{close[0]}'?" if close else f"add it under '{kind}:'"
        return f"unknown {kind[:-1]} id '{value}'", hint

    for path, value in walk(data):
        if not isinstance(value, str):
            continue
        parent = path[-2] if len(path) >= 2 else None
        if parent == "sources" and path[0] != "sources" and isinstance(path[-1], int):
            if value not in source_ids and imported is not None:
                yield source.diagnostic(path, *unknown("sources", value, source_ids))
        elif parent == "based_on" and isinstance(path[-1], int):
            if value not in finding_ids:
                yield source.diagnostic(path, *unknown("findings", value, finding_ids))
        elif path[0] != "sources":
            bad = list(_bad_citations(value, source_ids if imported is not None else None))
            for offset, cited_id in bad[:MAX_CITATION_ERRORS]:
                if cited_id is None:
                    mark = citations.CANDIDATE.match(value, offset)
                    written = mark.group() if mark else "[@"
                    yield _at_offset(
                        source, path, offset, f"malformed citation {written}", citations.FORMS
                    )
                else:
                    message, hint = unknown("sources", cited_id, source_ids)
                    yield _at_offset(source, path, offset, f"[@{cited_id}]: {message}", hint)
            if len(bad) > MAX_CITATION_ERRORS:
                yield _at_offset(
                    source,
                    path,
                    bad[MAX_CITATION_ERRORS][0],
                    f"and {len(bad) - MAX_CITATION_ERRORS:,} more unknown citations",
                    "",
                )

    if audiences is None:
        return
    known = list(audiences)
    for path, value in _audience_refs(data):
        if value not in known:
            close = difflib.get_close_matches(value, known, n=1, cutoff=0.6)
            hint = f"did you mean '{close[0]}'?" if close else f"known: {', '.join(known)}"
            yield source.diagnostic(
                path, f"unknown audience '{value}'", hint, at_key=not isinstance(path[-1], int)
            )


def _check_notes(source: Source, data: dict[str, Any]) -> Iterator[Diagnostic]:
    """Markdown footnotes that cannot be set: calls with no definition, unused definitions."""
    for path, value in fields.markdown_values(data):
        texts = value.items() if isinstance(value, dict) else [(None, value)]
        for lang, text in texts:
            if not isinstance(text, str):
                continue
            at = path if lang is None else (*path, lang)
            for problem in markdown.note_problems(text):
                yield _at_offset(source, at, problem.offset, problem.message, problem.hint)


def _bad_citations(text: str, known: Collection[str] | None) -> Iterator[tuple[int, str | None]]:
    """Unknown ids (offset, id) and malformed marks (offset, None) in ``text``, in order;
    with ``known`` None, malformed marks only."""
    found: list[tuple[int, str | None]] = [
        (offset, None) for offset, _ in citations.malformed(text)
    ]
    for mark in citations.marks(text):
        for i, (cited_id, offset) in enumerate(zip(mark.ids, mark.offsets, strict=True)):
            if known is not None and cited_id not in known:
                found.append((mark.start if i == 0 else offset, cited_id))
    yield from sorted(found, key=lambda item: item[0])


def _audience_refs(data: dict[str, Any]) -> Iterator[tuple[FieldPath, str]]:
    """Every audience name used in the brief, with its path."""

    def names(path: FieldPath, value: Any) -> Iterator[tuple[FieldPath, str]]:
        if isinstance(value, list):
            for i, name in enumerate(value):
                if isinstance(name, str):
                    yield (*path, i), name

    def keys(path: FieldPath, value: Any) -> Iterator[tuple[FieldPath, str]]:
        if isinstance(value, dict):
            for name in value:
                yield (*path, name), name

    yield from names(("audiences",), data.get("audiences"))
    yield from keys(("audience_summary",), data.get("audience_summary"))
    for section in fields.targeted_sections():
        for i, item in items(data, section):
            yield from names((section, i, "audiences"), item.get("audiences"))
            yield from keys((section, i, "notes"), item.get("notes"))


def _at_offset(source: Source, path: FieldPath, offset: int, message: str, hint: str) -> Diagnostic:
    """A diagnostic at a character inside a string value."""
    pos = source.locate(path, offset)
    return Diagnostic(source.name, pos.line, pos.col, f"{format_path(path)}: {message}", hint)


# -- pass 3: translations -----------------------------------------------------------------


def _localized(value: Any, path: FieldPath) -> Iterator[tuple[FieldPath, Localized]]:
    if isinstance(value, Original):
        return  # shown as written where it is not given in a language
    if isinstance(value, Localized):
        yield path, value
    elif isinstance(value, BaseModel):
        for name in type(value).model_fields:
            yield from _localized(getattr(value, name), (*path, name))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _localized(item, (*path, i))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _localized(item, (*path, key))


def missing_translations(source: Source, brief: Brief) -> Iterator[Diagnostic]:
    """Every text that lacks one of the brief's languages, positioned."""
    wanted = set(brief.languages)
    if len(wanted) < 2:
        return
    for path, text in _localized(brief, ()):
        missing = sorted(wanted - text.languages(brief.first_language))
        if missing:
            names = " and ".join(missing)
            if text.plain is None:  # already a mapping: only the missing languages are new
                hint = "add " + " and ".join(f"{lang}: …" for lang in missing)
            else:
                hint = f"write it as {{{', '.join(f'{lang}: …' for lang in brief.languages)}}}"
            yield source.diagnostic(path, f"missing translation ({names})", hint)
