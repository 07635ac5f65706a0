"""`briefs publish --jobs 2` against `--jobs 1`, on a free machine and with one core busy.

Issue 21: ``--jobs 2`` must be ≥ 1.8× ``--jobs 1`` with two free cores, and never slower
than ``--jobs 1`` with one core busy. Each run is a clean publish of ``inputs/`` (HTML and
PDF) into a new folder, as a whole process (``python -m briefs`` from this checkout); the
two job counts alternate which goes first, and each pair gives a ratio. With ``--hog``, a
busy Python loop (pinned to the first core with ``--pin``) runs through the pair and is
stopped after it. Wall time and CPU time (user + system of the publish and its workers) are
reported; on a shared machine the paired ratio is the figure to read.

Usage: ``python benchmarks/publish_jobs.py [--runs N] [--conditions idle,hog] [--pin]``.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from noop_publish import run

ROOT = Path(__file__).resolve().parent.parent
HOG = "while True: pass"


@contextlib.contextmanager
def hog(active: bool, pin: bool) -> Iterator[None]:
    """A process keeping one core busy for the block (nothing when not ``active``)."""
    if not active:
        yield
        return
    process = subprocess.Popen([sys.executable, "-c", HOG])
    if pin and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(process.pid, {sorted(os.sched_getaffinity(0))[0]})
    try:
        time.sleep(0.5)  # running before the publish starts
        yield
    finally:
        process.kill()
        process.wait()


def publish(inputs: Path, out: Path, jobs: int) -> tuple[float, float, str]:
    """One clean publish: wall seconds, CPU seconds of the process tree, its summary."""
    return run(ROOT, inputs, out, ["--jobs", str(jobs), "--format", "pdf"])


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--conditions", default="idle,hog")
    parser.add_argument("--pin", action="store_true", help="pin the hog to the first core")
    args = parser.parse_args(argv)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = work / "inputs"
        shutil.copytree(ROOT / "inputs", inputs)
        publish(inputs, work / "warm", 2)  # bytecode and the font caches, for both
        for condition in args.conditions.split(","):
            load = os.getloadavg()[0]
            one: list[tuple[float, float]] = []
            two: list[tuple[float, float]] = []
            for i in range(args.runs):
                order = [(1, one), (2, two)] if i % 2 == 0 else [(2, two), (1, one)]
                with hog(condition == "hog", args.pin):
                    for jobs, into in order:
                        out = work / f"{condition}-{jobs}-{i}"
                        wall, cpu, summary = publish(inputs, out, jobs)
                        assert " 0 failed" in summary, summary
                        into.append((wall, cpu))
                        shutil.rmtree(out)
            ratios = [a[0] / b[0] for a, b in zip(one, two, strict=True)]
            rows.append((condition, load, os.getloadavg()[0], one, two, ratios))
    print(f"{args.runs} paired runs per condition (medians); hog pinned: {args.pin}\n")
    print(
        "| condition | load before → after | `--jobs 1` wall / CPU | `--jobs 2` wall / CPU "
        "| speed-up per pair | median |"
    )
    print("|---|---|---|---|---|---|")
    for condition, before, after, one, two, ratios in rows:
        print(
            f"| {condition} | {before:.1f} → {after:.1f} | "
            f"{statistics.median(t[0] for t in one):.1f} s / "
            f"{statistics.median(t[1] for t in one):.1f} s | "
            f"{statistics.median(t[0] for t in two):.1f} s / "
            f"{statistics.median(t[1] for t in two):.1f} s | "
            f"{', '.join(f'{r:.2f}' for r in ratios)} | {statistics.median(ratios):.2f}× |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
