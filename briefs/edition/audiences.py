"""Audience profiles: who an edition is for, which sections it shows, in what order.

Profiles are data (``audiences/<name>.yaml``) found on the template search path, the user's
folder first, so a communications team can override a built-in profile or add its own
(``national-assembly``) without touching the package.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationError

from briefs.check.validate import positioned_errors
from briefs.errors import BriefError
from briefs.schema.base import LANGUAGES, Localized, Slug, Text
from briefs.source import load_yaml_file

Section = Literal[
    "summary",
    "key_figures",
    "context",
    "findings",
    "figures",
    "implications",
    "recommendations",
    "glossary",
    "sources",
]
SECTIONS: tuple[str, ...] = get_args(Section)
"""Every section a brief can have."""

BUILTIN_AUDIENCES = ("government", "industry", "startups", "public")
"""Audiences the package ships, in catalogue order."""


def _per_language(value: Any) -> Any:
    if isinstance(value, int) and not isinstance(value, bool):
        return dict.fromkeys(LANGUAGES, value)
    return value


class Budget(BaseModel):
    """Length limits of an edition."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    summary_chars: dict[str, int] = Field(default_factory=dict)
    """Longest summary per language, in characters (Korean text is about half as long)."""
    pages: Annotated[dict[str, int], BeforeValidator(_per_language)] = Field(default_factory=dict)
    """Most PDF pages per language (English runs longer than Korean); a number means both."""


class AudienceProfile(BaseModel):
    """One audience edition: its names, sections, budgets and template."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Slug
    """Identifier used in briefs (``audiences: [government]``) and in output file names."""
    label: Text
    """Who the edition is for (정부·정책결정자)."""
    edition: Text
    """The edition's name on the cover (정부·정책결정자용)."""
    description: Text | None = None
    """What this edition emphasises, for ``briefs templates list``."""
    sections: list[Section] = Field(min_length=1)
    """Sections shown, in order; sections with nothing in them are skipped."""
    template: str = "base.html.j2"
    """Template that renders the edition; usually extends ``base.html.j2``."""
    budget: Budget = Field(default_factory=Budget)
    """Length limits."""
    plain_language: bool = False
    """Expand the glossary and prefer plain-language summaries."""

    def text(self, value: Localized, lang: str) -> str:
        """A profile text in ``lang`` (profiles are written in Korean first)."""
        return value.get(lang, "ko") or value.any()


def profile_paths(folders: list[Path]) -> dict[str, Path]:
    """Every profile on the search path, by name: earlier folders win."""
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted((folder / "audiences").glob("*.yaml")):
            found.setdefault(path.stem, path)
    return found


def load_profiles(folders: list[Path]) -> dict[str, AudienceProfile]:
    """Load every profile on the search path; built-ins first in the returned order."""
    paths = profile_paths(folders)
    order = [n for n in BUILTIN_AUDIENCES if n in paths] + sorted(
        n for n in paths if n not in BUILTIN_AUDIENCES
    )
    profiles: dict[str, AudienceProfile] = {}
    errors: list[BriefError] = []
    for name in order:
        source = load_yaml_file(paths[name])
        try:
            profile = AudienceProfile.model_validate(source.data)
        except ValidationError as exc:
            errors.append(BriefError(list(positioned_errors(source, exc, AudienceProfile))))
            continue
        if profile.name != name:
            errors.append(
                BriefError(
                    source.diagnostic(
                        ("name",),
                        f"profile name '{profile.name}' differs from its file name",
                        f"rename the file to {profile.name}.yaml or set name: {name}",
                    )
                )
            )
            continue
        profiles[name] = profile
    if errors:
        raise BriefError.merge(errors)
    return profiles
