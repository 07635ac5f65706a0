"""Writing outputs: atomically (temp file + rename), and only inside the output folder.

A folder or a disk that cannot take the outputs (read-only, no permission, a file in the
way, full) is a :class:`BriefError` naming the path and the reason, never a traceback:
:func:`check_out` refuses such an output folder before any work, and :func:`write_atomic`
names the file it could not write.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from briefs.errors import BriefError, Diagnostic, display_path

_HINTS = {
    errno.ENOSPC: "free some space, or choose another --out",
    errno.EDQUOT: "free some space, or choose another --out",
    errno.EFBIG: "a file size limit applies (ulimit -f); raise it",
    errno.EROFS: "choose an --out on a writable disk",
    errno.EACCES: "choose an --out you may write to",
    errno.EPERM: "choose an --out you may write to",
    errno.ENOTDIR: "a file stands where a folder should be",
}


def write_problem(path: Path, exc: OSError) -> BriefError:
    """The error for ``path`` that could not be written: its name, the reason, a hint."""
    reason = "not a folder" if exc.errno == errno.ENOTDIR else (exc.strerror or str(exc)).lower()
    hint = _HINTS.get(exc.errno or 0, "")
    return BriefError(Diagnostic(display_path(path), 0, 0, f"cannot write: {reason}", hint))


def check_out(out_dir: Path) -> None:
    """Refuse, before any work, an output folder that cannot be written.

    Nothing is created: the folder, or the nearest folder above it that exists, must be a
    folder this process may write in, on a disk that is writable and not full.
    """
    probe = Path(os.path.abspath(out_dir))
    while not os.path.lexists(probe) and probe != probe.parent:
        probe = probe.parent
    where = display_path(out_dir)
    if not probe.is_dir():
        shown = display_path(probe)
        raise BriefError(Diagnostic(where, 0, 0, f"cannot write: {shown} is not a folder"))
    try:
        stat = os.statvfs(probe)
    except OSError as exc:
        raise write_problem(out_dir, exc) from None
    if stat.f_flag & os.ST_RDONLY:
        raise write_problem(out_dir, OSError(errno.EROFS, os.strerror(errno.EROFS)))
    if not os.access(probe, os.W_OK | os.X_OK):
        raise write_problem(out_dir, OSError(errno.EACCES, os.strerror(errno.EACCES)))
    if stat.f_bavail == 0:
        raise write_problem(out_dir, OSError(errno.ENOSPC, os.strerror(errno.ENOSPC)))


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
    target; if anything fails it is removed, and a failure to write (a full disk, a
    read-only folder) is a :class:`BriefError` naming ``path``.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise write_problem(path, exc) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise write_problem(path, exc) from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


LOCK_NAME = ".briefs-publish.lock"
"""The lock file a publish holds in its output folder while it runs (removed at the end, so
it is never deployed with the site)."""


@contextmanager
def lock_folder(out_dir: Path) -> Iterator[None]:
    """Hold the output folder's lock for the ``with`` block; a second holder is refused.

    A POSIX record lock (``lockf``) on a file inside the folder. The kernel releases it
    when the process ends, however it ends (kill -9 included), so a killed run never
    leaves a stale lock. Not ``flock``: forked PDF workers would inherit an ``flock`` and
    keep holding it after their parent was killed; record locks are not inherited.

    The holder removes the file before it lets go. A run that opened it just before, and
    then got the lock of a file no longer there, sees that the name now leads elsewhere (or
    nowhere) and takes the lock again, on the file the name leads to.
    """
    path = inside(out_dir, LOCK_NAME)
    while True:
        fd = _locked(path, out_dir)
        try:
            current = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            current = None
        if current is not None and current.st_ino == os.fstat(fd).st_ino:
            break
        os.close(fd)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            os.unlink(path)
        os.close(fd)


def _locked(path: Path, out_dir: Path) -> int:
    """``path`` opened (made if missing) and locked, or a :class:`BriefError`."""
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC | os.O_NOFOLLOW, 0o644)
    except OSError as exc:
        raise BriefError(f"cannot lock {out_dir}: {exc.strerror}") from None
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as exc:
        os.close(fd)
        if exc.errno not in (errno.EACCES, errno.EAGAIN):
            raise BriefError(f"cannot lock {out_dir}: {exc.strerror}") from None
        raise BriefError(
            f"another briefs publish is writing into {out_dir}; wait until it ends, "
            "or publish into another --out"
        ) from None
    return fd


def cache_home() -> Path:
    """The user's cache folder: ``$XDG_CACHE_HOME``, else ``~/.cache``."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


def private_folder(folder: Path) -> Path | None:
    """``folder`` (made if missing, its parent too) if only this user can use it, else None.

    Both it and its parent must be real folders (not symlinks), owned by this user, with no
    permission for group or others (0700): what a cache holds may be executed or read as
    configuration, so a folder someone else could have planted or can write is not used.
    """
    try:
        folder.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        with contextlib.suppress(FileExistsError):
            folder.mkdir(mode=0o700)
        for path in (folder.parent, folder):
            info = path.lstat()
            if not stat.S_ISDIR(info.st_mode) or info.st_mode & 0o077:
                return None
            if hasattr(os, "getuid") and info.st_uid != os.getuid():
                return None
    except OSError:
        return None
    return folder
