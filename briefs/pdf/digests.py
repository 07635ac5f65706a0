"""What the fast paths of :mod:`briefs.pdf.fast_paths` stand in for and rely on, and the
sha256 of its source in the pinned WeasyPrint and tinyhtml5 (:data:`DIGESTS`).

The fast paths give the same values as the code they stand in for only for that code:
:func:`briefs.pdf.fast_paths.install` installs nothing when :func:`differing` names any
function (another WeasyPrint or tinyhtml5 is then only slower, never wrong). Some entries
are not stood in for but are what a fast path's reasoning depends on (where WeasyPrint frees
and remakes its text layouts, the width it leaves on them, how it draws them).
"""

from __future__ import annotations

import functools
import hashlib
import importlib
import inspect
from collections.abc import Callable
from typing import Any

# sha256 of the source of the code stood in for, in WeasyPrint 70.0 and tinyhtml5 2.1.0.
DIGESTS = {
    "weasyprint.css.ComputedStyle.__missing__": (
        "b318d8efc8ac79d716f05cb81cc3abd65a32bd79601e363b218a32559bb3a5fb"
    ),
    "weasyprint.css.StyleFor.__init__": (
        "b1e725a7552502aa00f0bc07aec79c1aa49365b107a889085161f8d6a4c4a836"
    ),
    "weasyprint.css.StyleFor.set_computed_styles": (
        "b5b15856b8beff3f49e20ac0309d7b45fb2a5192d826dd65e05b3009b8285c46"
    ),
    "weasyprint.css.StyleFor.__call__": (
        "96b91915ae7c344a8a4ea9ed112ffa1d7bde9087decb7e9ce723940b849c3936"
    ),
    "weasyprint.layout.percent.resolve_percentages": (
        "71673078096fcf8764e6412933288cc79ba956eae0d939deda27beaeac45acad"
    ),
    "tinyhtml5.inputstream.HTMLUnicodeInputStream.chars_until": (
        "dfe353323dff1fdc908f4b24439adf34dc7049a990f6aed3ddf6937afb993c58"
    ),
    "weasyprint.text.line_break.Layout.setup": (
        "fb227a55094f41d42fbd57f180d8b7a9a1e741969ec8ddb3fd5cd80920257442"
    ),
    "weasyprint.text.fonts.get_font_description": (
        "85734b8947b9bf64ef27ff11d8f5355db76a2ae8efc9a6fed925dc9e2a1056ce"
    ),
    "weasyprint.text.line_break.Layout.set_text": (
        "fe23ca9937dbf5205bda422f9c01103f301ef2c511228842632ea86e853274f7"
    ),
    "weasyprint.text.line_break.Layout.deactivate": (
        "bfec3ec8406e1c82a91f9570103eb5ecbc5a20c1339ff26bb0f4eafb03189f0b"
    ),
    "weasyprint.text.line_break.Layout.reactivate": (
        "0b89ee097104b71376c179f48a98858708b07169dc0212c393263a1a831607c9"
    ),
    # Not stood in for, but what keeping layouts (kept_layouts.py) relies on: the width a
    # layout is left with, where layouts are freed and remade, and how drawing uses them.
    "weasyprint.text.line_break.create_layout": (
        "6587192cc0ab3ffad7bb1902654c7f26dd28910f760804bcf67cbf7b986660b0"
    ),
    "weasyprint.text.line_break.split_first_line": (
        "39ad1016863ca34de0bea4c9fcffb46da7e27813c87dd82b7011bfa19fe5504f"
    ),
    "weasyprint.text.line_break.first_line_metrics": (
        "55ec5d0b58b29a8bda9f4c85d3bc3bc46b45d2110e05982e7126c7f4d507e65d"
    ),
    "weasyprint.layout.inline.add_word_spacing": (
        "879516e71f1b80fa1833aee877e1a34c851248c5fd871d6c855c58f07358d418"
    ),
    "weasyprint.draw.text.draw_text": (
        "ebaf96239c6ca3635d2b91bfb34718c2dcebd7809fec1c53fb8dffd1366befe3"
    ),
    "weasyprint.draw.text.draw_first_line": (
        "1bb8eae6d88e71b17096a034656f3be17da8f1f513c78536c1c38d971927638b"
    ),
    "weasyprint.svg.text.text": (
        "67a30c3e181b4a8002350771928b86b26dfef05b2706d0b3c6b46943e41af61b"
    ),
}


def digest(function: Callable[..., Any]) -> str:
    """The sha256 of ``function``'s source text, as :data:`DIGESTS` records it."""
    return hashlib.sha256(inspect.getsource(function).encode()).hexdigest()


def stood_in_for() -> dict[str, Any]:
    """The functions the fast paths stand in for, by the names :data:`DIGESTS` uses, as
    WeasyPrint and tinyhtml5 define them (installed or not)."""
    import tinyhtml5.inputstream as inputstream
    import weasyprint.css as css
    import weasyprint.draw.text as draw_text
    import weasyprint.layout.inline as inline
    import weasyprint.layout.percent as percent
    import weasyprint.text.fonts as fonts
    import weasyprint.text.line_break as line_break

    svg_text = importlib.import_module("weasyprint.svg.text")  # the package rebinds "text"
    layout = line_break.Layout

    def own(function: Any) -> Any:
        return getattr(function, "__wrapped__", function)

    return {
        "weasyprint.css.ComputedStyle.__missing__": own(css.ComputedStyle.__missing__),
        "weasyprint.css.StyleFor.__init__": own(css.StyleFor.__init__),
        "weasyprint.css.StyleFor.set_computed_styles": own(css.StyleFor.set_computed_styles),
        "weasyprint.css.StyleFor.__call__": own(css.StyleFor.__call__),
        "weasyprint.layout.percent.resolve_percentages": own(percent.resolve_percentages),
        "tinyhtml5.inputstream.HTMLUnicodeInputStream.chars_until": (
            inputstream.HTMLUnicodeInputStream.chars_until
        ),
        "weasyprint.text.line_break.Layout.setup": own(layout.setup),
        "weasyprint.text.fonts.get_font_description": fonts.get_font_description,
        "weasyprint.text.line_break.Layout.set_text": own(layout.set_text),
        "weasyprint.text.line_break.Layout.deactivate": own(layout.deactivate),
        "weasyprint.text.line_break.Layout.reactivate": own(layout.reactivate),
        "weasyprint.text.line_break.create_layout": line_break.create_layout,
        "weasyprint.text.line_break.split_first_line": line_break.split_first_line,
        "weasyprint.text.line_break.first_line_metrics": line_break.first_line_metrics,
        "weasyprint.layout.inline.add_word_spacing": inline.add_word_spacing,
        "weasyprint.draw.text.draw_text": draw_text.draw_text,
        "weasyprint.draw.text.draw_first_line": draw_text.draw_first_line,
        "weasyprint.svg.text.text": svg_text.text,
    }


@functools.cache
def differing() -> tuple[str, ...]:
    """The names of the functions whose source is not the one :data:`DIGESTS` records (none
    with the pinned WeasyPrint and tinyhtml5); looked up once per process."""
    return tuple(
        name for name, function in stood_in_for().items() if digest(function) != DIGESTS[name]
    )
