"""PDF rendering in worker processes, warmed up while the main process does everything else.

Importing WeasyPrint and loading the fonts costs about half a second, as much as the rest of
a build's start-up. A :class:`PdfPool` forks its first worker before the main process even
loads the brief, so the two costs overlap on separate cores; more workers join once the build
knows how many PDFs it makes. Each worker holds one ``FontConfiguration`` for its life.
"""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing briefs.pdf.weasy here would slow the fork this module exists for
    from briefs.pdf.weasy import PdfResult


def _warm() -> None:
    from briefs.pdf.weasy import font_configuration

    font_configuration()
    import weasyprint  # noqa: F401  (the import is the point: pay its cost now)


def _ready() -> bool:
    return True


def _render(html: str, base_dir: str, name: str, short_html: str | None) -> PdfResult:
    from briefs.pdf.weasy import write_pdf

    return write_pdf(html, base_dir=Path(base_dir), name=name, short_html=short_html)


def default_jobs() -> int:
    """Worker processes to use by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


class PdfPool:
    """Up to ``jobs`` single-worker processes rendering PDFs; start it as early as you can."""

    def __init__(self, jobs: int | None = None, *, start: int = 1) -> None:
        self.jobs = max(1, jobs or default_jobs())
        methods = multiprocessing.get_all_start_methods()
        # fork starts a worker in milliseconds; the others re-import the package first.
        self._context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._workers: list[ProcessPoolExecutor] = []
        self._next = 0
        self.grow(start)

    def grow(self, count: int) -> None:
        """Make sure ``min(count, jobs)`` workers exist and are warming up."""
        while len(self._workers) < min(count, self.jobs):
            worker = ProcessPoolExecutor(1, mp_context=self._context, initializer=_warm)
            worker.submit(_ready)  # starts the process now, not at the first real job
            self._workers.append(worker)

    def submit(
        self, html: str, base_dir: Path, name: str, *, short_html: str | None = None
    ) -> Future[PdfResult]:
        """Render ``html`` to PDF in a worker (round robin).

        ``short_html`` is the same edition without a table of contents, used instead when
        the PDF comes out shorter than :data:`briefs.pdf.weasy.TOC_MIN_PAGES` pages.
        """
        self.grow(1)
        worker = self._workers[self._next % len(self._workers)]
        self._next += 1
        return worker.submit(_render, html, str(base_dir), name, short_html)

    def close(self, *, cancel: bool = False) -> None:
        """Stop the workers (after their jobs, unless ``cancel``)."""
        for worker in self._workers:
            worker.shutdown(wait=not cancel, cancel_futures=cancel)
        self._workers.clear()

    def __enter__(self) -> PdfPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(cancel=exc[0] is not None)
