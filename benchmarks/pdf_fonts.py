"""Compact font subsets (issue 21): bytes and CPU of every PDF edition, WeasyPrint's own
subsets against briefs' (:mod:`briefs.pdf.fonts`).

For every PDF edition of the briefs given (default: ``inputs/``), in one process, after one
warm-up: ``write_pdf`` on the edition's HTML, alternating the two ways in paired runs (CPU
time of this process). Reports each edition's bytes both ways, the CPU of the font step
alone (subsetting and the font dictionaries, ``build_fonts_dictionary``) and of the whole
PDF, and checks that the page content streams are the same bytes both ways (the glyphs are
still named by their CIDs); ``--pixels`` also renders both at 100 dpi with ``pdftoppm`` and
compares every pixel, and compares ``pdftotext``.

Usage: ``python benchmarks/pdf_fonts.py [--runs N] [--pixels] [BRIEF ...]``. Prints Markdown.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from editions import pdf_editions

ROOT = Path(__file__).resolve().parent.parent


def contents(data: bytes) -> list[bytes]:
    """Each page's content stream, decoded."""
    import io

    import pikepdf

    with pikepdf.open(io.BytesIO(data)) as pdf:
        out = []
        for page in pdf.pages:
            found = page.obj.Contents
            streams = list(found) if isinstance(found, pikepdf.Array) else [found]
            out.append(b"".join(s.read_bytes() for s in streams))
        return out


def same_pages(a: bytes, b: bytes) -> bool:
    """Whether ``a`` and ``b`` render to the same pixels (poppler, 100 dpi) and text."""
    from PIL import Image, ImageChops

    with tempfile.TemporaryDirectory() as tmp:
        pages = []
        for name, data in (("a", a), ("b", b)):
            pdf = Path(tmp) / f"{name}.pdf"
            pdf.write_bytes(data)
            subprocess.run(["pdftoppm", "-r", "100", "-png", pdf, Path(tmp) / name], check=True)
            text = subprocess.run(["pdftotext", pdf, "-"], capture_output=True, check=True)
            pages.append((sorted(Path(tmp).glob(f"{name}-*.png")), text.stdout))
        (pa, ta), (pb, tb) = pages
        if ta != tb or len(pa) != len(pb):
            return False
        for x, y in zip(pa, pb, strict=True):
            with Image.open(x) as ia, Image.open(y) as ib:
                if ImageChops.difference(ia.convert("RGB"), ib.convert("RGB")).getbbox():
                    return False
    return True


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--pixels", action="store_true")
    parser.add_argument("briefs", nargs="*", type=Path)
    args = parser.parse_args(argv)

    import weasyprint.pdf

    from briefs.pdf import fonts, weasy
    from briefs.pipeline.build import Project

    project = Project()
    sources = args.briefs or sorted((ROOT / "inputs").glob("*.yaml"))
    jobs = [
        (f"{source.stem} {edition.audience} {edition.lang}", source, project.render(edition))
        for source, edition in pdf_editions(project, sources)
    ]

    install = fonts.install
    font_seconds: list[float] = []

    def use(compact: bool) -> None:
        """Switch to one way, the font step timed."""
        fonts.uninstall()  # WeasyPrint's own functions, untimed
        if compact:
            install()
        fonts.install = lambda: compact  # write_pdf must not switch back
        inner: Callable[..., Any] = weasyprint.pdf.build_fonts_dictionary

        def timed(*a: Any) -> Any:
            start = time.process_time()
            try:
                return inner(*a)
            finally:
                font_seconds.append(time.process_time() - start)

        weasyprint.pdf.build_fonts_dictionary = timed

    rows = []
    try:
        for label, source, html in jobs:
            use(True)
            weasy.write_pdf(html, base_dir=source.parent, name=source.name, report=False)
            runs: dict[bool, list[tuple[float, float]]] = {True: [], False: []}
            data: dict[bool, bytes] = {}
            for run in range(args.runs):
                for compact in (True, False) if run % 2 == 0 else (False, True):
                    use(compact)
                    font_seconds.clear()
                    start = time.process_time()
                    result = weasy.write_pdf(
                        html, base_dir=source.parent, name=source.name, report=False
                    )
                    runs[compact].append((time.process_time() - start, sum(font_seconds)))
                    data[compact] = result.data
            same = contents(data[True]) == contents(data[False])
            if args.pixels:
                same = same and same_pages(data[True], data[False])
            rows.append((label, data[False], data[True], runs, same))
    finally:
        fonts.install = install
        fonts.uninstall()
        install()

    def median(values: list[tuple[float, float]], i: int) -> float:
        return statistics.median(v[i] for v in values)

    check = "pixels and text" if args.pixels else "content streams"
    print(f"{len(jobs)} PDF editions, {args.runs} paired runs each, one process\n")
    print(f"| edition | stock bytes | compact | saved | font step stock | compact | same {check} |")
    print("|---|---|---|---|---|---|---|")
    for label, before, after, runs, same in rows:
        print(
            f"| {label} | {len(before):,} | {len(after):,} | {len(before) - len(after):,} "
            f"({1 - len(after) / len(before):.1%}) | {median(runs[False], 1) * 1000:.0f} ms "
            f"| {median(runs[True], 1) * 1000:.0f} ms | {'yes' if same else 'NO'} |"
        )
    for lang in ("ko", "en"):
        picked = [r for r in rows if r[0].endswith(f" {lang}")]
        if not picked:
            continue
        stock_bytes = sum(len(r[1]) for r in picked)
        compact_bytes = sum(len(r[2]) for r in picked)
        font = [sum(median(r[3][c], 1) for r in picked) for c in (False, True)]
        whole = [sum(median(r[3][c], 0) for r in picked) for c in (False, True)]
        print(
            f"\n{lang}, {len(picked)} editions: bytes {stock_bytes:,} → {compact_bytes:,} "
            f"({compact_bytes / stock_bytes:.3f}); font step {font[0]:.3f} s → {font[1]:.3f} s "
            f"({font[1] / font[0]:.2f}); whole PDF {whole[0]:.2f} s → {whole[1]:.2f} s "
            f"({whole[1] / whole[0]:.3f})"
        )
    return 0 if all(r[4] for r in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
