"""Where a 6-page PDF edition's time and bytes go, against bare WeasyPrint on the same text.

Issue 7 sets two PDF targets: ≤ 0.10 s amortised per PDF with 2 workers (so ≤ 0.20 s of
one core per PDF) and ≤ 60 KB for a 6-page text brief. This script shows how far each is
from what WeasyPrint 70 can do at all. Everything runs in one process with the bundled
fonts, on the HTML that ``briefs build`` hands to WeasyPrint, laid out once and written
(``briefs`` may lay an edition out again when a footnote moves; none of these needs it).

Table 1, variants of the edition:

1. ``edition``: the HTML as built, PDF/UA-1 (tagged);
2. ``untagged``: the same without PDF/UA-1 (no structure tree, not accessible);
3. ``one weight``: tagged, every font weight forced to Regular (no Bold face in the file);
4. ``untagged, one weight``: both;
5. ``bare text``: the edition's words alone (table of contents and footnotes included),
   one plain ``<p>`` per block, no stylesheet, links, lists or tables: the floor for this
   much Korean or English text in WeasyPrint. It runs to more pages, in a larger default
   font.

Table 2, what each part of the edition costs: the edition with one part taken out (the
table of contents, the footnotes, the links, the stylesheet, the tags), and the time saved.

Each figure is the median of ``--runs`` layouts and writes after one warm-up. Usage:
``python benchmarks/pdf_floor.py [--runs N] [--brief PATH] [--audience A]``; ``make bench``.
Prints Markdown tables per language.
"""

from __future__ import annotations

import argparse
import html as html_lib
import re
import statistics
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent


def bare_text(html: str, lang: str) -> str:
    """The words of ``html`` as plain paragraphs, one per block, nothing else."""
    body = re.sub(r"<(style|script|title)\b[^>]*>.*?</\1>", "", html, flags=re.S | re.I)
    blocks = re.split(r"</(?:p|li|h[1-6]|dd|dt|td|th|figcaption|caption)>", body)
    words = [html_lib.unescape(re.sub(r"<[^>]+>", "", block)).split() for block in blocks]
    paragraphs = "".join(f"<p>{html_lib.escape(' '.join(w))}</p>" for w in words if w)
    head = f'<!DOCTYPE html><html lang="{lang}"><head><title>text</title></head>'
    return f"{head}<body>{paragraphs}</body></html>"


def measure(
    html: str, base: Path, options: dict[str, Any], css: str | None, runs: int
) -> tuple[float, int, int]:
    """Median seconds, pages and bytes of laying out and writing ``html``."""
    from weasyprint import CSS, HTML

    from briefs.pdf.weasy import font_configuration, make_fetcher

    fonts = font_configuration()
    sheets = [CSS(string=css, font_config=fonts)] if css else None
    times: list[float] = []
    for _ in range(runs + 1):  # the first run warms caches and is dropped
        start = time.perf_counter()
        document = HTML(
            string=html, base_url=base.as_uri() + "/", url_fetcher=make_fetcher([base])
        ).render(font_config=fonts, stylesheets=sheets, **options)
        data = document.write_pdf(**options)
        times.append(time.perf_counter() - start)
    return statistics.median(times[1:]), len(document.pages), len(data)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--brief", type=Path, default=ROOT / "inputs" / "hbm-export-controls.yaml")
    parser.add_argument("--audience", default="government")
    args = parser.parse_args(argv)

    from briefs.pdf.weasy import PDF_OPTIONS
    from briefs.pipeline.build import Project

    project = Project()
    validated = project.load(args.brief)
    base = args.brief.resolve().parent
    tagged = dict(PDF_OPTIONS)
    untagged = {k: v for k, v in PDF_OPTIONS.items() if k != "pdf_variant"}
    regular = "* { font-weight: 400 !important; }"
    for lang in validated.brief.languages:
        html = project.render(project.edition(validated, args.audience, lang, "pdf"))
        bare = bare_text(html, lang)
        variants = [
            ("edition (PDF/UA-1)", html, tagged, None),
            ("untagged", html, untagged, None),
            ("one weight", html, tagged, regular),
            ("untagged, one weight", html, untagged, regular),
            ("bare text, tagged", bare, tagged, None),
            ("bare text, untagged", bare, untagged, None),
        ]
        print(f"\n{args.brief.name}, {args.audience}, {lang} ({args.runs} runs, one process)\n")
        print("| variant | time | ratio | pages | bytes | ratio |")
        print("|---|---|---|---|---|---|")
        reference: tuple[float, int, int] | None = None
        for label, text, options, css in variants:
            seconds, pages, size = measure(text, base, options, css, args.runs)
            reference = reference or (seconds, pages, size)
            print(
                f"| {label} | {seconds:.3f} s | {seconds / reference[0]:.2f} | {pages} "
                f"| {size:,} | {size / reference[2]:.2f} |"
            )
        assert reference is not None
        parts = [
            ("table of contents", html, tagged, ".toc { display: none !important; }"),
            ("footnotes", html, tagged, ".footnote { display: none !important; }"),
            ("links", re.sub(r"</?a\b[^>]*>", "", html), tagged, None),
            (
                "stylesheet",
                re.sub(r"<style\b[^>]*>.*?</style>", "", html, flags=re.S),
                tagged,
                None,
            ),
            ("tags (PDF/UA-1)", html, untagged, None),
        ]
        print("\n| without | time | saved | pages | bytes |")
        print("|---|---|---|---|---|")
        for label, text, options, css in parts:
            seconds, pages, size = measure(text, base, options, css, args.runs)
            print(
                f"| {label} | {seconds:.3f} s | {reference[0] - seconds:+.3f} s | {pages} "
                f"| {size:,} |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
