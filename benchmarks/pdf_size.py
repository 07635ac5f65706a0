"""What the two size changes of issue 21 buy, on every PDF edition of ``inputs/`` and
``corpus/``: one link annotation per place (``briefs/pdf/links.py``) and text runs without
no-op adjustments (``briefs/pdf/text_runs.py``).

Each edition is rendered as PDF (``write_pdf``, layout report on) three ways in one process,
in rotating order: with WeasyPrint's own links and text runs, with the links merged, and with
both changes. It reports bytes, link annotations, pages and CPU by language, and each Korean
edition's bytes per page (the issue's size target is for 6-page Korean editions). With
``--pixels`` it checks that the text-run change leaves every page the same, pixel for pixel
(poppler, 100 dpi, grey), and the same text (``pdftotext -layout``).

Usage: ``python benchmarks/pdf_size.py [--pixels]``. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import gc
import io
import subprocess
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from editions import every_brief, page_pictures, pdf_editions

MODES = ("weasyprint", "links", "links + runs")


def _annotations(data: bytes) -> int:
    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        return sum(len(page.get("/Annots", [])) for page in pdf.pages)


def _same_pages(a: bytes, b: bytes) -> tuple[bool, bool]:
    """Whether the two PDFs give the same pixels on every page, and the same text."""
    from PIL import Image, ImageChops

    with tempfile.TemporaryDirectory() as tmp:
        pixels = True
        for first, second in page_pictures(a, b, Path(tmp)):
            with Image.open(first) as x, Image.open(second) as y:
                pixels = pixels and ImageChops.difference(x, y).getbbox() is None
        texts = [
            subprocess.run(
                ["pdftotext", "-layout", f"{name}.pdf", "-"],
                cwd=tmp, check=True, capture_output=True,
            ).stdout
            for name in ("a", "b")
        ]  # fmt: skip
    return pixels, texts[0] == texts[1]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pixels", action="store_true")
    args = parser.parse_args(argv)

    import briefs.pdf.weasy as weasy
    from briefs.pdf import links, text_runs
    from briefs.pipeline.build import Project

    project = Project()
    sources = every_brief()
    installs = links.install, text_runs.install
    rows: dict[str, dict[str, float]] = {}
    per_page: list[tuple[float, str]] = []
    same_pixels = same_text = 0
    try:
        links.install = text_runs.install = lambda: None  # type: ignore[assignment] # keep each mode's
        for n, (path, edition) in enumerate(pdf_editions(project, sources)):
            html = project.render(edition)
            made = {}
            for mode in MODES[n % 3 :] + MODES[: n % 3]:
                (installs[0] if mode != "weasyprint" else links.uninstall)()
                (installs[1] if mode == "links + runs" else text_runs.uninstall)()
                gc.collect()
                start = time.process_time()
                result = weasy.write_pdf(html, base_dir=path.resolve().parent, name="b")
                made[mode] = (time.process_time() - start, result)
            row = rows.setdefault(edition.lang, {"editions": 0})
            row["editions"] += 1
            for mode, (cpu, result) in made.items():
                for key, value in (
                    ("bytes", len(result.data)),
                    ("annotations", _annotations(result.data)),
                    ("pages", result.pages),
                    ("cpu", cpu),
                ):
                    row[f"{mode} {key}"] = row.get(f"{mode} {key}", 0) + value
            final = made["links + runs"][1]
            if edition.lang == "ko":
                label = f"{path.stem} {edition.audience}"
                per_page.append((len(final.data) / final.pages, label))
            if args.pixels:
                pixels, text = _same_pages(made["links"][1].data, final.data)
                same_pixels += pixels
                same_text += text
    finally:
        links.install, text_runs.install = installs  # type: ignore[method-assign]
        for install in installs:
            install()
    print("\nEvery PDF edition of inputs/ and corpus/, one process, sums\n")
    print("| | editions | bytes | link annotations | pages | CPU |")
    print("|---|---|---|---|---|---|")
    for lang, row in sorted(rows.items(), reverse=True):
        for mode in MODES:
            print(
                f"| {lang}, {mode} | {row['editions']:.0f} | {row[f'{mode} bytes']:,.0f} "
                f"| {row[f'{mode} annotations']:.0f} | {row[f'{mode} pages']:.0f} "
                f"| {row[f'{mode} cpu']:.1f} s |"
            )
        base = row["weasyprint bytes"]
        print(
            f"| {lang}, ratio | | {row['links bytes'] / base:.3f} / "
            f"{row['links + runs bytes'] / base:.3f} | | "
            f"| {row['links + runs cpu'] / row['weasyprint cpu']:.3f} |"
        )
    per_page.sort()
    print(
        f"\nKorean editions, bytes per page: {per_page[0][0] / 1024:.1f} KB ({per_page[0][1]}) "
        f"to {per_page[-1][0] / 1024:.1f} KB ({per_page[-1][1]}); at those rates a 6-page "
        f"edition is {6 * per_page[0][0] / 1024:.0f}–{6 * per_page[-1][0] / 1024:.0f} KB"
    )
    if args.pixels:
        editions = sum(row["editions"] for row in rows.values())
        print(
            f"Text runs: same pixels on every page in {same_pixels:.0f} of {editions:.0f} "
            f"editions, same text in {same_text:.0f}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
