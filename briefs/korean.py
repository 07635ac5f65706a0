"""Korean line breaking for the PDF: break between words (어절), never inside one.

Browsers do this with ``word-break: keep-all``; WeasyPrint ignores that value and breaks
Hangul anywhere. We get the same result by putting U+2060 WORD JOINER between neighbouring
characters of any word that contains Hangul, so the only break opportunities left are the
spaces between words. The joiner is invisible, zero-width and not extracted as text (copy,
search and pdftotext see the original words; measured in tests). A space between a number
and its unit noun (``296억 달러``) becomes a no-break space, so a number never leaves its unit.
A word longer than its line still breaks, through ``overflow-wrap: anywhere`` in the PDF CSS.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"

_TAG = re.compile(r"""<(?:[^>"']|"[^"]*"|'[^']*')*>""")
_RAW_TEXT = re.compile(r"<(style|script|title)\b", re.IGNORECASE)
_HANGUL = (
    "\u1100-\u11ff"  # Jamo
    "\u3130-\u318f"  # Compatibility Jamo
    "\ua960-\ua97f"  # Jamo Extended-A
    "\uac00-\ud7a3"  # Syllables
    "\ud7b0-\ud7ff"  # Jamo Extended-B
)
# A Hangul character next to any other visible character, in either order.
_JOIN = re.compile(
    rf"(?<=[{_HANGUL}])(?=[^\s<&{WORD_JOINER}])|(?<=[^\s>;{WORD_JOINER}])(?=[{_HANGUL}])"
)
_UNIT_NOUNS = (
    "달러|원|엔|위안|유로|톤|명|개|건|대|배|곳|개국|개사|년|개월|주|일|시간|장|쪽|퍼센트|포인트|%p"
)
_NUMBER_UNIT = re.compile(rf"(\d[\d,.]*[만억조천백십]?) (?=(?:{_UNIT_NOUNS})(?![{_HANGUL}]))")


def keep_words(text: str) -> str:
    """Join the characters of each Hangul word, and numbers to their units, in plain text."""
    text = _NUMBER_UNIT.sub("\\1\u00a0", text)
    return _JOIN.sub(WORD_JOINER, text)


def keep_words_html(html: str) -> str:
    """:func:`keep_words` applied to the text of an HTML document, not its markup.

    Entities are left whole: a joiner is never put inside ``&amp;`` or next to one, which
    only leaves a break opportunity the browser rules would allow anyway.
    """
    out: list[str] = []
    pos = 0
    raw_until: str | None = None
    for tag in _TAG.finditer(html):
        text = html[pos : tag.start()]
        out.append(text if raw_until else _keep_entities(text))
        markup = tag.group(0)
        out.append(markup)
        pos = tag.end()
        if raw_until and markup.lower().startswith(f"</{raw_until}"):
            raw_until = None
        elif raw_until is None and (m := _RAW_TEXT.match(markup)):
            raw_until = m.group(1).lower()
    out.append(_keep_entities(html[pos:]))
    return "".join(out)


def _keep_entities(text: str) -> str:
    if "&" not in text:
        return keep_words(text)
    parts = re.split(r"(&#?\w+;)", text)
    return "".join(p if p.startswith("&") and p.endswith(";") else keep_words(p) for p in parts)


def strip_joiners(text: str) -> str:
    """The text with every word joiner removed (what a reader copies out of the PDF)."""
    return text.replace(WORD_JOINER, "")
