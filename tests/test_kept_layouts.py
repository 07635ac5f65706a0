"""briefs/pdf/kept_layouts.py draws with the laid-out Pango layouts when a new one would hold
the same line, and gives the PDF WeasyPrint gives.

Each document is rendered with WeasyPrint's own ``Layout`` methods and with the kept layouts
(the other fast paths on in both), and the PDF bytes are compared. The documents reach each
case where a new layout is needed (justified lines, letter and word spacing, tabs, line and
paragraph separators, lines too long for their width) as well as the plain lines that are
drawn with the kept layout; how many layouts drawing makes is counted from ``Layout.setup``.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import weasyprint
import weasyprint.text.line_break as line_break

from briefs.pdf import fast_paths, kept_layouts

ROOT = Path(__file__).resolve().parent.parent
FONT = (ROOT / "templates" / "fonts" / "PretendardGOV-Regular.ttf").as_uri()

STYLE = f"""
@font-face {{ font-family: Bundled; src: url({FONT}) }}
@page {{ size: A6; margin: 10mm }}
body {{ font: 9pt/1.4 Bundled; overflow-wrap: break-word }}
.justify {{ text-align: justify }}
.letters {{ letter-spacing: 0.6pt }}
.words {{ word-spacing: 2pt }}
pre {{ font: 8pt Bundled; tab-size: 4 }}
.narrow {{ width: 18mm }}
.nowrap {{ white-space: nowrap }}
.hyphens {{ hyphens: auto }}
.ellipsis {{ white-space: nowrap; overflow: hidden; text-overflow: ellipsis; width: 20mm }}
.anywhere {{ overflow-wrap: anywhere; width: 15mm }}
thead {{ display: table-header-group }}
.clamp {{ line-clamp: 2; width: 30mm }}
.clamp-pre {{ line-clamp: 2; width: 30mm; white-space: pre-line }}
"""

PLAIN = (
    "<p>정책 브리프는 같은 근거에서 부처용, 산업용, 일반용 판을 만든다. Plain lines of English "
    "text that wrap over several lines of the small page, with 숫자 5,890억 달러.</p>"
)

BODY = (
    PLAIN
    + """
<p class="justify">Justified text is spread over the line, so the line drawn needs the spacing
that WeasyPrint adds when it justifies: a layout of its own, 양쪽 정렬 문단의 줄.</p>
<p class="letters">Letter-spaced heading text</p>
<p class="words">Word spaced words in a line</p>
<pre>tab\tseparated\tcolumns
and a second line</pre>
<p>A line separator\u2028inside and a paragraph separator\u2029too.</p>
<p class="narrow">https://example.org/a/very/long/address/that/cannot/fit/in/the/box</p>
<p class="nowrap narrow">No wrapping, overflowing its narrow box on purpose.</p>
<p class="hyphens narrow" lang="en">Extraordinarily hyphenatable internationalisation.</p>
<p class="narrow">Soft&shy;hyphen&shy;ated words&shy;here</p>
<div class="ellipsis">An ellipsis cuts this line that is too long</div>
<p class="anywhere">BreakAnywhereVeryLongWordWithoutSpaces</p>
<p dir="rtl" lang="ar">مرحبا بالعالم</p>

<table><thead><tr><th>Repeated head</th></tr></thead>
"""
    + "<tr><td>row</td></tr>" * 60
    + "</table>"
)

# Words too long for their line, broken at any character, then clamped with an ellipsis.
LONG_WORDS = """
<p class="clamp" style="line-clamp: 1; overflow-wrap: anywhere">Supercalifragilistic</p>
<p class="clamp" style="line-clamp: 1; overflow-wrap: break-word">Supercalifragilistic</p>
<p class="clamp" style="line-clamp: 2; word-break: break-all">ab Aaaaaaaaaaaaaaaaaaaa cd</p>
<p class="clamp" style="line-clamp: none; max-lines: 1; continue: discard;
   block-ellipsis: auto; word-break: break-all">Supercalifragilisticexpialidocious</p>
"""

CLAMPED = (
    LONG_WORDS
    + """
<p class="clamp">A block clamped to two lines, with an ellipsis where it is cut off, and
more words that are never shown.</p>
<p class="clamp-pre">Pre-line text
kept on its lines,\u2028cut after two
with an ellipsis</p>
"""
)

UNCLAMPED = f"<!doctype html><html lang=ko><style>{STYLE}</style><body>{BODY}</body></html>"
DOCUMENT = UNCLAMPED.replace("</body>", CLAMPED + "</body>")


@pytest.fixture
def own_methods() -> Iterator[Any]:
    """A function that puts WeasyPrint's own ``Layout`` methods in (True) or the kept layouts
    (False); the kept layouts are back afterwards."""
    assert fast_paths.install()
    layout = line_break.Layout
    kept = {name: getattr(layout, name) for name in kept_layouts.STOOD_IN_FOR}

    def use(own: bool) -> None:
        for name, function in kept.items():
            setattr(layout, name, function.__wrapped__ if own else function)

    yield use
    use(False)


@contextlib.contextmanager
def _setups() -> Iterator[list[int]]:
    """Counts the layouts set up inside the block (in a one-item list)."""
    setup = line_break.Layout.setup
    made = [0]

    def counting(self: Any, style: Any) -> None:
        made[0] += 1
        setup(self, style)

    line_break.Layout.setup = counting  # type: ignore[method-assign]
    try:
        yield made
    finally:
        line_break.Layout.setup = setup  # type: ignore[method-assign]


def _drawn(html: str) -> tuple[bytes, int]:
    """The PDF's bytes, and how many layouts drawing set up."""
    document = weasyprint.HTML(string=html).render()
    with _setups() as made:
        return document.write_pdf(), made[0]


def _both(own_methods: Any, html: str) -> tuple[int, int]:
    """Layouts set up by drawing ``html`` with WeasyPrint's methods and with the kept
    layouts, once both PDFs are checked to be the same bytes."""
    own_methods(True)
    expected, made_by_weasyprint = _drawn(html)
    own_methods(False)
    got, made = _drawn(html)
    assert got == expected
    return made_by_weasyprint, made


def test_same_bytes_as_weasyprint(own_methods: Any) -> None:
    made_by_weasyprint, made = _both(own_methods, DOCUMENT)
    assert made_by_weasyprint > 80
    assert made < made_by_weasyprint / 2, (made, made_by_weasyprint)


@pytest.mark.parametrize(
    ("body", "remade"),
    [
        (PLAIN, False),
        ('<p class="justify">' + "justified words " * 30 + "</p>", True),
        ('<p class="letters">letter spacing</p>', True),
        ('<p class="words">word spacing here</p>', True),
        ("<pre>a\tb</pre>", True),
        ("<p>line\u2028separator</p>", True),
        ('<p class="nowrap narrow">too long for its box, never wrapped</p>', True),
        (LONG_WORDS, False),
    ],
    ids=["plain", "justified", "letters", "words", "tab", "separator", "too long", "long words"],
)
def test_a_new_layout_is_made_where_one_is_needed(
    own_methods: Any, body: str, remade: bool
) -> None:
    html = f"<!doctype html><html lang=ko><style>{STYLE}</style><body>{body}</body></html>"
    made_by_weasyprint, made = _both(own_methods, html)
    assert made_by_weasyprint > 0
    assert (made > 0) == remade, (made, made_by_weasyprint)


def test_a_document_drawn_twice_is_the_same_twice(own_methods: Any) -> None:
    """A kept layout is drawn with once; drawn again (a document written twice), each text
    gets a new layout, as in WeasyPrint, and the same bytes."""
    # Without the clamped blocks: drawing one, WeasyPrint puts the ellipsis in its layout's
    # text, so a clamped document drawn twice differs with WeasyPrint's own code too.
    own_methods(True)
    expected = weasyprint.HTML(string=UNCLAMPED).write_pdf()
    own_methods(False)
    document = weasyprint.HTML(string=UNCLAMPED).render()
    assert document.write_pdf() == expected
    with _setups() as made:
        assert document.write_pdf() == expected
    assert made[0] > 80  # every text drawn gets a new layout, as the first time in WeasyPrint


@pytest.mark.slow
def test_the_flagship_editions_are_the_same_bytes(own_methods: Any) -> None:
    from briefs.pdf import weasy
    from briefs.pipeline.build import BuildOptions, Project, plan

    project = Project()
    brief = ROOT / "inputs" / "deepseek-2025.yaml"
    validated = project.load(brief)
    for audience, lang in plan(validated, BuildOptions(), project.profiles)[:2]:
        html = project.render(project.edition(validated, audience, lang, "pdf"))
        own_methods(True)
        expected = weasy.write_pdf(html, base_dir=brief.parent, name="b").data
        own_methods(False)
        assert weasy.write_pdf(html, base_dir=brief.parent, name="b").data == expected
