"""The one grammar of inline citations: ``[@id]``, ``[@a; @b]``, ``[@a, @b]``.

A citation mark is ``[``, one or more ``@id`` separated by ``;`` or ``,`` (spaces allowed
around the separator), then ``]``. An id starts with a letter or digit and goes on with
letters, digits, ``_`` and ``-`` (source ids themselves are lower-case slugs, checked by the
model). Anything else that opens with ``[@`` and closes with ``]`` is a
*malformed* mark, which validation reports at its position: it would otherwise print as
text, or lose an id without a word.

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
PATTERN = rf"\[@({ID})((?:\s*[;,]\s*@{ID})*)\]"
"""A well-formed mark; group 1 is the first id, group 2 the rest (``; @b, @c``)."""
MARK = re.compile(PATTERN)
CANDIDATE = re.compile(r"\[@[^\[\]]*\]")
"""Anything written like a citation: ``[@`` … ``]``, well-formed or not. It stops at a
``[`` too: allowing one inside, 80 KB of ``[@[@…`` took minutes, each ``[@`` scanning to
the end of the text (quadratic); ``[@a [@b]`` is now the mark ``[@b]`` after ``[@a ``."""
_MORE = re.compile(rf"@({ID})")

FORMS = "[@id], or several as [@a; @b]"
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


def ids_of(match: re.Match[str]) -> list[str]:
    """The ids of a match of :data:`PATTERN` (or of :data:`MARK`)."""
    return [match.group(1), *_MORE.findall(match.group(2) or "")]


def marks(text: str) -> Iterator[Mark]:
    """Every well-formed mark in ``text``, in order."""
    for match in MARK.finditer(text):
        ids = [match.group(1)]
        offsets = [match.start(1) - 1]
        for more in _MORE.finditer(match.group(2) or ""):
            ids.append(more.group(1))
            offsets.append(match.start(2) + more.start())
        yield Mark(match.start(), match.end(), tuple(ids), tuple(offsets))


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
