"""Rules on the sources themselves: can a reader find each one again, is any given twice,
is every imported entry used.

Each is positioned where the source is written: under ``sources:`` in the brief, or at the
entry of the bibliography file it was imported from
(:meth:`briefs.check.validate.Validated.source_diagnostic`).
"""

from __future__ import annotations

from collections.abc import Iterator

from briefs.errors import Diagnostic
from briefs.lint.rules import LintContext, cited_ids, rule

LINKED_TYPES = ("article-journal", "article-newspaper", "press-release", "dataset", "webpage")
"""Source types that are normally found online: they should give a URL or a DOI."""


@rule(
    "journal-article-without-doi",
    "warning",
    "A source of `type: article-journal` has no `doi`.",
)
def _journal_article_without_doi(ctx: LintContext) -> Iterator[Diagnostic]:
    for i, source in enumerate(ctx.brief.sources):
        if source.type == "article-journal" and source.doi is None:
            yield ctx.validated.source_diagnostic(
                i,
                None,
                f"journal article '{source.id}' has no DOI",
                "add doi: 10.…/… (look it up at doi.org or Crossref); a preprint has one too",
            )


@rule(
    "source-without-link",
    "warning",
    "A source of a type normally found online (journal or news article, press release, data "
    "set, web page) gives neither `url` nor `doi`.",
)
def _source_without_link(ctx: LintContext) -> Iterator[Diagnostic]:
    for i, source in enumerate(ctx.brief.sources):
        if source.type in LINKED_TYPES and source.url is None and source.doi is None:
            yield ctx.validated.source_diagnostic(
                i,
                "type",
                f"{source.type} '{source.id}' gives no URL or DOI",
                "add url: https://… (or doi:), so a reader can find it",
            )


def _normal_url(url: str) -> str:
    """A URL as compared for duplicates: no scheme, no ``www.``, no trailing ``/``."""
    bare = url.split("://", 1)[-1].removeprefix("www.").rstrip("/")
    return bare.split("#", 1)[0].lower()


@rule(
    "duplicate-source",
    "warning",
    "Two source ids give the same DOI or the same URL (one source listed twice).",
)
def _duplicate_source(ctx: LintContext) -> Iterator[Diagnostic]:
    seen: dict[tuple[str, str], str] = {}
    for i, source in enumerate(ctx.brief.sources):
        keys = []
        if source.doi:
            keys.append(("doi", source.doi.lower()))
        if source.url:
            keys.append(("url", _normal_url(source.url)))
        for kind, value in keys:
            first = seen.setdefault((kind, value), source.id)
            if first != source.id:
                yield ctx.validated.source_diagnostic(
                    i,
                    kind,
                    f"source '{source.id}' has the same {kind.upper()} as '{first}'",
                    f"cite '{first}' instead and remove this one",
                )
                break


@rule(
    "bibliography-entry-unused",
    "warning",
    "An entry of a `bibliography` file is never cited (a warning: a shared bibliography "
    "holds more than one brief cites).",
)
def _bibliography_entry_unused(ctx: LintContext) -> Iterator[Diagnostic]:
    cited = cited_ids(ctx.data)
    for i, source in enumerate(ctx.brief.sources):
        if source.id in ctx.validated.imported and source.id not in cited:
            yield ctx.validated.source_diagnostic(
                i,
                None,
                f"entry '{source.id}' is never cited",
                "cite it with [@id], or switch this rule off for a shared bibliography",
            )
