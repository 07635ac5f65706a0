"""Every id of an edition is briefs's own, and each is used once (issue 14, item 13).

Ids in an edition are anchors: citations jump to ``src-…``, the contents to ``sec-…``,
headings label their sections. Text must not add one, and item ids must not make the
same anchor twice:

- an attribute list that sets an id (``{: #src-src-a }``, ``{: id=main }``) is an error at
  the id (the Markdown converter drops such ids in any case, so none reaches an edition);
- an item id that makes another item's anchor (a finding ``shock-title`` whose anchor is
  ``finding-shock-title``, the heading of finding ``shock``) is an error at the id.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefs.errors import Diagnostic
from briefs.schema import fields
from briefs.source import FieldPath, Source, format_path, items
from briefs.text import markdown

ANCHORS: dict[str, tuple[str, ...]] = {
    "key_figures": ("kf-{}",),
    "findings": (
        "finding-{}",
        "finding-{}-title",
        "finding-{}-chart",
        "finding-{}-chart-caption",
        "finding-{}-chart-title",
        "finding-{}-chart-desc",
    ),
    "implications": ("implication-{}",),
    "recommendations": ("rec-{}", "rec-{}-title"),
    "sources": ("src-{}",),
    "figures": ("figure-{}", "figure-{}-caption", "figure-{}-title", "figure-{}-desc"),
}
"""The anchors the built-in templates make of an item's id, by section."""

_ID = re.compile(r"""(?<=[{: ])(#[^\s}]+|id=(?:"[^"\n]*"|'[^'\n]*'|[^\s}]*))""", re.IGNORECASE)
"""An id as an attribute list writes it: ``#name`` or ``id=name``, after ``{``, ``:`` or a space."""


def _attribute_id(text: str) -> re.Match[str] | None:
    """The first id inside an attribute list (``{: … #name … }``) of ``text``.

    Linear: each candidate looks back at most 200 characters, within its line, for the
    ``{`` that opens its list.
    """
    for found in _ID.finditer(text):
        before = text[max(0, found.start() - 200) : found.start()]
        opening = before.rfind("{")
        if opening >= 0 and not any(c in before[opening:] for c in "}\n"):
            return found
    return None


def check(source: Source) -> Iterator[Diagnostic]:
    """Attribute lists that set ids, and item ids that make another item's anchor."""
    yield from _attribute_ids(source)
    yield from _clashing_anchors(source)


def _texts(path: FieldPath, value: object) -> Iterator[tuple[FieldPath, str]]:
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for lang, text in value.items():
            if isinstance(text, str):
                yield (*path, lang), text


def _attribute_ids(source: Source) -> Iterator[Diagnostic]:
    for field_path, value in fields.markdown_values(source.data):
        for path, text in _texts(field_path, value):
            if "{" not in text or not markdown.convert(text).dropped_ids:
                continue
            found = _attribute_id(text)
            pos = source.locate(path, found.start(1)) if found else source.positions.of_value(path)
            written = found.group(1) if found else "id"
            yield Diagnostic(
                source.name,
                pos.line,
                pos.col,
                f"{format_path(path)}: an attribute list may not set an id ({written})",
                "remove it: ids are briefs's own anchors (citations, contents, headings)",
            )


def _clashing_anchors(source: Source) -> Iterator[Diagnostic]:
    made: dict[str, tuple[str, str]] = {}  # anchor → (section, item id) that made it first
    for section, forms in ANCHORS.items():
        for i, item in items(source.data, section):
            item_id = item.get("id")
            if not isinstance(item_id, str):
                continue
            for form in forms:
                anchor = form.format(item_id)
                first = made.setdefault(anchor, (section, item_id))
                if first[1] != item_id or first[0] != section:
                    kind = first[0].removesuffix("s").replace("_", " ")
                    yield source.diagnostic(
                        (section, i, "id"),
                        f"id '{item_id}' makes the anchor '{anchor}', which {kind} "
                        f"'{first[1]}' has already",
                        "choose an id that does not end like that",
                    )
                    break
