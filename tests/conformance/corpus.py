"""The editions under test: every audience × language of every brief in ``inputs/``, and of
the test corpus (``corpus/`` and the fixture briefs in ``tests/fixtures/``).

``editions()`` lists those of ``inputs/`` at collection time (so each gets its own test id),
``corpus_editions()`` those and the test corpus'; ``build_all(out)`` builds them all, HTML and
PDF, with the library (and the reference pictures of page 1 cover them all).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

from briefs.pipeline.build import BuildOptions, Project, build_brief, plan
from tests.conformance.tools import ROOT

INPUTS = ROOT / "inputs"
FIXTURE_BRIEFS = (
    *sorted((ROOT / "corpus").glob("*.yaml")),
    ROOT / "tests" / "fixtures" / "minimal.yaml",
    ROOT / "tests" / "fixtures" / "charts" / "charts.yaml",
)
"""Briefs of the test corpus beyond ``inputs/`` (``corpus/``, briefs from other policy domains,
and the fixture briefs): held to the same conformance checks."""


@dataclass(frozen=True)
class EditionId:
    """One edition of one brief."""

    source: Path
    brief_id: str
    audience: str
    lang: str

    @property
    def name(self) -> str:
        """``<brief>.<audience>.<lang>``: the test id and the reference picture's stem."""
        return f"{self.brief_id}.{self.audience}.{self.lang}"

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Built:
    """The files of one built edition."""

    edition: EditionId
    html: Path
    pdf: Path
    layout: tuple[str, ...] = ()
    """The layout report's warnings on the PDF (:mod:`briefs.pdf.report`)."""


@functools.cache
def editions() -> tuple[EditionId, ...]:
    """Every edition the briefs in ``inputs/`` declare, in a stable order."""
    return _editions(tuple(sorted(INPUTS.glob("*.yaml"))))


@functools.cache
def corpus_editions() -> tuple[EditionId, ...]:
    """Every edition of ``inputs/`` and of the fixture briefs, in a stable order."""
    return editions() + _editions(FIXTURE_BRIEFS)


def _editions(sources: tuple[Path, ...]) -> tuple[EditionId, ...]:
    project = Project()
    found: list[EditionId] = []
    for source in sources:
        validated = project.load(source)
        for audience, lang in plan(validated, BuildOptions(), project.profiles):
            found.append(EditionId(source, validated.brief.id, audience, lang))
    return tuple(found)


def build_all(out: Path) -> dict[EditionId, Built]:
    """Build every edition of :func:`corpus_editions` into ``out``, HTML and PDF."""
    wanted = corpus_editions()
    built: dict[EditionId, Built] = {}
    project = Project()
    for source in dict.fromkeys(e.source for e in wanted):
        result = build_brief(source, BuildOptions(out=out), project=project)
        paths = {(o.brief_id, o.audience, o.lang, o.format): o.path for o in result.outputs}
        for e in (e for e in wanted if e.source == source):
            which = f"PDF edition {e.audience}.{e.lang}, "
            built[e] = Built(
                e,
                paths[e.brief_id, e.audience, e.lang, "html"],
                paths[e.brief_id, e.audience, e.lang, "pdf"],
                tuple(
                    str(w)
                    for w in result.warnings
                    if which in w.message and "[layout:" in w.message
                ),
            )
    return built
