"""The building blocks of every model: strict frozen models, texts in two languages, dates.

A field typed :data:`Markdown` holds Markdown; one typed :data:`Text` holds plain text. The
two are the same value at run time (a :class:`Localized`), but the marker in ``Markdown``'s
metadata lets every walker find the Markdown fields from the models themselves (see
:mod:`briefs.schema.fields`).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainValidator,
    PrivateAttr,
    StringConstraints,
    model_validator,
)

LANGUAGES: tuple[str, ...] = ("ko", "en")
"""Languages a brief can be written and built in."""

Lang = Literal["ko", "en"]
Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=64)]
"""Lower-case letters, digits and single hyphens: safe in file names and URLs."""
Confidence = Literal["high", "medium", "low"]
Priority = Literal["high", "medium", "low"]
Horizon = Literal["immediate", "short", "medium", "long"]

MAX_MAGNITUDE = 1e18
"""The largest size of a number a brief gives (a chart value, an amount of money): 10¹⁸,
a quintillion (100경), ten times the world's yearly output in won. Beyond it a float loses
the digits a label writes, and axis arithmetic overflows."""


def bounded(value: Any) -> Any:
    """``value`` unchanged, unless it is a number that is not finite or beyond
    :data:`MAX_MAGNITUDE` (text, dates and booleans pass as they are)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        if isinstance(value, float) and not math.isfinite(value):
            raise ValueError("must be a finite number, not infinity or NaN")
        if abs(value) > MAX_MAGNITUDE:
            # No str(value): an int of thousands of digits cannot be printed.
            raise ValueError("is too large: numbers may be at most 10¹⁸ in size")
    return value


BoundedValue = Annotated[Any, AfterValidator(bounded)]
"""Any value, but a number in it finite and at most :data:`MAX_MAGNITUDE` in size."""

_PARTIAL_DATE = re.compile(r"^\d{4}(-(0[1-9]|1[0-2]))?$")


class StrictModel(BaseModel):
    """A frozen model that refuses unknown fields."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        coerce_numbers_to_str=True,
    )


class Localized(StrictModel):
    """A text in one or more languages: a plain string, or ``{ko: …, en: …}``."""

    ko: str | None = None
    """Korean text."""
    en: str | None = None
    """English text."""
    _plain: str | None = PrivateAttr(default=None)

    @model_validator(mode="after")
    def _not_empty(self) -> Localized:
        if self.ko is None and self.en is None and self._plain is None:
            raise ValueError("give the text in at least one language (ko or en)")
        return self

    @property
    def plain(self) -> str | None:
        """The text when it was written as a plain string (in the brief's first language)."""
        return self._plain

    def get(self, lang: str, first_lang: str) -> str | None:
        """The text in ``lang``; a plain string counts as the brief's first language."""
        value: str | None = getattr(self, lang, None)
        if value is None and lang == first_lang:
            value = self._plain
        return value

    def languages(self, first_lang: str) -> set[str]:
        """Languages this text is given in."""
        found = {lang for lang in LANGUAGES if getattr(self, lang) is not None}
        if self._plain is not None:
            found.add(first_lang)
        return found

    def any(self) -> str:
        """Some version of the text, for messages."""
        return self._plain or self.ko or self.en or ""


def _to_localized(value: Any) -> Any:
    if isinstance(value, str):
        text = Localized.model_construct()
        text._plain = value
        return text
    if isinstance(value, dict | Localized):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _to_localized(str(value))
    raise ValueError("expected text, or a mapping {ko: …, en: …}")


Text = Annotated[
    Localized,
    BeforeValidator(_to_localized, json_schema_input_type=str | Localized),
]
"""A plain string in the brief's first language, or a ``{ko: …, en: …}`` mapping."""


class Original(Localized):
    """A text in its original language — a source's title or publisher — optionally given
    in other languages too. Unlike :data:`Text`, a plain string needs no translation: it is
    shown as written (and marked as the language it is in) where no version is given."""


def _to_original(value: Any) -> Any:
    if isinstance(value, str) or (isinstance(value, int | float) and not isinstance(value, bool)):
        text = Original.model_construct()
        text._plain = str(value)
        return text
    if isinstance(value, Localized) and not isinstance(value, Original):
        return Original.model_validate(value.model_dump(exclude_none=True))
    if isinstance(value, dict | Original):
        return value
    raise ValueError("expected text, or a mapping {ko: …, en: …}")


OriginalText = Annotated[
    Original,
    BeforeValidator(_to_original, json_schema_input_type=str | Localized),
]
"""A plain string as written (no translation needed), or a ``{ko: …, en: …}`` mapping."""


class FieldKind:
    """A marker in a type's metadata naming what a field holds, for walkers."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"FieldKind({self.name!r})"


MARKDOWN = FieldKind("markdown")
"""The marker of :data:`Markdown` fields."""
FILE = FieldKind("file")
"""The marker of :data:`FileName` fields."""

FileName = Annotated[str, FILE]
"""A file next to the brief, named relative to the brief's folder."""

Markdown = Annotated[
    Localized,
    BeforeValidator(_to_localized, json_schema_input_type=str | Localized),
    MARKDOWN,
]
"""A :data:`Text` read as Markdown; may cite sources inline as ``[@source-id]``."""


def _partial_date(value: Any) -> dt.date | str:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if isinstance(value, str):
        if _PARTIAL_DATE.match(value):
            return value
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("expected a date like 2025-01-27, or a month 2025-01, or a year 2025")


PartialDate = Annotated[
    dt.date | str,
    PlainValidator(
        _partial_date,
        json_schema_input_type=dt.date
        | Annotated[str, StringConstraints(pattern=_PARTIAL_DATE.pattern)],
    ),
]
"""A date ``2025-01-27``, or a month ``2025-01`` or year ``2025`` when the day is unknown."""


class Targeted(StrictModel):
    """Fields shared by items that can be aimed at some audiences only."""

    audiences: list[str] | None = None
    """Audience editions this item appears in; omitted means every edition."""
    notes: dict[str, Markdown] = Field(default_factory=dict)
    """Per-audience notes ("what this means for you"), keyed by audience, shown only there."""
