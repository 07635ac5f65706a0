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

import functools
import html as html_lib
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


@functools.cache
def _compiled(pattern: str) -> re.Pattern[str]:
    """``pattern`` compiled at its first use: each Hangul range takes about a millisecond to
    compile, and an HTML build needs few of these patterns, a Korean one none of the joiners'.
    """
    return re.compile(pattern)


# A Hangul character next to any other visible character, in either order.
_JOIN = rf"(?<=[{_HANGUL}])(?=[^\s<&{WORD_JOINER}])|(?<=[^\s>;{WORD_JOINER}])(?=[{_HANGUL}])"
_UNIT_NOUNS = (
    "달러|원|엔|위안|유로|톤|명|개|건|대|배|곳|개국|개사|년|개월|주|일|시간|장|쪽|퍼센트|포인트|%p"
)
_PARTICLES = (
    "이|가|을|를|은|는|의|에|에서|에게|로|으로|와|과|도|만|까지|부터|씩|쯤|당|이며|이고|이다|였다"
)
# A unit noun, optionally followed by a particle, and then the end of the word: "달러가"
# is a unit, "원인" (cause) is not.
_NUMBER_UNIT = (
    rf"(?<![\d,.])(\d[\d,.]*+[만억조천백십]?) (?=(?:{_UNIT_NOUNS})(?:{_PARTICLES})?(?![{_HANGUL}]))"
)


def keep_words(text: str) -> str:
    """Join the characters of each Hangul word, and numbers to their units, in plain text."""
    text = _compiled(_NUMBER_UNIT).sub("\\1\u00a0", text)
    return _compiled(_JOIN).sub(WORD_JOINER, text)


_BLOCK_TAGS = {
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "title",
    "tr",
    "ul",
}
_HANGUL_CHAR = f"[{_HANGUL}]"


def keep_words_html(html: str) -> str:
    """:func:`keep_words` applied to the text of an HTML document, not its markup.

    Words split by inline markup (``**딥시크**는``, a link followed by a particle, a citation
    mark after a word) are joined across the tags too; block boundaries reset. Entities are
    left whole.
    """
    out: list[str] = []
    pos = 0
    raw_until: str | None = None
    last = " "  # the last visible character before the current position, across tags
    for tag in _TAG.finditer(html):
        text = html[pos : tag.start()]
        if raw_until or not text:
            out.append(text)
        else:
            joined = _keep_entities(text)
            if _joins(last, text[0]):
                joined = WORD_JOINER + joined
            out.append(joined)
            last = text[-1] if not text.endswith(";") or "&" not in text else "x"
        markup = tag.group(0)
        out.append(markup)
        pos = tag.end()
        name = _TAG_NAME.match(markup)
        if name is not None and name.group(2).lower() in _BLOCK_TAGS:
            last = " "
        if raw_until and markup.lower().startswith(f"</{raw_until}"):
            raw_until = None
        elif raw_until is None and (m := _RAW_TEXT.match(markup)):
            raw_until = m.group(1).lower()
    out.append(_keep_entities(html[pos:]))
    return "".join(out)


def _joins(before: str, after: str) -> bool:
    """Whether a joiner belongs between two characters that markup separates."""
    if before.isspace() or after.isspace() or WORD_JOINER in (before, after):
        return False
    return bool(_compiled(_HANGUL_CHAR).match(before) or _compiled(_HANGUL_CHAR).match(after))


def _keep_entities(text: str) -> str:
    if "&" not in text:
        return keep_words(text)
    parts = re.split(r"(&#?\w+;)", text)
    return "".join(p if p.startswith("&") and p.endswith(";") else keep_words(p) for p in parts)


def strip_joiners(text: str) -> str:
    """The text with every word joiner removed (what a reader copies out of the PDF)."""
    return text.replace(WORD_JOINER, "")


# -- language of inner text ---------------------------------------------------------------

_VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
_TAG_NAME = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9-]*)([^>]*)>")
_LATIN_WORD = r"[A-Za-z][A-Za-z0-9'’.\-]*+"
# Two or more Latin words with at least one lower-case letter: a phrase, not an acronym,
# so certainly not Korean.
_NUMBER = r"[$€£¥]?\d[\d,.]*+%?"
# Possessive tokens and a start only at a word's start keep this linear on inputs such as
# "1,1,1,…" or "a.a.a.…" (tests/test_security.py).
_LATIN_PHRASE = re.compile(
    rf"(?<![A-Za-z0-9'’.\-]){_LATIN_WORD}"
    rf"(?>[ ,:;]++(?:{_LATIN_WORD}|{_NUMBER}))*[ ,:;]++{_LATIN_WORD}"
)
_HANGUL_RUN = (
    rf"[{_HANGUL}][{_HANGUL}0-9·\s,.()%\-{WORD_JOINER}\u00a0]*[{_HANGUL}]|"
    rf"[{_HANGUL}]"
)


def mark_languages_html(html: str, lang: str) -> str:
    """Wrap text in the other language in ``<span lang>`` inside a document in ``lang``.

    In a Korean document, English phrases (two or more Latin words, one of them with a
    lower-case letter) become ``<span lang="en">``; in an English document, Hangul runs
    become ``<span lang="ko">``. Text inside an element that already declares ``lang``,
    and the raw text of ``<title>``, ``<style>`` and ``<script>``, is left alone.
    """
    if lang not in ("ko", "en"):
        return html
    other = "en" if lang == "ko" else "ko"
    relevant = _compiled(r"[a-z]" if lang == "ko" else _HANGUL_CHAR)
    out: list[str] = []
    stack: list[tuple[str, bool]] = []
    pos = 0
    in_body = False
    for tag in _TAG.finditer(html):
        text = html[pos : tag.start()]
        if (
            in_body
            and relevant.search(text)
            and not any(has_lang for _, has_lang in stack)
            and stack[-1][0] not in ("style", "script", "title")
        ):
            text = _wrap_other(text, lang, other)
        out.append(text)
        markup = tag.group(0)
        out.append(markup)
        pos = tag.end()
        if (m := _TAG_NAME.match(markup)) is None:
            continue  # comment or doctype
        closing, name, rest = m.group(1), m.group(2).lower(), m.group(3)
        if name == "body":
            in_body = not closing
        if closing:
            while stack:
                if stack.pop()[0] == name:
                    break
        elif name not in _VOID and not rest.rstrip().endswith("/"):
            stack.append((name, name != "html" and bool(re.search(r"\blang\s*=", rest))))
    out.append(html[pos:])
    return "".join(out)


def _wrap_other(text: str, lang: str, other: str) -> str:
    # Work on the characters, not the entities (&lt; is not the word "lt"), and escape
    # again on the way out.
    plain = html_lib.unescape(text)
    if lang == "ko":
        spans = [
            m.span() for m in _LATIN_PHRASE.finditer(plain) if any(c.islower() for c in m.group(0))
        ]
    else:
        spans = [m.span() for m in _compiled(_HANGUL_RUN).finditer(plain)]
    if not spans:
        return text
    out: list[str] = []
    pos = 0
    for start, end in spans:
        out.append(html_lib.escape(plain[pos:start], quote=False))
        out.append(f'<span lang="{other}">{html_lib.escape(plain[start:end], quote=False)}</span>')
        pos = end
    out.append(html_lib.escape(plain[pos:], quote=False))
    return "".join(out)
