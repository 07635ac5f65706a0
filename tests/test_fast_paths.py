"""The fast paths of briefs/pdf/fast_paths.py give what WeasyPrint's own code gives.

Each document is laid out twice in one process, with WeasyPrint's code and with the fast
paths, and compared: every computed value of every box's style (each property of CSS looked
up), each box's used margins, paddings, borders and sizes, and the PDF's bytes. The documents
are written to reach every branch the fast paths hand back to WeasyPrint (logical properties,
``var()``, ``calc()`` with percentages, text decorations, ``page``, floats and positions,
right-to-left text, collapsed table borders, ``::first-line``, list markers, footnotes, an
anchor on a pseudo-element) as well as the plain lookups they answer themselves.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest
import tinyhtml5
import tinyhtml5.inputstream
import weasyprint
import weasyprint.css
from weasyprint.css.properties import INITIAL_VALUES

from briefs.pdf import fast_paths

ROOT = Path(__file__).resolve().parent.parent

FONT = (ROOT / "templates" / "fonts" / "PretendardGOV-Regular.ttf").as_uri()

CSS = (
    f"@font-face {{ font-family: Bundled; src: url({FONT}) }}"
    + """
@page { size: A6; margin: 12mm 10mm; @top-center { content: string(head) }
        @footnote { border-top: 0.5pt solid } }
@page wide { size: A6 landscape }
:root { --accent: #0b5cad; --gap: 3pt; font-size: 9pt; line-height: 1.4 }
body { margin: 0; color: #222 }
h1 { string-set: head content(); font-size: 130%; margin-block: 0 var(--gap) }
.logical { margin-inline-start: 12pt; padding-inline: 2pt 6pt; border-inline-start: 2pt solid }
.calc { width: calc(50% - 4pt); padding-left: calc(2% + 1pt); margin-top: calc(1em + 2pt) }
.pct { width: 80%; margin: 0 5%; padding: 2% 1%; min-height: 10%; max-width: 90% }
.deco { text-decoration: underline dotted var(--accent) }
.deco span { text-decoration: line-through }
.float { float: right; width: 30%; border: 1pt solid var(--accent) }
.abs { position: relative; left: 3pt; top: -1pt }
.rtl { direction: rtl; margin-inline-end: 8pt }
.wide { page: wide }
table { border-collapse: collapse; width: 100% }
td, th { border: 0.5pt solid; padding: 2pt 4pt }
.sep { border-collapse: separate; border-spacing: 2pt }
p::first-line { color: var(--accent); font-weight: 700 }
ol li::marker { color: #900 }
.fn { float: footnote }
h2::before { content: "§ "; -weasy-anchor: "two" }
.box { box-sizing: border-box; width: 50%; padding: 4pt; border: 2pt solid }
.inline-block { display: inline-block; width: 20%; vertical-align: top }
.hidden { visibility: hidden }
.big { font-size: 14pt; text-decoration: underline overline }
.numbers { font-variant-numeric: tabular-nums oldstyle-nums; font-kerning: none }
.override { font-language-override: "TRK" }
.bundled { font-family: Bundled }
.variation { font-variation-settings: "wght" 500; font-style: italic; font-stretch: condensed }
"""
)

BODY = """
<h1>Fast paths: 같은 값 <small>(test)</small></h1>
<p class="logical">Logical margins 한국어 문장과 English words, long enough to wrap onto more
than one line in the small page.<span class="fn">A footnote, with <em>emphasis</em>.</span></p>
<p class="calc">calc() with percentages.</p>
<div class="pct"><p>Percent sizes <a href="#two">to section two</a>.</p></div>
<p class="deco">Decorated <span>and struck</span> text.</p>
<div class="float">Floated box.</div>
<p class="abs">Relatively positioned.</p>
<p class="rtl">مرحبا بالعالم right to left.</p>
<ol><li>One</li><li>Two <ul><li>nested</li></ul></li></ol>
<table><tr><th>Head</th><td>Cell 1</td></tr><tr><td colspan="2">Wide cell</td></tr></table>
<table class="sep"><tr><td>Separate</td><td>borders</td></tr></table>
<h2>Section two</h2>
<div class="box">Border box <span class="inline-block">tile</span>
<span class="inline-block hidden">hidden tile</span></div>
<section class="wide"><p>On a wide page.</p></section>
<p lang="en" class="big">English, underlined and overlined, <span lang="tr">Türkçe ıi</span>.</p>
<p class="numbers" lang="en-GB">0123456789 AVAV figures <span class="override">fi fl</span></p>
<p class="bundled" lang="ro">Romanian ş ţ, <span lang="ca">Catalan l·l</span>,
<span lang="en">English ş ţ l·l</span>, <span lang="ja">日本語 直</span> <span lang="ko">한국어 直</span></p>
<p class="variation" lang="">No language: <span dir="rtl" lang="he">שלום</span> 日本語</p>
"""

DOCUMENT = (
    f"<!doctype html><html lang=ko><head><style>{CSS}</style></head><body>{BODY}</body></html>"
)

BOX_VALUES = (
    "position_x", "position_y", "width", "height", "min_width", "max_width", "min_height",
    "max_height", "margin_top", "margin_right", "margin_bottom", "margin_left", "padding_top",
    "padding_right", "padding_bottom", "padding_left", "border_top_width",
    "border_right_width", "border_bottom_width", "border_left_width",
)  # fmt: skip


@pytest.fixture
def stock() -> Iterator[None]:
    """WeasyPrint's own code for the test's duration, the fast paths back afterwards."""
    fast_paths.uninstall()
    try:
        yield
    finally:
        assert fast_paths.install()


def _boxes(box: Any) -> Iterator[Any]:
    yield box
    for child in getattr(box, "children", ()) or ():
        yield from _boxes(child)


def _value(style: Any, key: str) -> str:
    try:
        return repr(style[key])
    except KeyError as error:  # logical properties have no computed value of their own
        return f"KeyError {error}"


def _laid_out(html: str) -> tuple[list[Any], bytes]:
    """Every box's computed values and used lengths, and the PDF's bytes."""
    document = weasyprint.HTML(string=html).render()
    seen = []
    for page in document.pages:
        for box in _boxes(page._page_box):
            style = box.style
            values = tuple((key, _value(style, key)) for key in sorted(INITIAL_VALUES))
            used = tuple((name, repr(getattr(box, name, None))) for name in BOX_VALUES)
            seen.append((type(box).__name__, values, used))
    return seen, document.write_pdf()


def test_the_pinned_weasyprint_and_tinyhtml5_are_the_code_the_fast_paths_stand_in_for() -> None:
    assert fast_paths.differing() == ()
    assert fast_paths.install()
    assert fast_paths.installed()


def test_same_styles_lengths_and_bytes_as_weasyprint(stock: None) -> None:
    expected = _laid_out(DOCUMENT)
    assert fast_paths.install()
    got = _laid_out(DOCUMENT)
    assert len(got[0]) == len(expected[0]) > 100
    for index, (ours, theirs) in enumerate(zip(got[0], expected[0], strict=True)):
        assert ours == theirs, f"box {index} ({theirs[0]})"
    assert got[1] == expected[1]


def test_documents_laid_out_with_one_font_configuration_are_the_same_bytes(stock: None) -> None:
    # briefs' PDF worker keeps one font configuration for every edition, so the Pango
    # contexts and font descriptions the fast path shares outlive a document.
    from weasyprint.text.fonts import FontConfiguration

    def both() -> list[bytes]:
        config = FontConfiguration()
        return [
            weasyprint.HTML(string=html).write_pdf(font_config=config)
            for html in (DOCUMENT, DOCUMENT.replace("lang=ko", "lang=en"), DOCUMENT)
        ]

    expected = both()
    assert fast_paths.install()
    assert both() == expected


def test_the_document_reaches_the_lookups_handed_back_and_those_answered(stock: None) -> None:
    """The comparison above is only worth something if the document makes the fast lookup
    answer most lookups and still hands the special ones back."""
    lookups: dict[str, int] = {}
    handed_back: dict[str, int] = {}
    original = weasyprint.css.ComputedStyle.__missing__

    def counting(self: Any, key: str) -> Any:
        handed_back[key] = handed_back.get(key, 0) + 1
        return original(self, key)

    fast = fast_paths._computed_missing(counting)

    def watching(self: Any, key: str) -> Any:
        lookups[key] = lookups.get(key, 0) + 1
        return fast(self, key)

    weasyprint.css.ComputedStyle.__missing__ = watching
    try:
        weasyprint.HTML(string=DOCUMENT).render()
    finally:
        weasyprint.css.ComputedStyle.__missing__ = original
    answered = sum(lookups.values()) - sum(handed_back.values())
    assert answered > 5 * sum(handed_back.values())
    for key in ("display", "float", "position", "page", "text_decoration_line", "margin_left"):
        assert key in handed_back, key


def test_pseudo_element_styles_are_made_when_asked_for(stock: None) -> None:
    made = {"stock": 0, "fast": 0}
    init = weasyprint.css.ComputedStyle.__init__

    def counting(mode: str) -> Any:
        def __init__(self: Any, *args: Any) -> None:
            made[mode] += 1
            init(self, *args)

        return __init__

    try:
        for mode in ("stock", "fast"):
            if mode == "fast":
                assert fast_paths.install()
            weasyprint.css.ComputedStyle.__init__ = counting(mode)
            weasyprint.HTML(string=DOCUMENT).render()
            weasyprint.css.ComputedStyle.__init__ = init
    finally:
        weasyprint.css.ComputedStyle.__init__ = init
    # WeasyPrint makes six pseudo-element styles for each element (::marker, ::footnote-*,
    # ::note-*); only a handful exist.
    assert made["fast"] < made["stock"] / 3


def test_a_link_to_a_pseudo_element_anchor_lands_on_its_page(stock: None) -> None:
    """End to end, same bytes. The destination comes from the ``::before`` box's style either
    way; that deferred styles would lose their anchors is the next test's."""
    html = (
        "<style>h2::before { content: '§'; -weasy-anchor: 't' }</style>"
        '<p><a href="#t">link</a></p><h2 style="break-before: page">Target</h2>'
    )
    expected = weasyprint.HTML(string=html).write_pdf()
    assert fast_paths.install()
    got = weasyprint.HTML(string=html).write_pdf()
    assert got == expected
    pdf = pikepdf.open(io.BytesIO(got))
    names = pdf.Root.Names.Dests.Names
    assert str(names[0]) == "t" and names[1][0].objgen == pdf.pages[1].objgen


def test_anchors_of_pseudo_elements_are_collected_with_the_styles(stock: None) -> None:
    """WeasyPrint collects a pseudo-element's anchor when it makes the style, even for one
    that never gets a box (a ``::marker`` of a paragraph): such styles are still made at once."""
    from weasyprint.css.targets import TargetCollector

    html = (
        "<style>p::marker { -weasy-anchor: 'm' } h2::before { content: '§'; "
        "-weasy-anchor: 'b' }</style><p>text</p><h2>head</h2>"
    )

    def anchors() -> list[str]:
        collector = TargetCollector()
        weasyprint.css.get_all_computed_styles(
            weasyprint.HTML(string=html), target_collector=collector
        )
        return sorted(collector.target_lookup_items)

    expected = anchors()
    assert expected == ["b", "m"]
    assert fast_paths.install()
    assert anchors() == expected


def test_the_parser_cache_is_keyed_by_the_characters_and_gives_the_same_tree(
    stock: None,
) -> None:
    html = "<p>a &amp; b <!-- c --> <b>d</b></p>" * 20 + "<script>x < y</script>"

    def tree() -> str:
        import xml.etree.ElementTree as ElementTree

        return ElementTree.tostring(tinyhtml5.parse(html), encoding="unicode")

    tinyhtml5.inputstream.characters_until_regex = {}
    expected = tree()
    # tinyhtml5's own store: keyed by the expression, so never found again.
    stored = tinyhtml5.inputstream.characters_until_regex
    assert stored and all(isinstance(key[0], re.Pattern) for key in stored)
    assert fast_paths.install()
    assert tree() == expected
    cache = tinyhtml5.inputstream.characters_until_regex
    keys = [key for key in cache if not isinstance(key[0], re.Pattern)]
    assert ("&", "<", "\u0000") in {key[0] for key in keys}
    assert all(cache[key].pattern.startswith("[") for key in keys)


def test_other_code_gets_no_fast_path(stock: None, monkeypatch: pytest.MonkeyPatch) -> None:
    name = "weasyprint.layout.percent.resolve_percentages"
    monkeypatch.setitem(fast_paths.DIGESTS, name, "0" * 64)
    fast_paths.differing.cache_clear()
    try:
        assert fast_paths.differing() == (name,)
        assert not fast_paths.install()
        assert not fast_paths.installed()
    finally:
        monkeypatch.undo()
        fast_paths.differing.cache_clear()


@pytest.mark.slow
@pytest.mark.parametrize(
    "brief", ["inputs/deepseek-2025.yaml", "corpus/power-grid-2026.yaml"], ids=lambda p: p
)
def test_briefs_editions_are_the_same_bytes(
    brief: str, stock: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefs.pdf import weasy
    from briefs.pipeline.build import BuildOptions, Project, plan

    project = Project()
    validated = project.load(ROOT / brief)
    (audience, lang), *_ = plan(validated, BuildOptions(), project.profiles)
    html = project.render(project.edition(validated, audience, lang, "pdf"))
    base = (ROOT / brief).parent
    monkeypatch.setattr(fast_paths, "install", lambda: False)
    expected = weasy.write_pdf(html, base_dir=base, name="b").data
    monkeypatch.undo()
    assert fast_paths.install()
    assert weasy.write_pdf(html, base_dir=base, name="b").data == expected
