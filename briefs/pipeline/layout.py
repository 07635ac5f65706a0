"""The layout report's findings as positioned warnings: edition, page and the brief's place.

The report (:mod:`briefs.pdf.report`) runs in the PDF worker and knows only the laid-out
HTML. Each finding carries the id of the nearest element that has one; the built-in
templates give ids to findings (``finding-<id>``), implications, recommendations, key figures,
sources, charts (``finding-<id>-chart``, ``figure-<id>``) and sections (``sec-<name>``). This
module maps such an id back to the brief's field, and so to its ``file:line:col``. A finding
inside a section's plain text (the summary, a glossary term) points at the section; one in
the running heads or outside any id points at the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from briefs.errors import Diagnostic
from briefs.source import FieldPath, Source

if TYPE_CHECKING:
    from briefs.pdf.report import LayoutFinding

_LISTS = (
    ("finding-", "findings"),
    ("implication-", "implications"),
    ("rec-", "recommendations"),
    ("kf-", "key_figures"),
    ("src-", "sources"),
    ("figure-", "figures"),
)
_SUFFIXES = ("-title", "-chart", "-caption")
HINT = "see the page in the PDF; `briefs build --strict` makes layout findings errors"


def anchor_path(source: Source, anchor: str | None) -> FieldPath:
    """The brief's field an element id stands for (``()``, the file, when none does)."""
    if not anchor:
        return ()
    if anchor.startswith("sec-"):
        name = anchor[4:].replace("-", "_")
        return (name,) if isinstance(source.data, dict) and name in source.data else ()
    for prefix, key in _LISTS:
        if not anchor.startswith(prefix):
            continue
        rest = anchor[len(prefix) :]
        items = source.value_at((key,))
        if not isinstance(items, list):
            continue
        for suffix in ("", *_SUFFIXES):
            ident = rest.removesuffix(suffix) if suffix else rest
            for index, item in enumerate(items):
                if isinstance(item, dict) and item.get("id") == ident:
                    if suffix == "-chart" and "chart" in item:
                        return (key, index, "chart")
                    return (key, index)
    return ()


def layout_warnings(
    findings: Iterable[LayoutFinding], source: Source, edition: str
) -> list[Diagnostic]:
    """One warning per finding: ``file:line:col: PDF edition E, page N: … [rule]``."""
    out = []
    for finding in findings:
        path = anchor_path(source, finding.anchor)
        pos = source.positions.of_value(path) if path else None
        out.append(
            Diagnostic(
                source.name,
                pos.line if pos else 0,
                pos.col if pos else 0,
                f"PDF edition {edition}, page {finding.page}: {finding.message} "
                f"[layout:{finding.rule}]",
                HINT,
            )
        )
    return out
