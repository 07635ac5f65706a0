"""Operating-system limits on one piece of work: a time limit and an address-space cap.

Used by the template render (:mod:`briefs.render.html`) and the PDF render
(:mod:`briefs.pdf.weasy`, :mod:`briefs.pdf.pool`), so that a hostile template, SVG or image
ends in a clear error instead of hanging or exhausting the machine.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from collections.abc import Iterator


class Overtime(BaseException):
    """Raised by :func:`time_limit` when the time is up.

    A ``BaseException``, so that the ``except Exception`` blocks of a library (WeasyPrint
    catches and logs many errors) cannot swallow it.
    """


@contextlib.contextmanager
def time_limit(seconds: float, error: type[BaseException] = Overtime) -> Iterator[None]:
    """Raise ``error`` (:class:`Overtime`) in the main thread after ``seconds`` (POSIX only).

    The alarm repeats every second until the block ends, in case a handler swallowed the
    first one. Outside the main thread (``serve`` renders in a thread) this does nothing.
    """
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise error

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds, 1.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def limit_memory(extra: int) -> bool:
    """Cap this process's address space at its current size plus ``extra`` bytes.

    Returns whether a limit is in force (not on systems without ``/proc`` or ``resource``).
    Never raises the limit above one already set.
    """
    try:
        import resource

        with open("/proc/self/statm", encoding="ascii") as statm:
            pages = int(statm.read().split()[0])
        limit = pages * os.sysconf("SC_PAGE_SIZE") + extra
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        if hard != resource.RLIM_INFINITY:
            limit = min(limit, hard)
        resource.setrlimit(resource.RLIMIT_AS, (limit, hard))
    except (OSError, ValueError, ImportError):
        return False
    return True


def memory_limited() -> bool:
    """Whether this process runs under an address-space limit (see :func:`limit_memory`)."""
    try:
        import resource

        soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    except (OSError, ValueError, ImportError):
        return False
    return soft != resource.RLIM_INFINITY
