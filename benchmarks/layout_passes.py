"""What repairing late footnotes costs and buys (issue 15), on every PDF edition of
``inputs/`` and ``corpus/``.

WeasyPrint 70 sometimes puts a footnote on the page after its mark (it takes footnotes back
to make room for lines it must keep together). :func:`briefs.pdf.weasy.write_pdf` then lays
the edition out again with a remedy (see ``_layout``). This script renders each edition
twice in one process: with the repair, and with it turned off (``FOOTNOTE_PASSES = 1``, the
reference), and reports side by side the layouts made, CPU seconds, footnotes left off
their mark's page and pages left more than 40% empty (the layout report's rules
``note-off-page`` and ``underfilled-page``), and the emptiest page before the last.

Usage: ``python benchmarks/layout_passes.py``. Prints a Markdown table; takes a few minutes.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    import briefs.pdf.weasy as weasy
    from briefs.pdf import tags as pdf_tags
    from briefs.pipeline.build import Project

    pdf_tags.install()
    project = Project()
    sources = sorted((ROOT / "inputs").glob("*.yaml")) + sorted((ROOT / "corpus").glob("*.yaml"))
    kept = weasy.FOOTNOTE_PASSES
    totals = {
        name: {"layouts": 0, "cpu": 0.0, "late": 0, "underfilled": 0, "worst": 0.0}
        for name in ("repair", "none")
    }
    editions = 0
    for path in sources:
        validated = project.load(path)
        for audience in ("government", "industry", "startups", "public"):
            for lang in validated.brief.languages:
                edition = project.edition(validated, audience, lang, "pdf")
                html, short = project.render(edition), project.render(edition, toc=False)
                base = path.resolve().parent
                editions += 1
                for name, passes in (("repair", kept), ("none", 1)):
                    weasy.FOOTNOTE_PASSES = passes
                    gc.collect()
                    start = time.process_time()
                    result = weasy.write_pdf(html, base_dir=base, name="b", short_html=short)
                    totals[name]["cpu"] += time.process_time() - start
                    totals[name]["layouts"] += result.layouts
                    rules = [f.rule for f in result.findings]
                    totals[name]["late"] += rules.count("note-off-page")
                    totals[name]["underfilled"] += rules.count("underfilled-page")
                    totals[name]["worst"] = max(totals[name]["worst"], result.emptiest)
    weasy.FOOTNOTE_PASSES = kept
    print(f"\n{editions} PDF editions of inputs/ and corpus/, one process, CPU seconds\n")
    print("| | layouts | CPU | footnotes off their page | pages > 40% empty | emptiest page |")
    print("|---|---|---|---|---|---|")
    for name, label in (("none", "no repair (reference)"), ("repair", "repair (briefs)")):
        t = totals[name]
        print(
            f"| {label} | {t['layouts']} | {t['cpu']:.1f} s | {t['late']} | {t['underfilled']} "
            f"| {t['worst']:.0%} |"
        )
    ratio = totals["repair"]["cpu"] / totals["none"]["cpu"]
    print(f"\nCPU ratio, repair / no repair: {ratio:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
