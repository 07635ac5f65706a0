"""Font preflight: every character a brief prints must be drawable with the bundled fonts.

The PDF embeds only Pretendard GOV. A character it lacks (an emoji, a rare Hanja) would
come out as an empty box, or make WeasyPrint reach for a font the machine happens to have.
We check before rendering and name the field, line and column of each such character.

Coverage is read from ``fonts/coverage.txt`` (code point ranges drawable in every bundled
face), which ``python -m briefs.check.fonts`` regenerates from the fonts and a test keeps in
sync, so a build does not pay for parsing 11 MB of fonts.
"""

from __future__ import annotations

import bisect
import functools
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

from briefs.errors import Diagnostic
from briefs.resources import builtin_dir
from briefs.source import Source, format_path, strings

COVERAGE_FILE = "fonts/coverage.txt"
# Characters that are never drawn: layout controls, joiners, variation selectors.
_INVISIBLE = {"\n", "\r", "\t", "\u00ad", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"}


def coverage_path() -> Path:
    """Where the coverage ranges of the bundled fonts are kept."""
    return builtin_dir() / COVERAGE_FILE


@functools.cache
def _ranges() -> tuple[list[int], list[int]]:
    starts: list[int] = []
    ends: list[int] = []
    for line in coverage_path().read_text(encoding="ascii").splitlines():
        if line and not line.startswith("#"):
            first, _, last = line.partition("-")
            starts.append(int(first, 16))
            ends.append(int(last or first, 16))
    return starts, ends


def covered(char: str) -> bool:
    """Whether every bundled face can draw ``char`` (invisible controls always pass)."""
    if char in _INVISIBLE:
        return True
    starts, ends = _ranges()
    point = ord(char)
    i = bisect.bisect_right(starts, point) - 1
    return i >= 0 and point <= ends[i]


def check(source: Source) -> Iterator[Diagnostic]:
    """One diagnostic per (field, character) that the bundled fonts cannot draw."""
    texts = list(strings(source.data))
    # Distinct characters first: a brief has tens of thousands of characters, a few hundred
    # distinct ones, and usually none to report.
    missing = {c for c in set().union(*(v for _, v in texts)) if not covered(c)}
    if not missing:
        return
    for path, value in texts:
        reported: set[str] = set()
        for offset, char in enumerate(value):
            if char in reported or char not in missing:
                continue
            reported.add(char)
            pos = source.locate(path, offset)
            line, col = pos.line, pos.col
            name = unicodedata.name(char, "unnamed character")
            yield Diagnostic(
                source.name,
                line,
                col,
                f"{format_path(path)}: character {char!r} (U+{ord(char):04X} {name}) "
                "is not in the bundled fonts",
                "remove it or replace it with text; it would print as an empty box",
            )


def write_coverage(fonts: list[Path], target: Path) -> None:
    """Write the code point ranges that every font in ``fonts`` covers."""
    from fontTools.ttLib import TTFont

    common: set[int] | None = None
    for font in fonts:
        with TTFont(font, lazy=True) as face:
            cmap = set(face.getBestCmap())
        common = cmap if common is None else common & cmap
    points = sorted(common or set())
    lines = ["# Code points every bundled face can draw; regenerate: python -m briefs.check.fonts"]
    start = prev = points[0]
    for point in [*points[1:], -1]:
        if point != prev + 1:
            lines.append(f"{start:04X}" if start == prev else f"{start:04X}-{prev:04X}")
            start = point
        prev = point
    target.write_text("\n".join(lines) + "\n", encoding="ascii")


if __name__ == "__main__":
    fonts = sorted((builtin_dir() / "fonts").glob("*.ttf"))
    write_coverage(fonts, coverage_path())
    print(f"wrote {coverage_path()} from {len(fonts)} fonts", file=sys.stderr)
