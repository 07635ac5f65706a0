"""Writing outputs: atomically (temp file + rename), and only inside the output folder."""

from __future__ import annotations

import errno
import fcntl
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefs.errors import BriefError


def inside(out_dir: Path, relative: str | Path) -> Path:
    """``out_dir / relative``, refused when it would resolve outside ``out_dir``."""
    try:
        root = out_dir.resolve()
        target = (root / relative).resolve()
    except (OSError, RuntimeError):  # a symlink loop in the output folder
        raise BriefError(f"cannot write {relative!s} in {out_dir}: a symlink loop?") from None
    if not target.is_relative_to(root) or target == root:
        raise BriefError(f"refusing to write {relative!s}: it is outside {out_dir}")
    return target


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never half.

    The temporary file lives in the same folder (same file system) and is renamed over the
    target; if anything fails it is removed.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


LOCK_NAME = ".briefs-publish.lock"
"""The lock file a publish holds in its output folder (hidden: not part of the site)."""


@contextmanager
def lock_folder(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock for the ``with`` block; a second holder is refused.

    A POSIX record lock (``lockf``) on a file inside the folder. The kernel releases it
    when the process ends, however it ends (kill -9 included), so a killed run never
    leaves a stale lock. Not ``flock``: forked PDF workers would inherit an ``flock`` and
    keep holding it after their parent was killed; record locks are not inherited.
    """
    path = inside(out_dir, LOCK_NAME)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise BriefError(f"cannot lock {out_dir}: {exc.strerror}") from None
    try:
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            if exc.errno not in (errno.EACCES, errno.EAGAIN):
                raise BriefError(f"cannot lock {out_dir}: {exc.strerror}") from None
            raise BriefError(
                f"another briefs publish is writing into {out_dir}; wait until it ends, "
                "or publish into another --out"
            ) from None
        yield
    finally:
        os.close(fd)
