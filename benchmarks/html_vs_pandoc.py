"""One HTML edition, whole process, side by side with Pandoc on the same content (issue 21).

The reference: ``pandoc -s`` (from the ``pypandoc-binary`` wheel of the ``bench`` extra)
turning Markdown into a standalone HTML page. The Markdown is the very content of the briefs
edition, made by Pandoc itself from the edition's HTML (headings, paragraphs, lists, tables,
links; no raw HTML, no attributes), so both sides write the same words. briefs does more with
them: it loads and validates the YAML, checks every citation and figure, renders the
audience's template, draws the charts as SVG and embeds the bundled face as a WOFF2 subset.
The subset is cached between runs (``~/.cache/briefs``); the first line is with the cache warm,
as in an author's edit–build loop, the second with an empty cache (``XDG_CACHE_HOME`` set to a
new folder for every run).

Measured over paired runs, alternating which side goes first: wall time and CPU time (user +
system of the child process, which a busy machine disturbs less than wall time).

Usage: ``python benchmarks/html_vs_pandoc.py [--runs N] [--brief PATH] [--lang ko|en]``.
Prints a Markdown table to paste into benchmarks/README.md. Target: ratio ≤ 3.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

from build_speed import paired, timed_cpu

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MARKDOWN = "markdown-" + "-".join(
    [
        "raw_html",
        "native_divs",
        "native_spans",
        "fenced_divs",
        "bracketed_spans",
        "header_attributes",
        "link_attributes",
    ]
)


def pandoc() -> str:
    """The Pandoc binary of the ``pypandoc-binary`` wheel."""
    try:
        import pypandoc
    except ImportError:
        sys.exit("benchmarks/html_vs_pandoc.py needs Pandoc: pip install -e '.[bench]'")
    return str(pypandoc.get_pandoc_path())


def same_content(html: Path, folder: Path, binary: str) -> Path:
    """The edition's body as plain Markdown, written by Pandoc from the edition's HTML."""
    text = html.read_text(encoding="utf-8")
    text = re.sub(r"<style\b.*?</style>", "", text, flags=re.S)  # the embedded font and CSS
    text = re.sub(r"<svg\b.*?</svg>", "", text, flags=re.S)  # charts: Pandoc has none
    stripped = folder / "edition.html"
    stripped.write_text(text, encoding="utf-8")
    markdown = folder / "edition.md"
    subprocess.run(
        [binary, "-f", "html", "-t", MARKDOWN, str(stripped), "-o", str(markdown)], check=True
    )
    return markdown


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--brief", type=Path, default=ROOT / "inputs" / "deepseek-2025.yaml")
    parser.add_argument("--lang", choices=("ko", "en"), default="ko")
    parser.add_argument("--audience", default="government")
    args = parser.parse_args(argv)
    brief: Path = args.brief.resolve()
    binary = pandoc()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        build = [
            str(BIN / "briefs"), "build", str(brief), "--format", "html",
            "--lang", args.lang, "--audience", args.audience, "--quiet", "--out",
        ]  # fmt: skip
        subprocess.run([*build, str(out / "first")], check=True, cwd=ROOT)
        (html,) = (out / "first").glob(f"*/{args.audience}.{args.lang}.html")
        markdown = same_content(html, out, binary)
        reference = [binary, "-s", "-f", "markdown", "-t", "html", "--metadata", "title=brief",
                     str(markdown), "-o", str(out / "pandoc.html")]  # fmt: skip
        fresh = iter(range(10_000))

        def ours(empty_cache: bool) -> tuple[float, float]:
            env = None
            if empty_cache:
                env = {**os.environ, "XDG_CACHE_HOME": str(out / f"cache{next(fresh)}")}
            return timed_cpu([*build, str(out / "ours")], env=env)

        rows = []
        for label, empty_cache in (("cache warm", False), ("empty cache", True)):
            pairs = list(
                zip(
                    *paired(lambda e=empty_cache: ours(e), lambda: timed_cpu(reference), args.runs),
                    strict=True,
                )
            )
            rows.append((label, pairs))
        words = len(markdown.read_text(encoding="utf-8").split())
    print(
        f"brief: {brief.relative_to(ROOT)}, {args.audience}.{args.lang}; the same content as "
        f"{words} words of Markdown for Pandoc; {args.runs} paired runs; medians\n"
    )
    print("| measure | briefs | pandoc | ratio | target |")
    print("|---|---|---|---|---|")
    for label, pairs in rows:
        for kind, i in (("wall", 0), ("CPU", 1)):
            ours_t = statistics.median(p[0][i] for p in pairs)
            theirs_t = statistics.median(p[1][i] for p in pairs)
            ratio = statistics.median(p[0][i] / p[1][i] for p in pairs)
            print(
                f"| one HTML edition, whole process, {label}, {kind} | {ours_t:.3f} s | "
                f"{theirs_t:.3f} s | {ratio:.2f} | ≤ 3 |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
