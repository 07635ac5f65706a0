"""CPU per PDF of this tree against an earlier revision, on the same briefs (issue 21).

Issue 21 asks for PDFs at ≤ 0.85× the CPU they took when it was filed (revision
``a0eb752^``), with the same pages and tags. This script checks the earlier revision out into
a temporary git worktree, and builds each brief of that revision's ``inputs/`` as PDF, every
edition, ``--jobs 1``, with both trees' code in turn (paired runs, alternating which goes
first). It measures the CPU of the whole process tree (user + system of the build and its PDF
worker), and checks that both give the same page counts and a structure tree in every PDF.

Usage: ``python benchmarks/versions.py [--base REV] [--runs N]``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BASE = "a0eb752^"


def build(code: Path, brief: Path, out: Path) -> float:
    """CPU seconds of building every PDF edition of ``brief`` with the code in ``code``."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(
        [sys.executable, "-m", "briefs", "build", str(brief), "-f", "pdf", "-j", "1", "-q",
         "--out", str(out)],
        check=True, cwd=code, env=env, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def pages_and_tags(folder: Path) -> dict[str, tuple[int, bool]]:
    """Each PDF's page count, and whether it has a structure tree."""
    import pikepdf

    found = {}
    for path in sorted(folder.rglob("*.pdf")):
        with pikepdf.open(path) as pdf:
            found[str(path.relative_to(folder))] = (len(pdf.pages), "/StructTreeRoot" in pdf.Root)
    return found


def korean_sizes(folder: Path) -> list[tuple[int, int]]:
    """Each Korean PDF's page count and bytes."""
    import pikepdf

    found = []
    for path in sorted(folder.rglob("*.ko.pdf")):
        with pikepdf.open(path) as pdf:
            found.append((len(pdf.pages), path.stat().st_size))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default=BASE, help=f"the earlier revision (default {BASE})")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        old = Path(tmp) / "base"
        subprocess.run(
            ["git", "worktree", "add", "-q", "--detach", str(old), args.base], check=True, cwd=ROOT
        )
        try:
            for code in (old, ROOT):
                subprocess.run(
                    [sys.executable, "-m", "compileall", "-q", str(code / "briefs")], check=True
                )
            briefs = sorted((old / "inputs").glob("*.yaml"))
            times: dict[str, list[float]] = {"base": [], "now": []}
            outputs = {}
            for run in range(args.runs):
                for brief in briefs:
                    sides = [("base", old), ("now", ROOT)]
                    for name, code in sides if run % 2 == 0 else sides[::-1]:
                        out = Path(tmp) / f"{name}{run}"
                        times[name].append(build(code, brief, out))
                        outputs[name] = out
            pdfs = len(pages_and_tags(outputs["now"]))
            same = pages_and_tags(outputs["base"]) == pages_and_tags(outputs["now"])
            tagged = all(tags for _, tags in pages_and_tags(outputs["now"]).values())
            sizes = {name: korean_sizes(folder) for name, folder in outputs.items()}
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(old)], check=True, cwd=ROOT)
    per_run = {
        name: [sum(t[i : i + len(briefs)]) for i in range(0, len(t), len(briefs))]
        for name, t in times.items()
    }
    base, now = (statistics.median(per_run[n]) / pdfs for n in ("base", "now"))
    ratios = [b / a for a, b in zip(per_run["base"], per_run["now"], strict=True)]
    print(
        f"{len(briefs)} briefs of {args.base}'s inputs/, {pdfs} PDF editions, --jobs 1, "
        f"{args.runs} paired runs; CPU of the whole process tree, medians\n"
    )
    print("| | CPU per PDF | ratio | target |")
    print("|---|---|---|---|")
    print(f"| {args.base} | {base:.3f} s | — | — |")
    print(f"| this tree | {now:.3f} s | {statistics.median(ratios):.3f} | ≤ 0.85 |")
    print(f"\nSame page counts in every PDF: {same}; every PDF tagged: {tagged}")
    print("\n| Korean PDFs | editions | pages | bytes | ratio | per page | range |")
    print("|---|---|---|---|---|---|---|")
    for name, label in (("base", args.base), ("now", "this tree")):
        found = sizes[name]
        pages, size = sum(p for p, _ in found), sum(b for _, b in found)
        print(
            f"| {label} | {len(found)} | {pages} | {size:,} "
            f"| {size / sum(b for _, b in sizes['base']):.3f} | {size / pages / 1024:.1f} KB "
            f"| {min(b for _, b in found) / 1024:.0f}–{max(b for _, b in found) / 1024:.0f} KB, "
            f"{min(p for p, _ in found)}–{max(p for p, _ in found)} pages |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
