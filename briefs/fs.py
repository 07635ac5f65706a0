"""Writing outputs: atomically (temp file + rename), and only inside the output folder."""

from __future__ import annotations

import os
import tempfile
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
