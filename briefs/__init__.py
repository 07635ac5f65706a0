"""briefs — policy findings in YAML, turned into audience editions of a brief.

The library is the product; the ``briefs`` command is a thin layer over it::

    from briefs import load_brief, build_brief
    brief = load_brief("inputs/deepseek-2025.yaml")
"""

__version__ = "0.1.0"

from briefs.errors import BriefError, Diagnostic

__all__ = ["BriefError", "Diagnostic", "__version__"]
