"""What the preview serves: one build of a brief, replaced whole when the brief changes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from briefs.errors import BriefError, Diagnostic


@dataclass(frozen=True)
class EditionLink:
    """One edition listed on the index page."""

    audience: str
    lang: str
    name: str
    """The edition's name in its language (정부·정책결정자용)."""

    @property
    def path(self) -> str:
        """Its URL path: ``/<audience>.<lang>.html``."""
        return f"/{self.audience}.{self.lang}.html"


@dataclass(frozen=True)
class Snapshot:
    """One build of the preview: what every request is answered from until the next one."""

    version: str
    """Changes whenever the output changes; open pages reload when it does."""
    title: str = ""
    """The brief's title (empty when the build failed)."""
    editions: tuple[EditionLink, ...] = ()
    """Every edition, in build order."""
    pages: Mapping[str, bytes] = field(default_factory=dict)
    """HTML of each edition by URL path, as served (with the reload script)."""
    error: BriefError | None = None
    """Why the build failed; then every page shows it."""
    warnings: tuple[Diagnostic, ...] = ()
    """Problems that did not stop the build."""


class Preview(Protocol):
    """What the HTTP side needs of the preview (:class:`briefs.serve.server.PreviewServer`)."""

    def snapshot(self) -> Snapshot:
        """The build every request is currently answered from."""

    def wait_for_version(self, seen: str | None, timeout: float) -> str | None:
        """The current version once it differs from ``seen`` (or after ``timeout``)."""

    def asset(self, url_path: str) -> tuple[Path, str] | None:
        """The file of the brief's folder that ``url_path`` names, and its type, if served."""
