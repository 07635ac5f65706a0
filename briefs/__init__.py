"""briefs — policy findings in YAML, turned into audience editions of a brief.

The library is the product; the ``briefs`` command is a thin layer over it::

    from briefs import BuildOptions, build_brief, load_brief

    validated = load_brief("inputs/deepseek-2025.yaml")
    print(validated.brief.title.ko)
    result = build_brief("inputs/deepseek-2025.yaml", BuildOptions(out=Path("public")))
    for output in result.outputs:
        print(output.path)

The public API is what ``__all__`` lists; everything else may change between releases.
Names are imported on first use, so ``import briefs`` stays cheap.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from briefs.errors import BriefError, Diagnostic
from briefs.version import __version__

if TYPE_CHECKING:
    from briefs.check.validate import Validated, load_brief
    from briefs.pipeline.build import BuildOptions, BuildResult, Output, build_brief
    from briefs.pipeline.publish import PublishResult, publish
    from briefs.schema.brief import Brief

_LAZY = {
    "load_brief": "briefs.check.validate",
    "Validated": "briefs.check.validate",
    "build_brief": "briefs.pipeline.build",
    "BuildOptions": "briefs.pipeline.build",
    "BuildResult": "briefs.pipeline.build",
    "Output": "briefs.pipeline.build",
    "publish": "briefs.pipeline.publish",
    "PublishResult": "briefs.pipeline.publish",
    "Brief": "briefs.schema.brief",
}

__all__ = [
    "Brief",
    "BriefError",
    "BuildOptions",
    "BuildResult",
    "Diagnostic",
    "Output",
    "PublishResult",
    "Validated",
    "__version__",
    "build_brief",
    "load_brief",
    "publish",
]


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'briefs' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
