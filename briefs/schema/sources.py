"""The sources a brief cites: who wrote them, what kind they are, where to find them.

A source is typed (``type: report``, ``article-journal``, …, the names of CSL, so that a
Zotero export maps one to one), has a list of ``authors`` (people ``{family, given}`` or
organisations), and the identifiers a reader needs to find it again: DOI, ISBN, report
number, journal or series, volume, issue, pages, URL and an archived copy. Sources are
typed by hand under ``sources:`` or imported from BibTeX and CSL-JSON files
(:mod:`briefs.check.bibliography`); both become the same :class:`SourceEntry`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal, get_args
from urllib.parse import urlsplit

from pydantic import AfterValidator, Discriminator, Field, Tag, model_validator

from briefs.schema.base import Lang, OriginalText, PartialDate, Slug, StrictModel

SourceType = Literal[
    "report",
    "article-journal",
    "article-newspaper",
    "press-release",
    "legislation",
    "dataset",
    "webpage",
    "book",
    "speech",
]
"""Kinds of source, named as CSL names them (``speech`` covers statements)."""

SOURCE_TYPES: tuple[str, ...] = get_args(SourceType)
"""Every :data:`SourceType`, in order."""

DOI_PATTERN = re.compile(r"^10\.\d{4,9}/\S+$")
"""A DOI: ``10.`` + a registrant code of 4–9 digits + ``/`` + a suffix without spaces."""


def check_doi(value: str) -> str:
    """``value`` when it is a DOI (``10.48550/arXiv.2412.19437``), else a ValueError."""
    if value.lower().startswith(("https://doi.org/", "http://doi.org/", "doi:")):
        raise ValueError("write the DOI itself, without its 'https://doi.org/' or 'doi:' prefix")
    if not DOI_PATTERN.match(value):
        raise ValueError(
            "is not a DOI: expected 10.<registrant>/<suffix>, e.g. 10.1038/nature12373"
        )
    return value


def isbn_ok(digits: str) -> bool:
    """Whether ``digits`` (hyphens and spaces removed) is an ISBN-10 or ISBN-13 whose check
    digit is right."""
    if re.fullmatch(r"\d{9}[\dX]", digits):
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return total % 11 == 0
    if re.fullmatch(r"97[89]\d{10}", digits):
        total = sum(int(c) * (1 if i % 2 == 0 else 3) for i, c in enumerate(digits))
        return total % 10 == 0
    return False


def check_isbn(value: str) -> str:
    """``value`` when it is an ISBN-10 or ISBN-13 with a right check digit."""
    digits = re.sub(r"[\s-]", "", value).upper()
    if not re.fullmatch(r"\d{9}[\dX]|\d{13}", digits):
        raise ValueError("is not an ISBN: expected 10 or 13 digits (hyphens allowed)")
    if not isbn_ok(digits):
        raise ValueError("ISBN check digit is wrong: a digit is mistyped")
    return value


def check_url(value: str) -> str:
    """``value`` when it is an http(s) address with a host and no spaces."""
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or re.search(r"\s", value):
        raise ValueError("must be an http:// or https:// address")
    if not parts.hostname or "." not in parts.hostname:
        raise ValueError("must name a host, as in https://www.example.org/…")
    return value


Doi = Annotated[str, AfterValidator(check_doi)]
Isbn = Annotated[str, AfterValidator(check_isbn)]
Url = Annotated[str, AfterValidator(check_url)]


class Person(StrictModel):
    """A person who wrote a source: ``{family: Kim, given: Minsu}`` or ``{family: 김, given:
    민수}``."""

    family: str = Field(min_length=1)
    """Family name (surname): ``Kim``, ``김``."""
    given: str | None = None
    """Given name(s): ``Minsu``, ``민수``."""


def _creator_kind(value: Any) -> str:
    if isinstance(value, Person) or (
        isinstance(value, dict) and ("family" in value or "given" in value)
    ):
        return "Person"
    return "Organisation"


UNION_TAGS = frozenset({"Person", "Organisation"})
"""The tags of :data:`Creator`'s arms, which pydantic puts in an error's location."""

Creator = Annotated[
    Annotated[Person, Tag("Person")] | Annotated[OriginalText, Tag("Organisation")],
    Discriminator(_creator_kind),
]
"""A person ``{family, given}``, or an organisation as a name or ``{ko: …, en: …}``."""


class SourceEntry(StrictModel):
    """A source cited by the brief."""

    id: Slug
    """Unique id, cited as ``[@id]`` (``[@id, p. 12]`` with a page) in Markdown or listed
    in ``sources:`` of an item."""
    type: SourceType | None = None
    """What kind of source: report, article-journal, article-newspaper, press-release,
    legislation, dataset, webpage, book or speech (a speech or statement). Omitted, it is
    cited as a report."""
    authors: list[Creator] = Field(default_factory=list)
    """Authors in order: people as ``{family: Kim, given: Minsu}``, organisations as a name
    or ``{ko: 한국개발연구원, en: Korea Development Institute}``."""
    author: str | None = None
    """The author(s) as one plain text, as older briefs give it; prefer ``authors``."""
    title: OriginalText
    """Title in its original language; ``{ko: …, en: …}`` gives it per edition language
    (``language`` says which one is the original)."""
    language: Lang | None = None
    """The language the source is written in; an edition in another language cites the
    title it gives for that language and says the source is in this one."""
    publisher: OriginalText | None = None
    """Publisher, institute or outlet; ``{ko: 산업통상자원부, en: Ministry of Trade, Industry
    and Energy}`` names it in each edition's language. Required unless ``container`` names
    the journal or newspaper, or the source is legislation."""
    container: OriginalText | None = None
    """What the source is part of: the journal, newspaper, website or report series."""
    number: str | None = None
    """Report or document number (``KDI FOCUS 2024-01``, ``NARS 현안분석 제300호``), or a
    law's number."""
    volume: str | None = None
    """Volume of the journal or series."""
    issue: str | None = None
    """Issue of the journal."""
    pages: str | None = None
    """Pages within the container (``45–67``)."""
    date: PartialDate | None = None
    """Publication date (2025-01-27, or 2025-01 when the day is unknown)."""
    doi: Doi | None = None
    """Digital Object Identifier, without ``https://doi.org/`` (``10.48550/arXiv.2412.19437``)."""
    isbn: Isbn | None = None
    """ISBN-10 or ISBN-13 of a book or report (hyphens allowed; the check digit is checked)."""
    url: Url | None = None
    """Web address (http or https)."""
    archived_url: Url | None = None
    """An archived copy of ``url`` (web.archive.org, archive.today), for when it moves."""
    accessed: dt.date | None = None
    """When the URL was last checked."""

    @model_validator(mode="after")
    def _who_and_where(self) -> SourceEntry:
        if self.author is not None and self.authors:
            raise ValueError("give 'authors' (a list) or 'author' (a text), not both")
        if self.publisher is None and self.container is None and self.type != "legislation":
            raise ValueError("give 'publisher' (or 'container', the journal or newspaper)")
        return self
