"""Text layouts kept from layout to drawing, when a new one would give the same line.

WeasyPrint 70 lays each line of text out with a Pango layout, frees the layout
(``Layout.deactivate``), and makes a new one to draw the text (``Layout.reactivate``: a new
Pango layout, the text set again, the text shaped again, about 25,000 times for the 24 PDF
editions of ``inputs/``). :func:`install` keeps the laid-out Pango layout and draws with it
when a new one would hold the same line, that is when all of these hold:

- the text box kept the style it was laid out with, and no justification spacing was added
  (a justified line's layout is made anew by WeasyPrint, with its spacing);
- setting the text added no spacing: no word or letter spacing, no tab (so the layout has
  the font features ``setup`` gave it, as a new one, and, for ``overflow-wrap: anywhere``
  or ``break-word``, the attribute that inserts no hyphen at a break, which setting the
  text gives the new one too and which changes nothing on a line that is not broken);
- the text has no paragraph or line separator, and the laid-out layout holds one line that
  fits in the width it was laid out in, or had no width: with the text on one line, a width
  breaks nothing, and the new layout has none.

A kept layout gets back a new one's word wrapping (WeasyPrint wraps a word too long for its
line at any character), for drawing an ellipsis sets a width and lays the text out again.

Drawing puts the layout in single-paragraph mode, which in Pango throws the laid-out lines
away. The mode changes nothing for a text without separators, so :func:`install` sets it when
the text is set, before Pango shapes it, for such texts (the mode stays off for others, as in
WeasyPrint), and the draw's setting changes nothing.

The functions stood in for are checked against the digests of
:data:`briefs.pdf.fast_paths.DIGESTS` and installed with the other fast paths.
"""

from __future__ import annotations

import re
from typing import Any

SEPARATORS = re.compile("[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
"""Characters Pango may treat as breaking a line or paragraph, whatever the mode."""

STOOD_IN_FOR = ("set_text", "deactivate", "reactivate")
"""The methods of WeasyPrint's ``Layout`` that :func:`stand_ins` gives."""

MAX_WIDTH = 2**21
"""WeasyPrint sets no width on a layout for a larger ``max_width`` (``create_layout``)."""


def stand_ins(layout_class: Any) -> dict[str, Any]:
    """``set_text``, ``deactivate`` and ``reactivate`` for WeasyPrint's ``Layout`` class,
    by name, each with ``__wrapped__`` set to the method it stands in for."""
    from weasyprint.text.constants import PANGO_WRAP_MODE
    from weasyprint.text.ffi import TO_UNITS, ffi, pango

    set_text = layout_class.set_text
    deactivate = layout_class.deactivate
    reactivate = layout_class.reactivate
    single_paragraph = pango.pango_layout_set_single_paragraph_mode
    line_readonly = pango.pango_layout_get_line_readonly
    extents = pango.pango_layout_line_get_extents
    set_wrap = pango.pango_layout_set_wrap
    wrap_word = PANGO_WRAP_MODE["WRAP_WORD"]  # a new layout's
    null = ffi.NULL

    def setting_text(self: Any, text: str, justify: bool = False) -> None:
        # While laid out; a layout being drawn keeps the mode drawing gives it.
        if not self.__dict__.get("briefs_drawn", False):
            single_paragraph(self.layout, SEPARATORS.search(text) is None)
        set_text(self, text, justify)

    def keeping(self: Any) -> None:
        if not self.__dict__.pop("briefs_drawn", False):
            self.briefs_kept = (self.layout, self.language, self.style)
        deactivate(self)

    def same_line(self: Any, layout: Any) -> bool:
        style = self.style
        if (
            self.justification_spacing
            or style["word_spacing"]
            or style["letter_spacing"] not in ("normal", 0)
            or "\t" in self.text
            or SEPARATORS.search(self.text)
            or line_readonly(layout, 1) != null
        ):
            return False
        if self.max_width is None or self.max_width >= MAX_WIDTH:
            return True
        logical = ffi.new("PangoRectangle *")
        extents(line_readonly(layout, 0), null, logical)
        fits: bool = logical.width <= int(max(0, self.max_width) * TO_UNITS)
        ffi.release(logical)
        return fits

    def reusing(self: Any, style: Any) -> None:
        self.briefs_drawn = True
        kept = self.__dict__.pop("briefs_kept", None)
        if kept is not None and kept[2] is style:
            self.layout, self.language, self.style = kept
            if same_line(self, kept[0]):
                # A word too long for its line was laid out with wrapping at any character;
                # drawing may set a width again (an ellipsis), and wraps as a new layout.
                # Pango lays the line out again for this only if a width is set and the mode
                # changes: the line fits that width, so it stays as it is.
                set_wrap(kept[0], wrap_word)
                return
        reactivate(self, style)

    functions = (setting_text, keeping, reusing)
    originals = (set_text, deactivate, reactivate)
    for function, original in zip(functions, originals, strict=True):
        function.__wrapped__ = original  # type: ignore[attr-defined]
    return dict(zip(STOOD_IN_FOR, functions, strict=True))
