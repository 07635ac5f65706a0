"""PDF rendering in worker processes, warmed up while the main process does everything else.

Importing WeasyPrint and loading the fonts costs about half a second, as much as the rest of
a build's start-up. A :class:`PdfPool` forks its first worker before the main process even
loads the brief, so the two costs overlap on separate cores; more workers join once the build
knows how many PDFs it makes. Each worker holds one ``FontConfiguration`` for its life.
"""

from __future__ import annotations

import contextlib
import functools
import io
import multiprocessing
import os
import re
import signal
import threading
import time
from collections import deque
from concurrent.futures import CancelledError, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # importing briefs.pdf.weasy here would slow the fork this module exists for
    from briefs.pdf.weasy import PdfResult


def _watch_parent(parent: int, every: float = 0.5) -> None:
    """End this worker when its parent ends (killed, or stopped without closing the pool)."""
    while True:
        time.sleep(every)
        if os.getppid() != parent:
            os._exit(1)


def _warm() -> None:
    # A worker must never outlive the command: ProcessPoolExecutor only stops it when the
    # parent shuts the pool down, which a SIGKILL or a crash never does.
    threading.Thread(target=_watch_parent, args=(os.getppid(),), daemon=True).start()
    # The parent decides when work stops: Ctrl-C reaches the whole process group, so the
    # worker ignores it; SIGTERM (sent by close(cancel=True)) ends the worker at once, even
    # though a fork inherits the command's own SIGTERM handler.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    from briefs.limits import limit_memory
    from briefs.pdf.weasy import MAX_MEMORY, font_configuration

    # Each worker gets its own address-space cap: a runaway edition (a decompression bomb,
    # a huge table) fails with MemoryError in its worker instead of exhausting the machine.
    limit_memory(MAX_MEMORY)
    # Images are checked before they get here; should one still trip Pillow's bomb check,
    # it is an error WeasyPrint reports (the image is left out), never a raw warning.
    import warnings

    from PIL import Image

    warnings.simplefilter("error", Image.DecompressionBombWarning)
    global _unusable
    try:
        # WeasyPrint prints its own notice of a missing library to stdout: ours says more.
        with contextlib.redirect_stdout(io.StringIO()):
            font_configuration()
            import weasyprint  # noqa: F401  (the import is the point: pay its cost now)
    except OSError as exc:  # cffi could not load Pango, HarfBuzz or GLib
        # Raising here would break the pool with a traceback and no reason; each render
        # reports the reason instead.
        _unusable = missing_library(exc)


_unusable: str | None = None
"""Why this worker cannot render: a system library WeasyPrint needs did not load."""

INSTALL = (
    "install them: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 "
    "(Debian, Ubuntu), brew install pango (macOS); --format html builds without them"
)
"""How to install the system libraries WeasyPrint loads (the README's system requirements)."""


def missing_library(exc: OSError) -> str:
    """What to tell the user when importing WeasyPrint failed with ``exc``."""
    found = re.search(r"cannot load library '([^']+)'", str(exc))
    library = f"the system library {found.group(1)}" if found else "a system library"
    return f"WeasyPrint cannot load {library}: the PDF needs Pango and HarfBuzz"


def _ready() -> int:
    return os.getpid()


def _render(html: str, base_dir: str, name: str, short_html: str | None) -> PdfResult:
    if _unusable is not None:
        from briefs.errors import BriefError, Diagnostic

        raise BriefError(Diagnostic(name, 0, 0, _unusable, INSTALL))
    from briefs.pdf.weasy import write_pdf

    return write_pdf(html, base_dir=Path(base_dir), name=name, short_html=short_html)


def default_jobs() -> int:
    """Worker processes to use by default: the cores this process may run on."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return max(1, os.cpu_count() or 1)


@dataclass
class _Job:
    future: Future[PdfResult]
    args: tuple[str, str, str, str | None]


class PdfPool:
    """Up to ``jobs`` worker processes rendering PDFs from one queue; start it early.

    Each worker is a standard single-process :class:`ProcessPoolExecutor`, forked and
    warmed when the pool grows (so a build that makes one PDF forks one worker). Jobs wait
    in one queue and go to whichever worker is free next, so a worker that drew the long
    editions does not hold up the rest (round robin gave every Korean edition to one worker).
    """

    def __init__(self, jobs: int | None = None, *, start: int = 1) -> None:
        self.jobs = max(1, jobs or default_jobs())
        methods = multiprocessing.get_all_start_methods()
        # fork starts a worker in milliseconds; the others re-import the package first.
        self._context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._workers: list[ProcessPoolExecutor] = []
        self._idle: list[ProcessPoolExecutor] = []
        self._dead: list[ProcessPoolExecutor] = []
        self._queue: deque[_Job] = deque()
        self._lock = threading.Lock()
        self._closed = False
        self._pids: list[Future[int]] = []
        self.grow(start)

    def grow(self, count: int) -> None:
        """Make sure ``min(count, jobs)`` workers exist and are warming up."""
        while len(self._workers) < min(count, self.jobs):
            worker = ProcessPoolExecutor(1, mp_context=self._context, initializer=_warm)
            # Starts the process now, not at the first real job; its pid lets close() stop it.
            self._pids.append(worker.submit(_ready))
            self._workers.append(worker)
            with self._lock:
                self._idle.append(worker)
        self._dispatch()

    def submit(
        self, html: str, base_dir: Path, name: str, *, short_html: str | None = None
    ) -> Future[PdfResult]:
        """Queue ``html`` for rendering to PDF by the next free worker.

        ``short_html`` is the same edition without a table of contents, used instead when
        the PDF comes out shorter than :data:`briefs.pdf.weasy.TOC_MIN_PAGES` pages.
        """
        if self._closed:
            raise RuntimeError("the PDF pool is closed")
        future: Future[PdfResult] = Future()
        with self._lock:
            self._queue.append(_Job(future, (html, str(base_dir), name, short_html)))
        self.grow(1)
        return future

    def _dispatch(self) -> None:
        """Give queued jobs to idle workers."""
        started: list[tuple[ProcessPoolExecutor, _Job]] = []
        with self._lock:
            while self._idle and self._queue and not self._closed:
                job = self._queue.popleft()
                if job.future.set_running_or_notify_cancel():
                    started.append((self._idle.pop(0), job))
        for worker, job in started:
            try:
                inner = worker.submit(_render, *job.args)
            except RuntimeError as exc:  # a broken or shut-down worker
                job.future.set_exception(exc)
                continue
            inner.add_done_callback(functools.partial(self._finished, worker, job.future))

    def _finished(
        self, worker: ProcessPoolExecutor, outer: Future[PdfResult], inner: Future[PdfResult]
    ) -> None:
        if inner.cancelled():
            outer.set_exception(CancelledError())
        elif (error := inner.exception()) is not None:
            outer.set_exception(error)
        else:
            outer.set_result(inner.result())
        if isinstance(inner.exception() if not inner.cancelled() else None, BrokenProcessPool):
            # The worker died (killed, out of memory): replace it for the jobs still queued.
            with self._lock:
                if worker in self._workers:
                    self._workers.remove(worker)
                    self._dead.append(worker)  # close() still waits for its manager thread
                closed = self._closed
            if not closed:
                self.grow(len(self._workers) + 1)
            return
        with self._lock:
            if not self._closed:
                self._idle.append(worker)
        self._dispatch()

    def close(self, *, cancel: bool = False) -> None:
        """Stop the workers (after their jobs, unless ``cancel``)."""
        if cancel:
            with self._lock:
                self._closed = True
                queued = list(self._queue)
                self._queue.clear()
            for job in queued:
                job.future.cancel()
        else:
            while True:  # let the queue drain: workers take the next job as they finish
                with self._lock:
                    waiting = [job.future for job in self._queue]
                if not waiting:
                    break
                wait(waiting[-1:])
            with self._lock:
                self._closed = True
        if cancel:  # stop renders in progress too: the command is stopping now
            for pid in self._pids:  # a worker still warming up reports its pid in a moment
                with contextlib.suppress(Exception):
                    os.kill(pid.result(timeout=5), signal.SIGTERM)
        with self._lock:
            workers = [*self._workers, *self._dead]
        # Always wait for each executor's manager thread to end, even when cancelling (the
        # workers are gone by now, so it ends at once): one still closing its wake-up pipe
        # at interpreter exit races CPython's own exit hook, which then prints "Exception
        # ignored ... Bad file descriptor" (concurrent.futures in Python 3.11).
        for worker in workers:
            worker.shutdown(wait=True, cancel_futures=cancel)
        self._pids.clear()
        self._workers.clear()
        self._dead.clear()
        self._idle.clear()

    def __enter__(self) -> PdfPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close(cancel=exc[0] is not None)
