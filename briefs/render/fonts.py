"""The bundled faces in the HTML edition: a WOFF2 subset of the characters it uses.

An HTML edition is one self-contained file that must read the same on a machine without
Korean fonts, so it carries Pretendard GOV itself, as ``data:`` URLs in ``@font-face``
rules. Only the glyphs of the characters the document contains are kept, and the layout
tables (GSUB/GPOS: Latin kerning, ligatures, fractions) are dropped before subsetting:
reading them costs seconds per face, Hangul needs none of them, and a subset without them
is a third of the size.
"""

from __future__ import annotations

import base64
import functools
import html
import io
from collections.abc import Iterable, Sequence
from importlib import metadata
from typing import Any

from briefs.cache import cached
from briefs.resources import builtin_dir

FAMILY = "Briefs Text"
"""The family the screen styles ask for first. The subset is a modified version of the font
under the OFL, whose Reserved Font Name (Pretendard) it must therefore not carry: it is
renamed inside and in the CSS; its copyright and licence records are kept."""
FACES = (("PretendardGOV-Regular.ttf", 400, "Regular"), ("PretendardGOV-Bold.ttf", 700, "Bold"))
"""The bundled files and their weights."""
_DROPPED = ("GSUB", "GPOS", "GDEF", "vhea", "vmtx", "DSIG")
BROTLI_QUALITY = 10
"""Brotli quality of the WOFF2 data. fontTools always asks for 11, the slowest: at 10, making a
subset of Pretendard GOV takes 0.86× the CPU (234 ms, not 271) for 0.8% more bytes
(``benchmarks/html_fonts.py``)."""
_ALWAYS = frozenset(chr(c) for c in range(0x20, 0x7F))
"""Printable ASCII is always kept: a reader's search box or copied text may need it."""


def used_characters(document: str) -> frozenset[str]:
    """The characters a document may show: its text with character references resolved
    (markup, CSS and attributes included, which adds little beyond ASCII)."""
    return frozenset(html.unescape(document)) | _ALWAYS


@functools.lru_cache(maxsize=64)
def woff2_subset(file_name: str, characters: frozenset[str]) -> bytes:
    """The bundled face ``file_name`` cut down to ``characters``, as WOFF2 bytes.

    Subsetting and compressing take about 0.25 s of CPU a face, most of an HTML build: the
    result is kept in the user's cache (:mod:`briefs.cache`) for the next build that cuts
    the same face to the same characters.
    """
    made_from = (
        f"{file_name}\0{metadata.version('fonttools')}\0brotli {BROTLI_QUALITY}\0"
        f"{''.join(sorted(characters))}"
    )
    return cached("woff2", made_from, lambda: _subset(file_name, characters), magic=b"wOF2")


def _subset(file_name: str, characters: frozenset[str]) -> bytes:
    from fontTools import subset  # only HTML builds pay for importing fontTools
    from fontTools.ttLib import TTFont

    # The original timestamp is kept, so that a rebuild gives the same bytes.
    font = TTFont(builtin_dir() / "fonts" / file_name, recalcTimestamp=False)
    for tag in _DROPPED:
        if tag in font:
            del font[tag]
    options = subset.Options()
    options.hinting = False  # browsers on screens rasterise Pretendard well unhinted
    options.glyph_names = False
    options.name_IDs = [0, 13, 14]  # copyright and licence (OFL); the names are new
    options.notdef_outline = True
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in characters))
    subsetter.subset(font)
    style = next(style for name, _, style in FACES if name == file_name)
    names = font["name"]
    for name_id, value in (
        (1, FAMILY),
        (2, style),
        (4, f"{FAMILY} {style}"),
        (6, f"{FAMILY.replace(' ', '')}-{style}"),
    ):
        names.setName(value, name_id, 3, 1, 0x409)
    font.flavor = "woff2"
    out = io.BytesIO()
    _brotli_quality()
    font.save(out, reorderTables=False)
    return out.getvalue()


class _Brotli:
    """The ``brotli`` module as fontTools' WOFF2 writer sees it: compressing at
    :data:`BROTLI_QUALITY` unless asked for a quality."""

    def __init__(self, brotli: Any) -> None:
        self._brotli = brotli

    def __getattr__(self, name: str) -> Any:
        return getattr(self._brotli, name)

    def compress(self, data: bytes, **options: Any) -> bytes:
        options.setdefault("quality", BROTLI_QUALITY)
        return bytes(self._brotli.compress(data, **options))


def _brotli_quality() -> None:
    """Have fontTools' WOFF2 writer compress at :data:`BROTLI_QUALITY` (once per process; its
    reader is unchanged)."""
    from fontTools.ttLib import woff2

    if not isinstance(woff2.brotli, _Brotli):
        woff2.brotli = _Brotli(woff2.brotli)


def font_face_css(characters: Iterable[str]) -> str:
    """``@font-face`` rules embedding each bundled weight, subset to ``characters``."""
    wanted = frozenset(characters)
    rules = []
    for file_name, weight, _ in FACES:
        data = base64.b64encode(woff2_subset(file_name, wanted)).decode("ascii")
        rules.append(
            f'@font-face {{ font-family: "{FAMILY}"; font-style: normal; '
            f"font-weight: {weight}; font-display: swap; "
            f'src: url("data:font/woff2;base64,{data}") format("woff2"); }}'
        )
    return "\n".join(rules)


def embed_fonts(document: str, characters: Iterable[str] | None = None) -> str:
    """``document`` with the bundled faces embedded in a ``<style>`` at the end of its head,
    subset to ``characters`` (by default, the document's own); unchanged when it has no
    ``</head>`` (a user template that writes none)."""
    head = document.find("</head>")
    if head < 0:
        return document
    css = font_face_css(used_characters(document) if characters is None else characters)
    return f"{document[:head]}<style>\n{css}\n</style>\n{document[head:]}"


def embed_fonts_shared(documents: Sequence[tuple[str, str]]) -> list[str]:
    """Each ``(language, document)``'s document with the faces embedded, subset to the
    characters of all the documents in its language.

    Subsetting costs about 0.2-0.4 s of CPU a face, so the editions of one brief in one
    language share one subset (made once, then taken from the cache) instead of paying for
    one each; each carries the few glyphs only its siblings use.
    """
    shared: dict[str, frozenset[str]] = {}
    for lang, document in documents:
        shared[lang] = shared.get(lang, frozenset()) | used_characters(document)
    return [embed_fonts(document, shared[lang]) for lang, document in documents]
