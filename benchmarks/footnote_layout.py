"""What the two footnote layout changes of :mod:`briefs.pdf.footnote_layout` cost and buy, on
every PDF edition of ``inputs/`` and ``corpus/``.

Each edition is rendered as PDF (``write_pdf``, layout report on) three times in one process:

- **stock**: WeasyPrint's own footnote layout;
- **tiles**: footnotes in inline blocks wait for their line (the first change);
- **briefs**: that, and the footnote area's height computed from its footnotes' (both).

It reports the layouts made (the late-footnote repair lays an edition out again while a
footnote is past its mark's page), CPU seconds, the layout report's findings, and whether the
second change left every PDF byte-identical (it must: it only computes a height WeasyPrint
would compute).

Usage: ``python benchmarks/footnote_layout.py``. Prints a Markdown table; takes a few minutes.
"""

from __future__ import annotations

import gc
import time
from pathlib import Path

from editions import pdf_editions

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    import weasyprint.layout
    import weasyprint.layout.inline

    import briefs.pdf.weasy as weasy
    from briefs.pdf import footnote_layout
    from briefs.pdf import tags as pdf_tags
    from briefs.pipeline.build import Project

    pdf_tags.install()
    footnote_layout.install()
    context = weasyprint.layout.LayoutContext
    inline = weasyprint.layout.inline
    ours = inline.inline_block_box_layout, context._update_footnote_area
    stock = tuple(function.__wrapped__ for function in ours)
    modes = {"stock": stock, "tiles": (ours[0], stock[1]), "briefs": ours}
    project = Project()
    sources = sorted((ROOT / "inputs").glob("*.yaml")) + sorted((ROOT / "corpus").glob("*.yaml"))
    totals = {name: {"layouts": 0, "cpu": 0.0, "findings": 0, "repaired": 0} for name in modes}
    editions = changed = 0
    try:
        footnote_layout.install = lambda: None  # type: ignore[assignment] # keep each mode's
        for path, edition in pdf_editions(project, sources):
            html, short = project.render(edition), project.render(edition, toc=False)
            base = path.resolve().parent
            editions += 1
            written = {}
            for name, (block, area) in modes.items():
                inline.inline_block_box_layout = block
                context._update_footnote_area = area  # type: ignore[method-assign]
                gc.collect()
                start = time.process_time()
                result = weasy.write_pdf(html, base_dir=base, name="b", short_html=short)
                totals[name]["cpu"] += time.process_time() - start
                totals[name]["layouts"] += result.layouts
                # Every edition is longer than TOC_MIN_PAGES: a second layout is a repair.
                totals[name]["repaired"] += result.layouts > 1
                totals[name]["findings"] += len(result.findings)
                written[name] = result.data
            changed += written["tiles"] != written["briefs"]
    finally:
        inline.inline_block_box_layout, context._update_footnote_area = ours
    print(f"\n{editions} PDF editions of inputs/ and corpus/, one process, CPU seconds\n")
    print("| footnote layout | layouts | editions laid out again | CPU | ratio | findings |")
    print("|---|---|---|---|---|---|")
    labels = {
        "stock": "WeasyPrint's",
        "tiles": "+ footnotes of tiles wait for their line",
        "briefs": "+ area height from each footnote's (briefs)",
    }
    for name, label in labels.items():
        t = totals[name]
        ratio = t["cpu"] / totals["stock"]["cpu"]
        print(
            f"| {label} | {t['layouts']} | {t['repaired']} | {t['cpu']:.1f} s | {ratio:.3f} "
            f"| {t['findings']} |"
        )
    print(f"\nPDFs the computed area height changed: {changed} of {editions}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
