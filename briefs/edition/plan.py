"""What each edition contains, and whether it keeps to its audience's budgets.

``briefs build --plan`` prints :func:`describe` so an editor can review the targeting of a
brief without opening the outputs; the build reports :func:`summary_budget` and
:func:`page_budget` as warnings (errors under ``--strict``).
"""

from __future__ import annotations

from dataclasses import dataclass

from briefs.edition.audiences import AudienceProfile
from briefs.edition.edition import Edition
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
        elif section.name != "context":
            targeted: list[Targeted] = getattr(edition, section.name)
            for item in targeted:
                label = str(getattr(item, "id", ""))
                items.append(label + (" +note" if edition.note(item) else ""))
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
