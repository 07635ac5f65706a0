"""Results worth keeping between runs, in a private folder of the user's cache.

Subsetting a font or rasterising a chart costs a few tenths of a second each time, and a
brief being edited is built again and again with most of them unchanged. What is kept is
named by a digest of everything it was made from, so a stale entry is never read; the
folder is used only if it is this user's alone (:func:`briefs.fs.private_folder`), and the
newest :data:`KEPT` entries of a kind are kept.
"""

from __future__ import annotations

import contextlib
import hashlib
from collections.abc import Callable
from pathlib import Path

from briefs.fs import cache_home, private_folder, write_atomic
from briefs.version import __version__

KEPT = 256
"""Entries kept per kind, the oldest removed first."""


def cached(kind: str, made_from: str, make: Callable[[], bytes], *, magic: bytes) -> bytes:
    """What ``make()`` returns for ``made_from``, read from the cache when it is there.

    ``kind`` names the cache's folder (``woff2``, ``png``); ``magic`` is how the kept bytes
    must begin (a damaged or truncated entry is made again); ``made_from`` must say
    everything the bytes depend on.
    """
    data = kept(kind, made_from, magic=magic)
    if data is None:
        data = make()
        keep(kind, made_from, data)
    return data


def _entry(kind: str, made_from: str) -> Path | None:
    folder = private_folder(cache_home() / "briefs" / f"{kind}-{__version__}")
    key = hashlib.sha256(made_from.encode("utf-8", "surrogatepass")).hexdigest()[:40]
    return folder / f"{key}.{kind}" if folder is not None else None


def kept(kind: str, made_from: str, *, magic: bytes) -> bytes | None:
    """The bytes kept for ``made_from`` (see :func:`cached`), or None."""
    path = _entry(kind, made_from)
    if path is not None:
        with contextlib.suppress(OSError):
            data = path.read_bytes()
            if data.startswith(magic):
                return data
    return None


def keep(kind: str, made_from: str, data: bytes) -> None:
    """Keep ``data`` for ``made_from`` (see :func:`cached`); a cache that cannot be written
    is no cache, never an error."""
    path = _entry(kind, made_from)
    if path is not None:
        with contextlib.suppress(Exception):
            write_atomic(path, data)
            _prune(path.parent, kind)


def _prune(folder: Path, kind: str) -> None:
    """Keep the newest :data:`KEPT` entries of ``kind`` in ``folder``."""
    files = sorted(folder.glob(f"*.{kind}"), key=lambda f: f.stat().st_mtime, reverse=True)
    for old in files[KEPT:]:
        old.unlink(missing_ok=True)
