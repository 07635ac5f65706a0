"""What briefs' structure tree (issue 16, ``briefs/pdf/tags.py``) costs against WeasyPrint's.

For a few PDF editions, in one process with the bundled fonts: the HTML that ``briefs build``
hands to WeasyPrint is laid out and written as PDF/UA-1, once with WeasyPrint 70's own
tagger and once with briefs', in alternating order (paired runs, so drift hits both alike).
Reports the medians of the whole PDF stage (layout + write) and of the write alone (where
tagging happens), their ratios briefs / WeasyPrint, and the file sizes. Times are CPU
seconds of this process (``time.process_time``): the development machines are shared, and
wall-clock time there moves by 20% from run to run. Garbage is collected before each run.

Usage: ``python benchmarks/pdf_tags.py [--runs N]``; ``make bench``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
EDITIONS = [
    ("deepseek-2025.yaml", "government", "ko"),
    ("deepseek-2025.yaml", "government", "en"),
    ("hbm-export-controls.yaml", "government", "ko"),
    ("ai-basic-act-compute.yaml", "public", "en"),
]


def once(html: str, base: Path, tagger: Any) -> tuple[float, float, float, int]:
    """(stage, write, tagging) CPU seconds and bytes of laying out and writing ``html``."""
    import weasyprint.pdf
    from weasyprint import HTML

    from briefs.pdf.weasy import PDF_OPTIONS, font_configuration, make_fetcher

    tagging = 0.0

    def timed_tagger(*args: Any) -> None:
        nonlocal tagging
        began = time.process_time()
        tagger(*args)
        tagging = time.process_time() - began

    weasyprint.pdf.add_tags = timed_tagger
    fonts = font_configuration()
    gc.collect()
    start = time.process_time()
    document = HTML(
        string=html, base_url=base.as_uri() + "/", url_fetcher=make_fetcher([base])
    ).render(font_config=fonts, **PDF_OPTIONS)
    written = time.process_time()
    data = document.write_pdf(**PDF_OPTIONS)
    end = time.process_time()
    return end - start, end - written, tagging, len(data)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args(argv)

    import weasyprint.pdf.tags

    from briefs.pdf import tags as pdf_tags
    from briefs.pipeline.build import Project

    theirs, ours = weasyprint.pdf.tags.add_tags, pdf_tags.add_tags
    project = Project()
    print(
        f"\n{args.runs} paired runs, one process, median CPU seconds; ratio = briefs / WeasyPrint\n"
    )
    print(
        "| edition | PDF stage, WeasyPrint's tags | briefs' tags | ratio "
        "| write alone | briefs' | ratio | tagging alone | briefs' "
        "| bytes | briefs' | ratio |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    for brief, audience, lang in EDITIONS:
        path = ROOT / "inputs" / brief
        validated = project.load(path)
        html = project.render(project.edition(validated, audience, lang, "pdf"))
        base = path.resolve().parent
        results: dict[str, list[tuple[float, float, float, int]]] = {"theirs": [], "ours": []}
        once(html, base, theirs), once(html, base, ours)  # warm-up
        for run in range(args.runs):
            order = [("theirs", theirs), ("ours", ours)]
            for name, tagger in order if run % 2 == 0 else order[::-1]:
                results[name].append(once(html, base, tagger))
        stage = {k: statistics.median(r[0] for r in v) for k, v in results.items()}
        write = {k: statistics.median(r[1] for r in v) for k, v in results.items()}
        tags = {k: statistics.median(r[2] for r in v) for k, v in results.items()}
        size = {k: v[0][3] for k, v in results.items()}
        print(
            f"| {brief.removesuffix('.yaml')} {audience} {lang} "
            f"| {stage['theirs']:.3f} s | {stage['ours']:.3f} s "
            f"| {stage['ours'] / stage['theirs']:.3f} "
            f"| {write['theirs']:.3f} s | {write['ours']:.3f} s "
            f"| {write['ours'] / write['theirs']:.3f} "
            f"| {tags['theirs']:.3f} s | {tags['ours']:.3f} s "
            f"| {size['theirs']:,} | {size['ours']:,} | {size['ours'] / size['theirs']:.3f} |"
        )
    weasyprint.pdf.add_tags = ours
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
