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


def every_brief() -> list[Path]:
    """The briefs of ``inputs/`` and ``corpus/``, in that order, each sorted."""
    root = Path(__file__).resolve().parent.parent
    return sorted((root / "inputs").glob("*.yaml")) + sorted((root / "corpus").glob("*.yaml"))


def page_pictures(a: bytes, b: bytes, folder: Path) -> list[tuple[Path, Path]]:
    """The pages of PDFs ``a`` and ``b`` as grey PNGs at 100 dpi (poppler), written in
    ``folder``: pairs of the same page."""
    import subprocess

    for name, data in (("a", a), ("b", b)):
        (folder / f"{name}.pdf").write_bytes(data)
        subprocess.run(
            ["pdftoppm", "-r", "100", "-gray", "-png", f"{name}.pdf", name], cwd=folder, check=True
        )
    return [(page, page.with_name("b" + page.name[1:])) for page in sorted(folder.glob("a-*.png"))]
