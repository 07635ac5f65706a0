"""Citation styles: a source as a footnote and as an entry of the reference list.

Three styles, chosen by the brief's ``citation_style``, each written as a few functions per
source type rather than through a CSL processor (see the README for why):

``kr-policy`` (the default), as Korean government research institutes and the National
Assembly Research Service write references::

    김민수·이영희, 「제목」, 정책연구 2024-01, 한국개발연구원, 2024.
    홍길동, 『책 제목』, 출판사, 2020.
    김철수, 「논문 제목」, 『한국개발연구』, 제40권 제2호, 2018, pp. 1–30.

Hangul titles take 「」 (a book 『』, and a journal or newspaper 『』), never italics; Latin
titles take “…” (a book, and a journal or newspaper, italics). Elements are separated by
commas; reports, books, journals and data sets give the year, the others the full date.

``apa`` (APA 7): ``Kim, M., & Lee, Y. (2024). *Title* (No. 1). Publisher. URL`` — author,
(date), title (italic for a work on its own, roman for an article), source, DOI or URL.

``chicago`` (Chicago, notes and bibliography): a note ``Minsu Kim, *Title* (Publisher,
2024).``; a bibliography entry ``Kim, Minsu. *Title*. Publisher, 2024. URL.``

In every style Hangul is never set in italics (an italic title in Hangul stays upright),
a person written in Hangul is family name then given name with no space (김민수), and a
source written in another language than the edition's, cited by a translated title, says
so (``(in Korean)``). Footnotes give no URL (the reference list does, with the DOI): a long
address set on the page of a footnote breaks its lines and pushes it off the page.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from markupsafe import Markup, escape

from briefs.schema.sources import Person, SourceEntry
from briefs.text.sourcetext import (
    BY_YEAR,
    WORK,
    Styled,
    end,
    hangul,
    italic,
    join,
    korean_name,
    pages_text,
    with_link,
)

STYLES: tuple[str, ...] = ("kr-policy", "apa", "chicago")
"""The styles, the default first."""


# -- kr-policy ----------------------------------------------------------------------------


def _kr_person(person: Person, index: int) -> str:
    return korean_name(person) or f"{person.given} {person.family}".strip()


def _kr_title(styled: Styled) -> Markup:
    title = styled.title
    kind = styled.src.type
    if hangul(title):
        shown = f"『{title}』" if kind == "book" else f"「{title}」"
        return Markup(escape(shown + styled.translated))
    if kind == "book":
        return italic(title) + escape(styled.translated)
    return Markup(escape(f"“{title}”{styled.translated}"))


def _kr_container(styled: Styled) -> Markup:
    if styled.src.type not in ("article-journal", "article-newspaper", "webpage"):
        return Markup("")  # a series: with the number (Styled.series)
    name = styled.text(styled.src.container)
    if not name:
        return Markup("")
    if hangul(name):
        return Markup(escape(f"『{name}』"))
    return italic(name)


def _kr_volume(styled: Styled) -> str:
    src = styled.src
    if hangul(styled.text(src.container)):  # a Korean journal: 제40권 제2호
        return " ".join(
            part
            for part in (src.volume and f"제{src.volume}권", src.issue and f"제{src.issue}호")
            if part
        )
    return ", ".join(
        part
        for part in (src.volume and f"Vol. {src.volume}", src.issue and f"No. {src.issue}")
        if part
    )


def _kr_body(styled: Styled) -> Markup:
    src = styled.src
    kind = src.type or "report"
    names = styled.names(_kr_person, joiner=", ", last=" and ", most=3)
    label = styled.labels["press-release"] if kind == "press-release" else ""
    return join(
        [
            names,
            _kr_title(styled),
            label,
            _kr_container(styled),
            _kr_volume(styled),
            styled.series,
            styled.publisher,
            styled.date(year_only=src.type in BY_YEAR),
            pages_text(src.pages),
        ]
    )


def _kr_note(styled: Styled) -> Markup:
    return end(_kr_body(styled))


def _kr_reference(styled: Styled) -> Markup:
    text = end(_kr_body(styled))
    accessed = styled.accessed() if styled.src.url and not styled.src.doi else ""
    link = styled.link
    if link and accessed:
        link += Markup(" ({})").format(accessed)
    return with_link(text, link)


# -- APA 7 --------------------------------------------------------------------------------


def _initials(given: str | None) -> str:
    if not given:
        return ""
    parts = re.split(r"([\s-]+)", given.strip())
    out = ""
    for part in parts:
        if not part.strip() or part.strip() == "-":
            out += "-" if "-" in part else " "
        else:
            out += part[0] + "."
    return out.replace(" ", " ").strip()


def _apa_person(person: Person, index: int) -> str:
    return korean_name(person) or f"{person.family}, {_initials(person.given)}".rstrip(", ")


def _apa_names(styled: Styled) -> str:
    return styled.names(_apa_person, joiner=", ", last=", & ")


def _apa_date(styled: Styled) -> str:
    if styled.src.date is None:
        return f"({styled.labels['nd']})"
    return f"({styled.date(year_only=styled.src.type in BY_YEAR, order='ymd')})"


def _apa_body(styled: Styled) -> Markup:
    src = styled.src
    kind = src.type or "report"
    title = styled.title
    described = {"press-release", "dataset", "speech"}
    description = styled.labels[kind] if kind in described else ""
    if kind == "legislation":
        head = join([Markup(escape(title + styled.translated)), styled.series])
        year = styled.date(year_only=True)
        return end(head + (Markup(" ({})").format(year) if year else Markup("")))
    if kind in ("article-journal", "article-newspaper"):
        shown_title = Markup(escape(title + styled.translated))
    else:
        shown_title = italic(title) + escape(styled.translated)
    extra = []
    if styled.series and kind != "article-journal":
        extra.append(f"({styled.series})")
    if description:
        extra.append(f"[{description[0].upper() + description[1:]}]")
    if extra:
        shown_title += Markup(" ") + escape(" ".join(extra))
    names = _apa_names(styled)
    date = _apa_date(styled)
    if names:
        parts: list[Markup] = [
            end(Markup(escape(names))),
            Markup(escape(date)) + ".",
            end(shown_title),
        ]
    else:
        parts = [end(shown_title), Markup(escape(date)) + "."]
    container = styled.text(src.container)
    if kind == "article-journal" and container:
        where = italic(container)
        if src.volume:
            where += Markup(", ") + italic(src.volume)
            if src.issue:
                where += escape(f"({src.issue})")
        elif src.issue:
            where += escape(f", ({src.issue})")
        if src.pages:
            where += escape(", " + re.sub(r"\s*[-~–]\s*", "–", src.pages))
        parts.append(where + Markup("."))
    elif container and kind in ("article-newspaper", "webpage"):
        parts.append(
            italic(container) + Markup(".")
            if kind == "article-newspaper"
            else end(Markup(escape(container)))
        )
    publisher = styled.publisher
    if (
        publisher
        and kind not in ("article-journal", "article-newspaper")
        and publisher != names.rstrip(".")
    ):
        parts.append(end(Markup(escape(publisher))))
    return Markup(" ").join(parts)


def _apa_note(styled: Styled) -> Markup:
    return _apa_body(styled)


def _apa_reference(styled: Styled) -> Markup:
    return with_link(_apa_body(styled), styled.link)


# -- Chicago notes and bibliography -------------------------------------------------------


def _given_family(person: Person, index: int) -> str:
    return korean_name(person) or f"{person.given or ''} {person.family}".strip()


def _family_given(person: Person, index: int) -> str:
    if korean_name(person):
        return korean_name(person) or ""
    if index == 0 and person.given:
        return f"{person.family}, {person.given}"
    return _given_family(person, index)


def _chicago_title(styled: Styled, closing: str) -> Markup:
    """A quoted title with its punctuation inside the quotes, or an italic one."""
    kind = styled.src.type or "report"
    if kind in WORK:
        return italic(styled.title) + escape(styled.translated + closing)
    if kind == "legislation":
        return Markup(escape(styled.title + styled.translated + closing))
    if styled.translated:
        return Markup(escape(f"“{styled.title}”{styled.translated}{closing}"))
    return Markup(escape(f"“{styled.title}{closing}”"))


def _chicago_journal(styled: Styled) -> Markup:
    src = styled.src
    where = italic(styled.text(src.container))
    if src.volume:
        where += escape(f" {src.volume}")
    if src.issue:
        where += escape(f", no. {src.issue}")
    year = styled.date(year_only=True)
    if year:
        where += escape(f" ({year})")
    if src.pages:
        where += escape(": " + re.sub(r"\s*[-~–]\s*", "–", src.pages))
    return where


def _chicago_note(styled: Styled) -> Markup:
    src = styled.src
    kind = src.type or "report"
    last = ", and " if len(src.authors) == 3 else " and "
    names = styled.names(_given_family, joiner=", ", last=last, most=3)
    date = styled.date(order="mdy")
    head = [names] if names else []
    if kind in WORK:
        facts = join([styled.publisher, styled.date(year_only=True)])
        title = _chicago_title(styled, "")
        if styled.series:
            title += escape(", " + styled.series)
        body = join([*head, title]) + (Markup(" ({})").format(facts) if facts else Markup(""))
    elif kind == "legislation":
        body = join([*head, _chicago_title(styled, ""), styled.series])
        year = styled.date(year_only=True)
        if year:
            body += escape(f" ({year})")
    elif kind == "article-journal":
        body = join([*head]) + (escape(", ") if head else Markup(""))
        body += _chicago_title(styled, ",") + Markup(" ") + _chicago_journal(styled)
    elif kind == "speech":
        inner = join([styled.labels["speech"], styled.publisher, date])
        body = join([*head, _chicago_title(styled, "")]) + Markup(" ({})").format(inner)
    else:
        label = styled.labels["press-release"] if kind == "press-release" else ""
        where = (
            italic(styled.text(src.container))
            if kind == "article-newspaper"
            else styled.text(src.container) or styled.publisher
        )
        if kind == "press-release":
            where = ""
        title = _chicago_title(styled, ",")
        rest = join([label, where, date])
        body = join([*head]) + (escape(", ") if head else Markup("")) + title + Markup(" ") + rest
    return end(body)


def _chicago_reference(styled: Styled) -> Markup:
    src = styled.src
    kind = src.type or "report"
    count = len(src.authors)
    # Chicago lists up to ten authors in the bibliography; past ten, seven and et al.
    names = styled.names(_family_given, joiner=", ", last=", and " if count > 1 else "", most=10)
    date = styled.date(order="mdy")
    parts: list[Markup] = [end(Markup(escape(names)))] if names else []
    if kind in WORK:
        parts.append(end(_chicago_title(styled, "")))
        if styled.series:
            parts.append(end(Markup(escape(styled.series))))
        parts.append(end(join([styled.publisher, styled.date(year_only=True)])))
    elif kind == "legislation":
        body = join([_chicago_title(styled, ""), styled.series])
        year = styled.date(year_only=True)
        parts.append(end(body + (escape(f" ({year})") if year else Markup(""))))
    elif kind == "article-journal":
        parts.append(_chicago_title(styled, "."))
        parts.append(end(_chicago_journal(styled)))
    else:
        parts.append(_chicago_title(styled, "."))
        label = {
            "press-release": styled.labels["press-release"],
            "speech": styled.labels["speech"],
        }.get(kind, "")
        if label and styled.lang == "en":
            label = label[0].upper() + label[1:]
        where: Markup | str = (
            italic(styled.text(src.container))
            if kind == "article-newspaper"
            else (styled.text(src.container) or styled.publisher)
        )
        if kind == "press-release":
            where = ""
        if kind == "speech":
            where = styled.publisher
        parts.append(end(join([label, where, date])))
    return with_link(Markup(" ").join(p for p in parts if p), styled.link)


NOTES: dict[str, Callable[[Styled], Markup]] = {
    "kr-policy": _kr_note,
    "apa": _apa_note,
    "chicago": _chicago_note,
}
REFERENCES: dict[str, Callable[[Styled], Markup]] = {
    "kr-policy": _kr_reference,
    "apa": _apa_reference,
    "chicago": _chicago_reference,
}


def note(src: SourceEntry, style: str, lang: str, first_lang: str) -> Markup:
    """``src`` as a footnote in ``style`` and ``lang`` (HTML)."""
    return NOTES[style](Styled(src, lang, first_lang))


def reference(src: SourceEntry, style: str, lang: str, first_lang: str) -> Markup:
    """``src`` as an entry of the reference list in ``style`` and ``lang`` (HTML)."""
    return REFERENCES[style](Styled(src, lang, first_lang))
