"""Faster equivalents of hot functions of WeasyPrint 70 and its HTML parser, installed by
:func:`install`.

A profile of the 24 PDF editions of ``inputs/`` puts these near the top:

**A computed style's value for a property it was not given.** WeasyPrint computes a style's
values lazily (``ComputedStyle.__missing__``), more than a million lookups for a few dozen
pages. About 95 % are for a property no rule set on the element: the value is the parent's
(inherited properties) or the initial one, yet each goes through the whole general path
(``var()``, logical properties, ``calc()`` checks on the parent's already computed value,
text-decoration propagation). :func:`_computed_missing` answers those lookups directly, with
the value the general path gives, and hands every other lookup to WeasyPrint's own method: a
property set by some rule (or by a logical property that maps onto it), the root element, and
the properties the general path treats specially (``display``, ``float``, ``position``,
``page``, ``text-decoration-*``).

**Styles of pseudo-elements that never exist.** WeasyPrint's user-agent stylesheet has rules
for ``::marker``, ``::footnote-call``, ``::footnote-marker`` and three ``::note-*``
pseudo-elements that match every element, so a computed style is made for each element six
times over (nine in ten of a brief's computed styles), although only list items get a marker
and only footnotes a call. :func:`_lazy_pseudo_styles` keeps each such style's cascade and
makes the style when it is first asked for (``StyleFor.__call__``). A pseudo-element whose
rules set ``anchor`` is made at once, as before, since its anchor is collected then.

**Used margins, paddings and sizes** (``layout.percent.resolve_percentages``). It runs for
every box at every layout, and resolves fourteen properties one function call each.
:func:`_resolve_percentages` resolves plain lengths and percentages inline, and leaves
anything else (``calc()``, ``auto``) to WeasyPrint's ``percentage``.

**The HTML parser's regular expressions.** tinyhtml5 2.1 caches the expression it builds for
each set of characters in ``chars_until``, but stores it under the wrong key (``characters``
is rebound to the expression before the key is made), so every text run of the HTML builds its
expression again. :class:`_Expressions` makes the cache work; the expressions are the same.

**A Pango context and font description for every text layout** (``text.line_break.Layout
.setup``). WeasyPrint makes a new Pango context (direction, language) and builds a new font
description from the style for each text layout, about 2,500 for an edition (at layout and again
at drawing). :func:`_layout_setup` makes one context per direction and language and one
description per font (family, style, stretch, weight, size, variant, variations) for each font
configuration, and shares them; the layouts are made as before. Pango copies a description
into the layout, and WeasyPrint changes no context after setting it up, so sharing gives the same
shaping, lines and glyphs.

**The cascade** (``StyleFor.__init__``) folds every matched rule's declarations into each
element's cascaded style, one Python step per declaration. :func:`briefs.pdf.cascade.cascade`
folds each set of matched rules once and shares the result between the elements that match it.

**A text layout for drawing each line** (``text.line_break.Layout.reactivate``). WeasyPrint
frees each line's Pango layout after laying it out and makes, fills and shapes a new one to
draw it. :mod:`briefs.pdf.kept_layouts` keeps the laid-out one and draws with it when a new
one would hold the same line.

All give the same values, so the same PDF: the 64 PDF editions of ``inputs/`` and ``corpus/``
are byte-identical with and without them (``benchmarks/fast_paths.py``, which also measures
the saving). They are sound only for the code they stand in for: :func:`install` checks that
code's source against the digests it was written for, and installs nothing when any differs
(another WeasyPrint or tinyhtml5 is only slower, never wrong).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import Any

from . import kept_layouts
from .cascade import cascade
from .digests import DIGESTS, differing, digest, stood_in_for

__all__ = ["DIGESTS", "differing", "digest", "install", "installed", "stood_in_for", "uninstall"]

_INSTALLED = "__briefs_fast_paths__"

# What a lookup of a property no rule set gives (see _computed_missing).
_INHERIT, _INITIAL, _COMPUTE = 0, 1, 2

# Lookups the general path treats in a way of its own; never answered here.
_SPECIAL = frozenset({"display", "float", "position", "page"})

_BOX_PROPERTIES = (
    "margin_left",
    "margin_right",
    "margin_top",
    "margin_bottom",
    "padding_left",
    "padding_right",
    "padding_top",
    "padding_bottom",
    "width",
    "min_width",
    "max_width",
)


def installed() -> bool:
    """Whether the fast paths are installed."""
    import weasyprint.css as css

    return bool(getattr(css.ComputedStyle.__missing__, _INSTALLED, False))


def install() -> bool:
    """Install the fast paths (idempotent). Returns whether they are installed: ``False``
    when the code they stand in for is not the code they were written for."""
    import tinyhtml5.inputstream as inputstream
    import weasyprint.css as css
    import weasyprint.layout.percent as percent
    import weasyprint.text.line_break as line_break

    if installed():
        return True
    if differing():
        return False
    css.ComputedStyle.__missing__ = _computed_missing(css.ComputedStyle.__missing__)
    _lazy_pseudo_styles(css.StyleFor, cascade)
    _replace_everywhere(
        percent.resolve_percentages, _resolve_percentages(percent.resolve_percentages)
    )
    if not isinstance(inputstream.characters_until_regex, _Expressions):
        inputstream.characters_until_regex = _Expressions(inputstream.characters_until_regex)
    line_break.Layout.setup = _standing_in(_layout_setup(), line_break.Layout.setup)
    for name, function in kept_layouts.stand_ins(line_break.Layout).items():
        setattr(line_break.Layout, name, _standing_in(function, function.__wrapped__))
    return True


def uninstall() -> None:
    """Put WeasyPrint's own code back (for benchmarks and tests)."""
    import tinyhtml5.inputstream as inputstream
    import weasyprint.css as css
    import weasyprint.layout.percent as percent
    import weasyprint.text.line_break as line_break

    if not installed():
        return
    css.ComputedStyle.__missing__ = css.ComputedStyle.__missing__.__wrapped__
    for name in ("__init__", "set_computed_styles", "__call__"):
        setattr(css.StyleFor, name, getattr(css.StyleFor, name).__wrapped__)
    _replace_everywhere(percent.resolve_percentages, percent.resolve_percentages.__wrapped__)
    inputstream.characters_until_regex = {}
    for name in ("setup", *kept_layouts.STOOD_IN_FOR):
        setattr(line_break.Layout, name, getattr(line_break.Layout, name).__wrapped__)


def _standing_in(function: Any, original: Any) -> Any:
    """``function``, marked as the fast path standing in for ``original``."""
    function.__wrapped__ = original
    setattr(function, _INSTALLED, True)
    return function


def _replace_everywhere(old: Any, new: Any) -> None:
    """Rebind ``old`` to ``new`` in every WeasyPrint module that imported it by name."""
    for name, module in list(sys.modules.items()):
        if module is None or not (name == "weasyprint" or name.startswith("weasyprint.")):
            continue
        for attribute, value in list(vars(module).items()):
            if value is old:
                setattr(module, attribute, new)


def _computed_missing(original: Any) -> Any:
    import weasyprint.css as css

    inherited = css.INHERITED
    initial_values = css.INITIAL_VALUES
    initial_not_computed = css.INITIAL_NOT_COMPUTED
    computers = css.COMPUTER_FUNCTIONS
    if any(css.check_math(value) for value in initial_values.values()):
        # The general path would resolve calc() in an initial value; none has one in 70.
        raise RuntimeError("WeasyPrint has an initial value with a math function")
    # What a lookup of each property not in the cascade gives: the parent's value, the
    # initial value, or the initial value computed; None: ask the general path.
    kinds: dict[str, int | None] = {}
    for key in initial_values:
        if key in _SPECIAL or key.startswith("text_decoration_"):
            kinds[key] = None
        elif key in inherited:
            kinds[key] = _INHERIT
        elif key in initial_not_computed and key in computers:
            kinds[key] = _COMPUTE
        else:
            kinds[key] = _INITIAL
    # A physical property's value may come from a logical one (margin-inline-start for
    # margin-left): the names it may come from, whatever the direction.
    logical = {
        key: frozenset(function(block="ttb", inline=inline) for inline in ("ltr", "rtl"))
        for key, function in css.PHYSICAL_FUNCTIONS.items()
    }

    def __missing__(self: Any, key: str) -> Any:
        cascaded = self.cascaded
        parent = self.parent_style
        if key in cascaded or parent is None:
            return original(self, key)
        kind = kinds.get(key, _INHERIT if key[:2] == "__" else None)
        if kind is None or (key in logical and not logical[key].isdisjoint(cascaded)):
            return original(self, key)
        if kind == _INHERIT:
            value = self[key] = parent[key]
            return value
        value = initial_values[key]
        if kind == _COMPUTE:
            value = computers[key](self, key, value)
        self[key] = value
        return value

    return _standing_in(__missing__, original)


def _resolve_percentages(original: Any) -> Any:
    import weasyprint.layout.percent as percent
    from weasyprint.css.properties import Dimension
    from weasyprint.formatting_structure import boxes

    percentage = percent.percentage
    adjust_box_sizing = percent.adjust_box_sizing
    check_math = percent.check_math
    inf = float("inf")
    box_class = boxes.Box
    page_class = boxes.PageBox

    def used(style: Any, name: str, refer_to: Any) -> Any:
        value = style[name]
        if type(value) is Dimension:
            unit = value.unit
            if unit == "%":
                return refer_to * value.value / 100
            if unit is not None:
                return value.value
        return percentage(value, style, refer_to)

    def resolve_percentages(box: Any, containing_block: Any) -> None:
        if isinstance(containing_block, box_class):
            cb_width = containing_block.width
            cb_height = containing_block.height
        else:
            cb_width, cb_height = containing_block
        maybe_height = cb_height if isinstance(box, page_class) else cb_width
        style = box.style
        refers = (
            cb_width,
            cb_width,
            maybe_height,
            maybe_height,
            cb_width,
            cb_width,
            maybe_height,
            maybe_height,
            cb_width,
            cb_width,
            cb_width,
        )
        for name, refer_to in zip(_BOX_PROPERTIES, refers, strict=True):
            value = style[name]
            if type(value) is Dimension and value.unit is not None:
                value = refer_to * value.value / 100 if value.unit == "%" else value.value
            else:
                value = percentage(value, style, refer_to)
            setattr(box, name, value)
        if box.min_width == "auto":
            box.min_width = 0

        if cb_height == "auto":
            height = style["height"]
            if height == "auto" or check_math(height) or height.unit == "%":
                box.height = "auto"
            else:
                assert height.unit.lower() == "px"
                box.height = height.value
            box.min_height = used(style, "min_height", 0)
            box.max_height = used(style, "max_height", inf)
        else:
            box.height = used(style, "height", cb_height)
            box.min_height = used(style, "min_height", cb_height)
            box.max_height = used(style, "max_height", cb_height)
        if box.min_height == "auto":
            box.min_height = 0

        collapse = style["border_collapse"] == "collapse"
        for prop in ("border_top_width", "border_right_width", "border_bottom_width",
                     "border_left_width"):  # fmt: skip
            if not (collapse and hasattr(box, prop)):
                setattr(box, prop, style[prop])

        adjust_box_sizing(box, "width")
        adjust_box_sizing(box, "height")

    return _standing_in(resolve_percentages, original)


def _lazy_pseudo_styles(style_for: Any, folding: Callable[..., None]) -> None:
    init = style_for.__init__
    set_computed_styles = style_for.set_computed_styles
    call = style_for.__call__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:
        # (element, pseudo type) -> the arguments its style is to be made with.
        self.briefs_deferred = {}
        self.briefs_deferring = True
        try:
            __init__.briefs_cascade(self, *args, **kwargs)  # type: ignore[attr-defined]
        finally:
            self.briefs_deferring = False

    # The cascade the styles are made by: :func:`briefs.pdf.cascade.cascade`, or WeasyPrint's
    # own (``__wrapped__``) for benchmarks and tests.
    __init__.briefs_cascade = folding  # type: ignore[attr-defined]

    def deferring(
        self: Any,
        element: Any,
        parent: Any,
        root: Any = None,
        pseudo_type: str | None = None,
        base_url: str | None = None,
        target_collector: Any = None,
    ) -> None:
        if pseudo_type is not None and getattr(self, "briefs_deferring", False):
            cascaded = self._cascaded_styles.get((element, pseudo_type), {})
            if "anchor" not in cascaded:
                arguments = (cascaded, parent, root, base_url, target_collector)
                self.briefs_deferred[element, pseudo_type] = arguments
                return
        set_computed_styles(self, element, parent, root, pseudo_type, base_url, target_collector)

    def __call__(self: Any, element: Any, pseudo_type: str | None = None) -> Any:
        if pseudo_type is not None and (
            arguments := getattr(self, "briefs_deferred", {}).pop((element, pseudo_type), None)
        ):
            cascaded, parent, root, base_url, target_collector = arguments
            # set_computed_styles reads the cascade from the (by now cleared) cascade table.
            self._cascaded_styles[element, pseudo_type] = cascaded
            try:
                set_computed_styles(
                    self, element, parent, root, pseudo_type, base_url, target_collector
                )
            finally:
                del self._cascaded_styles[element, pseudo_type]
        return call(self, element, pseudo_type)

    for name, function, original in (
        ("__init__", __init__, init),
        ("set_computed_styles", deferring, set_computed_styles),
        ("__call__", __call__, call),
    ):
        setattr(style_for, name, _standing_in(function, original))


MAX_FONT_DESCRIPTIONS = 512
"""Pango font descriptions kept per font configuration (a brief uses a few dozen)."""


def _layout_setup() -> Any:
    """WeasyPrint's ``Layout.setup`` with the Pango context and the font description shared
    by every layout of the same direction, language and font, instead of made for each."""
    from weasyprint.text.constants import LST_TO_ISO, PANGO_DIRECTION
    from weasyprint.text.ffi import FROM_UNITS, ffi, gobject, pango, unicode_to_char_p
    from weasyprint.text.fonts import font_features, get_font_description

    def shared(style: Any) -> tuple[dict[Any, Any], dict[Any, Any]]:
        font_config = style.font_config
        caches: tuple[Any, dict[Any, Any], dict[Any, Any]] | None
        caches = font_config.__dict__.get("briefs_pango")
        if caches is None or caches[0] is not font_config.font_map:
            caches = (font_config.font_map, {}, {})
            font_config.briefs_pango = caches
        return caches[1], caches[2]

    def setup(self: Any, style: Any) -> None:
        self.style = style
        self.first_line_direction = 0
        contexts, descriptions = shared(style)

        if style["font_language_override"] != "normal":
            override = style["font_language_override"]
            lang = LST_TO_ISO.get(override.lower(), override)
        else:
            lang = style["lang"] or None
        direction = style["direction"]
        entry = contexts.get((direction, lang))
        if entry is None:
            pango_context = ffi.gc(
                pango.pango_font_map_create_context(style.font_config.font_map),
                gobject.g_object_unref,
            )
            pango.pango_context_set_round_glyph_positions(pango_context, False)
            pango.pango_context_set_base_dir(pango_context, PANGO_DIRECTION[direction])
            if lang:
                lang_p, _ = unicode_to_char_p(lang)
                language = pango.pango_language_from_string(lang_p)
                pango.pango_context_set_language(pango_context, language)
            else:
                language = pango.pango_language_get_default()
            known: dict[Any, Any] = {}
            entry = contexts[direction, lang] = (pango_context, language, known)
        pango_context, self.language, metrics_of = entry

        assert not isinstance(style["font_family"], str), "font_family should be a list"
        key = (
            tuple(style["font_family"]),
            style["font_style"],
            style["font_stretch"],
            style["font_weight"],
            style["font_size"],
            style["font_variant_caps"],
            style["font_variation_settings"],
        )
        font_description = descriptions.get(key)
        if font_description is None:
            if len(descriptions) >= MAX_FONT_DESCRIPTIONS:
                descriptions.clear()
            font_description = descriptions[key] = get_font_description(style)
        self.layout = ffi.gc(pango.pango_layout_new(pango_context), gobject.g_object_unref)
        pango.pango_layout_set_auto_dir(self.layout, False)
        pango.pango_layout_set_font_description(self.layout, font_description)

        if style["text_decoration_line"] != "none":
            metrics = metrics_of.get(key)
            if metrics is None:
                pango_metrics = ffi.gc(
                    pango.pango_context_get_metrics(pango_context, font_description, self.language),
                    pango.pango_font_metrics_unref,
                )
                metrics = metrics_of[key] = tuple(
                    FROM_UNITS * function(pango_metrics)
                    for function in (
                        pango.pango_font_metrics_get_ascent,
                        pango.pango_font_metrics_get_underline_position,
                        pango.pango_font_metrics_get_strikethrough_position,
                        pango.pango_font_metrics_get_underline_thickness,
                        pango.pango_font_metrics_get_strikethrough_thickness,
                    )
                )
            (
                self.ascent,
                self.underline_position,
                self.strikethrough_position,
                self.underline_thickness,
                self.strikethrough_thickness,
            ) = metrics
        else:
            self.ascent = None
            self.underline_position = None
            self.strikethrough_position = None

        features = font_features(
            style["font_kerning"],
            style["font_variant_ligatures"],
            style["font_variant_position"],
            style["font_variant_caps"],
            style["font_variant_numeric"],
            style["font_variant_alternates"],
            style["font_variant_east_asian"],
            style["font_feature_settings"],
        )
        if features:
            encoded = ",".join(f"{name} {value}" for name, value in features.items()).encode()
            attr = style.font_config.font_features.setdefault(
                encoded, pango.pango_attr_font_features_new(encoded)
            )
            attr_list = pango.pango_attr_list_new()
            pango.pango_attr_list_insert(attr_list, attr)
            pango.pango_layout_set_attributes(self.layout, attr_list)

    return setup


class _Expressions(dict[tuple[Any, bool], "re.Pattern[str]"]):
    """tinyhtml5's cache of ``chars_until`` expressions, filled under the right key: a missing
    one is built as tinyhtml5 builds it, so its own (wrong-keyed) store is never reached."""

    def __missing__(self, key: tuple[Any, bool]) -> re.Pattern[str]:
        characters, opposite = key
        expression = "".join([f"\\x{ord(character):02x}" for character in characters])
        if not opposite:
            expression = f"^{expression}"
        pattern = self[key] = re.compile(f"[{expression}]+")
        return pattern
