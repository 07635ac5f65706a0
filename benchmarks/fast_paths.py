"""What the fast paths of :mod:`briefs.pdf.fast_paths` buy, on every PDF edition of
``inputs/`` and ``corpus/``, and that they change no byte.

Each edition's HTML is rendered as PDF (``write_pdf``, layout report on) with WeasyPrint's own
code and with the fast paths, in alternating order (paired runs, one process, after one
warm-up), and the CPU time of each is summed. Every pair must give the same bytes.

Usage: ``python benchmarks/fast_paths.py [--runs N] [--pango | --cascade | --layouts]
[BRIEF ...]`` (default: every brief of ``inputs/`` and ``corpus/``). ``--pango``, ``--cascade``
and ``--layouts`` measure one fast path alone, against all the other fast paths: the Pango
set-up shared between text layouts, the cascaded declarations shared between elements
(:mod:`briefs.pdf.cascade`), or the laid-out text layouts drawn with
(:mod:`briefs.pdf.kept_layouts`).
Prints a Markdown table; takes a few minutes.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
from collections.abc import Sequence
from pathlib import Path

from editions import pdf_editions

ROOT = Path(__file__).resolve().parent.parent


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1)
    alone = parser.add_mutually_exclusive_group()
    alone.add_argument("--pango", action="store_true", help="the shared Pango set-up alone")
    alone.add_argument("--cascade", action="store_true", help="the shared cascade alone")
    alone.add_argument("--layouts", action="store_true", help="the kept layouts alone")
    parser.add_argument("briefs", nargs="*", type=Path)
    args = parser.parse_args(argv)

    import briefs.pdf.weasy as weasy
    from briefs.pdf import fast_paths, kept_layouts
    from briefs.pipeline.build import Project

    if fast_paths.differing():
        raise SystemExit(f"the fast paths do not apply here: {fast_paths.differing()}")
    project = Project()
    sources = args.briefs or (
        sorted((ROOT / "inputs").glob("*.yaml")) + sorted((ROOT / "corpus").glob("*.yaml"))
    )
    import weasyprint.css as css
    import weasyprint.text.line_break as line_break

    install = fast_paths.install
    install()
    shared = line_break.Layout.setup
    deferring = css.StyleFor.__init__
    folding = deferring.briefs_cascade
    kept = {name: getattr(line_break.Layout, name) for name in kept_layouts.STOOD_IN_FOR}
    modes = {"stock": fast_paths.uninstall, "fast": install}
    if args.pango:

        def setup(function: object) -> None:
            install()
            line_break.Layout.setup = function  # type: ignore[method-assign]

        modes = {"stock": lambda: setup(shared.__wrapped__), "fast": lambda: setup(shared)}
    elif args.cascade:

        def fold(function: object) -> None:
            install()
            css.StyleFor.__init__.briefs_cascade = function  # type: ignore[attr-defined]

        modes = {"stock": lambda: fold(deferring.__wrapped__), "fast": lambda: fold(folding)}
    elif args.layouts:

        def keep(own: bool) -> None:
            install()
            for name, function in kept.items():
                setattr(line_break.Layout, name, function.__wrapped__ if own else function)

        modes = {"stock": lambda: keep(True), "fast": lambda: keep(False)}
    seconds: dict[str, list[float]] = {name: [] for name in modes}
    editions = differing = 0
    try:
        fast_paths.install = lambda: True  # type: ignore[assignment] # keep each mode's
        jobs = pdf_editions(project, sources)
        for index, (path, edition) in enumerate(jobs):
            html, short = project.render(edition), project.render(edition, toc=False)
            base = path.resolve().parent
            if index == 0:
                weasy.write_pdf(html, base_dir=base, name="b", short_html=short)  # warm-up
            editions += 1
            pairs: dict[str, list[float]] = {name: [] for name in modes}
            for run in range(args.runs):
                written = {}
                order = list(modes) if (index + run) % 2 == 0 else list(reversed(modes))
                for name in order:
                    modes[name]()
                    gc.collect()
                    start = time.process_time()
                    result = weasy.write_pdf(html, base_dir=base, name="b", short_html=short)
                    pairs[name].append(time.process_time() - start)
                    written[name] = result.data
                differing += written["stock"] != written["fast"]
            for name in modes:
                seconds[name].append(statistics.median(pairs[name]))
    finally:
        fast_paths.install = install  # type: ignore[method-assign]
        install()
        line_break.Layout.setup = shared  # type: ignore[method-assign]
        deferring.briefs_cascade = folding
        for name, function in kept.items():
            setattr(line_break.Layout, name, function)
    stock, fast = sum(seconds["stock"]), sum(seconds["fast"])
    print(f"\n{editions} PDF editions, {args.runs} paired run(s) each, one process, CPU\n")
    print("| code | CPU, sum over editions | ratio |")
    print("|---|---|---|")
    reference, label = (
        ("the other fast paths", "and the shared Pango set-up")
        if args.pango
        else ("the other fast paths", "and the shared cascade")
        if args.cascade
        else ("the other fast paths", "and the kept layouts")
        if args.layouts
        else ("WeasyPrint's own", "with the fast paths")
    )
    print(f"| {reference} | {stock:.1f} s | 1.000 |")
    print(f"| {label} | {fast:.1f} s | {fast / stock:.3f} |")
    ratios = sorted(f / s for f, s in zip(seconds["fast"], seconds["stock"], strict=True))
    print(f"\nper edition: {ratios[0]:.3f} to {ratios[-1]:.3f}, median "
          f"{statistics.median(ratios):.3f}")  # fmt: skip
    print(f"pairs with different bytes: {differing} of {editions * args.runs}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
