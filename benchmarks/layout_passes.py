"""What repairing late footnotes costs and buys (issue 15), on every PDF edition of
``inputs/`` and ``corpus/``.

WeasyPrint 70 sometimes puts a footnote on the page after its mark (it takes footnotes back
to make room for lines it must keep together). :func:`briefs.pdf.weasy.write_pdf` then lays
the edition out again with a remedy (see ``_layout``). This script renders each edition
three times in one process: with the repair, with it turned off (``FOOTNOTE_PASSES = 1``,
the reference), and with the repair but every layout made whole (no first layout stopped at
its first late footnote, :mod:`briefs.pdf.footnotes`), and reports side by side the layouts
made, CPU seconds, footnotes left off their mark's page and pages left more than 40% empty
(the layout report's rules ``note-off-page`` and ``underfilled-page``), the emptiest page
before the last, and whether stopping early changed any PDF.

Usage: ``python benchmarks/layout_passes.py``. Prints a Markdown table; takes a few minutes.
"""

from __future__ import annotations

import contextlib
import gc
import time
from collections.abc import Iterator
from pathlib import Path

from editions import pdf_editions

ROOT = Path(__file__).resolve().parent.parent


@contextlib.contextmanager
def _whole(watch: object) -> Iterator[None]:
    yield  # the watch is ignored: every layout is made whole


def main() -> int:
    import briefs.pdf.weasy as weasy
    from briefs.pdf import footnotes
    from briefs.pdf import tags as pdf_tags
    from briefs.pipeline.build import Project

    pdf_tags.install()
    project = Project()
    sources = sorted((ROOT / "inputs").glob("*.yaml")) + sorted((ROOT / "corpus").glob("*.yaml"))
    kept = weasy.FOOTNOTE_PASSES
    totals = {
        name: {"layouts": 0, "cpu": 0.0, "late": 0, "underfilled": 0, "worst": 0.0}
        for name in ("repair", "whole", "none")
    }
    watching = footnotes.passes.watching
    editions = changed = 0
    for path, edition in pdf_editions(project, sources):
        html, short = project.render(edition), project.render(edition, toc=False)
        base = path.resolve().parent
        editions += 1
        written = {}
        for name, passes in (("repair", kept), ("whole", kept), ("none", 1)):
            weasy.FOOTNOTE_PASSES = passes
            footnotes.passes.watching = _whole if name == "whole" else watching  # type: ignore[assignment]
            gc.collect()
            start = time.process_time()
            result = weasy.write_pdf(html, base_dir=base, name="b", short_html=short)
            totals[name]["cpu"] += time.process_time() - start
            written[name] = result.data
            totals[name]["layouts"] += result.layouts
            rules = [f.rule for f in result.findings]
            totals[name]["late"] += rules.count("note-off-page")
            totals[name]["underfilled"] += rules.count("underfilled-page")
            totals[name]["worst"] = max(totals[name]["worst"], result.emptiest)
        changed += written["repair"] != written["whole"]
    weasy.FOOTNOTE_PASSES = kept
    footnotes.passes.watching = watching  # type: ignore[assignment]
    print(f"\n{editions} PDF editions of inputs/ and corpus/, one process, CPU seconds\n")
    print("| | layouts | CPU | footnotes off their page | pages > 40% empty | emptiest page |")
    print("|---|---|---|---|---|---|")
    for name, label in (
        ("none", "no repair (reference)"),
        ("whole", "repair, every layout whole"),
        ("repair", "repair, a doomed layout stopped (briefs)"),
    ):
        t = totals[name]
        print(
            f"| {label} | {t['layouts']} | {t['cpu']:.1f} s | {t['late']} | {t['underfilled']} "
            f"| {t['worst']:.0%} |"
        )
    ratio = totals["repair"]["cpu"] / totals["none"]["cpu"]
    whole = totals["whole"]["cpu"] / totals["none"]["cpu"]
    print(f"\nCPU ratio to no repair: {ratio:.3f} (every layout whole: {whole:.3f})")
    print(f"PDFs that stopping early changed: {changed} of {editions}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
