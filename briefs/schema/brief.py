"""Stage 2: the typed shape of a brief (pydantic v2), one docstring per field.

These models are the single source of truth for the input: validation, the JSON Schema that
editors use (``briefs schema``) and the README's field list all come from them. After
:func:`briefs.check.validate.validate` a brief travels through the pipeline as a :class:`Brief`,
never as a dict.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import Field, model_validator

from briefs.schema.base import (
    MAX_MAGNITUDE,
    Confidence,
    FileName,
    Horizon,
    Lang,
    Markdown,
    Priority,
    Slug,
    StrictModel,
    Targeted,
    Text,
)
from briefs.schema.charts import Chart, Figure

# Re-exported: every stage imports the brief's models from here.
from briefs.schema.sources import SourceEntry as SourceEntry

CitationStyle = Literal["kr-policy", "apa", "chicago"]
"""The citation styles briefs writes (:mod:`briefs.text.styles`)."""
MAX_BIBLIOGRAPHIES = 8
"""Most bibliography files one brief names."""


class Author(StrictModel):
    """Someone who wrote the brief."""

    name: Text
    """Full name."""
    affiliation: Text | None = None
    """Institute or team, when it differs from the organisation."""


class Money(StrictModel):
    """An amount of money, rendered in each language's units (5,890억 달러 / $589 billion)."""

    amount: float = Field(allow_inf_nan=False, ge=-MAX_MAGNITUDE, le=MAX_MAGNITUDE)
    """The amount in units of the currency (589000000000 for $589 billion), at most 10¹⁸."""
    currency: Literal["USD", "KRW", "EUR", "CNY", "JPY"]
    """ISO 4217 code."""
    approx: bool = False
    """Print it as an approximation (약 … / about …)."""


class KeyFigure(Targeted):
    """A number the reader should remember, shown in the key-figures strip."""

    id: Slug
    """Unique among key figures."""
    value: Text | None = None
    """The figure as written (−16.97%); give either ``value`` or ``amount``."""
    amount: Money | None = None
    """The figure as money, formatted per language; give either ``value`` or ``amount``."""
    label: Text
    """What the figure measures."""
    sources: list[str] = Field(default_factory=list)
    """Ids of the sources behind the figure."""
    estimate: bool = False
    """The figure is an estimate, and is marked as one."""

    @model_validator(mode="after")
    def _one_value(self) -> KeyFigure:
        if (self.value is None) == (self.amount is None):
            raise ValueError("give exactly one of 'value' or 'amount'")
        return self


class Evidence(StrictModel):
    """One piece of evidence supporting a finding."""

    text: Markdown
    """The evidence, in a sentence or two."""
    sources: list[str] = Field(default_factory=list)
    """Ids of the sources it rests on."""
    estimate: bool = False
    """The evidence is an estimate (not a measured or reported figure)."""


class Finding(Targeted):
    """An analytical finding: a claim, its explanation and its evidence."""

    id: Slug
    """Unique among findings; recommendations refer to it in ``based_on``."""
    title: Text
    """The finding as one sentence."""
    body: Markdown
    """Explanation, in Markdown."""
    evidence: list[Evidence] = Field(default_factory=list)
    """Evidence items, each citing sources."""
    confidence: Confidence
    """How sure the authors are: high, medium or low."""
    chart: Chart | None = None  # issue 6
    """A chart shown after the body, with its data and sources (see ``briefs.charts``)."""


class Implication(Targeted):
    """What the findings mean (시사점)."""

    id: Slug
    """Unique among implications."""
    title: Text | None = None
    """A short heading."""
    body: Markdown
    """The implication, in Markdown."""


class Recommendation(Targeted):
    """A policy recommendation (정책 제언): who should do what, and when."""

    id: Slug
    """Unique among recommendations."""
    title: Text
    """The recommendation in noun form (예: "국가 AI 컴퓨팅 인프라 조기 확충")."""
    body: Markdown
    """Details, in Markdown."""
    owner: Text | None = None
    """Who acts: a ministry, agency or company (과학기술정보통신부)."""
    horizon: Horizon | None = None
    """When: immediate, short (≤1 year), medium (1–3 years) or long (3+ years)."""
    priority: Priority = "medium"
    """high, medium or low."""
    based_on: list[str] = Field(default_factory=list)
    """Ids of the findings this recommendation rests on."""


class GlossaryEntry(Targeted):
    """A term explained for readers."""

    term: Text
    """The term, e.g. ``고대역폭 메모리(HBM)``."""
    definition: Text
    """A plain-language definition."""


class LintConfig(StrictModel):
    """Lint settings for one brief."""

    disable: list[str] = Field(default_factory=list)
    """Ids of lint rules to switch off for this brief (see the rule table in the README)."""


class Brief(StrictModel):
    """A policy brief: metadata, summary, evidence, recommendations and sources."""

    id: Slug
    """Identifier used in output paths (``public/<id>/…``)."""
    series: str | None = None
    """Series number shown on the cover, e.g. ``IS-186``."""
    title: Text
    """Title of the brief."""
    short_title: Text | None = None
    """A shorter title for the running head of the PDF pages, when ``title`` does not fit
    there on one line (the build warns when it does not and this is missing)."""
    subtitle: Text | None = None
    """Subtitle."""
    date: dt.date
    """Publication date."""
    organisation: Text
    """Publishing organisation."""
    authors: list[Author] = Field(min_length=1)
    """Authors, in order."""
    licence: str = "CC-BY-4.0"
    """Licence of the text (an SPDX id or a short phrase)."""
    tags: list[Text] = Field(default_factory=list)
    """Keywords, used in metadata and the catalogue."""
    languages: list[Lang] = Field(default_factory=lambda: list[Lang](["ko"]), min_length=1)
    """Languages to build; the first is the language of plain strings."""
    audiences: list[str] | None = None
    """Audience editions to build; omitted means every built-in audience."""
    summary: Markdown
    """The summary box on page 1 (conclusion first)."""
    audience_summary: dict[str, Markdown] = Field(default_factory=dict)
    """A summary written for one audience, replacing ``summary`` in its edition."""
    key_figures: list[KeyFigure] = Field(default_factory=list)
    """Numbers for the key-figures strip."""
    context: Markdown | None = None
    """Background: why this matters now (배경)."""
    findings: list[Finding] = Field(min_length=1)
    """Findings, in order of importance."""
    implications: list[Implication] = Field(default_factory=list)
    """Implications (시사점)."""
    recommendations: list[Recommendation] = Field(default_factory=list)
    """Recommendations (정책 제언)."""
    sources: list[SourceEntry] = Field(default_factory=list)
    """Every source the brief cites, typed here; with ``bibliography``, these and the
    imported ones together."""
    bibliography: list[FileName] = Field(default_factory=list, max_length=MAX_BIBLIOGRAPHIES)
    """BibTeX (``.bib``) or CSL-JSON (``.json``, as Zotero exports) files next to the brief
    whose entries are sources too, cited by their keys (``[@kim2024]``)."""
    citation_style: CitationStyle = "kr-policy"
    """How footnotes and the reference list write a source: ``kr-policy`` (Korean
    policy-institute practice: 저자, 「제목」, 발행처, 연도), ``apa`` (APA 7) or ``chicago``
    (Chicago notes and bibliography)."""
    glossary: list[GlossaryEntry] = Field(default_factory=list)
    """Terms explained for readers."""
    lint: LintConfig | None = None
    """Lint settings: ``{disable: [rule-id, …]}`` switches rules off for this brief."""
    figures: list[Figure] = Field(default_factory=list)  # issue 6
    """Standalone charts: at the end of the findings, or where a profile lists ``figures``."""

    @property
    def first_language(self) -> str:
        """The language plain strings are written in."""
        return self.languages[0]

    def source(self, source_id: str) -> SourceEntry:
        """The source with this id (ids are checked at validation)."""
        return next(s for s in self.sources if s.id == source_id)
