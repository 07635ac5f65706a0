"""What removing the contents' extra layout pass saves (issue 21), on every PDF edition of
``inputs/`` and ``corpus/``.

:mod:`briefs.pdf.passes` makes WeasyPrint parse the contents' page references before a
pass instead of after it, so page 1 is laid out twice instead of three times. This script
renders each edition twice in one process, alternating: with the wrapper, and with
WeasyPrint's own ``make_all_pages`` (the reference). It reports the pages laid out (from
WeasyPrint's progress log), CPU seconds, and whether the two PDFs are byte-identical.

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
    from briefs.pdf import passes
    from briefs.pipeline.build import Project

    passes.install()
    wrapped = weasyprint.layout.make_all_pages
    stock = wrapped.__wrapped__
    install = passes.install
    laid = _Laid()
    progress = logging.getLogger("weasyprint.progress")
    progress.setLevel(logging.INFO)
    progress.addHandler(laid)
    project = Project()
    sources = sorted((ROOT / "inputs").glob("*.yaml")) + sorted((ROOT / "corpus").glob("*.yaml"))
    totals = {name: {"laid": 0, "cpu": 0.0} for name in ("stock", "briefs")}
    editions = different = 0
    for path, edition in pdf_editions(project, sources):
        html = project.render(edition)
        base = path.resolve().parent
        editions += 1
        written = {}
        for name in ("stock", "briefs") if editions % 2 else ("briefs", "stock"):
            on = name == "briefs"
            weasyprint.layout.make_all_pages = wrapped if on else stock
            weasy.pdf_passes.install = install if on else (lambda: None)  # type: ignore[attr-defined]
            gc.collect()
            laid.count = 0
            start = time.process_time()
            result = weasy.write_pdf(html, base_dir=base, name="b", report=False)
            totals[name]["cpu"] += time.process_time() - start
            totals[name]["laid"] += laid.count
            written[name] = result.data
        different += written["stock"] != written["briefs"]
    weasyprint.layout.make_all_pages = wrapped
    weasy.pdf_passes.install = install  # type: ignore[attr-defined]
    print(f"\n{editions} PDF editions of inputs/ and corpus/, one process, CPU seconds\n")
    print("| | pages laid out | CPU |")
    print("|---|---|---|")
    for name, label in (
        ("stock", "WeasyPrint's passes (reference)"),
        ("briefs", "briefs/pdf/passes.py"),
    ):
        t = totals[name]
        print(f"| {label} | {t['laid']} | {t['cpu']:.1f} s |")
    print(f"\nPDFs that differ: {different} of {editions}")
    print(f"CPU ratio, briefs / reference: {totals['briefs']['cpu'] / totals['stock']['cpu']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
