"""Markdown source lines made ready for Python-Markdown: lists nested the CommonMark way,
and dates at the start of a block kept from becoming list numbers (``2025. 1. 27.``)."""

from __future__ import annotations

import re

_YEAR_AT_BLOCK_START = re.compile(
    r"^(\s*(?:(?:>[ \t]?)|(?:[-*+]|\d{1,9}[.)])[ \t]+)*?)((?:1[89]|2[01])\d\d)\.(?=\s|$)"
)
"""A year written the Korean way (``2025.``) at the start of a block, after any container
markers: quotes (``> ``), bullets (``- ``) and list numbers (``1. ``), nested or not."""
_FENCE = re.compile(r"^\s*(```|~~~)")


def protect_dates(lines: list[str]) -> list[str]:
    """Escape the point after a year that starts a block, so ``2025. 1. 27. …`` stays text.

    Markdown reads ``2025.`` followed by a space as an ordered-list marker, which turns a
    line, a list item, a quoted line or a footnote that starts with a date into a nested
    numbered list and loses the year. Fenced code is left alone.
    """
    out: list[str] = []
    fenced = False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced:
            line = _YEAR_AT_BLOCK_START.sub(r"\1\2\\.", line)
        out.append(line)
    return out


_LIST_ITEM = re.compile(r"^( *)([-*+]|\d{1,9}[.)])( +|$)")


def nest_lists(lines: list[str]) -> list[str]:
    """Re-indent nested lists written the CommonMark way to the four spaces Python-Markdown
    needs, and separate what it would otherwise run together.

    CommonMark nests a line under a list item when it is indented as far as the item's text
    (three spaces under ``1. ``, two under ``- ``); Python-Markdown wants four per level and
    glues a three-space sub-list into its parent's line. Each item's content column is
    tracked, so either way of writing gives the same nesting. Where Python-Markdown would
    read an item as the continuation of the text before it (a bullet right after a numbered
    sibling, an item after a paragraph of the previous one), a blank line is put first.
    """
    out: list[str] = []
    stack: list[int] = []  # content column of each open item, outermost first
    kinds: list[bool] = []  # whether the last item at each depth is numbered
    previous = "none"  # the last line: "item", "text" (in an item), "paragraph", "blank"
    loose = False  # a blank line was put into this list: returning outwards needs one too
    depth_before = 0
    fenced = False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or not line.strip():
            out.append(line)
            if not fenced:
                previous = "blank" if previous != "none" else previous
            continue
        expanded = line.expandtabs(4)
        indent = len(expanded) - len(expanded.lstrip(" "))
        item = _LIST_ITEM.match(expanded)
        if item is None and previous in ("item", "text", "paragraph"):
            out.append(line)  # a lazy continuation: Python-Markdown keeps it in the item
            continue
        while stack and indent < stack[-1]:
            stack.pop()
        if item is None:
            if not stack:
                out.append(line)
                previous, loose, kinds = "none", False, []
                continue
            out.append(" " * (4 * len(stack)) + expanded.lstrip(" "))
            previous = "paragraph" if previous == "blank" else "text"
            continue
        depth = len(stack)
        numbered = item.group(2)[0].isdigit()
        kinds = kinds[: depth + 1]
        blank = previous == "paragraph" or (
            previous == "item"
            and (
                (len(kinds) > depth and depth == depth_before and kinds[depth] != numbered)
                or (loose and depth < depth_before)
            )
        )
        if blank:
            out.append("")
            loose = True
        if len(kinds) > depth:
            kinds[depth] = numbered
        else:
            kinds.append(numbered)
        stack.append(indent + len(item.group(2)) + max(1, len(item.group(3))))
        out.append(" " * (4 * depth) + expanded.lstrip(" "))
        previous, depth_before = "item", depth
    return out
