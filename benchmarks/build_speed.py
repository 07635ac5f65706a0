"""Build speed of briefs, measured side by side with a reference, as ratios.

Measures, over paired runs (alternating order so drift hits both sides alike):

1. ``html``: the whole-process time of ``briefs build BRIEF --format html --lang ko`` (every
   audience of one language). Target: ≤ 0.35 s.
2. ``pdf``: the whole-process time of ``briefs build BRIEF --format pdf --lang ko
   --audience government`` against the ``weasyprint`` command line rendering the very HTML
   briefs hands to WeasyPrint, with the same fonts and PDF/UA-1. Target: ratio ≤ 1.1.
3. ``keep-words``: what Korean word keeping (word joiners) costs in PDF render time:
   the same edition rendered in-process with and without it. Reported as a ratio.

The PDF pair is reported as wall time and as CPU time (user + system of the child, which
other load disturbs less). ``--busy`` runs it with one core kept busy by a spinning process,
as on a shared CI machine.

Usage: ``python benchmarks/build_speed.py [--runs N] [--brief PATH] [--busy]``; ``make bench``.
Prints a Markdown table to paste into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def timed(cmd: Sequence[str], env: dict[str, str] | None = None) -> float:
    """Wall-clock seconds of one run of ``cmd``; fails loudly if the command fails."""
    start = time.perf_counter()
    subprocess.run(
        cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=ROOT
    )
    return time.perf_counter() - start


def timed_cpu(cmd: Sequence[str], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall and CPU seconds (user + system of the child) of one run of ``cmd``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(cmd, env)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


@contextlib.contextmanager
def one_core_busy(busy: bool) -> Iterator[None]:
    """With ``busy``, a process spinning on one core for the duration."""
    if not busy:
        yield
        return
    hog = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        yield
    finally:
        hog.kill()
        hog.wait()


T = TypeVar("T")


def paired(a: Callable[[], T], b: Callable[[], T], runs: int) -> tuple[list[T], list[T]]:
    """Run ``a`` and ``b`` ``runs`` times each, alternating which goes first."""
    xs: list[T] = []
    ys: list[T] = []
    a(), b()  # warm caches (fontconfig, bytecode, page cache) for both sides
    for i in range(runs):
        if i % 2:
            ys.append(b())
            xs.append(a())
        else:
            xs.append(a())
            ys.append(b())
    return xs, ys


def pdf_input_html(brief: Path, folder: Path) -> Path:
    """Write the HTML briefs renders for the government Korean PDF edition."""
    from briefs.pipeline.build import Project

    project = Project()
    validated = project.load(brief)
    edition = project.edition(validated, "government", "ko", "pdf")
    path = folder / "government.ko.pdf.html"
    path.write_text(project.render(edition), encoding="utf-8")
    return path


def keep_words_cost(brief: Path, runs: int) -> tuple[float, float]:
    """Median in-process PDF render time with and without word joiners."""
    from briefs.pdf.weasy import write_pdf
    from briefs.pipeline.build import Project
    from briefs.text.korean import WORD_JOINER

    project = Project()
    validated = project.load(brief)
    html = project.render(project.edition(validated, "government", "ko", "pdf"))
    plain = html.replace(WORD_JOINER, "")
    with_joiners: list[float] = []
    without: list[float] = []

    def render(text: str, into: list[float]) -> float:
        start = time.perf_counter()
        write_pdf(text, base_dir=brief.parent, name=str(brief))
        into.append(time.perf_counter() - start)
        return into[-1]

    render(html, []), render(plain, [])
    for i in range(runs):
        pair = [(html, with_joiners), (plain, without)]
        for text, into in pair if i % 2 == 0 else reversed(pair):
            render(text, into)
    return statistics.median(with_joiners), statistics.median(without)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--brief", type=Path, default=ROOT / "inputs" / "deepseek-2025.yaml")
    parser.add_argument("--busy", action="store_true", help="keep one core busy meanwhile")
    args = parser.parse_args(argv)
    brief: Path = args.brief.resolve()
    briefs_cmd = str(BIN / "briefs")
    weasyprint_cmd = shutil.which("weasyprint", path=str(BIN)) or "weasyprint"

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        html_times = [
            timed(
                [
                    briefs_cmd,
                    "build",
                    str(brief),
                    "--out",
                    str(out / "h"),
                    "--format",
                    "html",
                    "--lang",
                    "ko",
                ]
            )
            for _ in range(args.runs + 1)
        ][1:]

        from briefs.pdf.weasy import fontconfig_file

        env = {**os.environ, "FONTCONFIG_FILE": str(fontconfig_file())}
        source = pdf_input_html(brief, out)
        with one_core_busy(args.busy):
            ours, theirs = paired(
                lambda: timed_cpu(
                    [
                        briefs_cmd,
                        "build",
                        str(brief),
                        "--out",
                        str(out / "p"),
                        "--format",
                        "pdf",
                        "--lang",
                        "ko",
                        "--audience",
                        "government",
                    ]
                ),
                lambda: timed_cpu(
                    [
                        weasyprint_cmd,
                        "--pdf-variant",
                        "pdf/ua-1",
                        "--base-url",
                        str(brief.parent),
                        str(source),
                        str(out / "ref.pdf"),
                    ],
                    env=env,
                ),
                args.runs,
            )
        joined, plain = keep_words_cost(brief, args.runs)

    html_median = statistics.median(html_times)
    load = "one core busy" if args.busy else "no load added"
    print(f"brief: {brief.relative_to(ROOT)}; {args.runs} paired runs; medians; {load}\n")
    print("| measure | briefs | reference | ratio | target |")
    print("|---|---|---|---|---|")
    print(
        f"| `build --format html --lang ko` (4 editions), whole process | "
        f"{html_median:.3f} s | — | — | ≤ 0.35 s |"
    )
    for kind, i in (("wall", 0), ("CPU", 1)):
        print(
            f"| `build --format pdf` (1 edition) vs `weasyprint` CLI on the same HTML, {kind} | "
            f"{statistics.median(a[i] for a in ours):.3f} s | "
            f"{statistics.median(b[i] for b in theirs):.3f} s | "
            f"{statistics.median(a[i] / b[i] for a, b in zip(ours, theirs, strict=True)):.3f} | "
            f"≤ 1.0 |"
        )
    print(
        f"| PDF render with word joiners vs without (in-process) | {joined:.3f} s | "
        f"{plain:.3f} s | {joined / plain:.3f} | — |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
