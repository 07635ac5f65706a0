"""What the layout report (issue 15, ``briefs/pdf/report.py``) costs per PDF.

For a few PDF editions of ``inputs/`` and ``corpus/``, in one process with the bundled fonts:
the HTML that ``briefs build`` hands to the PDF worker goes through
:func:`briefs.pdf.weasy.write_pdf` (layout, footnote repair, write), once with the report
and once without, in alternating order (paired runs, so drift hits both alike). Also times
the report alone on the kept layout. Reports medians of CPU seconds of this process
(``time.process_time``: the machines are shared and wall-clock time moves by 20%), the
ratio with / without, and the report's share. Garbage is collected before each run.

Usage: ``python benchmarks/layout_report.py [--runs N]``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = [
    ("inputs/deepseek-2025.yaml", "government", "ko"),
    ("inputs/deepseek-2025.yaml", "government", "en"),
    ("corpus/power-grid-2026.yaml", "public", "ko"),
    ("corpus/jeonse-shift-2026.yaml", "industry", "en"),
]


def once(html: str, short: str, base: Path, *, report: bool) -> float:
    """CPU seconds of one PDF edition through ``write_pdf``."""
    from briefs.pdf.weasy import write_pdf

    gc.collect()
    start = time.process_time()
    write_pdf(html, base_dir=base, name="bench", short_html=short, report=report)
    return time.process_time() - start


def report_alone(html: str, base: Path) -> float:
    """CPU seconds of :func:`briefs.pdf.report.inspect` on one laid-out document."""
    from weasyprint import HTML

    from briefs.pdf.report import inspect
    from briefs.pdf.weasy import PDF_OPTIONS, builtin_dir, font_configuration, make_fetcher

    document = HTML(
        string=html, base_url=base.as_uri() + "/", url_fetcher=make_fetcher([builtin_dir(), base])
    ).render(font_config=font_configuration(), **PDF_OPTIONS)
    gc.collect()
    start = time.process_time()
    inspect(document)
    return time.process_time() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)

    from briefs.pdf import tags as pdf_tags
    from briefs.pipeline.build import Project

    pdf_tags.install()
    project = Project()
    print(
        f"\n{args.runs} paired runs, one process, median CPU seconds; "
        "ratio = with the report / without\n"
    )
    print("| edition | pages | PDF without report | with report | ratio | report alone | share |")
    print("|---|---|---|---|---|---|---|")
    for brief, audience, lang in EDITIONS:
        path = ROOT / brief
        validated = project.load(path)
        edition = project.edition(validated, audience, lang, "pdf")
        html, short = project.render(edition), project.render(edition, toc=False)
        base = path.resolve().parent
        once(html, short, base, report=True)  # warm-up
        times: dict[bool, list[float]] = {False: [], True: []}
        alone: list[float] = []
        for run in range(args.runs):
            for report in (False, True) if run % 2 == 0 else (True, False):
                times[report].append(once(html, short, base, report=report))
            alone.append(report_alone(html, base))
        off, on = statistics.median(times[False]), statistics.median(times[True])
        own = statistics.median(alone)
        from briefs.pdf.weasy import write_pdf

        pages = write_pdf(html, base_dir=base, name="bench", short_html=short).pages
        print(
            f"| {path.stem} {audience} {lang} | {pages} | {off:.3f} s | {on:.3f} s "
            f"| {on / off:.3f} | {own:.3f} s | {own / off:.1%} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
