"""A no-op `briefs publish` of 36 briefs against one of 3 (issue 21: ≤ 1.2×).

The 3-brief catalogue is ``inputs/``; the 36-brief one is the briefs of ``inputs/`` and
``corpus/`` copied under new ids (``<id>-c1`` …) with the files they read, into a temporary
folder. Each is published once, then re-published with nothing changed, in paired runs that
alternate which goes first. Every run is a whole process (``python -m briefs``, from this
checkout, with bytecode caching on as in an installed package); its wall time and its CPU
time (user + system, from ``getrusage``) are recorded.

``--baseline DIR`` times another checkout (a clone of an earlier commit, say) the same way,
on site folders of its own, for a before/after table.

Usage: ``python benchmarks/noop_publish.py [--runs N] [--format html] [--baseline DIR]``.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BRIEFS = 36


def catalogue(folder: Path, count: int) -> Path:
    """``count`` briefs: those of inputs/ and corpus/, then copies of them under new ids."""
    folder.mkdir(parents=True)
    sources = sorted((ROOT / "inputs").glob("*.yaml")) + sorted((ROOT / "corpus").glob("*.yaml"))
    made = 0
    for copy in range(count):
        for source in sources:
            if made == count:
                return folder
            text = source.read_text("utf-8")
            found = re.search(r"^id: (\S+)", text, re.MULTILINE)
            assert found, source
            brief_id = found.group(1) if copy == 0 else f"{found.group(1)}-c{copy}"
            text = re.sub(r"^id: \S+", f"id: {brief_id}", text, count=1, flags=re.MULTILINE)
            (folder / f"{brief_id}.yaml").write_text(text, "utf-8")
            for other in source.parent.glob(f"{found.group(1)}*"):
                if other.suffix != ".yaml" and not (folder / other.name).exists():
                    shutil.copy(other, folder / other.name)
            made += 1
    return folder


def run(checkout: Path, inputs: Path, out: Path, extra: Sequence[str]) -> tuple[float, float, str]:
    """One publish as a process: wall seconds, CPU seconds, its summary line."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "briefs", "publish", str(inputs), "--out", str(out), *extra],
        cwd=checkout,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, done.stdout.strip().splitlines()[-1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--format", action="append", default=[], help="as publish --format")
    parser.add_argument("--baseline", type=Path, help="another checkout to time the same way")
    args = parser.parse_args(argv)
    extra = [f"--format={f}" for f in args.format]
    checkouts = {"this checkout": ROOT}
    if args.baseline:
        checkouts["baseline"] = args.baseline.resolve()
    print(f"load average before: {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        small = work / "inputs-3"
        shutil.copytree(ROOT / "inputs", small)
        large = catalogue(work / "inputs-36", BRIEFS)
        sites = {}
        for name, checkout in checkouts.items():
            for label, inputs in (("3", small), ("36", large)):
                site = work / f"site-{label}-{len(sites)}"
                run(checkout, inputs, site, [*extra, "--jobs", "2"])
                sites[name, label] = (checkout, inputs, site)
        time.sleep(2.5)  # outputs old enough for their stamps to be kept
        for checkout, inputs, site in sites.values():
            summary = run(checkout, inputs, site, extra)[2]  # warm: stamps and bytecode
            assert summary.startswith("0 built"), summary
        times: dict[tuple[str, str], list[tuple[float, float]]] = {k: [] for k in sites}
        for i in range(args.runs):
            keys = list(sites) if i % 2 == 0 else list(reversed(sites))
            for key in keys:
                checkout, inputs, site = sites[key]
                wall, cpu, summary = run(checkout, inputs, site, extra)
                assert summary.startswith("0 built"), summary
                times[key].append((wall, cpu))
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    print(f"\n{args.runs} paired runs, medians; formats: {', '.join(args.format) or 'html, pdf'}\n")
    print("| checkout | 3 briefs: wall / CPU | 36 briefs: wall / CPU | ratio wall | ratio CPU |")
    print("|---|---|---|---|---|")
    for name in checkouts:
        three, many = times[name, "3"], times[name, "36"]
        walls = [b[0] / a[0] for a, b in zip(three, many, strict=True)]
        cpus = [b[1] / a[1] for a, b in zip(three, many, strict=True)]
        print(
            f"| {name} | {statistics.median(t[0] for t in three):.3f} s / "
            f"{statistics.median(t[1] for t in three):.3f} s | "
            f"{statistics.median(t[0] for t in many):.3f} s / "
            f"{statistics.median(t[1] for t in many):.3f} s | "
            f"{statistics.median(walls):.2f}× | {statistics.median(cpus):.2f}× |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
