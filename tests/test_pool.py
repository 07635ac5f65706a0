"""The PDF pool: real worker processes, one queue, free workers take the next job."""

from __future__ import annotations

import os
import signal
import time
from concurrent.futures import Future, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest

from briefs.pdf.pool import PdfPool
from briefs.pdf.weasy import PdfResult

pytestmark = pytest.mark.slow


def _html(paragraphs: int) -> str:
    body = "".join(f"<p>{i} 문단입니다. A paragraph of text.</p>" for i in range(paragraphs))
    return f'<!doctype html><html lang="ko"><head><title>t</title></head><body>{body}</body></html>'


def _pages(future: Future[PdfResult]) -> int:
    return future.result(timeout=120).pages


def test_a_free_worker_takes_the_next_job(tmp_path: Path) -> None:
    """With two workers and a long job first, the short jobs all go to the other worker.

    Round robin would queue the third job behind the long one on the first worker.
    """
    with PdfPool(2, start=2) as pool:
        wait([pool.submit(_html(1), tmp_path, "warm") for _ in range(2)])
        long = pool.submit(_html(6000), tmp_path, "long")
        short = [pool.submit(_html(1), tmp_path, f"short{i}") for i in range(3)]
        done, _ = wait(short, timeout=120)
        assert len(done) == 3
        assert not long.done(), "a short job waited for the long one"
        assert _pages(long) > 50 and all(_pages(f) == 1 for f in short)


def test_rendering_is_the_same_on_any_worker(tmp_path: Path) -> None:
    with PdfPool(2, start=2) as pool:
        results = [pool.submit(_html(20), tmp_path, "same") for _ in range(4)]
        assert len({f.result(timeout=120).data for f in results}) == 1


def test_a_killed_worker_fails_its_job_and_is_replaced(tmp_path: Path) -> None:
    with PdfPool(1, start=1) as pool:
        victim = pool.submit(_html(20000), tmp_path, "victim")
        queued = pool.submit(_html(1), tmp_path, "after")
        time.sleep(1.0)
        for pid in list(pool._workers[0]._processes):  # the worker's process, for the test
            os.kill(pid, signal.SIGKILL)
        with pytest.raises(BrokenProcessPool):
            victim.result(timeout=120)
        assert _pages(queued) == 1  # the next job ran on a fresh worker


def test_close_with_cancel_drops_queued_jobs(tmp_path: Path) -> None:
    pool = PdfPool(1, start=1)
    running = pool.submit(_html(3000), tmp_path, "running")
    queued = [pool.submit(_html(1), tmp_path, f"q{i}") for i in range(3)]
    pool.close(cancel=True)
    assert all(f.cancelled() for f in queued)
    done, _ = wait([running], timeout=120)  # the running job ends, one way or the other
    assert done
    with pytest.raises(RuntimeError, match="closed"):
        pool.submit(_html(1), tmp_path, "late")


def test_close_waits_for_every_queued_job(tmp_path: Path) -> None:
    pool = PdfPool(2, start=1)
    futures = [pool.submit(_html(5), tmp_path, f"j{i}") for i in range(5)]
    pool.close()
    assert all(f.done() and not f.cancelled() for f in futures)
    assert [_pages(f) for f in futures] == [1] * 5
