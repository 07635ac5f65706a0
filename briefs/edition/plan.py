"""What each edition contains, and whether it keeps to its audience's budgets.

``briefs build --plan`` prints :func:`describe` so an editor can review the targeting of a
brief without opening the outputs; the build reports :func:`summary_budget` and
:func:`page_budget` as warnings (errors under ``--strict``).
"""

from __future__ import annotations

from dataclasses import dataclass

from briefs.edition.audiences import AudienceProfile
from briefs.edition.edition import Edition, running_title
from briefs.errors import Diagnostic
from briefs.schema.base import Targeted
from briefs.schema.brief import Brief
from briefs.source import Source


@dataclass(frozen=True)
class SectionPlan:
    """One section of an edition: its heading and the ids of the items it shows."""

    name: str
    """Section key."""
    title: str
    """Heading in the edition's language."""
    items: list[str]
    """Item ids, ``+note`` marking those with a note for this audience."""


def _figure(edition: Edition, figure: Targeted) -> str:
    label = f"figure {getattr(figure, 'id', '')}"
    return label + (" +note" if edition.note(figure) else "")


def describe(edition: Edition) -> list[SectionPlan]:
    """The sections of ``edition`` in order, with the items each contains."""
    out: list[SectionPlan] = []
    for section in edition.sections:
        items: list[str] = []
        if section.name == "summary":
            own = edition.audience in edition.brief.audience_summary
            items = [f"{edition.audience} summary" if own else "general summary"]
        elif section.name == "sources":
            items = [sid for sid in edition.citations.order]
        elif section.name == "glossary":
            items = [edition.text(g.term) for g in edition.glossary]
        elif section.name == "figures":
            items = [_figure(edition, f) for f in edition.figures]
        elif section.name != "context":
            targeted: list[Targeted] = getattr(edition, section.name)
            for item in targeted:
                label = str(getattr(item, "id", ""))
                items.append(label + (" +note" if edition.note(item) else ""))
            if section.name == "findings" and edition.figures_after_findings:
                items += [_figure(edition, f) for f in edition.figures]
        number = f"{section.number}. " if section.number else ""
        out.append(SectionPlan(section.name, number + section.title, items))
    return out


def summary_budget(edition: Edition, source: Source) -> Diagnostic | None:
    """A warning when the edition's summary is longer than its profile allows."""
    return summary_over_budget(
        source,
        edition.brief,
        edition.profile,
        edition.lang,
        edition.text(edition.summary),
    )


def summary_over_budget(
    source: Source, brief: Brief, profile: AudienceProfile, lang: str, text: str
) -> Diagnostic | None:
    """The warning for a ``lang`` summary ``text`` longer than ``profile``'s budget, or None.

    One measure and one message for the build (:func:`summary_budget`) and for lint, which
    checks without building editions.
    """
    limit = profile.budget.summary_chars.get(lang)
    if limit is None or len(text) <= limit:
        return None
    own = profile.name in brief.audience_summary
    path: tuple[str, ...] = ("audience_summary", profile.name) if own else ("summary",)
    return source.diagnostic(
        path,
        f"{lang} summary is {len(text)} characters; the {profile.name} edition allows {limit}",
        "shorten it, or give this audience its own under audience_summary",
    )


def page_budget(edition: Edition, pages: int, output: str) -> Diagnostic | None:
    """A warning when the edition's PDF has more pages than its profile allows."""
    limit = edition.profile.budget.pages.get(edition.lang)
    if limit is None or pages <= limit:
        return None
    return Diagnostic(
        output,
        0,
        0,
        f"{pages} pages; the {edition.audience} edition's budget in {edition.lang} is {limit}",
        "target fewer items at this audience, or raise budget.pages in its profile",
    )


RUNNING_HEAD_POINTS = 340.0
"""Width the running head gives the title (about 120 mm of the 170 mm line; the section's
name takes the rest), in points."""
RUNNING_HEAD_SIZE = 8.0
"""Type size of the running head, in points (templates/styles/pdf.css)."""


def running_head_budget(edition: Edition, source: Source) -> Diagnostic | None:
    """A warning when the edition's running title is too wide for the one-line running head
    of the PDF (see :func:`running_head_over_budget`)."""
    return running_head_over_budget(source, edition.brief, edition.lang)


def running_head_width(text: str) -> float:
    """Width of ``text`` in the running head, in points, from the bundled font's advances."""
    from briefs.charts.svg import text_width  # the bundled font's advances

    return text_width(text, RUNNING_HEAD_SIZE)


def running_head_over_budget(source: Source, brief: Brief, lang: str) -> Diagnostic | None:
    """The warning for a ``lang`` running title (the short title, else the title) wider than
    the running head's :data:`RUNNING_HEAD_POINTS`, or None.

    One measure and one message for the build (:func:`running_head_budget`) and for lint's
    ``long-title-no-short``, which checks without building editions.
    """
    width = running_head_width(running_title(brief, lang))
    if width <= RUNNING_HEAD_POINTS:
        return None
    short = brief.short_title is not None
    field = "short_title" if short else "title"
    mapped = isinstance(source.data, dict) and isinstance(source.data.get(field), dict)
    what = "short title" if short else "title"
    return source.diagnostic(
        (field, lang) if mapped else (field,),
        f"the {lang} {what} is too long for the running head "
        f"({width:.0f} pt of {RUNNING_HEAD_POINTS:.0f}); it is cut there",
        "shorten it" if short else "add a short_title",
    )
