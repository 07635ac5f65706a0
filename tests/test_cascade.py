"""briefs/pdf/cascade.py folds each set of matched rules once and gives the same styles as
WeasyPrint's own cascade.

Each document's styles are made twice, with WeasyPrint's cascade and with briefs', and every
computed value of every element and pseudo-element is compared. The documents reach what the
fold depends on: the order of rules of the same weight, ``!important`` in user-agent, author
and user style sheets, cascade layers, the specificity override of presentational hints,
``style`` attributes, a rule for two pseudo-elements, and elements that match the same
selectors in different contexts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import weasyprint
import weasyprint.css
from weasyprint.css.properties import INITIAL_VALUES

from briefs.pdf import fast_paths
from briefs.pdf.cascade import cascade

CSS = """
@layer base, theme;
@layer theme { p { color: #030; text-indent: 3pt } .note { color: #040 !important } }
@layer base { p { color: #020; margin: 1pt } .note { color: #050 !important; text-indent: 9pt } }
p { line-height: 1.2 }
p { line-height: 1.5 }
.a { font-weight: 700 } .b { font-weight: 300 }
.b.a { font-style: italic }
p.keep { color: #600 !important; padding: 2pt }
section p { letter-spacing: 0.1pt; text-indent: 1pt }
td { padding: 1pt } td[bgcolor] { color: #700 }
li::marker { color: #800 }
h2::before, h2::after { content: "*"; color: #900 }
h2::after { color: #a00 }
em { font-style: normal } em { font-style: italic }
.x::before, .y::after { content: "+"; color: #b00 }
#in p, .in p { font-weight: 800 }
"""

# In a style sheet of its own: matches are sorted by specificity within a sheet.
SECOND = "p.q.q { font-weight: 600 }"

USER = "p { color: #111 !important; word-spacing: 1pt } em { text-decoration: underline }"

BODY = """
<p>one</p><p>two</p><p class="a">three</p><p class="a b">four</p><p class="b a">five</p>
<p class="keep">six</p><p class="note">seven</p><p style="color: #123">eight</p>
<p style="color: #123">nine</p><p class="keep" style="color: #456 !important">ten</p>
<section><p>eleven <em>em</em></p><p>twelve <em>em</em></p></section>
<ol><li>a</li><li>b</li><li class="a">c</li></ol>
<h2>head</h2><h2 class="a">head</h2>
<table><tr><td bgcolor="#eee">x</td><td>y</td><td bgcolor="#eee" width="30">z</td></tr></table>
<p><font color="red">hint</font> <font color="red">hint</font></p>
<h3 class="x">before</h3><h3 class="y">after</h3>
<div id="in"><p class="q">id</p></div><div class="in"><p class="q">class</p></div>
"""

DOCUMENT = (
    f"<!doctype html><html><head><style>{CSS}</style><style>{SECOND}</style></head>"
    f"<body>{BODY}</body></html>"
)


@pytest.fixture
def folding() -> Iterator[Any]:
    """The installed ``StyleFor.__init__``, its cascade put back afterwards."""
    assert fast_paths.install()
    init = weasyprint.css.StyleFor.__init__
    yield init
    init.briefs_cascade = cascade


def _value(style: Any, key: str) -> str:
    try:
        return repr(style[key])
    except KeyError as error:  # logical properties have no computed value of their own
        return f"KeyError {error}"


def _styles(html: str, twice: bool = False, **options: Any) -> tuple[dict[Any, Any], list[int]]:
    """Every element's and pseudo-element's computed values (keyed by the element's place in
    tree order), and which elements share a computed style object; ``twice``: the user style
    sheet given twice (one object)."""
    document = weasyprint.HTML(string=html)
    user = [weasyprint.CSS(string=USER)] * (2 if twice else 1)
    style_for = weasyprint.css.get_all_computed_styles(document, user_stylesheets=user, **options)
    elements = list(document.etree_element.iter())
    place = {id(element): index for index, element in enumerate(elements)}
    seen = {}
    for key in list(style_for._computed_styles) + list(style_for.briefs_deferred):
        element, pseudo_type = key
        style = style_for(element, pseudo_type)
        values = tuple((name, _value(style, name)) for name in sorted(INITIAL_VALUES))
        seen[place[id(element)], pseudo_type] = values
    objects: dict[int, int] = {}
    sharing = [objects.setdefault(id(style_for(element)), len(objects)) for element in elements]
    return seen, sharing


@pytest.mark.parametrize("hints", [False, True], ids=["no hints", "presentational hints"])
def test_same_styles_and_sharing_as_weasyprint(folding: Any, hints: bool) -> None:
    _same(folding, DOCUMENT, presentational_hints=hints)


def test_same_styles_with_an_imported_layer_and_a_sheet_given_twice(folding: Any) -> None:
    imported = "data:text/css,p%7Bcolor:%23123;orphans:5%7D"
    html = DOCUMENT.replace("<style>", f'<style>@import url("{imported}") layer(base);', 1)
    _same(folding, html, twice=True)
    document = weasyprint.HTML(string=html)
    style_for = weasyprint.css.get_all_computed_styles(document)
    assert style_for(next(document.etree_element.iter("p")))["orphans"] == 5  # imported


def _same(folding: Any, html: str, **options: Any) -> None:
    folding.briefs_cascade = folding.__wrapped__
    expected = _styles(html, **options)
    folding.briefs_cascade = cascade
    got = _styles(html, **options)
    assert len(expected[0]) > 60
    assert got[0].keys() == expected[0].keys()
    for key, values in expected[0].items():
        assert got[0][key] == values, key
    assert got[1] == expected[1]


def test_the_rules_of_each_weight_are_applied_as_css_says(folding: Any) -> None:
    """Expected values from the cascade's rules, not from either implementation."""
    document = weasyprint.HTML(string=DOCUMENT)
    style_for = weasyprint.css.get_all_computed_styles(
        document, user_stylesheets=[weasyprint.CSS(string=USER)], presentational_hints=True
    )
    p = list(document.etree_element.iter("p"))

    def color(element: Any, pseudo_type: str | None = None) -> str:
        red, green, blue, _alpha = style_for(element, pseudo_type)["color"]
        return f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"

    # A user's !important beats every author rule, even an author's !important.
    assert {color(element) for element in p[:10]} == {"#111111"}
    assert style_for(p[0])["line_height"] == 1.5  # the later of equal weight
    assert style_for(p[3])["font_weight"] == style_for(p[4])["font_weight"] == 300
    assert style_for(p[3])["font_style"] == "italic"
    # From a layer, nothing else sets it (1pt, in px).
    assert style_for(p[0])["margin_top"].value == pytest.approx(4 / 3)
    # A later layer beats an earlier one of higher specificity; no layer beats every layer.
    assert style_for(p[6])["text_indent"].value == pytest.approx(4)  # 3pt
    assert style_for(p[10])["text_indent"].value == pytest.approx(4 / 3)  # 1pt
    h2 = list(document.etree_element.iter("h2"))
    assert color(h2[0], "before") == "#990000" and color(h2[0], "after") == "#aa0000"
    td = list(document.etree_element.iter("td"))
    assert color(td[0]) == "#770000" and color(td[1]) == "#000000"
    h3 = list(document.etree_element.iter("h3"))
    assert color(h3[0], "before") == color(h3[1], "after") == "#bb0000"
    assert not style_for(h3[0], "after") and not style_for(h3[1], "before")
    # One rule, two specificities: "#in p" beats "p.q.q", ".in p" does not.
    assert (style_for(p[-2])["font_weight"], style_for(p[-1])["font_weight"]) == (800, 600)
    em = list(document.etree_element.iter("em"))
    assert style_for(em[0])["font_style"] == "italic"
    assert style_for(em[0])["text_decoration_line"] == {"underline"}


def test_elements_matching_the_same_rules_share_one_folded_cascade(folding: Any) -> None:
    """Two paragraphs with the same rules under parents with different styles get their own
    computed styles but one cascaded style, folded once; a paragraph with a ``style``
    attribute gets its own. WeasyPrint folds each of them."""
    cascades: dict[str, list[int]] = {}
    set_computed_styles = weasyprint.css.StyleFor.set_computed_styles

    def watching(mode: str) -> Any:
        def watch(self: Any, element: Any, parent: Any, *args: Any, **kwargs: Any) -> None:
            if kwargs.get("pseudo_type") is None and getattr(element, "tag", "") == "p":
                cascades[mode].append(id(self._cascaded_styles.get((element, None))))
            set_computed_styles(self, element, parent, *args, **kwargs)

        return watch

    html = (
        "<style>p { margin: 0 } .x { color: red } .y { color: blue }</style>"
        '<div class="x"><p>a</p></div><div class="y"><p>b</p></div>'
        '<div class="y"><p style="margin: 1pt">c</p></div>'
    )
    try:
        for mode, function in (("stock", folding.__wrapped__), ("fast", cascade)):
            cascades[mode] = []
            folding.briefs_cascade = function
            weasyprint.css.StyleFor.set_computed_styles = watching(mode)
            weasyprint.HTML(string=html).render()
    finally:
        weasyprint.css.StyleFor.set_computed_styles = set_computed_styles
    assert len(cascades["stock"]) == len(cascades["fast"]) == 3
    assert len(set(cascades["stock"])) == 3
    a, b, c = cascades["fast"]
    assert a == b != c
