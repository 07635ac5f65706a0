"""The project file, ``briefs.toml``: what an institute says once instead of in every brief.

Its organisation, logo, brand colours, page setup, defaults for briefs and the site's title
and address. Like the brief's models these are the single source of truth: validation and
``schema/project.schema.json`` both come from them. Brand colours are checked here for
WCAG AA contrast against the backgrounds the built-in styles put them on.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, ValidationInfo, field_validator

from briefs.schema.base import Lang, StrictModel, Text
from briefs.schema.brief import Author, CitationStyle

Colour = Annotated[str, StringConstraints(pattern=r"^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$")]
"""A colour as ``#rrggbb`` (or ``#rgb``)."""

WHITE = "#ffffff"
TINT = "#ecf2fe"
"""The summary box and audience notes' background (``--primary-5``)."""
GRAY = "#f4f5f6"
"""The key figures' background (``--gray-5``)."""

BACKGROUNDS: dict[str, tuple[tuple[str, str, bool], ...]] = {
    # (background, where, the brand colour is the background and white text sits on it)
    "primary": ((WHITE, "links on the page", False), (TINT, "links in the summary box", False)),
    "dark": (
        (WHITE, "series number on the cover", False),
        (GRAY, "key figures", False),
        (WHITE, "the skip link's white text on it", True),
    ),
    "heading": ((WHITE, "section headings", False),),
    "accent": ((WHITE, "low-confidence marks", False),),
}
"""Where the built-in styles use each brand colour."""

AA_TEXT = 4.5
"""WCAG 2.x AA contrast for normal text."""


def _hex(colour: str) -> str:
    digits = colour.lstrip("#").lower()
    return "#" + ("".join(c * 2 for c in digits) if len(digits) == 3 else digits)


def luminance(colour: str) -> float:
    """WCAG relative luminance of ``#rrggbb``."""
    digits = _hex(colour)[1:]
    channels = [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    """WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((luminance(a), luminance(b)), reverse=True)
    return (high + 0.05) / (low + 0.05)


class Brand(StrictModel):
    """Brand colours, each replacing one colour of the built-in styles."""

    primary: Colour | None = None
    """Links and rules (the built-in ``--primary-60``); text on white and on the summary tint."""
    dark: Colour | None = None
    """Figures and the series number (``--primary-70``); text on white and light gray, and
    the background of the skip link's white text."""
    heading: Colour | None = None
    """Section headings (``--secondary-70``); text on white."""
    accent: Colour | None = None
    """Warnings such as low confidence (``--point-60``); text on white."""

    @field_validator("primary", "dark", "heading", "accent")
    @classmethod
    def _readable(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        value = _hex(value)
        for background, where, inverse in BACKGROUNDS[str(info.field_name)]:
            ratio = contrast(value, background)
            if ratio < AA_TEXT:
                pair = f"white on {value}" if inverse else f"{value} on {background}"
                raise ValueError(
                    f"contrast {pair} is {ratio:.2f}:1, below WCAG AA's {AA_TEXT}:1 "
                    f"({where}); use a darker colour"
                )
        return value


PAGE_WIDTHS_MM = {"A4": 210.0, "B5": 176.0, "Letter": 215.9}
"""Page widths of the supported sizes (ISO B5 is 176 × 250 mm)."""

_LENGTH = r"(?:\d+(?:\.\d+)?(?:mm|cm|in|pt))"
_UNIT_MM = {"mm": 1.0, "cm": 10.0, "in": 25.4, "pt": 25.4 / 72}


class Page(StrictModel):
    """The PDF's page setup."""

    size: Literal["A4", "B5", "Letter"] = "A4"
    """Paper size."""
    margins: Annotated[str, StringConstraints(pattern=rf"^{_LENGTH}(?: {_LENGTH}){{0,3}}$")] = (
        "22mm 20mm 22mm 20mm"
    )
    """Margins as in CSS: one to four lengths (top, right, bottom, left), in mm, cm, in or pt."""

    def side_margins_mm(self) -> tuple[float, float]:
        """The right and left margins in millimetres."""
        values = [
            float(m.group(1)) * _UNIT_MM[m.group(2)]
            for m in re.finditer(r"(\d+(?:\.\d+)?)(mm|cm|in|pt)", self.margins)
        ]
        right = values[1] if len(values) > 1 else values[0]
        left = values[3] if len(values) > 3 else right
        return right, left

    def line_width_mm(self) -> float:
        """Width of the text block."""
        right, left = self.side_margins_mm()
        return PAGE_WIDTHS_MM[self.size] - right - left


class Defaults(StrictModel):
    """Fields every brief of the project gets unless it gives its own."""

    licence: str | None = None
    """Licence of the text (an SPDX id or a short phrase)."""
    authors: list[Author] | None = Field(default=None, min_length=1)
    """Authors, in order."""
    audiences: list[str] | None = Field(default=None, min_length=1)
    """Audience editions to build."""
    languages: list[Lang] | None = Field(default=None, min_length=1)
    """Languages to build; the first is the language of plain strings."""
    citation_style: CitationStyle | None = None
    """The house citation style: ``kr-policy`` (the default), ``apa`` or ``chicago``."""


BaseUrl = Annotated[str, StringConstraints(pattern=r"^https?://[^\s\"'<>\\]+$")]


class Site(StrictModel):
    """The published site."""

    title: Text | None = None
    """The catalogue's title, in place of the label ``site.title``."""
    description: Text | None = None
    """One or two sentences on the catalogue, for its pages' description and the feed."""
    base_url: BaseUrl | None = None
    """Public address of the site (``--base-url`` overrides it): canonical links, the
    sitemap and the feed's ids."""
    feed_id: Annotated[str, StringConstraints(pattern=r"^[a-zA-Z][a-zA-Z0-9+.-]*:\S+$")] | None = (
        None
    )
    """The feed's permanent id (a URI such as ``urn:uuid:…``); default: the base URL."""


class ProjectFile(StrictModel):
    """``briefs.toml``: an institute's settings, shared by every brief under its folder."""

    organisation: Text | None = None
    """The publishing organisation, ``{ko = "…", en = "…"}``; a brief's own wins."""
    logo: str | None = None
    """An SVG or PNG file, relative to the project file: on the cover, the site's header
    and as the site's favicon."""
    brand: Brand = Field(default_factory=Brand)
    """Brand colours, checked for contrast."""
    page: Page = Field(default_factory=Page)
    """Paper size and margins of the PDF editions."""
    defaults: Defaults = Field(default_factory=Defaults)
    """Defaults for the briefs' own fields."""
    series_pattern: str | None = None
    """A regular expression every brief's ``series`` must match (e.g. ``KPI-[0-9]{4}``)."""
    templates: str | None = None
    """Templates folder, relative to the project file (``--templates`` overrides it)."""
    site: Site = Field(default_factory=Site)
    """The published site."""

    @field_validator("series_pattern")
    @classmethod
    def _compiles(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                re.compile(value)
            except re.error as exc:
                raise ValueError(f"not a regular expression: {exc}") from None
        return value
