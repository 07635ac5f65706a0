"""The PDF editions the benchmarks render: every edition a build of each brief makes."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any


def pdf_editions(project: Any, sources: Iterable[Path]) -> list[tuple[Path, Any]]:
    """``(brief file, edition)`` for every PDF edition of each brief in ``sources``, in plan
    order (``project`` is a :class:`briefs.pipeline.build.Project`)."""
    from briefs.pipeline.build import BuildOptions, plan

    found = []
    for source in sources:
        validated = project.load(source)
        for audience, lang in plan(validated, BuildOptions(), project.profiles):
            found.append((source, project.edition(validated, audience, lang, "pdf")))
    return found
