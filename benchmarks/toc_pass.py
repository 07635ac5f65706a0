"""What removing the contents' extra layout passes saves (issue 21), on every PDF edition of
``inputs/`` and ``corpus/``.

:mod:`briefs.pdf.passes` makes WeasyPrint parse the contents' page references before a
pass instead of after it, so page 1 is laid out twice instead of three times, and
:mod:`briefs.pdf.page_refs` puts the right numbers in place after the first pass, so page 1
is laid out once. This script renders each edition three times in one process, rotating the
order: with WeasyPrint's own ``make_all_pages`` (the reference), with the wrapper parsing
early only, and with both. It reports the pages laid out (from WeasyPrint's progress log),
CPU seconds, and whether the PDFs are byte-identical to the reference.

Usage: ``python benchmarks/toc_pass.py``. Prints a Markdown table; takes a few minutes.
"""

from __future__ import annotations

import gc
import logging
import time
from pathlib import Path

from editions import pdf_editions

ROOT = Path(__file__).resolve().parent.parent


class _Laid(logging.Handler):
    def __init__(self) -> None:
        super().__init__()
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Step 5 - Creating layout - Page") and "up-to-date" not in message:
            self.count += 1


def main() -> int:
    import weasyprint.layout

    import briefs.pdf.weasy as weasy
    from briefs.pdf import page_refs, passes
    from briefs.pipeline.build import Project

    passes.install()
    wrapped = weasyprint.layout.make_all_pages
    stock = wrapped.__wrapped__
    install = passes.install
    refresh = page_refs.refresh
    modes = ("stock", "early", "briefs")
    laid = _Laid()
    progress = logging.getLogger("weasyprint.progress")
    progress.setLevel(logging.INFO)
    progress.addHandler(laid)
    project = Project()
    sources = sorted((ROOT / "inputs").glob("*.yaml")) + sorted((ROOT / "corpus").glob("*.yaml"))
    totals = {name: {"laid": 0, "cpu": 0.0} for name in modes}
    editions = 0
    different = dict.fromkeys(modes, 0)
    for path, edition in pdf_editions(project, sources):
        html = project.render(edition)
        base = path.resolve().parent
        editions += 1
        written = {}
        shift = editions % len(modes)
        for name in modes[shift:] + modes[:shift]:
            on = name != "stock"
            weasyprint.layout.make_all_pages = wrapped if on else stock
            weasy.pdf_passes.install = install if on else (lambda: None)  # type: ignore[attr-defined]
            off = lambda context, pages: 0  # noqa: E731
            page_refs.refresh = refresh if name == "briefs" else off  # type: ignore[assignment]
            gc.collect()
            laid.count = 0
            start = time.process_time()
            result = weasy.write_pdf(html, base_dir=base, name="b", report=False)
            totals[name]["cpu"] += time.process_time() - start
            totals[name]["laid"] += laid.count
            written[name] = result.data
        for name in modes:
            different[name] += written[name] != written["stock"]
    weasyprint.layout.make_all_pages = wrapped
    weasy.pdf_passes.install = install  # type: ignore[attr-defined]
    page_refs.refresh = refresh
    print(f"\n{editions} PDF editions of inputs/ and corpus/, one process, CPU seconds\n")
    print("| | pages laid out | CPU | ratio | PDFs not the reference's |")
    print("|---|---|---|---|---|")
    for name, label in (
        ("stock", "WeasyPrint's passes (reference)"),
        ("early", "references parsed before the pass (`passes.py`)"),
        ("briefs", "and numbers put in place (`page_refs.py`)"),
    ):
        t = totals[name]
        ratio = t["cpu"] / totals["stock"]["cpu"]
        print(f"| {label} | {t['laid']} | {t['cpu']:.1f} s | {ratio:.3f} ", end="")
        print(f"| {different[name]} of {editions} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
