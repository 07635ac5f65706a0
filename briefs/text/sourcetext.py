"""A source as one edition writes it: its texts in the edition's language, its dates, its
authors' names, and the small pieces every citation style is built from.

:mod:`briefs.text.styles` puts these pieces in each style's order and punctuation.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from markupsafe import Markup, escape

from briefs.schema.base import Localized
from briefs.schema.sources import Person, SourceEntry

_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")
_MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WORK = ("book", "report", "dataset")
"""Types that are works on their own (italic in APA and Chicago)."""
BY_YEAR = ("book", "report", "dataset", "article-journal")
"""Types kr-policy dates by the year only."""

_LABELS = {
    "ko": {
        "in": "",
        "press-release": "보도자료",
        "dataset": "데이터 세트",
        "speech": "연설",
        "accessed": "검색일: {}",
        "et-al": " 외",
        "nd": "연도 미상",
    },
    "en": {
        "in": " (in {})",
        "press-release": "press release",
        "dataset": "data set",
        "speech": "speech",
        "accessed": "accessed {}",
        "et-al": " et al.",
        "nd": "n.d.",
    },
}
_LANGUAGE_NAMES = {"ko": "Korean", "en": "English"}


class Styled:
    """One source as one edition cites it: texts in the edition's language, dates, names."""

    def __init__(self, src: SourceEntry, lang: str, first_lang: str) -> None:
        self.src = src
        self.lang = lang
        self.first_lang = first_lang
        self.labels = _LABELS[lang]

    def text(self, value: Localized | None) -> str:
        """The text in the edition's language, or as written."""
        if value is None:
            return ""
        found = value.get(self.lang, self.first_lang)
        return found if found is not None else value.any()

    @property
    def title(self) -> str:
        """The title, with ``(in Korean)`` when it is a translation of the original."""
        return self.text(self.src.title)

    @property
    def translated(self) -> str:
        """`` (in Korean)`` after a translated title; empty otherwise."""
        src = self.src
        if src.language is None or src.language == self.lang:
            return ""
        if src.title.get(self.lang, self.first_lang) is None:
            return ""  # shown in its original language
        return self.labels["in"].format(_LANGUAGE_NAMES[src.language])

    def date(self, *, year_only: bool = False, order: str = "dmy") -> str:
        """The date: ``2025. 1. 27.`` in Korean; in English ``27 January 2025`` (``dmy``),
        ``January 27, 2025`` (``mdy``) or ``2025, January 27`` (``ymd``)."""
        value = self.src.date
        if value is None:
            return ""
        if isinstance(value, dt.date):
            y, m, d = value.year, value.month, value.day
        else:
            parts = [int(p) for p in value.split("-")]
            y, m, d = parts[0], parts[1] if len(parts) > 1 else 0, 0
        if year_only or not m:
            return str(y)
        if self.lang == "ko":
            return f"{y}. {m}." + (f" {d}." if d else "")
        month = _MONTHS[m - 1]
        if not d:
            return f"{y}, {month}" if order == "ymd" else f"{month} {y}"
        return {"dmy": f"{d} {month} {y}", "mdy": f"{month} {d}, {y}", "ymd": f"{y}, {month} {d}"}[
            order
        ]

    def accessed(self) -> str:
        """``accessed 27 January 2025`` (``검색일: 2025. 1. 27.``), or empty."""
        when = self.src.accessed
        if when is None:
            return ""
        shown = (
            f"{when.year}. {when.month}. {when.day}."
            if self.lang == "ko"
            else f"{when.day} {_MONTHS[when.month - 1]} {when.year}"
        )
        return self.labels["accessed"].format(shown)

    def names(
        self, person: Callable[[Person, int], str], *, joiner: str, last: str, most: int = 0
    ) -> str:
        """The authors: ``person(p, index)`` for each person, organisations as named; past
        ``most`` of them, the first and ``et al.`` (외)."""
        src = self.src
        if src.author is not None:
            return src.author
        shown = [
            person(a, i) if isinstance(a, Person) else self.text(a)
            for i, a in enumerate(src.authors)
        ]
        if most and len(shown) > most:
            return shown[0] + self.labels["et-al"]
        if len(shown) <= 1:
            return "".join(shown)
        if all(_HANGUL.search(s) for s in shown) and self.lang == "ko":
            return "·".join(shown)  # 김민수·이영희
        return joiner.join(shown[:-1]) + last + shown[-1]

    @property
    def publisher(self) -> str:
        """The publisher, unless it is the only author (an institute's own report)."""
        name = self.text(self.src.publisher)
        alone = self.src.author is None and len(self.src.authors) == 1
        return "" if alone and self.text_of_author(0) == name else name

    def text_of_author(self, index: int) -> str:
        """The author at ``index`` as text (a person as ``family given``), to compare."""
        author = self.src.authors[index]
        if isinstance(author, Person):
            return f"{author.family} {author.given or ''}".strip()
        return self.text(author)

    @property
    def series(self) -> str:
        """A report's or book's series and number (``연구보고서 18-09``), or its number."""
        src = self.src
        if src.type in ("article-journal", "article-newspaper", "webpage"):
            return src.number or ""
        return " ".join(p for p in (self.text(src.container), src.number or "") if p)

    @property
    def link(self) -> Markup:
        """The DOI as a link, else the URL (and when it was checked), else nothing."""
        src = self.src
        if src.doi:
            address = f"https://doi.org/{src.doi}"
            return Markup('<a class="url" href="{}">{}</a>').format(address, url_text(address))
        if src.url:
            return Markup('<a class="url" href="{}">{}</a>').format(src.url, url_text(src.url))
        return Markup("")


_URL_PARTS = re.compile(r"(?<=[/_])(?=[^/])|(?=[?#&=])|(?<=[=&])")
"""Where a long address may break: after a slash or underscore, before a query, fragment,
``&`` or ``=``, and after ``=`` and ``&``."""


def url_text(address: str) -> Markup:
    """An address as printed: the scheme and host never broken (``https:// / example.org``
    read as two), the rest with a break opportunity (``<wbr>``) at each of its parts."""
    scheme, sep, rest = address.partition("://")
    if not sep:
        scheme, rest = "", address
    host, slash, path = rest.partition("/")
    head = f"{scheme}{sep}{host}{slash}"
    parts = [part for part in _URL_PARTS.split(path) if part]
    return Markup('<span class="url-host">{}</span>').format(head) + Markup("").join(
        Markup("<wbr>") + escape(part) for part in parts
    )


def hangul(text: str) -> bool:
    """Whether ``text`` contains Hangul."""
    return bool(_HANGUL.search(text))


def italic(text: str) -> Markup:
    """``text`` in italics, unless it is Hangul (set upright, as Korean type has no
    italics)."""
    if not text:
        return Markup("")
    if hangul(text):
        return Markup('<cite class="upright">{}</cite>').format(text)
    return Markup("<cite>{}</cite>").format(text)


def korean_name(person: Person) -> str | None:
    """``김민수`` for a person whose name is in Hangul; ``None`` otherwise."""
    if hangul(person.family + (person.given or "")):
        return person.family + (person.given or "")
    return None


def join(parts: list[Markup | str], sep: str = ", ") -> Markup:
    """The non-empty ``parts`` (escaped unless markup), separated by ``sep``."""
    return Markup(escape(sep)).join(escape(p) for p in parts if p)


def end(text: Markup) -> Markup:
    """``text`` ending with one full stop."""
    return text if str(text).endswith((".", "?", "!")) else text + Markup(".")


def with_link(text: Markup, link: Markup) -> Markup:
    """``text`` followed by the source's address, when it has one."""
    return text + Markup(" ") + link if link else text


def pages_text(pages: str | None) -> str:
    """``pp. 45–67`` (a range, with an en dash) or ``p. 12``; empty without pages."""
    if not pages:
        return ""
    pages = re.sub(r"\s*[-~–]\s*", "–", pages)
    return f"pp. {pages}" if "–" in pages or "," in pages else f"p. {pages}"
