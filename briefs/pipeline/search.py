"""The site's full-text search: a Pagefind index of the brief pages and the HTML editions.

Pagefind (the PyPI package ``pagefind[bin]``, whose wheel holds the binary: nothing is
downloaded at build time) reads the pages and writes a static index that the catalogue's
search box queries in the browser, with no server and no network. It makes one index per
page language (the ``lang`` of ``<html>``), so a Korean page searches the Korean pages and an
English page the English ones; only a page's ``data-pagefind-body`` element is read (the
content, not the navigation around it).

The binary reads copies of exactly the pages to index, in a temporary folder outside the
site, and writes its bundle there too, under a time limit. The bundle's files are then
copied into ``pagefind/`` one by one, each atomically (:func:`briefs.fs.write_atomic`): the
content-named index files first, the entry files that point to them last, then the files of
an earlier index are removed, and last of all ``briefs-index.json`` records what the index
was made from. A publish whose pages are unchanged (the same bytes, the same Pagefind) and
whose ``pagefind/`` still holds the recorded files does not run the indexer again; a run
killed while indexing leaves the old record, so the next run indexes again.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Mapping
from importlib import metadata
from pathlib import Path

from briefs.errors import BriefError
from briefs.fs import inside, write_atomic
from briefs.pipeline.manifest import SEARCH_FOLDER

RECORD = "briefs-index.json"
"""The file in the index's folder that records what the index was made from."""
TIME_LIMIT = 600.0
"""Seconds the indexer may take (the three briefs of ``inputs/`` take half a second)."""
ENTRY_FILES = ("pagefind-entry.json", "pagefind.js")
"""What a browser reads first: written after the files they name."""


def pagefind_version() -> str:
    """The installed Pagefind's version (its binary comes with the same version)."""
    try:
        return metadata.version("pagefind")
    except metadata.PackageNotFoundError:
        return "missing"


def _arguments(site: Path, bundle: Path) -> list[str]:
    return [
        sys.executable, "-m", "pagefind", "--site", str(site), "--output-path", str(bundle),
        "--keep-index-url", "--silent",
    ]  # fmt: skip


def _inputs_hash(pages: Mapping[str, bytes]) -> str:
    digest = hashlib.sha256(f"pagefind {pagefind_version()}\0".encode())
    digest.update(" ".join(_arguments(Path("site"), Path("bundle"))[3:]).encode())
    for path in sorted(pages):
        digest.update(f"\0{path}\0{hashlib.sha256(pages[path]).hexdigest()}".encode())
    return digest.hexdigest()


def _stable_entry(data: bytes) -> bytes:
    """``pagefind-entry.json`` with its languages in a fixed order. Pagefind writes them in
    the order of a hash map, which changes from run to run (the only file of its bundle that
    does, over ten runs): two publishes of the same pages, or a merge of shards, must give
    the same bytes. The browser reads it as JSON; order matters only to break a tie of page
    counts when a page's language has no index."""
    entry = json.loads(data)
    entry["languages"] = dict(sorted(entry["languages"].items()))
    return json.dumps(entry, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _recorded(folder: Path) -> dict[str, object]:
    """The record of the index on disk, or ``{}`` when it is missing, unreadable or stale
    (a file it lists is gone or differs)."""
    try:
        record = json.loads((folder / RECORD).read_text("utf-8"))
        files = record["files"]
        for name, digest in files.items():
            if hashlib.sha256(inside(folder, name).read_bytes()).hexdigest() != digest:
                return {}
    except (OSError, ValueError, KeyError, TypeError, AttributeError, BriefError):
        return {}
    return dict(record)


def index_intact(out: Path) -> bool:
    """Whether ``out/pagefind`` holds an index whose every file is as it was written."""
    return bool(_recorded(inside(out, SEARCH_FOLDER)))


def index_site(out: Path, pages: Mapping[str, bytes]) -> bool:
    """Make the search index of ``pages`` (site path → bytes) in ``out/pagefind``, unless the
    one there was made from these pages already; return whether the indexer ran."""
    folder = inside(out, SEARCH_FOLDER)
    inputs = _inputs_hash(pages)
    if _recorded(folder).get("inputs") == inputs:
        return False
    with tempfile.TemporaryDirectory(prefix="briefs-pagefind-") as temp:
        site, bundle = Path(temp) / "site", Path(temp) / "bundle"
        for path, data in pages.items():
            target = inside(site, path)
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        try:
            done = subprocess.run(
                _arguments(site, bundle),
                capture_output=True,
                text=True,
                timeout=TIME_LIMIT,
                check=False,
                cwd=temp,
            )
        except subprocess.TimeoutExpired:
            raise BriefError(
                f"the search index took more than {TIME_LIMIT:.0f} s (Pagefind); "
                "the site's pages are written, its search is not"
            ) from None
        if done.returncode != 0 or not (bundle / ENTRY_FILES[0]).is_file():
            said = (done.stderr or done.stdout).strip().splitlines()[-3:]
            raise BriefError(
                "the search index could not be made (Pagefind): "
                + (" ".join(said) or f"exit status {done.returncode}")
                + " — is the package pagefind[bin] installed?"
            )
        made = {
            file.relative_to(bundle).as_posix(): file.read_bytes()
            for file in sorted(bundle.rglob("*"))
            if file.is_file()
        }
    made[ENTRY_FILES[0]] = _stable_entry(made[ENTRY_FILES[0]])
    names = sorted(made, key=lambda name: (name in ENTRY_FILES, name))
    for name in names:
        target = inside(folder, name)
        if not (target.is_file() and target.read_bytes() == made[name]):
            write_atomic(target, made[name])
    for old in sorted(folder.rglob("*"), reverse=True):  # files first, then empty folders
        name = old.relative_to(folder).as_posix()
        if old.is_symlink() or old.is_file():
            if name not in made and name != RECORD:
                old.unlink()
        elif old.is_dir() and not any(old.iterdir()):
            old.rmdir()
    record = {
        "inputs": inputs,
        "files": {name: hashlib.sha256(made[name]).hexdigest() for name in sorted(made)},
    }
    write_atomic(folder / RECORD, (json.dumps(record, indent=1) + "\n").encode("utf-8"))
    return True
