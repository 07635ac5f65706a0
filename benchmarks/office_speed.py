"""DOCX build time against the PDF build time of the same edition, as a ratio.

Measures, over paired runs (alternating order, so drift hits both sides alike):

1. ``build``: the whole-process time of ``briefs build BRIEF --format docx --lang L
   --audience A`` against ``--format pdf`` of the same edition. Target: ratio ≤ 0.3.
2. ``stage``: in one process, after a warm-up, writing the DOCX of the edition from its
   print HTML (:func:`briefs.office.docx.write_docx`: the walk, pictures, styles, the zip
   rewritten) — the part a DOCX build adds after the HTML render both formats share.

Usage: ``python benchmarks/office_speed.py [--runs N] [--brief PATH] [--audience A]
[--lang L]``. Prints a Markdown table to paste into benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def timed(cmd: Sequence[str]) -> float:
    """Wall-clock seconds of one run of ``cmd``; fails loudly if the command fails."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def stage(brief: Path, audience: str, lang: str, runs: int) -> float:
    """Median seconds of writing the edition's DOCX from its print HTML, in-process."""
    from briefs.office.docx import write_docx
    from briefs.office.images import rasterise
    from briefs.pipeline.build import Project

    project = Project()
    validated = project.load(brief)
    edition = project.edition(validated, audience, lang, "pdf")
    html = project.render(edition)
    write_docx(html, edition, project.folders)  # warm-up: imports, fonts for the charts
    times = []
    for _ in range(runs):
        rasterise.cache_clear()  # one edition's build draws its charts once
        start = time.perf_counter()
        write_docx(html, edition, project.folders)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--brief", type=Path, default=ROOT / "inputs" / "deepseek-2025.yaml")
    parser.add_argument("--audience", default="government")
    parser.add_argument("--lang", default="ko")
    args = parser.parse_args()
    briefs = str(BIN / "briefs") if (BIN / "briefs").exists() else None
    base = [briefs] if briefs else [sys.executable, "-m", "briefs"]
    docx_times: list[float] = []
    pdf_times: list[float] = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in range(args.runs):
            for fmt in ("docx", "pdf") if run % 2 == 0 else ("pdf", "docx"):
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
                (docx_times if fmt == "docx" else pdf_times).append(timed(cmd))
    docx_s, pdf_s = statistics.median(docx_times), statistics.median(pdf_times)
    writing = stage(args.brief, args.audience, args.lang, args.runs)
    edition = f"{args.brief.stem} {args.audience}.{args.lang}"
    print(f"### DOCX (`office_speed.py`, {args.runs} paired runs, {edition})\n")
    print("| measure | DOCX | PDF | ratio | target | met? |")
    print("|---|---|---|---|---|---|")
    ratio = docx_s / pdf_s
    print(
        f"| `build --format docx` vs `--format pdf`, whole process | {docx_s:.3f} s | "
        f"{pdf_s:.3f} s | {ratio:.2f} | ≤ 0.3 | {'yes' if ratio <= 0.3 else 'no'} |"
    )
    print(f"| writing the DOCX from the print HTML, in-process | {writing:.3f} s | — | — | — | — |")


if __name__ == "__main__":
    main()
