"""What placing the PDF's chart labels by their left edge saves (issue 21), on every PDF
edition of ``inputs/`` and ``corpus/`` that has a chart.

WeasyPrint 70 draws each ``text-anchor``-ed SVG label into a transparency group of its own
(a form XObject). :func:`briefs.charts.svg.left_edged` writes the label's left edge instead.
Each edition is rendered with and without it (``write_pdf``, one process, alternating which
goes first): bytes, form XObjects, pages and CPU, by language; with ``--pixels``, the most
pixels that differ on any page at 100 dpi (poppler).

Usage: ``python benchmarks/chart_labels.py [--pixels]``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import gc
import io
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from editions import every_brief, page_pictures, pdf_editions


def _forms(data: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return sum(
            1 for o in pdf.objects if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form"
        )


def _pixels(a: bytes, b: bytes) -> int:
    """The most pixels differing (by more than 40 of 255) on one page, at 100 dpi."""
    from PIL import Image, ImageChops

    worst = 0
    with tempfile.TemporaryDirectory() as tmp:
        for first, second in page_pictures(a, b, Path(tmp)):
            with Image.open(first) as x, Image.open(second) as y:
                diff = ImageChops.difference(x, y).point(lambda v: 255 if v > 40 else 0)
                worst = max(worst, diff.histogram()[255])
    return worst


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pixels", action="store_true")
    args = parser.parse_args(argv)

    import briefs.charts.view as view
    import briefs.pdf.weasy as weasy
    from briefs.pipeline.build import Project

    project = Project()
    sources = every_brief()
    edged = view.left_edged
    rows: dict[str, dict[str, float]] = {}
    worst = 0
    for n, (path, edition) in enumerate(pdf_editions(project, sources)):
        made = {}
        for mode in ("anchored", "left-edged") if n % 2 == 0 else ("left-edged", "anchored"):
            view.left_edged = edged if mode == "left-edged" else (lambda svg: svg)  # type: ignore[assignment]
            html = project.render(edition)
            if "data:image/svg+xml" not in html:
                break
            gc.collect()
            start = time.process_time()
            result = weasy.write_pdf(html, base_dir=path.resolve().parent, name="b")
            made[mode] = (time.process_time() - start, result)
        view.left_edged = edged  # type: ignore[assignment]
        if not made:
            continue
        row = rows.setdefault(edition.lang, {"editions": 0})
        row["editions"] += 1
        for mode, (cpu, result) in made.items():
            for key, value in (
                ("bytes", len(result.data)),
                ("forms", _forms(result.data)),
                ("pages", result.pages),
                ("cpu", cpu),
            ):
                row[f"{mode} {key}"] = row.get(f"{mode} {key}", 0) + value
        if args.pixels:
            worst = max(worst, _pixels(made["anchored"][1].data, made["left-edged"][1].data))
    print("\nPDF editions with charts, one process, sums\n")
    print("| | editions | bytes | form XObjects | pages | CPU |")
    print("|---|---|---|---|---|---|")
    for lang, row in sorted(rows.items(), reverse=True):
        for mode in ("anchored", "left-edged"):
            print(
                f"| {lang}, {mode} | {row['editions']:.0f} | {row[f'{mode} bytes']:,.0f} "
                f"| {row[f'{mode} forms']:.0f} | {row[f'{mode} pages']:.0f} "
                f"| {row[f'{mode} cpu']:.1f} s |"
            )
        print(
            f"| {lang}, ratio | | {row['left-edged bytes'] / row['anchored bytes']:.3f} | | "
            f"| {row['left-edged cpu'] / row['anchored cpu']:.3f} |"
        )
    if args.pixels:
        print(f"\nMost pixels differing on one page (100 dpi, > 40 of 255): {worst}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
