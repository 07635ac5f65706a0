"""Peak memory of `briefs publish`: the main process, each PDF worker and the whole tree.

Runs ``briefs publish`` on a catalogue (default ``inputs/``) into a fresh folder and samples
the resident set size (``VmRSS`` in ``/proc/PID/status``) of the command and of every process
below it every 20 ms. Reported: the main process's peak, the largest worker's peak, and the
peak of the tree's sum (what the machine must hold at once). Target (issue 21): under 400 MiB
for the catalogue with ``--jobs 2``. The kernel's own high-water mark of each process
(``VmHWM``) is read too, so a peak between two samples is not missed for the processes alive
at a sample.

Usage: ``python benchmarks/publish_memory.py [--jobs N] [CATALOGUE]``. Prints a Markdown table.
Linux only (it reads ``/proc``).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BRIEFS = str(Path(sys.executable).parent / "briefs")
MIB = 1 << 20


def _status(pid: int) -> dict[str, int]:
    """The kB fields of ``/proc/PID/status`` that matter here, in bytes."""
    fields: dict[str, int] = {}
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return fields
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM", "PPid"):
            number = int(value.split()[0])
            fields[key] = number if key == "PPid" else number * 1024
    return fields


def _tree(root: int) -> dict[int, dict[str, int]]:
    """``root`` and every process below it, with their status fields."""
    everyone = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            everyone[int(entry.name)] = _status(int(entry.name))
    found = {root: everyone.get(root, {})}
    grew = True
    while grew:
        grew = False
        for pid, fields in everyone.items():
            if pid not in found and fields.get("PPid") in found:
                found[pid] = fields
                grew = True
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("catalogue", nargs="?", type=Path, default=ROOT / "inputs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        command = [BRIEFS, "publish", str(args.catalogue), "--out", tmp, "--jobs", str(args.jobs)]
        start = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL)
        main_peak = worker_peak = tree_peak = 0
        workers: set[int] = set()
        while process.poll() is None:
            tree = _tree(process.pid)
            rss = {pid: f.get("VmRSS", 0) for pid, f in tree.items()}
            hwm = {pid: f.get("VmHWM", 0) for pid, f in tree.items()}
            tree_peak = max(tree_peak, sum(rss.values()))
            main_peak = max(main_peak, hwm.get(process.pid, 0))
            others = {pid: peak for pid, peak in hwm.items() if pid != process.pid}
            workers |= others.keys()
            worker_peak = max([worker_peak, *others.values()])
            time.sleep(0.02)
        seconds = time.perf_counter() - start
        if process.returncode:
            print(f"publish failed with exit {process.returncode}", file=sys.stderr)
            return 1
    print(f"`briefs publish {args.catalogue.name} --jobs {args.jobs}`: {seconds:.1f} s, "
          f"{len(workers)} processes below the command\n")  # fmt: skip
    print("| measure | peak | target |")
    print("|---|---|---|")
    print(f"| main process (VmHWM) | {main_peak / MIB:.0f} MiB | — |")
    print(f"| largest worker (VmHWM) | {worker_peak / MIB:.0f} MiB | — |")
    print(f"| whole tree, sum of VmRSS (sampled every 20 ms) | {tree_peak / MIB:.0f} MiB "
          f"| < 400 MiB |")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
