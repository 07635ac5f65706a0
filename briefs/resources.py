"""Where the built-in templates, styles, fonts, labels and profiles are, and the search path.

Lookup order: the user's templates folder (``--templates DIR``, else ``./templates`` when it
exists and is not the package's own folder), then the built-ins.
"""

from __future__ import annotations

from pathlib import Path


def builtin_dir() -> Path:
    """The built-in templates: inside the installed package, or the repository's folder."""
    here = Path(__file__).resolve().parent  # briefs/
    packaged = here / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


def search_path(user_dir: Path | None = None) -> list[Path]:
    """Folders searched for templates, profiles, labels and styles, first match wins.

    ``user_dir`` is the ``--templates`` option; without it, ``./templates`` is used when it
    exists (and is not the built-in folder itself, as in this repository).
    """
    builtin = builtin_dir()
    if user_dir is None:
        local = Path("templates")
        if local.is_dir() and local.resolve() != builtin.resolve():
            user_dir = local
    folders = [user_dir] if user_dir is not None else []
    return [*folders, builtin]
