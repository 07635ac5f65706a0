"""Which fields hold what, read from the models themselves.

Walkers that look for Markdown (lint's figure rules, citation checks, cache keys) call
:func:`markdown_values` instead of keeping their own list of field names, so a field added
to the schema is walked the day it is added. :func:`markdown_paths` names the fields in a
reviewed form (``findings[].notes{}``); a test holds it equal to the list in the test.
"""

from __future__ import annotations

import functools
import types
from collections.abc import Iterator
from typing import Annotated, Any, Union, get_args, get_origin

from pydantic import BaseModel

from briefs.schema.base import MARKDOWN, FieldKind, Targeted
from briefs.schema.brief import Brief
from briefs.source import FieldPath

_Step = str
"""A step of a field pattern: a field name, ``[]`` (every item) or ``{}`` (every value)."""


def _is_kind(annotation: Any, kind: FieldKind) -> bool:
    return get_origin(annotation) is Annotated and kind in annotation.__metadata__


def _steps(annotation: Any, kind: FieldKind, seen: frozenset[type]) -> Iterator[tuple[_Step, ...]]:
    """Patterns, relative to a value of type ``annotation``, of the fields of ``kind``."""
    if _is_kind(annotation, kind):
        yield ()
        return
    origin = get_origin(annotation)
    if origin is Annotated:
        yield from _steps(get_args(annotation)[0], kind, seen)
    elif origin in (Union, types.UnionType):
        found: list[tuple[_Step, ...]] = []
        for arm in get_args(annotation):
            found += [s for s in _steps(arm, kind, seen) if s not in found]
        yield from found
    elif origin is list:
        for rest in _steps(get_args(annotation)[0], kind, seen):
            yield ("[]", *rest)
    elif origin is dict:
        for rest in _steps(get_args(annotation)[1], kind, seen):
            yield ("{}", *rest)
    elif isinstance(annotation, type) and issubclass(annotation, BaseModel):
        if annotation in seen:
            return
        for name, info in annotation.model_fields.items():
            if kind in info.metadata:
                yield (name,)
                continue
            for rest in _steps(info.annotation, kind, seen | {annotation}):
                yield (name, *rest)


@functools.cache
def patterns(
    kind: FieldKind = MARKDOWN, model: type[BaseModel] = Brief
) -> tuple[tuple[str, ...], ...]:
    """Every field of ``model`` that holds ``kind``, as step patterns."""
    return tuple(_steps(model, kind, frozenset()))


def markdown_paths(model: type[BaseModel] = Brief) -> list[str]:
    """The Markdown fields of ``model``, written ``findings[].notes{}`` (for review)."""
    return [
        "".join(step if step in ("[]", "{}") else f".{step}" for step in pattern).lstrip(".")
        for pattern in patterns(MARKDOWN, model)
    ]


def values(
    data: Any, kind: FieldKind = MARKDOWN, model: type[BaseModel] = Brief
) -> Iterator[tuple[FieldPath, Any]]:
    """Every value of raw (loaded, not validated) ``data`` in a field of ``kind``, with its path.

    Values are yielded as written: a string, or a ``{ko: …, en: …}`` mapping. Parts of
    ``data`` that do not have the model's shape are skipped (validation reports them).
    """
    for pattern in patterns(kind, model):
        yield from _follow(data, pattern, ())


def markdown_values(data: Any, model: type[BaseModel] = Brief) -> Iterator[tuple[FieldPath, Any]]:
    """Every Markdown value of raw ``data``, with its path (see :func:`values`)."""
    return values(data, MARKDOWN, model)


def _follow(
    value: Any, pattern: tuple[str, ...], path: FieldPath
) -> Iterator[tuple[FieldPath, Any]]:
    if value is None:
        return
    if not pattern:
        yield path, value
        return
    step, rest = pattern[0], pattern[1:]
    if step == "[]":
        if isinstance(value, list):
            for i, item in enumerate(value):
                yield from _follow(item, rest, (*path, i))
    elif step == "{}":
        if isinstance(value, dict):
            for key, item in value.items():
                yield from _follow(item, rest, (*path, str(key)))
    elif isinstance(value, dict) and step in value:
        yield from _follow(value[step], rest, (*path, step))


def targeted_sections(model: type[BaseModel] = Brief) -> tuple[str, ...]:
    """Top-level lists of ``model`` whose items can be aimed at audiences (:class:`Targeted`)."""
    found = []
    for name, info in model.model_fields.items():
        if get_origin(info.annotation) is list:
            (item,) = get_args(info.annotation)
            if isinstance(item, type) and issubclass(item, Targeted):
                found.append(name)
    return tuple(found)
