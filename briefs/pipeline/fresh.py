"""What a publish needs to decide that a brief is up to date without loading it.

Every output records the hash of its inputs: the project's shared inputs (:func:`shared_key`:
the template search path with its labels, profiles, styles and fonts, the built-in resources
among them, the project file and its logo, the versions of briefs and WeasyPrint), the
brief's file, and every file the brief reads (:func:`brief_reads`: what its validation read,
its CSV, bibliography and image files, and every file it names, there or not). The manifest
keeps that list, so the next publish hashes the same files again and, when the hash is the
same, reuses the brief's entry and outputs without parsing its YAML.

Inputs are always hashed from their contents: they are small, and they are edited by people
and tools that may keep a file's size and time (``cp -p``, ``rsync -t``, ``touch -r``).
Outputs are large (a catalogue's HTML and PDF are tens of megabytes) and written by briefs
alone, so :class:`Stamps` re-reads one only when its inode, size, modification or change
time differ from when its sha256 was last read; a stamp is trusted only for files that were
already two seconds old when they were read, so a write in the same clock tick as the read
is never missed. Stamps are kept in the user's cache (:mod:`briefs.cache`), never in the
site: the manifest stays the same bytes whoever publishes.
"""

from __future__ import annotations

import hashlib
import json
import os
import posixpath
import re
import stat
import time
from collections.abc import Iterable, Sequence
from importlib import metadata
from pathlib import Path
from typing import Any

from briefs import cache, version
from briefs.check import assets
from briefs.check.validate import Validated
from briefs.pipeline.build import Project
from briefs.schema import fields
from briefs.schema.base import FILE
from briefs.source import ReadError, confine, strings

SAFE_AGE_NS = 2_000_000_000
"""How old a file must be when it is read for its stamp to be trusted (FAT's 2 s clock)."""


def sha256_file(path: Path) -> str:
    """The sha256 of a file's contents."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def file_hash(path: Path, root: Path) -> str:
    """The sha256 of a file inside ``root``, or a marker for what briefs will not read there
    (missing, a folder, a link out of ``root`` or in a loop, a hidden or unreadable file):
    publish's own hashing reads only what the build may read."""
    try:
        target = confine(path, root)
        if not target.is_file():
            return "-"
        return sha256_file(target)
    except ReadError:
        return "refused"
    except OSError as exc:
        return f"unreadable {exc.errno}"


def tree_hash(folders: Sequence[Path]) -> str:
    """One hash over every file of the template search path (templates, labels, fonts)."""
    digest = hashlib.sha256()
    for rank, folder in enumerate(folders):
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            digest.update(f"{rank}:{path.relative_to(folder).as_posix()}\0".encode())
            digest.update(file_hash(path, folder).encode())
    return digest.hexdigest()


def tool_versions() -> str:
    """The versions of briefs and WeasyPrint, as outputs depend on them."""
    try:
        weasyprint = metadata.version("weasyprint")
    except metadata.PackageNotFoundError:  # pragma: no cover - a dependency
        weasyprint = "?"
    return f"briefs {version.__version__}; weasyprint {weasyprint}"


def shared_key(project: Project) -> str:
    """The hash of what every brief of ``project`` is built from besides its own files."""
    institute = project.institute
    project_file = "none"
    if institute.source is not None:
        path = institute.source.path
        project_file = file_hash(path, path.parent)
    logo = hashlib.sha256(institute.logo_data).hexdigest()
    text = f"{tree_hash(project.folders)}\0{tool_versions()}\0{project_file}\0{logo}"
    return hashlib.sha256(text.encode()).hexdigest()


def brief_reads(validated: Validated, recorded: Iterable[Path]) -> list[str]:
    """The files a brief reads besides its own, relative to its folder: those its validation
    read (``recorded``, :func:`briefs.source.recording_reads`), and every file it names in a
    file field or a Markdown image (inline, by reference definition, or a raw ``<img>``:
    :func:`briefs.check.assets.images`), whether it is there or not (a file that appears
    later changes the brief)."""
    brief = Path(os.path.abspath(validated.source.path))
    folder = brief.resolve().parent
    data = validated.source.data
    named = [value for _, value in fields.values(data, FILE) if isinstance(value, str)]
    for _, text in strings(data):
        named += [reference for _, reference in assets.images(text)]
    found: set[str] = set()
    for name in named:
        if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", name) or name.startswith(("/", "\\", "#")):
            continue  # an address or an anchor, never read
        found.add(posixpath.normpath(name.replace("&amp;", "&")))
    for path in recorded:
        for base in (brief.parent, folder):
            relative = os.path.relpath(path, base)
            if not relative.startswith(".."):
                found.add(Path(relative).as_posix())
                break
    found.discard(brief.name)
    return sorted(name for name in found if name != "." and not name.startswith("../"))


def inputs_hash(shared: str, brief: Path, reads: Sequence[str]) -> str:
    """The hash of everything a brief's outputs are made from: ``shared`` (:func:`shared_key`),
    the brief's file and the files it reads (:func:`brief_reads`)."""
    folder = brief.resolve().parent
    digest = hashlib.sha256(shared.encode())
    digest.update(f"\0{brief.name}\0{file_hash(brief, brief.parent)}".encode())
    for name in reads:
        digest.update(f"\0{name}\0{file_hash(folder / name, folder)}".encode())
    return digest.hexdigest()


class Stamps:
    """The sha256 of the files of a site folder, read again only when a file changed."""

    def __init__(self, out: Path) -> None:
        self.out = out.resolve()
        self._name = f"stamps of {self.out}"
        self._old: dict[str, list[Any]] = {}
        self._new: dict[str, list[Any]] = {}
        self.site: dict[str, Any] = {}
        """What the site pages were last made from (``key``) and their sha256 (``pages``)."""
        raw = self._raw = cache.kept("stamps", self._name, magic=b"{")
        try:
            data = json.loads(raw) if raw else {}
            self._old = {k: v for k, v in data.get("files", {}).items() if len(v) == 5}
            self.site = dict(data.get("site") or {})
        except (ValueError, AttributeError, TypeError):  # a damaged entry is no entry
            self._old, self.site = {}, {}

    def matches(self, key: str, sha256: str, size: int) -> bool:
        """Whether ``key`` (a path in the site) is a file of ``size`` bytes and ``sha256``."""
        return self._look(key) == (size, sha256)

    def sha256(self, key: str) -> str | None:
        """The sha256 of ``key`` (a path in the site), or None when it is not a file."""
        found = self._look(key)
        return found[1] if found is not None else None

    def _look(self, key: str) -> tuple[int, str] | None:
        """The size and sha256 of ``key``, from its stamp when the file has not changed."""
        path = self.out / key
        try:
            info = os.stat(path)
        except (OSError, ValueError):
            return None
        if not stat.S_ISREG(info.st_mode):
            return None
        stamp = [info.st_ino, info.st_size, info.st_mtime_ns, info.st_ctime_ns]
        old = self._old.get(key)
        if old is not None and old[:4] == stamp:
            self._new[key] = old
            return info.st_size, str(old[4])
        now = time.time_ns()
        try:
            digest = sha256_file(path)
        except OSError:
            return None
        if max(info.st_mtime_ns, info.st_ctime_ns) < now - SAFE_AGE_NS:
            self._new[key] = [*stamp, digest]
        return info.st_size, digest

    def save(self) -> None:
        """Keep the stamps of the files looked at in this run (and the site's record)."""
        data = {"files": dict(sorted(self._new.items())), "site": self.site}
        text = json.dumps(data, separators=(",", ":")).encode()
        if text != self._raw:
            cache.keep("stamps", self._name, text)
