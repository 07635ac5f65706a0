"""Text runs written without WeasyPrint 70's no-op adjustments, installed by :func:`install`.

WeasyPrint writes a line's glyphs as one ``TJ`` array, with an adjustment after each glyph
whose advance is not a whole number of thousandths of the font's size, even where the
adjustment written rounds to ``0``, and an empty string with a ``0.0`` adjustment for each
zero-width character (the word joiners that keep Korean words whole, ``briefs.text.korean``):
``[<2769>0<>0.0<3291>0<0002>0…] TJ``. :func:`tight` drops the zero adjustments and the empty
strings and joins the strings they separated, ``[<276932910002…>] TJ``, or ``<…> Tj`` when one
string is left. A zero adjustment moves nothing and an empty string shows nothing, so every
glyph is where it was: the pages are the same, pixel for pixel, and so is their text.
"""

from __future__ import annotations

import itertools
import re
from typing import Any

_INSTALLED = "__briefs_text_runs__"
_TOKEN = re.compile(r"<([0-9A-Fa-f]*)>|([^<>]+)")
# The shape WeasyPrint writes: strings, each followed by at most one number (every run ends
# with one, mostly 0). For those, dropping the no-ops is two substitutions.
_NUMBER = r"-?(?:\d+\.?\d*|\.\d+)"
_ZERO = r"-?(?:0+\.?0*|\.0+)"
_STRINGS_AND_NUMBERS = re.compile(rf"(?:<[0-9A-Fa-f]*>(?:{_NUMBER})?)+")
_LAST_ZERO = re.compile(rf">{_ZERO}$")
_BETWEEN_STRINGS = re.compile(rf">(?:{_ZERO})?<")  # a zero adjustment or none


def install() -> None:
    """Make WeasyPrint's content streams write text runs tight (idempotent)."""
    import weasyprint.pdf.stream as stream

    show_text = stream.Stream.show_text
    if getattr(show_text, _INSTALLED, False):
        return
    if show_text.__code__.co_argcount != 2 or "show_text" in vars(stream.Stream):
        raise RuntimeError(
            "WeasyPrint's Stream.show_text is not pydyf's: briefs cannot write text runs tight"
        )
    stream.Stream.show_text = _tight_runs(show_text)


def uninstall() -> None:
    """Put pydyf's ``show_text`` back (for benchmarks and tests)."""
    import weasyprint.pdf.stream as stream

    if getattr(stream.Stream.show_text, _INSTALLED, False):
        del stream.Stream.show_text


def _tight_runs(original: Any) -> Any:
    def show_text(self: Any, text: str) -> None:
        operator = tight(text)
        if operator is None:  # not one of WeasyPrint's runs: written as it comes
            original(self, text)
        elif operator:
            self.stream.append(operator)

    show_text.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(show_text, _INSTALLED, True)
    return show_text


def tight(text: str) -> bytes | None:
    """The operator showing ``text`` (the inside of a ``TJ`` array, as WeasyPrint writes it:
    hexadecimal strings and numbers) with its zero adjustments and empty strings dropped:
    ``[…] TJ``, ``<…> Tj`` for a lone string, ``b""`` when nothing is left to show or move.
    ``None`` when ``text`` is not made of hexadecimal strings and numbers only."""
    if _STRINGS_AND_NUMBERS.fullmatch(text):
        joined = _BETWEEN_STRINGS.sub("", _LAST_ZERO.sub(">", text))
        if "<>" not in joined:  # an empty string is left where a number is next to it
            if joined[-1] == ">" and joined.count("<") == 1:
                return joined.encode("ascii") + b" Tj"
            return b"[" + joined.encode("ascii") + b"] TJ"
    return _general(text)


def _general(text: str) -> bytes | None:
    parts: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        if match.start() != position:
            return None
        position = match.end()
        glyphs, numbers = match.groups()
        if numbers is not None:
            for number in numbers.split():
                try:
                    if float(number) == 0:
                        continue
                except ValueError:
                    return None
                parts.append(number)
        elif glyphs:
            if parts and parts[-1][0] == "<":
                parts[-1] = parts[-1][:-1] + glyphs + ">"
            else:
                parts.append(f"<{glyphs}>")
    if position != len(text):
        return None
    if not parts:
        return b""
    if len(parts) == 1 and parts[0][0] == "<":
        return parts[0].encode("ascii") + b" Tj"
    joined = parts[0]
    for previous, part in itertools.pairwise(parts):
        joined += part if previous[0] == "<" or part[0] == "<" else " " + part
    return b"[" + joined.encode("ascii") + b"] TJ"
