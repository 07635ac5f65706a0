"""The one grammar of inline citations: ``[@id]``, ``[@a; @b]``, ``[@id, p. 12]``.

A citation mark is ``[``, one or more ``@id`` separated by ``;`` or ``,`` (spaces allowed
around the separator), then ``]``. An id starts with a letter or digit and goes on with
letters, digits, ``_`` and ``-`` (source ids themselves are lower-case slugs, checked by the
model). An id may be followed by ``,`` and a *locator*: where in the source (``p. 12``,
``pp. 3–5``, ``ch. 2``, ``12쪽``, ``제3조``), at most 40 characters, up to the next ``;``
or ``]``, not starting with ``@`` and holding no ``@``, ``[`` or ``]``; so ``[@a, @b]``
still cites two sources, and ``[@a, p. 3; @b, p. 7]`` gives each its page. Anything else
that opens with ``[@`` and closes with ``]`` is a *malformed* mark, which validation
reports at its position: it would otherwise print as text, or lose an id without a word.

Every reader of citations goes through this module: validation (unknown and malformed
marks), lint (what is cited), the Markdown renderer (marks → numbered footnote references),
editions (citation order), figures (masking marks out of sentences) and the site (plain
summaries).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

ID = r"[A-Za-z0-9][\w-]*"
"""An id as a mark may write it."""
MAX_LOCATOR = 40
"""Most characters of a locator: a page, not a sentence (a longer one is a malformed mark;
the bound also keeps matching linear)."""
LOCATOR = rf"[^;,@\[\]\s](?:[^;@\[\]\n]{{0,{MAX_LOCATOR - 2}}}[^;,@\[\]\s])?"
"""A locator (``p. 12``): no ``@``, ``;``, ``[`` or ``]``; no space or ``,`` at either end."""
PATTERN = rf"\[@({ID})((?:\s*,\s*{LOCATOR})?(?:\s*[;,]\s*@{ID}(?:\s*,\s*{LOCATOR})?)*)\]"
"""A well-formed mark; group 1 is the first id, group 2 the rest (``, p. 3; @b, @c``).
It has exactly these two groups: other patterns are built around it."""
MARK = re.compile(PATTERN)
CANDIDATE = re.compile(r"\[@[^\[\]]*\]")
"""Anything written like a citation: ``[@`` … ``]``, well-formed or not. It stops at a
``[`` too: allowing one inside, 80 KB of ``[@[@…`` took minutes, each ``[@`` scanning to
the end of the text (quadratic); ``[@a [@b]`` is now the mark ``[@b]`` after ``[@a ``."""
_MORE = re.compile(rf"@({ID})")
_ITEM = re.compile(rf"@({ID})(?:\s*,\s*({LOCATOR}))?")

FORMS = "[@id], [@id, p. 12], or several as [@a; @b]"
"""How to write a citation, for error hints."""


@dataclass(frozen=True)
class Mark:
    """One well-formed citation mark in a text."""

    start: int
    """Offset of its ``[``."""
    end: int
    """Offset just after its ``]``."""
    ids: tuple[str, ...]
    """The cited ids, in the order written."""
    offsets: tuple[int, ...]
    """Offset of each id's ``@``."""
    locators: tuple[str | None, ...] = ()
    """Each id's locator (``p. 12``), or ``None``; as long as :attr:`ids`."""

    def cites(self) -> Iterator[tuple[str, str | None]]:
        """(id, locator) for each source the mark cites."""
        return zip(self.ids, self.locators or (None,) * len(self.ids), strict=True)


def ids_of(match: re.Match[str]) -> list[str]:
    """The ids of a match of :data:`PATTERN` (or of :data:`MARK`)."""
    return [match.group(1), *_MORE.findall(match.group(2) or "")]


def cites_of(match: re.Match[str]) -> list[tuple[str, str | None]]:
    """(id, locator) for each id of a match of :data:`PATTERN`."""
    inner = match.string[match.start(1) - 1 : match.end(2)]
    return [(item.group(1), item.group(2)) for item in _ITEM.finditer(inner)]


def marks(text: str) -> Iterator[Mark]:
    """Every well-formed mark in ``text``, in order."""
    for match in MARK.finditer(text):
        inner = match.start(1) - 1
        found = list(_ITEM.finditer(text, inner, match.end(2)))
        yield Mark(
            match.start(),
            match.end(),
            tuple(item.group(1) for item in found),
            tuple(item.start() for item in found),
            tuple(item.group(2) for item in found),
        )


def malformed(text: str) -> Iterator[tuple[int, str]]:
    """Each mark written like a citation that the grammar does not accept: (offset, text)."""
    for match in CANDIDATE.finditer(text):
        if not MARK.fullmatch(match.group()):
            yield match.start(), match.group()


def cited(text: str) -> Iterator[str]:
    """Every id cited in ``text``, in order, repeats included."""
    for mark in marks(text):
        yield from mark.ids


def strip(text: str) -> str:
    """``text`` without its citation marks (and the spaces before them)."""
    return re.sub(rf"\s*{CANDIDATE.pattern}", "", text)
