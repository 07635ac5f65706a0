"""What the WOFF2 subsets of the HTML editions cost (issue 21): Brotli at fontTools' quality 11
against briefs' ``BROTLI_QUALITY``, for each brief of ``inputs/`` and ``corpus/`` and each of
its languages, both faces cut to the characters of all its HTML editions in that language (as
``embed_fonts_shared`` does). Paired in one process, alternating which goes first; CPU
seconds of making the subsets (the cache is not used) and their bytes.

Usage: ``python benchmarks/html_fonts.py [--runs N]``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)

    from briefs.pipeline.build import BuildOptions, Project, plan
    from briefs.render import fonts

    project = Project()
    sets: list[frozenset[str]] = []
    for source in sorted((ROOT / "inputs").glob("*.yaml")) + sorted(
        (ROOT / "corpus").glob("*.yaml")
    ):
        validated = project.load(source)
        by_lang: dict[str, frozenset[str]] = {}
        for audience, lang in plan(validated, BuildOptions(), project.profiles):
            html = project.render(project.edition(validated, audience, lang, "html"))
            by_lang[lang] = by_lang.get(lang, frozenset()) | fonts.used_characters(html)
        sets.extend(by_lang.values())
    chosen = fonts.BROTLI_QUALITY

    def make(quality: int) -> tuple[float, int]:
        fonts.BROTLI_QUALITY = quality
        start = time.process_time()
        size = sum(
            len(fonts._subset(face, characters)) for characters in sets for face, *_ in fonts.FACES
        )
        return time.process_time() - start, size

    times: dict[int, list[float]] = {11: [], chosen: []}
    sizes: dict[int, int] = {}
    try:
        for run in range(args.runs):
            for quality in (11, chosen) if run % 2 == 0 else (chosen, 11):
                cpu, sizes[quality] = make(quality)
                times[quality].append(cpu)
    finally:
        fonts.BROTLI_QUALITY = chosen
    faces = len(sets) * len(fonts.FACES)
    print(f"\n{len(sets)} character sets (brief × language), {faces} subsets, {args.runs} runs\n")
    print("| Brotli quality | CPU, all subsets | per subset | bytes, all subsets |")
    print("|---|---|---|---|")
    for quality in (11, chosen):
        cpu = statistics.median(times[quality])
        print(f"| {quality} | {cpu:.2f} s | {cpu / faces * 1000:.0f} ms | {sizes[quality]:,} |")
    ratio = statistics.median(times[chosen]) / statistics.median(times[11])
    print(f"\nCPU ratio {chosen}/11: {ratio:.3f}; bytes ratio {sizes[chosen] / sizes[11]:.4f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
