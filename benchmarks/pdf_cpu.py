"""CPU per PDF edition, in the worker and in the main process, with and without two changes
of issue 21: the edition's stylesheet parsed once per worker (not at every layout), and the
table of contents cut out by the worker (not rendered a second time by the main process).

For every PDF edition of the briefs given (default: ``inputs/``), in one process, after one
warm-up: ``write_pdf`` on the edition's HTML, alternating the current code with the stylesheet
parsed in every layout (paired runs, CPU time of this process); and the main process's
``render(edition, toc=False)`` that the cut replaces. Also checks that both ways give the
same bytes, and counts the layouts each PDF needed (more than one: a footnote was brought
back to its mark's page, or the edition was laid out again without contents).

Usage: ``python benchmarks/pdf_cpu.py [--runs N] [BRIEF ...]``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from editions import pdf_editions

ROOT = Path(__file__).resolve().parent.parent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("briefs", nargs="*", type=Path)
    args = parser.parse_args(argv)

    from briefs.pdf import weasy
    from briefs.pipeline.build import Project

    project = Project()
    sources = args.briefs or sorted((ROOT / "inputs").glob("*.yaml"))
    jobs = pdf_editions(project, sources)
    current = weasy.preparsed

    def parsed_each_time(html: str, font_config: object) -> tuple[str, None]:
        return html, None

    now: list[float] = []
    before: list[float] = []
    second_render: list[float] = []
    layouts: list[int] = []
    same = True
    for source, edition in jobs:
        html = project.render(edition)
        start = time.process_time()
        project.render(edition, toc=False)
        second_render.append(time.process_time() - start)
        weasy.write_pdf(html, base_dir=source.parent, name=source.name)  # warm-up
        pairs: list[tuple[float, float]] = []
        for run in range(args.runs):
            seconds = {}
            for variant in ("now", "before") if run % 2 == 0 else ("before", "now"):
                weasy.preparsed = current if variant == "now" else parsed_each_time
                start = time.process_time()
                result = weasy.write_pdf(html, base_dir=source.parent, name=source.name)
                seconds[variant] = time.process_time() - start
                if variant == "now":
                    layouts.append(result.layouts)
                    data_now = result.data
                else:
                    data_before = result.data
            weasy.preparsed = current
            same = same and data_now == data_before
            pairs.append((seconds["now"], seconds["before"]))
        now.append(statistics.median(p[0] for p in pairs))
        before.append(statistics.median(p[1] for p in pairs))
    relaid = sum(1 for n in layouts[:: args.runs] if n > 1)
    total_before = sum(before) + sum(second_render)
    print(f"{len(jobs)} PDF editions of {len(sources)} briefs, {args.runs} paired runs each\n")
    print("| measure | now | before | ratio |")
    print("|---|---|---|---|")
    print(f"| worker CPU, sum over editions | {sum(now):.2f} s | {sum(before):.2f} s "
          f"| {sum(now) / sum(before):.3f} |")  # fmt: skip
    print(f"| main-process render without contents, sum | 0 s | {sum(second_render):.2f} s | — |")
    print(f"| worker + that render | {sum(now):.2f} s | {total_before:.2f} s "
          f"| {sum(now) / total_before:.3f} |")  # fmt: skip
    print(f"\nsame bytes both ways: {same}; editions laid out more than once: {relaid} of "
          f"{len(jobs)}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
