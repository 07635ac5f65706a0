"""The layout report (issue 15): each rule against a page made to break it, and the same page
fixed.

The pages are small HTML documents laid out and written by the real WeasyPrint path
(:func:`briefs.pdf.weasy.write_pdf`), with the bundled font: 120 × 80 mm pages, 10 mm margins,
10 pt text. The widths below are chosen so a line must break where the rule looks (a line of
6 em holds "Dated 2026." but not "Dated 2026. 11.").
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefs.cli.main import run
from briefs.pdf.report import RULES, LayoutFinding
from briefs.pdf.weasy import write_pdf
from briefs.pipeline.layout import anchor_path, layout_warnings
from briefs.source import load_yaml_file
from briefs.text.korean import keep_words

pytestmark = pytest.mark.slow

CSS = (
    "@page { size: 120mm 80mm; margin: 10mm }"
    "body { font-family: 'Pretendard GOV'; font-size: 10pt; line-height: 1.4; margin: 0 }"
    ".footnote { float: footnote }"
)
PAGE = '<p style="break-before: page">Next page.</p>'
SVG = (
    "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' width='100' height='40'%3E"
    "%3Crect width='100' height='40'/%3E%3C/svg%3E"
)


def report(body: str, *, lang: str = "en", css: str = "", tmp_path: Path) -> list[LayoutFinding]:
    html = (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>t</title>'
        f"<style>{CSS}{css}</style></head><body>{body}</body></html>"
    )
    return write_pdf(html, base_dir=tmp_path, name="t.yaml").findings


def rules(findings: list[LayoutFinding]) -> set[str]:
    return {f.rule for f in findings}


def mark(n: int) -> str:
    """A citation mark as editions write it (the PDF's word joiner before it left out)."""
    return f'<sup class="cite"><a class="cite-link" href="#src-{n}" id="cite-{n}">{n}</a></sup>'


def note(n: int, *, ident: bool = True) -> str:
    """A source footnote; without ``ident`` the build's own repair of late footnotes (which
    moves a mark to its footnote's page, by id) cannot see it."""
    attr = f' id="fn-cite-{n}"' if ident else ""
    return f'<span class="footnote"{attr} data-n="{n}">Source {n}.</span>'


# Each case: rule, the broken page, the fixed page, and extra CSS (or "").
CASES: dict[str, tuple[str, str, str]] = {
    "note-off-page": (
        # The footnote sits in a paragraph on page 2, its mark on page 1.
        f'<p id="a">Claim{mark(1)}.</p><p style="break-before: page">Later.{note(1, ident=False)}</p>',
        f'<p id="a">Claim{mark(1)}{note(1)}.</p><p style="break-before: page">Later.</p>',
        "",
    ),
    "footnote-order": (
        f"<p>One{mark(2)}{note(2)} two{mark(1)}{note(1)} three{mark(3)}{note(3)}.</p>",
        f"<p>One{mark(1)}{note(1)} two{mark(2)}{note(2)} three{mark(3)}{note(3)}.</p>",
        "",
    ),
    "stranded-heading": (
        f'<p>Text.</p><h2 id="sec-x">Findings</h2>{PAGE}',
        '<p>Text.</p><h2 id="sec-x" style="break-before: page">Findings</h2><p>Next page.</p>',
        "",
    ),
    "stranded-source": (
        f'<figure><img src="{SVG}" alt=""></figure>'
        '<p class="source-line" style="break-before: page">Source: Ministry.</p>',
        f'<figure><img src="{SVG}" alt=""></figure><p class="source-line">Source: Ministry.</p>',
        "",
    ),
    "line-overflow": (
        '<p style="width: 8em; white-space: nowrap">A line of several words that is far too '
        "long</p>",
        '<p style="width: 8em">A line of several words that is far too long</p>',
        "",
    ),
    "caption-separated": (
        f'<figure id="figure-x"><figcaption>Figure 1. Load</figcaption>'
        f'<img src="{SVG}" alt="" style="display: block; break-before: page"></figure>',
        f'<figure id="figure-x"><figcaption>Figure 1. Load</figcaption>'
        f'<img src="{SVG}" alt="" style="display: block"></figure>',
        "",
    ),
    "unbreakable-run": (
        '<p style="width: 8em">Supercalifragilisticexpialidocious</p>',
        '<p style="width: 8em; overflow-wrap: anywhere">Supercalifragilisticexpialidocious</p>',
        "",
    ),
    "mark-starts-line": (
        # 8.5 em holds "So an allegation." but not its mark: the line breaks before it.
        f'<p style="width: 8.5em">So an allegation.{mark(1)}{note(1)}</p>',
        f'<p style="width: 8.5em">So an allegation.\u2060{mark(1)}{note(1)}</p>',
        "sup.cite { white-space: nowrap }",
    ),
    "split-number": (
        '<p style="width: 6em">Dated 2026. 11. 10.</p>',
        '<p style="width: 6em">Dated 2026.&#160;11.&#160;10.</p>',
        "p { overflow-wrap: anywhere }",
    ),
    "unmarked-hangul": (
        "<p>Source: 산업통상자원부.</p>",
        '<p>Source: <span lang="ko">산업통상자원부</span>.</p>',
        "",
    ),
    "running-head-lines": (
        "<p>Text.</p>",
        "<p>Text.</p>",
        "@page { @top-left { content: 'A title far too long for its head, set on lines'; "
        "width: 30mm } }",
    ),
    # A block kept whole (58 of the page's 60 mm) after one line moves on and leaves about
    # nine tenths of page 1 empty; started on a new page by the template, it is meant.
    "underfilled-page": (
        '<p>Short.</p><div style="break-inside: avoid; height: 58mm">Kept whole.</div>',
        '<p>Short.</p><div style="break-before: page; height: 58mm">Kept whole.</div>',
        "",
    ),
}
FIXED_CSS = {"running-head-lines": "@page { @top-left { content: 'Short'; width: 30mm } }"}


def test_every_rule_has_a_case() -> None:
    assert set(CASES) == set(RULES)


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_fails_on_its_broken_page(rule: str, tmp_path: Path) -> None:
    broken, _, css = CASES[rule]
    findings = report(broken, css=css, tmp_path=tmp_path)
    assert rule in rules(findings), findings


@pytest.mark.parametrize("rule", sorted(CASES))
def test_rule_passes_on_the_fixed_page(rule: str, tmp_path: Path) -> None:
    _, fixed, css = CASES[rule]
    findings = report(fixed, css=FIXED_CSS.get(rule, css), tmp_path=tmp_path)
    assert findings == []


def test_findings_name_page_and_nearest_id(tmp_path: Path) -> None:
    findings = report(CASES["stranded-heading"][0], tmp_path=tmp_path)
    assert [(f.rule, f.page, f.anchor) for f in findings] == [("stranded-heading", 1, "sec-x")]
    findings = report(CASES["note-off-page"][0], tmp_path=tmp_path)
    # The mark's own id (cite-1) is not a place in the brief: the paragraph's is.
    assert [(f.rule, f.page, f.anchor) for f in findings] == [("note-off-page", 1, "a")]
    assert "page 2" in findings[0].message


def test_a_skipped_footnote_and_a_missing_one(tmp_path: Path) -> None:
    body = f"<p>One{mark(1)}{note(1)} three{mark(3)}{note(3)} two{mark(2)}.</p>"
    findings = report(body, tmp_path=tmp_path)
    assert ("footnote-order", 1) in {(f.rule, f.page) for f in findings}  # 3 comes after 1
    assert ("note-off-page", 1) in {(f.rule, f.page) for f in findings}  # 2 has none


def test_a_later_mark_of_a_source_points_back(tmp_path: Path) -> None:
    """A source's footnote is on the page of its first mark; later marks need none."""
    body = f'<p>Claim{mark(1)}{note(1)}.</p><p style="break-before: page">Again{mark(1)}.</p>'
    assert report(body, tmp_path=tmp_path) == []


@pytest.mark.parametrize(
    "text", ["비용은 296억 달러", "설비는 4만 9397MW", "접속일: 2026. 11. 10."]
)
def test_korean_number_and_unit_split(text: str, tmp_path: Path) -> None:
    """A break inside 296억 달러, 4만 9397MW or a Korean date is a split; the same text as
    editions write it (``keep_words``: word joiners, no-break spaces) has none."""
    fixed = keep_words(text)
    broken = fixed.replace("\u00a0", " ")
    assert broken != fixed

    def page(body: str, width: float) -> list[LayoutFinding]:
        return report(f'<p style="width: {width}em">{body}</p>', lang="ko", tmp_path=tmp_path)

    widths = [w / 2 for w in range(8, 24) if "split-number" in rules(page(broken, w / 2))]
    assert widths, f"no width split {text}"
    assert page(fixed, widths[-1]) == []


def test_findings_trace_to_the_brief(minimal_path: Path) -> None:
    """Element ids map back to the brief's fields (tests/fixtures/minimal.yaml)."""
    source = load_yaml_file(minimal_path)
    assert anchor_path(source, "finding-shock-title") == ("findings", 0)
    assert anchor_path(source, "finding-shock-chart") == ("findings", 0)  # it has no chart
    assert anchor_path(source, "kf-loss") == ("key_figures", 0)
    assert anchor_path(source, "rec-compute-title") == ("recommendations", 0)
    assert anchor_path(source, "src-src-b") == ("sources", 1)
    assert anchor_path(source, "sec-glossary") == ("glossary",)
    assert anchor_path(source, "sec-implications") == ()  # not in this brief
    assert anchor_path(source, "finding-nope") == ()
    assert anchor_path(source, None) == ()
    warning = layout_warnings(
        [LayoutFinding("stranded-heading", 3, "…", "kf-loss")], source, "public.ko"
    )[0]
    assert (warning.line, warning.col) == (13, 5)  # `- id: loss`
    assert warning.message.startswith("PDF edition public.ko, page 3: ")
    assert warning.message.endswith("[layout:stranded-heading]")


def test_an_address_breaks_where_it_must(tmp_path: Path) -> None:
    url = "https://example.org/a%EC%9D%BC%2029%3D%EB%B0%9C/report-2025-11-10.pdf"
    body = f'<p style="width: 8em; overflow-wrap: anywhere">{url}</p>'
    assert "split-number" not in rules(report(body, tmp_path=tmp_path))


# -- through the build: a brief whose template strands a heading ---------------------------


@pytest.fixture
def stranding(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, minimal_path: Path) -> Path:
    """The fixture brief, and a templates folder whose findings partial ends the page after
    each finding's heading (``break-after: page``): a deliberately broken layout."""
    from briefs.resources import builtin_dir

    monkeypatch.chdir(tmp_path)
    shutil.copyfile(minimal_path, tmp_path / "brief.yaml")
    partial = (builtin_dir() / "partials" / "findings.html.j2").read_text(encoding="utf-8")
    heading = '<h3 id="finding-{{ item.id }}-title">'
    broken = partial.replace(heading, heading[:-1] + ' style="break-after: page">')
    assert broken != partial
    (tmp_path / "broken" / "partials").mkdir(parents=True)
    (tmp_path / "broken" / "partials" / "findings.html.j2").write_text(broken, encoding="utf-8")
    return tmp_path


BUILD = ["build", "brief.yaml", "--out", "out", "-f", "pdf", "-a", "government", "-l", "en"]


def test_build_warns_with_edition_page_and_position(
    stranding: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([*BUILD, "--templates", "broken"]) == 0
    err = capsys.readouterr().err
    # findings[0] (`- id: shock`) is at line 18, column 5 of tests/fixtures/minimal.yaml.
    line = next(line for line in err.splitlines() if "[layout:stranded-heading]" in line)
    assert line.startswith("warning: brief.yaml:18:5: ")
    assert "PDF edition government.en, page " in line
    assert "Market shock" in line
    assert (stranding / "out" / "minimal" / "government.en.pdf").is_file()


def test_build_strict_makes_findings_errors(
    stranding: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([*BUILD, "--templates", "broken", "--strict"]) == 1
    assert "[layout:stranded-heading]" in capsys.readouterr().err


def test_build_without_findings_passes_strict(stranding: Path) -> None:
    assert run([*BUILD, "--strict"]) == 0


def test_publish_strict_makes_findings_errors(
    stranding: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (stranding / "inputs").mkdir()
    shutil.move(stranding / "brief.yaml", stranding / "inputs" / "brief.yaml")
    args = ["publish", "inputs", "--out", "site", "--templates", "broken", "-j", "1"]
    assert run([*args, "--strict"]) == 1
    err = capsys.readouterr().err
    assert "[layout:stranded-heading]" in err
    assert run([*args, "--force"]) == 0  # without --strict: warnings
    assert "[layout:stranded-heading]" in capsys.readouterr().err


@pytest.mark.parametrize("filler", [5, 6, 7])
def test_a_late_footnote_moves_its_heading_too(filler: int, tmp_path: Path) -> None:
    """The repair of a footnote WeasyPrint put past its mark's page starts the mark's block on
    a new page; the heading and confidence line before that block go with it (it stranded
    "3. …" / "Confidence: High" at the foot of page 5 of ai-basic-act-compute government.en).
    """
    long_note = (
        '<span class="footnote" id="fn-cite-1" data-n="1">'
        + "A long source note. " * 12
        + "</span>"
    )
    body = (
        "<p>Filler line of text.</p>"
        * filler
        + '<article id="finding-x"><h3>3. Heading</h3><p class="confidence">Confidence: high</p>'
        f"<p>Body with a mark{mark(1)}{long_note} and more words after it.</p></article>"
    )
    css = (
        "h3, .confidence { break-after: avoid; margin: 0 } p { margin: 0 }"
        ".fn-push { break-before: page }"
    )
    # The moved finding leaves page 1 underfilled, and the report says so: nothing else.
    assert rules(report(body, css=css, tmp_path=tmp_path)) <= {"underfilled-page"}


def test_unmarked_hangul_in_a_running_head(tmp_path: Path) -> None:
    css = "@page { @top-left { content: 'Power grid 전력망'; width: 60mm } }"
    assert "unmarked-hangul" in rules(report("<p>Text.</p>", css=css, tmp_path=tmp_path))
    assert report("<p>Text.</p>", lang="ko", css=css, tmp_path=tmp_path) == []
