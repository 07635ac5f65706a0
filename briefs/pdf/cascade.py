"""WeasyPrint 70's cascade (``StyleFor.__init__``) with the cascaded declarations shared
between elements that match the same rules.

WeasyPrint folds, for every element, the declarations of every rule it matches into one
cascaded style per pseudo-element: about 370,000 declarations for the 24 PDF editions of
``inputs/``, one Python loop step each. Most elements of a brief match a rule set another
element matched before (every paragraph of the body, every cell of a table), and the fold
depends only on that rule set: which declarations, in which order, from which style sheet
(its origin and specificity override), with which specificity, cascade layer and
pseudo-element. :func:`cascade` folds each rule set once and gives every later element
with the same rule set the same cascaded styles, in the same order; elements with a
``style`` attribute or presentational hints are folded as before.

Sharing is sound because nothing changes a cascaded style after the cascade:
``ComputedStyle`` and the layout only read it. Everything else, the computed styles and
their sharing between elements, is WeasyPrint's code as it is. The function stands in for
the code whose digest :data:`briefs.pdf.fast_paths.DIGESTS` records, and is installed with
the other fast paths.
"""

from __future__ import annotations

from math import inf
from typing import Any

Folded = tuple[tuple[str | None, dict[str, Any]], ...]
"""One rule set's cascaded styles: (pseudo-element type, style) in the order first made."""


def cascade(
    self: Any,
    html: Any,
    sheets: Any,
    presentational_hints: Any,
    font_config: Any,
    target_collector: Any,
) -> None:
    """``StyleFor.__init__`` of WeasyPrint 70, giving the same styles; see the module."""
    from weasyprint.css import declaration_precedence, find_style_attributes
    from weasyprint.css.validation import preprocess_declarations
    from weasyprint.logger import PROGRESS_LOGGER

    cascaded_styles: dict[tuple[Any, str | None], dict[str, Any]] = {}
    computed_styles: dict[tuple[Any, str | None], Any] = {}
    self._cascaded_styles, self._computed_styles = cascaded_styles, computed_styles
    self.initial_page_sizes = {"box": None, "area": None}
    self._sheets = sheets
    self.font_config = font_config

    PROGRESS_LOGGER.info("Step 3 - Applying CSS")
    layer_order: float = inf
    elements_declarations = {}
    for specificity, element, declarations, base_url in find_style_attributes(
        html.etree_element, presentational_hints, html.base_url
    ):
        style = cascaded_styles.setdefault((element, None), {})
        elements_declarations[element] = tuple(declarations)
        for name, values, importance in preprocess_declarations(base_url, declarations):
            precedence = declaration_precedence("author", importance)
            weight = (precedence, layer_order, specificity)
            old_weight = style.get(name, (None, None))[1]
            if old_weight is None or old_weight <= weight:
                style[name] = values, weight

    precedences = {
        (origin, importance): declaration_precedence(origin, importance)
        for _sheet, origin, _specificity in sheets
        for importance in (False, True)
    }
    folded: dict[tuple[Any, ...], Folded] = {}
    computed_cache: dict[tuple[Any, ...], Any] = {}
    for element in html.wrapper_element.iter_subtree():
        etree_element = element.etree_element
        parent = element.parent.etree_element if element.parent else None
        parent_id = id(computed_styles[parent, None]) if element.parent else None
        element_declarations = elements_declarations.get(etree_element)
        selectors_keys = []
        matched = []
        for index, (sheet, _origin, _specificity) in enumerate(sheets):
            for selector in sheet.matcher.match(element):
                specificity, _order, pseudo_type, (declarations, layer) = selector
                layer_order = inf if layer is None else sheet.layers.index(layer)
                selectors_keys.append((sheet, specificity, id(declarations), layer_order))
                matched.append((index, specificity, pseudo_type, declarations, layer_order))
        # A rule's declarations belong to one style sheet and one layer, so they tell the
        # sheet (its origin and place) and the layer order; a rule of several selectors
        # matches with the specificity and pseudo-element of the one that matched.
        rules = tuple(
            (specificity, pseudo_type, id(declarations))
            for _index, specificity, pseudo_type, declarations, _layer_order in matched
        )
        if element_declarations is None and (styles := folded.get(rules)) is not None:
            for pseudo_type, style in styles:
                cascaded_styles[etree_element, pseudo_type] = style
        else:
            made: dict[str | None, dict[str, Any]] = {}
            for index, specificity, pseudo_type, declarations, layer_order in matched:
                _sheet, origin, sheet_specificity = sheets[index]
                specificity = sheet_specificity or specificity
                style = cascaded_styles.setdefault((etree_element, pseudo_type), {})
                made.setdefault(pseudo_type, style)
                for name, values, importance in declarations:
                    weight = (precedences[origin, bool(importance)], layer_order, specificity)
                    old_weight = style.get(name, (None, None))[1]
                    if old_weight is None or old_weight <= weight:
                        style[name] = values, weight
            if element_declarations is None:
                folded[rules] = tuple(made.items())

        key = (parent_id, element_declarations, tuple(selectors_keys))
        if key in computed_cache:
            computed_styles[etree_element, None] = computed_cache[key]
        else:
            self.set_computed_styles(
                etree_element,
                root=html.etree_element,
                parent=parent,
                base_url=html.base_url,
                target_collector=target_collector,
            )
            computed_cache[key] = computed_styles[etree_element, None]

    for element, pseudo_type in cascaded_styles:
        if pseudo_type:
            self.set_computed_styles(
                element,
                pseudo_type=pseudo_type,
                root=html.etree_element,
                parent=element,
                base_url=html.base_url,
                target_collector=target_collector,
            )

    self._cascaded_styles.clear()
