"""``manifest.json``: what a publish wrote, as a typed model.

The manifest lists every output (its path, sha256, size, pages and the hash of its inputs)
and what the catalogue and feed need of each brief, so that CI shards can be merged and a
later publish can skip what has not changed. It is read back with the same positioned
loader as briefs (JSON is YAML), so a damaged manifest gives ``manifest.json:LINE:COL:``
errors instead of a traceback.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from pathlib import Path, PurePosixPath
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError, field_validator

from briefs.check.validate import positioned_errors
from briefs.errors import BriefError, Diagnostic, display_path
from briefs.fs import inside, write_atomic
from briefs.source import MAX_BYTES, ReadError, load_yaml_file, read_file

NAME = "manifest.json"
"""The manifest's file name in a site folder."""
FONTS_FOLDER = "fonts"
"""The site's folder of the faces its pages share."""
SEARCH_FOLDER = "pagefind"
"""The site's folder of its search index (:mod:`briefs.pipeline.search`)."""
SITE_FOLDERS = (FONTS_FOLDER, SEARCH_FOLDER)
"""Folders of the site's own files: a brief's folder (its id) may not take one's name."""


def _sha256(value: object) -> object:
    if not (isinstance(value, str) and re.fullmatch(r"[0-9a-f]{64}", value)):
        raise ValueError("must be a sha256: 64 lower-case hex digits")
    return value


Sha256 = Annotated[str, BeforeValidator(_sha256)]
Texts = dict[str, str]
"""A text per language: ``{ko: …, en: …}``."""


def relative_path(value: str, where: str = "inside the site") -> str:
    """``value`` if it is a relative POSIX path without ``..`` or dot-files, else ValueError."""
    parts = PurePosixPath(value).parts
    if (
        not parts
        or value.startswith("/")
        or "\\" in value
        or re.match(r"[A-Za-z]:", value)
        or any(part in ("", ".", "..") or part.startswith(".") for part in parts)
    ):
        raise ValueError(f"must be a relative path {where}, without '..' or dot-files")
    return value


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class OutputEntry(_Entry):
    """One file a publish wrote."""

    path: str
    """Where, relative to the site folder: ``<brief>/<audience>.<lang>.<format>``."""
    brief: str
    """The id of its brief."""
    audience: str
    """Its audience."""
    lang: str
    """Its language."""
    format: Literal["html", "pdf", "docx", "hwpx"]
    """Its format."""
    sha256: Sha256
    """The file's sha256, checked before it is reused or merged."""
    bytes: int = Field(ge=0)
    """Its size."""
    pages: int | None = Field(default=None, ge=0)
    """Pages of a PDF."""
    inputs: Sha256
    """Hash of everything it was built from (brief, assets, templates, tool versions)."""

    @field_validator("path")
    @classmethod
    def _relative(cls, value: str) -> str:
        return relative_path(value)


class KeyFigureEntry(_Entry):
    """A key figure as the brief's page shows it."""

    value: Texts
    """The figure, formatted per language."""
    label: Texts
    """What it measures, per language."""


class BriefEntry(_Entry):
    """What the catalogue and the feed need of one brief."""

    id: str
    """The brief's id."""
    series: str | None = None
    """Its series number."""
    date: str
    """Its date (ISO 8601)."""
    title: Texts
    """Its title per language."""
    subtitle: Texts | None = None
    """Its subtitle per language."""
    summary: Texts
    """Its summary (Markdown) per language."""
    organisation: Texts
    """Its organisation per language."""
    authors: list[Texts] = Field(default_factory=list)
    """Its authors' names per language."""
    tags: list[Texts] = Field(default_factory=list)
    """Its tags per language."""
    languages: list[str]
    """Its languages, first the language of plain strings."""
    audiences: list[str]
    """Its audiences, in order."""
    editions: dict[str, Texts]
    """Each audience's edition name per language."""
    key_figures: list[KeyFigureEntry] = Field(default_factory=list)
    """Its key figures, for its page on the site."""
    source: str
    """The brief's file, relative to the inputs folder (never an absolute path)."""
    inputs: Sha256
    """Hash of its inputs."""
    reads: list[str] | None = None
    """The files the brief reads besides its own, relative to its folder, whose hashes are
    in ``inputs`` (:func:`briefs.pipeline.fresh.brief_reads`): a publish hashes them again
    to reuse the brief unread. ``None`` in manifests from before this list."""

    @field_validator("source", mode="before")
    @classmethod
    def _relative(cls, value: object) -> object:
        # Earlier manifests could hold the brief's absolute build path: its name is what
        # a publish looks for in the inputs folder.
        if isinstance(value, str) and (value.startswith("/") or re.match(r"[A-Za-z]:\\", value)):
            value = PurePosixPath(value.replace("\\", "/")).name
        return relative_path(value, "in the inputs folder") if isinstance(value, str) else value


class Manifest(_Entry):
    """Everything a publish wrote into one site folder."""

    generator: str = ""
    """``briefs <version>``."""
    shard: str | None = None
    """``K/N`` for the folder of a publish shard."""
    base_url: str | None = None
    """The site's public address, when given."""
    briefs: list[BriefEntry] = Field(default_factory=list)
    """Every brief, by id."""
    outputs: list[OutputEntry] = Field(default_factory=list)
    """Every output, by path."""

    def to_bytes(self) -> bytes:
        """The manifest as written: sorted, indented, UTF-8."""
        # pydantic's writer gives the bytes of json.dumps(…, ensure_ascii=False, indent=2),
        # seven times faster (a catalogue's manifest is hundreds of kilobytes)
        return (self.model_dump_json(indent=2) + "\n").encode("utf-8")


def load(folder: Path, *, required: bool = False) -> Manifest:
    """The manifest of ``folder``: empty when there is none (unless ``required``).

    Raises :class:`BriefError` with positioned messages when the file is not a manifest.
    """
    path = folder / NAME
    if not os.path.lexists(path):
        if required:
            raise BriefError(f"{display_path(folder)}: no {NAME} from a publish (or shard)")
        return Manifest()
    raw = b""
    duplicates = False
    try:
        # Confined like every untrusted file: CI restores the site folder from a cache.
        raw = read_file(path, limit=MAX_BYTES, root=folder)
        duplicates = _has_duplicate_keys(raw)
    except ReadError as exc:
        raise BriefError(Diagnostic(display_path(path), 0, 0, str(exc), exc.hint)) from None
    except UnicodeDecodeError as exc:  # found by tests/test_fuzz.py: it had no position
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise BriefError(
            Diagnostic(
                display_path(path),
                line,
                col,
                "not JSON: not UTF-8 text",
                f"delete {NAME} to rebuild",
            )
        ) from None
    except RecursionError:  # found by tests/test_fuzz.py: '[[[[…' made a traceback
        raise BriefError(
            Diagnostic(
                display_path(path),
                1,
                1,
                "not a manifest: nested too deeply",
                f"delete {NAME} to rebuild",
            )
        ) from None
    except ValueError as exc:
        line, col = getattr(exc, "lineno", 0), getattr(exc, "colno", 0)
        message = getattr(exc, "msg", str(exc))
        raise BriefError(
            Diagnostic(
                display_path(path), line, col, f"not JSON: {message}", f"delete {NAME} to rebuild"
            )
        ) from None
    if not duplicates:  # the usual case, without positions
        with contextlib.suppress(ValidationError):
            return Manifest.model_validate_json(raw)
    # The one YAML loader (JSON is YAML) positions what is wrong, a duplicate key included.
    source = load_yaml_file(path, root=folder)
    if not isinstance(source.data, dict):
        raise BriefError(Diagnostic(source.name, 1, 1, "not a manifest: expected a JSON object"))
    try:
        return Manifest.model_validate(source.data)
    except ValidationError as exc:
        raise BriefError(
            [
                Diagnostic(d.path, d.line, d.col, d.message, d.hint or f"delete {NAME} to rebuild")
                for d in positioned_errors(source, exc, Manifest)
            ]
        ) from None


def _has_duplicate_keys(raw: bytes) -> bool:
    """Whether the JSON text ``raw`` has an object with a key twice (raises ``ValueError``
    when it is not JSON). Python's parser keeps the last value silently; pydantic's too."""
    found = False

    def pairs(items: list[tuple[str, Any]]) -> dict[str, Any]:
        nonlocal found
        out = dict(items)
        found = found or len(out) != len(items)
        return out

    json.loads(raw, object_pairs_hook=pairs)
    return found


def write(out: Path, manifest: Manifest) -> bool:
    """Write ``manifest`` into ``out`` (atomically); return whether it changed."""
    text = manifest.to_bytes()
    target = inside(out, NAME)
    if target.is_file() and target.read_bytes() == text:
        return False
    write_atomic(target, text)
    return True


def catalogue_page(lang: str) -> str:
    """The site's catalogue in the interface language ``lang`` (``index.html`` is Korean)."""
    return "index.html" if lang == "ko" else f"index.{lang}.html"


def brief_page(brief_id: str, lang: str, first: str) -> str:
    """The page of a brief in ``lang``: ``<id>/index.html`` in its first language,
    ``<id>/index.<lang>.html`` in the others."""
    return f"{brief_id}/index.html" if lang == first else f"{brief_id}/index.{lang}.html"
