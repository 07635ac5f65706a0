"""Speed and size of `briefs publish` on the repository's catalogue (inputs/).

Measures, over paired runs (alternating order):

1. a clean publish with ``--jobs 2`` against ``--jobs 1`` (target: ≥ 1.7× faster);
2. a no-op re-publish, nothing changed (target: ≤ 0.5 s);
3. after touching one brief, that only its outputs are rebuilt, and how long it takes;
4. the amortised wall time per PDF with 2 workers (target: ≤ 0.10 s);
5. the size of the PDFs, and of a 6-page text edition in particular (target: ≤ 60 KB).

Usage: ``python benchmarks/publish_speed.py [--runs N]``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BRIEFS = str(Path(sys.executable).parent / "briefs")


def publish(inputs: Path, out: Path, *extra: str) -> tuple[float, str]:
    start = time.perf_counter()
    done = subprocess.run(
        [BRIEFS, "publish", str(inputs), "--out", str(out), *extra],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return time.perf_counter() - start, done.stdout.strip().splitlines()[-1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        inputs = work / "inputs"
        shutil.copytree(ROOT / "inputs", inputs)
        one: list[float] = []
        two: list[float] = []
        for i in range(args.runs):
            order = [("1", one), ("2", two)] if i % 2 == 0 else [("2", two), ("1", one)]
            for jobs, into in order:
                out = work / f"clean-{jobs}-{i}"
                into.append(publish(inputs, out, "--jobs", jobs)[0])
                shutil.rmtree(out)

        site = work / "site"
        publish(inputs, site, "--jobs", "2")
        noop = [publish(inputs, site)[0] for _ in range(args.runs)]

        brief = sorted(inputs.glob("*.yaml"))[-1]
        touched_times: list[float] = []
        summary = ""
        for i in range(args.runs):
            brief.write_text(brief.read_text("utf-8") + f"\n# touched {i}\n", "utf-8")
            seconds, summary = publish(inputs, site, "--jobs", "2")
            touched_times.append(seconds)

        manifest = json.loads((site / "manifest.json").read_text("utf-8"))
        pdfs = [o for o in manifest["outputs"] if o["format"] == "pdf"]
        six = [o for o in pdfs if o["pages"] == 6]

    pdf_count = len(pdfs)
    med_one, med_two = statistics.median(one), statistics.median(two)
    per_pdf = med_two / pdf_count
    sizes = sorted(o["bytes"] for o in pdfs)
    print(
        f"catalogue: {len(manifest['briefs'])} briefs, {len(manifest['outputs'])} outputs "
        f"({pdf_count} PDFs); {args.runs} paired runs; medians\n"
    )
    print("| measure | value | target |")
    print("|---|---|---|")
    print(f"| clean publish, `--jobs 1` | {med_one:.2f} s | — |")
    print(f"| clean publish, `--jobs 2` | {med_two:.2f} s | — |")
    print(f"| speed-up `--jobs 2` over `--jobs 1` | {med_one / med_two:.2f}× | ≥ 1.7× |")
    print(f"| no-op re-publish | {statistics.median(noop):.3f} s | ≤ 0.5 s |")
    print(
        f"| after touching `{brief.name}` | {statistics.median(touched_times):.2f} s: "
        f"{summary} | only its outputs |"
    )
    print(
        f"| amortised wall time per PDF, 2 workers (clean publish / PDFs) | {per_pdf:.3f} s "
        f"| ≤ 0.10 s |"
    )
    print(
        f"| PDF size: smallest / median / largest | {sizes[0] / 1024:.0f} / "
        f"{statistics.median(sizes) / 1024:.0f} / {sizes[-1] / 1024:.0f} KiB | — |"
    )
    if six:
        listed = ", ".join(f"{o['bytes'] / 1024:.0f}" for o in six)
        print(f"| PDF size of the 6-page editions | {listed} KiB | ≤ 60 KB |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
