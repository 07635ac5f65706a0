"""The project file found, read, checked, and its logo loaded: an :class:`Institute`.

``briefs.toml`` is looked for in the brief's (or inputs') folder and each folder above it,
stopping at the root of the file system or of a git repository (a folder holding ``.git``).
Every problem is positioned in the project file; a logo that cannot be read is an error,
never a placeholder.
"""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from briefs.check import assets
from briefs.check.validate import positioned_errors
from briefs.errors import BriefError, Diagnostic
from briefs.schema.project import Page, ProjectFile
from briefs.source import Source
from briefs.source_toml import load_toml_file

FILE_NAME = "briefs.toml"
"""The project file's name."""

DEFAULT_PAGE = Page()
_CSS_VARIABLES = {
    "primary": "--primary-60",
    "dark": "--primary-70",
    "heading": "--secondary-70",
    "accent": "--point-60",
}
_TITLE_SHARE = 120 / 170
"""The running head's share of the line for the title (120 mm of A4's 170 mm)."""


def find_project_file(start: Path) -> Path | None:
    """``briefs.toml`` in the folder of ``start`` (a file or folder) or the nearest folder
    above it, stopping at a folder that holds ``.git`` and at the file system's root."""
    here = Path(os.path.abspath(start))
    folder = here if here.is_dir() else here.parent
    for candidate in (folder, *folder.parents):
        if (candidate / FILE_NAME).is_file():
            return candidate / FILE_NAME
        if (candidate / ".git").exists():
            return None
    return None


@dataclass(frozen=True)
class Institute:
    """The checked project file, and its logo loaded; empty when there is no project file."""

    settings: ProjectFile = field(default_factory=ProjectFile)
    """The validated settings."""
    source: Source | None = None
    """The project file as read, for positioned messages (``None``: no project file)."""
    logo_type: str = ""
    """``image/svg+xml`` or ``image/png`` when there is a logo."""
    logo_data: bytes = b""
    """The logo's bytes (an SVG sanitised)."""

    @property
    def folder(self) -> Path | None:
        """The project file's folder."""
        return self.source.path.parent if self.source is not None else None

    @property
    def source_name(self) -> str:
        """The project file as messages name it."""
        return self.source.name if self.source is not None else FILE_NAME

    @property
    def logo_url(self) -> str:
        """The logo as a ``data:`` URL (empty without a logo)."""
        if not self.logo_data:
            return ""
        return f"data:{self.logo_type};base64,{base64.b64encode(self.logo_data).decode('ascii')}"

    @property
    def logo_suffix(self) -> str:
        """``svg`` or ``png``."""
        return "svg" if self.logo_type == "image/svg+xml" else "png"

    @property
    def templates(self) -> Path | None:
        """The templates folder the project file names."""
        folder = self.folder
        if folder is None or self.settings.templates is None:
            return None
        return folder / self.settings.templates

    def text(self, value: Any, lang: str, fallback: str = "") -> str:
        """A localised setting (``organisation``, ``site.title``) in ``lang``."""
        if value is None:
            return fallback
        return str(value.get(lang, "ko") or value.any() or fallback)

    def defaults(self) -> dict[str, Any]:
        """Brief fields the project supplies, as the brief's YAML would hold them."""
        data = self.source.data if self.source is not None else {}
        found: dict[str, Any] = dict(data.get("defaults") or {})
        if "organisation" in data:
            found["organisation"] = data["organisation"]
        return found

    def css(self, target: str) -> str:
        """CSS for the brand colours and (in print) the page setup; empty for the defaults."""
        brand = self.settings.brand
        rules = [
            f"{variable}: {colour};"
            for name, variable in _CSS_VARIABLES.items()
            if (colour := getattr(brand, name)) is not None
        ]
        css = f":root {{ {' '.join(rules)} }}\n" if rules else ""
        if self.logo_data:
            css += (
                ".cover-logo { display: block; max-height: 16mm; max-width: 60mm;"
                " margin-bottom: 0.6em; }\n"
            )
        page = self.settings.page
        if target == "pdf" and page != DEFAULT_PAGE:
            line = page.line_width_mm()
            title = line * _TITLE_SHARE
            css += (
                f"@page {{ size: {page.size}; margin: {page.margins};"
                f" @top-left {{ width: {title:.1f}mm; }}"
                f" @top-right {{ width: {line - title:.1f}mm; }} }}\n"
            )
        return css


def load_project(path: Path | None) -> Institute:
    """The :class:`Institute` of the project file at ``path`` (empty for ``None``).

    Raises :class:`BriefError` with every problem, positioned in the project file.
    """
    if path is None:
        return Institute()
    folder = path.parent
    source = load_toml_file(path, root=folder)
    logo = source.data.get("logo")
    logo_type, logo_data, problems = _load_logo(source, logo if isinstance(logo, str) else None)
    try:
        settings = ProjectFile.model_validate(source.data)
    except ValidationError as exc:
        errors = [*positioned_errors(source, exc, ProjectFile), *problems]
        raise BriefError(sorted(set(errors), key=lambda d: (d.line, d.col))) from None
    if settings.templates is not None:
        templates = folder / settings.templates
        if not templates.is_dir() or not Path(os.path.abspath(templates)).is_relative_to(
            os.path.abspath(folder)
        ):
            problems.append(
                source.diagnostic(
                    ("templates",),
                    f"no folder {settings.templates!r} next to the project file",
                    "create it, or remove the templates line",
                )
            )
    if problems:
        raise BriefError(problems)
    return Institute(settings, source, logo_type, logo_data)


def _load_logo(source: Source, logo: str | None) -> tuple[str, bytes, list[Diagnostic]]:
    """The logo's media type and bytes, or why it cannot be the logo (every problem of the
    project file is reported at once, a bad colour and a missing logo together)."""
    if logo is None:
        return "", b"", []
    try:
        kind, data = assets.load(source.path.parent, logo)
    except assets.AssetError as exc:
        hint = "give an SVG or PNG file next to briefs.toml, or remove the logo line"
        return "", b"", [source.diagnostic(("logo",), f"{logo!r}: {exc}", hint)]
    if kind not in ("image/svg+xml", "image/png"):
        return "", b"", [source.diagnostic(("logo",), "the logo must be an SVG or PNG")]
    return kind, data, []


def series_problem(institute: Institute, series: str | None) -> str | None:
    """Why a brief's series number breaks the project's pattern, or None."""
    pattern = institute.settings.series_pattern
    if pattern is None or series is None or re.fullmatch(pattern, series):
        return None
    return f"series '{series}' does not match the project's pattern {pattern!r}"
