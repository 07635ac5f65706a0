"""What charts add to a build: the flagship with its charts against the same brief without them.

Both briefs are written from the flagship's data into a temporary folder — one as it is, one
with every ``chart:`` block and the ``figures:`` section removed — so they differ only in their
charts. Measured over paired runs (alternating order, so drift hits both sides alike):

1. ``html``: whole-process ``briefs build BRIEF --format html --lang ko`` (4 editions);
2. ``pdf``: whole-process ``briefs build BRIEF --format pdf --lang ko --audience government``;
   this includes any second layout pass made to keep a footnote on its mark's page, which
   depends on where the pages break, so also:
   ``pdf-pass``: in-process, one WeasyPrint layout and write of that edition, without retries;
3. ``draw``: in-process, drawing every chart of every edition (ko and en, HTML and PDF);
4. ``vega``: in-process, one raw Vega-Lite chart: the first (JavaScript engine start-up) and
   the next ones (only when the optional ``vl-convert-python`` is installed).

Usage: ``python benchmarks/charts.py [--runs N]``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def timed(cmd: Sequence[str]) -> float:
    """Wall-clock seconds of one run of ``cmd``; fails loudly if the command fails."""
    start = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    return time.perf_counter() - start


def paired(
    a: Callable[[], float], b: Callable[[], float], runs: int
) -> tuple[list[float], list[float]]:
    """Run ``a`` and ``b`` ``runs`` times each, alternating which goes first."""
    xs: list[float] = []
    ys: list[float] = []
    a(), b()  # warm caches (fontconfig, bytecode, page cache) for both sides
    for i in range(runs):
        first, second = ((a, xs), (b, ys)) if i % 2 == 0 else ((b, ys), (a, xs))
        first[1].append(first[0]())
        second[1].append(second[0]())
    return xs, ys


def write_briefs(source: Path, folder: Path) -> tuple[Path, Path, int]:
    """The brief as it is and without its charts, written the same way; and its chart count."""
    data: dict[str, Any] = yaml.safe_load(source.read_text("utf-8"))
    with_charts = folder / "with" / source.name
    without = folder / "without" / source.name
    count = len(data.get("figures", []))
    stripped = dict(data)
    stripped.pop("figures", None)
    stripped["findings"] = []
    for finding in data["findings"]:
        count += "chart" in finding
        stripped["findings"].append({k: v for k, v in finding.items() if k != "chart"})
    for path, content in ((with_charts, data), (without, stripped)):
        path.parent.mkdir(parents=True)
        path.write_text(yaml.safe_dump(content, allow_unicode=True, sort_keys=False), "utf-8")
    return with_charts, without, count


def draw_all(brief: Path) -> tuple[float, int]:
    """Seconds to draw every chart of every edition in-process, and how many were drawn."""
    from briefs.charts.view import render_svg
    from briefs.pipeline.build import Project

    project = Project()
    validated = project.load(brief)
    editions = [
        project.edition(validated, audience, lang, target)
        for audience in validated.brief.audiences or list(project.profiles)
        for lang in validated.brief.languages
        for target in ("html", "pdf")
    ]
    start = time.perf_counter()
    drawn = 0
    for e in editions:
        for finding in e.findings:
            if finding.chart is not None:
                render_svg(finding.chart, e, f"finding-{finding.id}-chart")
                drawn += 1
        for figure in e.figures:
            render_svg(figure, e, f"figure-{figure.id}")
            drawn += 1
    return time.perf_counter() - start, drawn


def pdf_pass(brief: Path) -> Callable[[], float]:
    """Seconds for one layout and write of the government Korean PDF edition (no retries)."""
    from briefs.pdf.weasy import PDF_OPTIONS, font_configuration, make_fetcher
    from briefs.pipeline.build import Project
    from briefs.resources import builtin_dir

    project = Project()
    html = project.render(project.edition(project.load(brief), "government", "ko", "pdf"))
    fonts = font_configuration()
    from weasyprint import HTML

    def once() -> float:
        start = time.perf_counter()
        document = HTML(
            string=html,
            base_url=brief.parent.as_uri() + "/",
            url_fetcher=make_fetcher([builtin_dir(), brief.parent]),
        ).render(font_config=fonts, **PDF_OPTIONS)
        document.write_pdf(**PDF_OPTIONS)
        return time.perf_counter() - start

    return once


def vega_cost() -> tuple[float, float] | None:
    """Seconds for the first raw Vega-Lite chart of a process, and for each one after it."""
    try:
        import vl_convert  # noqa: F401
    except ImportError:
        return None
    script = (
        "import json, time\n"
        "from briefs.schema.charts import Chart\n"
        "from briefs.check.charts import load\n"
        "from briefs.charts.svg import HTML, PDF\n"
        "from briefs.charts.vega import vega_svg\n"
        "chart = Chart.model_validate({'type': 'vega-lite', 'title': 'T', 'alt': 'A',\n"
        "    'sources': ['s'], 'data': [{'k': 'a', 'v': 3}, {'k': 'b', 'v': 5}],\n"
        "    'spec': {'mark': 'bar', 'encoding': {'x': {'field': 'k', 'type': 'nominal'},\n"
        "                                         'y': {'field': 'v', 'type': 'quantitative'}}}})\n"
        "chart._loaded = load(chart, None)[0]\n"
        "t = time.perf_counter(); vega_svg(chart, 'ko', HTML, 'a')\n"
        "first = time.perf_counter() - t\n"
        "t = time.perf_counter()\n"
        "for lang, canvas in (('en', HTML), ('ko', PDF), ('en', PDF)):\n"
        "    vega_svg(chart, lang, canvas, 'b')\n"
        "print(json.dumps([first, (time.perf_counter() - t) / 3]))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True, cwd=ROOT
    )
    first, after = json.loads(done.stdout)
    return float(first), float(after)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--brief", type=Path, default=ROOT / "inputs" / "deepseek-2025.yaml")
    args = parser.parse_args(argv)
    briefs_cmd = str(BIN / "briefs")

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        with_charts, without, count = write_briefs(args.brief.resolve(), folder)

        def build(brief: Path, *extra: str) -> Callable[[], float]:
            out = folder / "out" / brief.parent.name
            return lambda: timed([briefs_cmd, "build", str(brief), "--out", str(out), *extra])

        html = paired(
            build(with_charts, "--format", "html", "--lang", "ko"),
            build(without, "--format", "html", "--lang", "ko"),
            args.runs,
        )
        pdf = paired(
            build(with_charts, "--format", "pdf", "--lang", "ko", "--audience", "government"),
            build(without, "--format", "pdf", "--lang", "ko", "--audience", "government"),
            args.runs,
        )
        passes = paired(pdf_pass(with_charts), pdf_pass(without), args.runs)
        draws = [draw_all(with_charts) for _ in range(args.runs)]
    vega = vega_cost()

    def row(name: str, pair: tuple[list[float], list[float]], target: str) -> str:
        ours, base = pair
        ratios = [a / b for a, b in zip(ours, base, strict=True)]
        added = statistics.median(a - b for a, b in zip(ours, base, strict=True))
        return (
            f"| {name} | {statistics.median(base):.3f} s | {statistics.median(ours):.3f} s | "
            f"{added * 1000:+.0f} ms | {statistics.median(ratios):.3f} | {target} |"
        )

    draw_time = statistics.median(t for t, _ in draws)
    drawn = draws[0][1]
    print(
        f"brief: {args.brief.resolve().relative_to(ROOT)} ({count} charts); "
        f"{args.runs} paired runs; medians\n"
    )
    print("| measure | without charts | with charts | added | ratio | target |")
    print("|---|---|---|---|---|---|")
    print(row("`build --format html --lang ko` (4 editions), whole process", html, "≤ 0.35 s"))
    print(row("`build --format pdf --lang ko --audience government`, whole process", pdf, "—"))
    print(row("one PDF layout and write of that edition, in-process (no retries)", passes, "—"))
    print(
        f"| drawing {drawn} charts (8 editions × HTML and PDF), in-process | — | "
        f"{draw_time * 1000:.1f} ms | {draw_time / drawn * 1000:.2f} ms a chart | — | — |"
    )
    if vega is None:
        print(
            "| raw Vega-Lite chart | — | not measured: vl-convert-python is not installed | "
            "— | — | — |"
        )
    else:
        first, after = vega
        print(
            f"| one raw Vega-Lite chart (vl-convert), in-process | — | first in a process "
            f"{first * 1000:.0f} ms | {after * 1000:.0f} ms each after the first | — | — |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
