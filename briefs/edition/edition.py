"""Stage 4: one edition of a brief — an audience, a language, a target — as templates see it.

An :class:`Edition` filters the brief's items to its audience, orders sections by the
audience profile, numbers citations in reading order, and offers the few helpers templates
need (``e.tx`` for text, ``e.md`` for Markdown, ``e.t`` for labels, ``e.date``, ``e.money``).
Templates never see raw dicts, and never decide what an audience gets.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TypeVar

from markupsafe import Markup, escape

from briefs.edition.audiences import AudienceProfile
from briefs.schema.base import Localized, Targeted
from briefs.schema.brief import (
    Brief,
    Finding,
    GlossaryEntry,
    Implication,
    KeyFigure,
    Money,
    Recommendation,
    SourceEntry,
)
from briefs.schema.charts import Chart, Figure
from briefs.text import styles
from briefs.text.i18n import Labels, format_date, format_money
from briefs.text.korean import WORD_JOINER
from briefs.text.markdown import LOCATOR_MARK, Citations, MarkdownRenderer
from briefs.text.markdown import cited as markdown_cited

if TYPE_CHECKING:
    from briefs.charts.view import ChartView

Target = Literal["html", "pdf"]
_T = TypeVar("_T", bound=Targeted)
NUMBERED_SECTIONS = ("context", "findings", "implications", "recommendations")
"""Body sections that get Roman numerals (Ⅰ. 배경, Ⅱ. 분석 …), as Korean briefs number them."""
_ROMAN = {"ko": "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ", "en": ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X"]}


@dataclass(frozen=True)
class SectionInfo:
    """A section as it appears in this edition."""

    name: str
    """Section key (``findings``); also its partial, ``partials/<name>.html.j2``."""
    anchor: str
    """Element id (``sec-findings``): ASCII, so links work whatever the language."""
    title: str
    """Heading text in the edition's language."""
    number: str
    """Roman numeral for body sections, empty otherwise."""


def running_title(brief: Brief, lang: str) -> str:
    """The title the PDF's running head shows in ``lang``: the short title when there is
    one (a missing translation falls back as :meth:`Edition.text` does)."""
    head = brief.short_title or brief.title
    found = head.get(lang, brief.first_language)
    return found if found is not None else head.any()


@dataclass(frozen=True)
class SiteLink:
    """A link from an HTML edition to a page of the published site next to it."""

    href: str
    """Relative to the edition (``government.ko.pdf``, ``../index.html``)."""
    label: str
    """The link's text."""
    lang: str = ""
    """The language of the page linked to, when it differs from the edition's."""


class Edition:
    """The view of a brief for one audience, in one language, for HTML or PDF."""

    def __init__(
        self,
        brief: Brief,
        profile: AudienceProfile,
        lang: str,
        labels: Labels,
        target: Target,
        *,
        created: str,
        folder: Path = Path("."),
        allow_missing_translations: bool = False,
        links: Sequence[SiteLink] = (),
    ) -> None:
        self.brief = brief
        self.links = list(links)
        """Links to the site around a published HTML edition (none for a plain build)."""
        # Private (templates cannot reach underscore names): a Path would let a user
        # template read or write files.
        self._folder = folder
        self.profile = profile
        self.lang = lang
        self.t = labels
        self.target = target
        self.created = created
        """Creation timestamp (W3C format) written into metadata; fixed for reproducibility."""
        self.allow_missing_translations = allow_missing_translations
        self._markdown = MarkdownRenderer(self._run, notes_below=target == "html")
        self.start()

    def start(self, *, toc: bool = True) -> None:
        """Begin a render: citations numbered afresh, no footnote placed yet.

        An edition can be rendered any number of times; each render starts here (see
        :func:`briefs.render.html.render_edition`), so each gives the same document.
        """
        self.citations = Citations(
            known={s.id for s in self.brief.sources}, order=list(self._citation_order())
        )
        self._footnoted: set[str] = set()
        self._notes: dict[str, int] = {}
        self._note_calls = 0
        self._figure_numbers: dict[str, int] = {}
        self.toc = toc
        """Whether the PDF shows a table of contents (dropped for editions of ≤ 4 pages)."""

    @property
    def folder(self) -> str:
        """The brief's folder, as text (where its images are read from)."""
        return str(self._folder)

    # -- what this edition contains -----------------------------------------------------

    @property
    def audience(self) -> str:
        """The audience's name (``government``)."""
        return self.profile.name

    def includes(self, item: Targeted) -> bool:
        """Whether an item targeted at some audiences belongs in this edition."""
        return item.audiences is None or self.audience in item.audiences

    def _pick(self, items: Iterable[_T]) -> list[_T]:
        return [item for item in items if self.includes(item)]

    @cached_property
    def key_figures(self) -> list[KeyFigure]:
        """Key figures for this audience."""
        return self._pick(self.brief.key_figures)

    @cached_property
    def findings(self) -> list[Finding]:
        """Findings for this audience."""
        return self._pick(self.brief.findings)

    @cached_property
    def implications(self) -> list[Implication]:
        """Implications for this audience."""
        return self._pick(self.brief.implications)

    @cached_property
    def recommendations(self) -> list[Recommendation]:
        """Recommendations for this audience."""
        return self._pick(self.brief.recommendations)

    @cached_property
    def glossary(self) -> list[GlossaryEntry]:
        """Glossary entries for this audience."""
        return self._pick(self.brief.glossary)

    @cached_property
    def figures(self) -> list[Figure]:
        """Standalone charts for this audience (issue 6)."""
        return self._pick(self.brief.figures)

    @property
    def figures_after_findings(self) -> bool:
        """Whether figures close the findings section: the profile gives them no place."""
        return "figures" not in self.profile.sections  # issue 6

    @property
    def summary(self) -> Localized:
        """The audience's own summary when the brief has one, else the general summary."""
        return self.brief.audience_summary.get(self.audience, self.brief.summary)

    @cached_property
    def cited_sources(self) -> list[tuple[int, SourceEntry]]:
        """Sources cited in this edition, numbered in order of first citation."""
        return [(n, self.brief.source(sid)) for n, sid in enumerate(self.citations.order, 1)]

    def has(self, section: str) -> bool:
        """Whether ``section`` has anything to show in this edition."""
        if section == "summary":
            return True
        if section == "context":
            return self.brief.context is not None
        if section == "sources":
            return bool(self.citations.order)
        return bool(getattr(self, section))

    @cached_property
    def sections(self) -> list[SectionInfo]:
        """Sections in the profile's order, empty ones left out, body sections numbered."""
        out: list[SectionInfo] = []
        count = 0
        for name in self.profile.sections:
            if not self.has(name):
                continue
            number = ""
            if name in NUMBERED_SECTIONS:
                number = _ROMAN[self.lang][count] if count < 10 else str(count + 1)
                count += 1
            out.append(
                SectionInfo(
                    name, f"sec-{name.replace('_', '-')}", self.t(f"sections.{name}"), number
                )
            )
        return out

    def note(self, item: Targeted) -> Localized | None:
        """This audience's note on an item ("what this means for you"), if any."""
        return item.notes.get(self.audience)

    @property
    def running_title(self) -> str:
        """The title the PDF's running head shows: the short title when there is one."""
        return running_title(self.brief, self.lang)

    @property
    def keywords(self) -> str:
        """The brief's tags in this language, comma-separated (for metadata)."""
        return ", ".join(self.text(tag) for tag in self.brief.tags)

    # -- text helpers for templates -----------------------------------------------------

    def text(self, value: Localized | None) -> str:
        """Plain text in the edition's language (for attributes and metadata)."""
        if value is None:
            return ""
        found = value.get(self.lang, self.brief.first_language)
        return found if found is not None else value.any()

    def tx(self, value: Localized | None) -> Markup:
        """Escaped text in the edition's language; a missing translation is marked visibly."""
        if value is None:
            return Markup("")
        found = value.get(self.lang, self.brief.first_language)
        if found is not None:
            return escape(found)
        return self._fallback(value, escape)

    def md(self, value: Localized | None, *, inline: bool = False) -> Markup:
        """Markdown text in the edition's language, rendered and sanitised."""
        if value is None:
            return Markup("")
        found = value.get(self.lang, self.brief.first_language)
        if found is not None:
            return self._markdown.render(found, inline=inline)
        return self._fallback(value, lambda s: self._markdown.render(s, inline=inline))

    def _fallback(self, value: Localized, render: object) -> Markup:
        other = next(
            lang
            for lang in (self.brief.first_language, "ko", "en")
            if value.get(lang, self.brief.first_language) is not None
        )
        text = value.get(other, self.brief.first_language) or ""
        assert callable(render)
        return Markup('<span class="untranslated" lang="{}" title="{}">{}</span>').format(
            other, self.t("untranslated"), render(text)
        )

    def date(self, value: dt.date | str | None, *, weekday: bool = False) -> str:
        """A date in the edition's convention (``2025. 1. 27.`` / ``27 January 2025``)."""
        return format_date(value, self.lang, weekday=weekday) if value else ""

    def money(self, value: Money) -> str:
        """Money in the edition's units (``약 5,890억 달러`` / ``about $589 billion``)."""
        return format_money(value, self.lang)

    def chart(self, chart: Chart, anchor: str) -> ChartView:
        """``chart`` as this edition shows it; ``anchor`` is its element id."""
        from briefs.charts.view import view  # only briefs with charts load the chart modules

        return view(chart, self, anchor)

    def figure_number(self, anchor: str) -> str:
        """``그림 3.`` / ``Figure 3.``: charts numbered in the order they are set."""
        number = self._figure_numbers.setdefault(anchor, len(self._figure_numbers) + 1)
        return self.t("figure_number", n=number)

    def figure(self, figure: KeyFigure) -> Markup:
        """A key figure's value, from its text or its amount."""
        if figure.amount is not None:
            return escape(self.money(figure.amount))
        return self.tx(figure.value)

    def cite(self, source_ids: Iterable[str], *, footnote: bool = True) -> Markup:
        """Citation marks for source ids, linked to the reference list.

        In the PDF the first citation of each source also puts the source in a footnote on
        that page. ``footnote=False`` where a footnote cannot float (inside a CSS grid, in
        WeasyPrint 70): the sources then get theirs from :meth:`footnotes`, called where
        they can float.
        """
        marks, floats = self._run(list(source_ids), [], footnote=footnote)
        return Markup(marks + floats)

    def footnotes(self, source_ids: Iterable[str]) -> Markup:
        """The PDF footnotes of sources not yet given one (after marks made with
        ``footnote=False``), in the order of their numbers."""
        if self.target != "pdf":
            return Markup("")
        ids = [s for s in dict.fromkeys(source_ids) if s in self.citations.known]
        ids = [s for s in ids if s not in self._footnoted]
        ids.sort(key=self.citations.number)
        notes = []
        for sid in ids:
            self._footnoted.add(sid)
            anchors = self.citations.anchors.get(sid) or [self.citations.anchor(sid)]
            notes.append(self._footnote(sid, anchors[0]))
        return Markup("".join(notes))

    def _footnote(self, sid: str, anchor: str) -> str:
        return (
            f'<span class="footnote" id="fn-{anchor}" data-n="{self.citations.number(sid)}">'
            f"{self.source_note(sid)}</span>"
        )

    def _run(
        self, source_ids: list[str], notes: list[tuple[str, Markup]], *, footnote: bool = True
    ) -> tuple[str, str]:
        """One superscript for adjacent marks (sources, then notes), and their footnotes."""
        links: list[str] = []
        floats: list[str] = []
        # A Markdown mark may carry a locator: ``id`` + LOCATOR_MARK + ``p. 12`` (HTML,
        # from the sanitised fragment).
        cites = [entry.partition(LOCATOR_MARK)[::2] for entry in dict.fromkeys(source_ids)]
        known = [(sid, loc) for sid, loc in cites if sid in self.citations.known]
        for sid, locator in sorted(known, key=lambda cite: self.citations.number(cite[0])):
            number = self.citations.number(sid)
            anchor = self.citations.anchor(sid)
            at = f'<span class="locator">({locator})</span>' if locator else ""
            links.append(f'<a class="cite-link" href="#src-{sid}" id="{anchor}">{number}</a>{at}')
            if footnote and self.target == "pdf" and sid not in self._footnoted:
                self._footnoted.add(sid)
                floats.append(self._footnote(sid, anchor))
        for key, body in notes:
            first = key not in self._notes
            number = self._notes.setdefault(key, len(self._notes) + 1)
            self._note_calls += 1
            anchor = f"cite-note-{number}" if first else f"cite-note-{number}-{self._note_calls}"
            label = f"*{number}"
            links.append(
                f'<a class="note-link" href="#fn-cite-note-{number}" id="{anchor}">{label}</a>'
            )
            if not first:
                continue
            if self.target == "pdf":
                floats.append(
                    f'<span class="footnote md-note" id="fn-{anchor}" data-n="{label}">'
                    f"{body}</span>"
                )
            else:
                floats.append(
                    f'<span class="md-note" id="fn-{anchor}" role="note">'
                    f'<a class="note-back" href="#{anchor}">{label}</a> {body}</span>'
                )
        if not links:
            return "", ""
        # In the PDF a word joiner keeps the mark on the line of the word before it: a mark
        # never starts a line ("allegation." / "13"). Browsers do not break there.
        glue = WORD_JOINER if self.target == "pdf" else ""
        return f'{glue}<sup class="cite">{",".join(links)}</sup>', "".join(floats)

    def source_note(self, source_id: str) -> Markup:
        """A source as a footnote, in the brief's ``citation_style`` (:mod:`briefs.text.styles`)."""
        src = self.brief.source(source_id)
        return styles.note(src, self.brief.citation_style, self.lang, self.brief.first_language)

    def reference(self, src: SourceEntry) -> Markup:
        """A source as an entry of the reference list, in the brief's ``citation_style``."""
        return styles.reference(
            src, self.brief.citation_style, self.lang, self.brief.first_language
        )

    def source_label(self, source_ids: Iterable[str]) -> str:
        """ "자료: 출판사(날짜)" style line for a figure or table."""
        parts = [
            self.text(src.publisher or src.container or src.title)
            for sid in source_ids
            if sid in self.citations.known and (src := self.brief.source(sid))
        ]
        return ", ".join(dict.fromkeys(parts))

    # -- citation order -----------------------------------------------------------------

    def _texts(self, value: Localized | None) -> Iterator[str]:
        if value is not None and (
            text := value.get(self.lang, self.brief.first_language) or value.any()
        ):
            yield text

    def _citation_order(self) -> Iterator[str]:
        """Source ids in the order a reader meets them, section by section."""
        seen: set[str] = set()
        for sid in self._citations_in_sections():
            if sid not in seen and any(s.id == sid for s in self.brief.sources):
                seen.add(sid)
                yield sid

    def _citations_in_sections(self) -> Iterator[str]:
        def inline(value: Localized | None) -> Iterator[str]:
            for text in self._texts(value):
                yield from markdown_cited(text)

        def item_notes(item: Targeted) -> Iterator[str]:
            yield from inline(self.note(item))

        def figures() -> Iterator[str]:  # issue 6
            for fig in self.figures:
                yield from inline(fig.note)
                yield from fig.sources
                yield from item_notes(fig)

        for name in self.profile.sections:
            if name == "summary":
                yield from inline(self.summary)
            elif name == "context":
                yield from inline(self.brief.context)
            elif name == "key_figures":
                for kf in self.key_figures:
                    yield from kf.sources
                    yield from item_notes(kf)
            elif name == "findings":
                for f in self.findings:
                    yield from inline(f.body)
                    if f.chart is not None:  # issue 6
                        yield from inline(f.chart.note)
                        yield from f.chart.sources
                    for ev in f.evidence:
                        yield from inline(ev.text)
                        yield from ev.sources
                    yield from item_notes(f)
                if self.figures_after_findings:
                    yield from figures()
            elif name in ("implications", "recommendations"):
                items: list[Implication] | list[Recommendation] = getattr(self, name)
                for item in items:
                    yield from inline(item.body)
                    yield from item_notes(item)
            elif name == "glossary":
                for g in self.glossary:
                    yield from inline(g.definition)
                    yield from item_notes(g)
            elif name == "figures":
                yield from figures()
