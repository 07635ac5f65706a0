"""Figures in Markdown text: which numbers need a source, and the sentences they sit in.

Used by the ``number-without-citation`` lint rule. A figure is a share (16.97%), an amount of
money ($589 billion, 5,890억 달러) or a large count (2,048); years, Korean dates, codes like
H20 or HBM3E, and citation marks are not.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from briefs.markdown import CITE_PATTERN
from briefs.validate import CITATION

_NUM = r"\d+(?:[.,]\d+)*"
_SCALE = r"(?:\s?(?:thousand|million|billion|trillion)\b|(?:bn|tn|[kKmMbB])\b)"
FIGURE = re.compile(
    # Not inside a word, code or date: H20, HBM3E, V3, 2025-01-27, 18:00 are not figures.
    rf"""(?<![A-Za-z0-9.,_/:])(?<![A-Za-z0-9]-)
    (?:
        (?:US\$|\$|₩|€|£|¥|(?:KRW|USD|EUR|CNY|JPY|RMB)\s?){_NUM}{_SCALE}?
      | {_NUM}\s?(?:%(?:p\b|포인트)?|퍼센트|percent\b|per\scent\b)
      | {_NUM}(?:조|억|만|천)(?:\s?(?:달러|원|위안|엔|유로))?
      | {_NUM}\s?(?:달러|위안|유로|(?:원|엔)(?![가-힣])|원(?=[은는이을를의도과와에으]))
      | {_NUM}\s(?:thousand|million|billion|trillion)\b
      | \d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?      # 2,048 · 50,000: a large number, not a year
      | \d{{5,}}(?:\.\d+)?
    )""",
    re.VERBOSE,
)
"""A figure that needs a source: a share, an amount of money, a large count."""
_MASK = re.compile(
    rf"{CITE_PATTERN}|{CITATION.pattern}|\]\([^()\n]*\)|https?://\S+|`[^`\n]*`"
    # A link target stops at the next "(" too: with "[^)\n]*", 82 KB of "](" took 14 s,
    # each "](" scanning to the end of the line (quadratic).
    # A Korean date (2025. 1. 27.) is neither a figure nor the end of a sentence.
    r"|\b\d{4}\.\s?\d{1,2}\.(?:\s?\d{1,2}\.)?"
)
_LIST_ITEM = re.compile(r"[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+")
_HEADING = re.compile(r"[ \t]{0,3}#")
_SENTENCE_END = re.compile(r"(?<!\b[A-Z])[.!?。][\"'”’)\]*_]*\s+")
_SCALE_WORDS = {
    "thousand": "k",
    "million": "m",
    "billion": "b",
    "trillion": "t",
    "bn": "b",
    "tn": "t",
}


def mask(text: str) -> str:
    """``text`` with citations, link targets, code and Korean dates blanked, same length."""
    return _MASK.sub(lambda m: " " * len(m[0]), text)


def sentences(text: str) -> Iterator[tuple[int, int]]:
    """Spans of the list items, headings and sentences of Markdown ``text``."""
    start = end = 0
    in_item = False

    def paragraph() -> Iterator[tuple[int, int]]:
        if in_item:
            yield start, end
            return
        cut = start
        for match in _SENTENCE_END.finditer(text, start, end):
            yield cut, match.end()
            cut = match.end()
        if cut < end:
            yield cut, end

    offset = 0
    for line in text.splitlines(keepends=True):
        line_start, offset = offset, offset + len(line)
        if not line.strip():
            yield from paragraph()
            start = end = offset
            in_item = False
        elif _HEADING.match(line):
            yield from paragraph()
            yield line_start, offset
            start = end = offset
            in_item = False
        elif _LIST_ITEM.match(line):
            yield from paragraph()
            start, end, in_item = line_start, offset, True
        else:
            end = offset
    yield from paragraph()


def figure_token(figure: str) -> str:
    """A figure reduced for comparison: ``$589 billion`` and ``$589B`` are both ``$589b``."""
    token = re.sub(r"\s+", "", figure).lower().replace("us$", "$")
    for word, short in _SCALE_WORDS.items():
        token = token.replace(word, short)
    return token
