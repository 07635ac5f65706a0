"""DOCX and HWPX build times against the PDF build time of the same edition, as ratios.

Measures, over runs in rotating order (so drift hits every format alike):

1. ``build``: the whole-process time of ``briefs build BRIEF --format docx --lang L
   --audience A`` (and ``--format hwpx``) against ``--format pdf`` of the same edition.
   Target: each ratio ≤ 0.3.
2. ``stage``: in one process, after a warm-up, writing the DOCX (HWPX) of the edition from
   its print HTML (:func:`briefs.office.docx.write_docx`, :func:`briefs.office.hwpx.write_hwpx`:
   the walk, pictures, styles, the zip rewritten) — the part such a build adds after the
   HTML render all formats share.

The builds run ``python -m briefs`` in the checkout the script is in (not an installed
``briefs`` command, which may be another checkout's). With ``--cold``, every build has an
empty cache (``XDG_CACHE_HOME``), as a first build with new charts does: the charts are
rasterised and the PDF's font subsets made again.

Usage: ``python benchmarks/office_speed.py [--runs N] [--brief PATH] [--audience A]
[--lang L] [--cold]``. Prints a Markdown table to paste into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def timed(cmd: Sequence[str], cache: Path | None = None) -> float:
    """Wall-clock seconds of one run of ``cmd`` (with ``cache`` as the user's cache, when
    given); fails loudly if the command fails."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)} if cache is not None else None
    start = time.perf_counter()
    subprocess.run(
        cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env
    )
    return time.perf_counter() - start


def stage(brief: Path, audience: str, lang: str, runs: int, fmt: str) -> float:
    """Median seconds of writing the edition's DOCX or HWPX from its print HTML, in-process."""
    from briefs.office.docx import write_docx
    from briefs.office.hwpx import write_hwpx
    from briefs.office.images import rasterise
    from briefs.pipeline.build import Project

    project = Project()
    validated = project.load(brief)
    edition = project.edition(validated, audience, lang, "pdf")
    html = project.render(edition)

    def write() -> bytes:
        if fmt == "hwpx":
            return write_hwpx(html, edition)
        return write_docx(html, edition, project.folders)

    write()  # warm-up: imports, fonts for the charts
    times = []
    for _ in range(runs):
        rasterise.cache_clear()  # one edition's build draws its charts once
        start = time.perf_counter()
        write()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--brief", type=Path, default=ROOT / "inputs" / "deepseek-2025.yaml")
    parser.add_argument("--audience", default="government")
    parser.add_argument("--lang", default="ko")
    parser.add_argument("--cold", action="store_true", help="an empty cache for every build")
    args = parser.parse_args()
    base = [sys.executable, "-m", "briefs"]  # this checkout's briefs (cwd is ROOT)
    formats = ("docx", "hwpx", "pdf")
    times: dict[str, list[float]] = {fmt: [] for fmt in formats}
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            for fmt in formats[run % 3 :] + formats[: run % 3]:
                cmd = [
                    *base,
                    "build",
                    str(args.brief),
                    "-q",
                    "--format",
                    fmt,
                    "--lang",
                    args.lang,
                    "--audience",
                    args.audience,
                    "--out",
                    str(Path(tmp) / fmt),
                ]
                cache = Path(tmp) / f"cache-{run}-{fmt}" if args.cold else None
                times[fmt].append(timed(cmd, cache))
    pdf_s = statistics.median(times["pdf"])
    edition = f"{args.brief.stem} {args.audience}.{args.lang}"
    cold = ", empty cache" if args.cold else ""
    print(f"### DOCX and HWPX (`office_speed.py`, {args.runs} rotating runs{cold}, {edition})\n")
    print("| measure | format | PDF | ratio | target | met? |")
    print("|---|---|---|---|---|---|")
    for fmt in ("docx", "hwpx"):
        seconds = statistics.median(times[fmt])
        ratio = seconds / pdf_s
        print(
            f"| `build --format {fmt}` vs `--format pdf`, whole process | {seconds:.3f} s | "
            f"{pdf_s:.3f} s | {ratio:.2f} | ≤ 0.3 | {'yes' if ratio <= 0.3 else 'no'} |"
        )
    for fmt in ("docx", "hwpx"):
        writing = stage(args.brief, args.audience, args.lang, args.runs, fmt)
        print(
            f"| writing the {fmt.upper()} from the print HTML, in-process | {writing:.3f} s "
            "| — | — | — | — |"
        )


if __name__ == "__main__":
    main()
