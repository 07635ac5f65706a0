"""Charts (issue 6): accessible SVG, the same chart in HTML and PDF, positioned errors.

The fixture brief ``tests/fixtures/charts/charts.yaml`` has one chart of every type (one of
them reading ``hbm-shares.csv``) in Korean and English. SVG is checked as XML; the PDF
through poppler (text) and pikepdf (structure tree). Error cases write a small brief whose
line numbers are listed, so expected positions can be read off.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pikepdf
import pytest

from briefs.charts.svg import EXTRA_ADVANCES, HTML, PDF, THEME_COLOURS, text_width
from briefs.charts.vega import sanitize_svg
from briefs.charts.view import render_svg
from briefs.check.validate import Validated, load_brief
from briefs.cli.main import run
from briefs.edition.edition import Edition, Target
from briefs.errors import BriefError
from briefs.pipeline.build import BuildOptions, Project, build_brief
from briefs.schema.charts import Chart, Figure
from tests.conftest import normalise, pdftotext

FOLDER = Path(__file__).resolve().parent / "fixtures" / "charts"
BRIEF = FOLDER / "charts.yaml"
SVG = "{http://www.w3.org/2000/svg}"
NBSP = "\u00a0"
LANGS = ("ko", "en")
TARGETS: tuple[Target, ...] = ("html", "pdf")


@pytest.fixture(scope="module")
def project() -> Project:
    return Project()


@pytest.fixture(scope="module")
def validated(project: Project) -> Validated:
    return project.load(BRIEF)


def charts(validated: Validated) -> list[tuple[str, Chart]]:
    """Every chart of the fixture with its element id, in reading order."""
    found: list[tuple[str, Chart]] = []
    for finding in validated.brief.findings:
        if finding.chart is not None:
            found.append((f"finding-{finding.id}-chart", finding.chart))
    found.extend((f"figure-{fig.id}", fig) for fig in validated.brief.figures)
    return found


def edition(project: Project, validated: Validated, lang: str, target: Target) -> Edition:
    return project.edition(validated, "industry", lang, target)


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def texts(root: ET.Element) -> list[str]:
    """The text of every <text> element, NBSP as a space."""
    return ["".join(el.itertext()).replace(NBSP, " ") for el in root.iter(f"{SVG}text")]


CHART_IDS = ["moves", "shares", "stack", "trend", "slope", "losses", "raw"]


def chart_by_name(validated: Validated, name: str) -> tuple[str, Chart]:
    return next((a, c) for a, c in charts(validated) if a.endswith(f"-{name}") or name in a)


# -- the SVG -------------------------------------------------------------------------------------


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("name", CHART_IDS)
def test_svg_is_an_image_with_title_and_desc(
    project: Project, validated: Validated, name: str, lang: str, target: Target
) -> None:
    anchor, chart = chart_by_name(validated, name)
    e = edition(project, validated, lang, target)
    root = parse(render_svg(chart, e, anchor))
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == f"{anchor}-title {anchor}-desc"
    title, desc = root.find(f"{SVG}title"), root.find(f"{SVG}desc")
    assert title is not None and desc is not None
    assert title.get("id") == f"{anchor}-title" and desc.get("id") == f"{anchor}-desc"
    assert title.text == e.text(chart.title)
    assert desc.text == e.text(chart.alt)
    assert root.get("lang") == lang
    assert "Pretendard GOV" in (root.get("font-family") or "")
    assert root.get("viewBox", "").startswith("0 0 ")


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", CHART_IDS)
def test_svg_colours_come_from_the_theme(
    project: Project, validated: Validated, name: str, target: Target
) -> None:
    anchor, chart = chart_by_name(validated, name)
    svg = render_svg(chart, edition(project, validated, "ko", target), anchor)
    colours = set(re.findall(r'(?:fill|stroke|stop-color)="([^"]+)"', svg))
    colours -= {"none"}
    assert colours, "no colours at all"
    assert colours <= THEME_COLOURS, colours - THEME_COLOURS


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", CHART_IDS)
def test_svg_has_no_scripts_links_or_outside_references(
    project: Project, validated: Validated, name: str, target: Target
) -> None:
    anchor, chart = chart_by_name(validated, name)
    svg = render_svg(chart, edition(project, validated, "en", target), anchor)
    root = parse(svg)
    tags = {el.tag.removeprefix(SVG) for el in root.iter()}
    assert not tags & {"script", "a", "image", "foreignObject", "style", "use"}, tags
    for el in root.iter():
        for attr, value in el.attrib.items():
            assert "href" not in attr and not attr.startswith("on"), (attr, value)
            for url in re.findall(r"url\(([^)]*)\)", value):
                assert url.startswith(f"#{anchor}-"), value


# Labels each chart must show as <text>, per language (NBSP read as a space).
LABELS = {
    ("moves", "ko"): [
        "엔비디아(1. 27. 종가)",
        "SK하이닉스(1. 31. 장중)",
        "−16.97%",
        "약 −11%",
        "−20%",
        "0%",
    ],
    ("moves", "en"): [
        "Nvidia (27 Jan close)",
        "SK hynix (31 Jan intraday)",
        "−16.97%",
        "about −11%",
    ],
    ("shares", "ko"): [
        "SK하이닉스",
        "삼성전자",
        "마이크론",
        "2023년 (추정)",
        "2025년 2분기",
        "62%",
        "단위: %",
    ],
    ("shares", "en"): [
        "SK hynix",
        "Samsung",
        "Micron",
        "2023 (Estimate)",
        "Q2 2025",
        "62%",
        "Unit: %",
    ],
    ("stack", "ko"): ["2023년 (추정)", "2025년 2분기", "SK하이닉스", "62%", "17%", "21%"],
    ("trend", "ko"): ["1. 23.", "1. 27.", "가 종목 128.99달러", "나 종목 93.5달러", "단위: 달러"],
    ("trend", "en"): ["23 Jan", "27 Jan", "Stock A $128.99", "Stock B $93.5", "Unit: $"],
    ("slope", "ko"): [
        "2023년 (추정)",
        "2025년 2분기",
        "SK하이닉스 50%",
        "62%",
        "삼성전자 40%",
        "17%",
    ],
    ("slope", "en"): ["2023 (Estimate)", "Q2 2025", "SK hynix 50%", "Micron 10%", "21%"],
    ("losses", "ko"): [
        "엔비디아 2025. 1. 27.",
        "약 5,890억 달러",
        "약 2,790억 달러",
        "감소액, 단위: 억 달러",
        "6,000",
    ],
    ("losses", "en"): [
        "Nvidia 27 Jan 2025",
        "about $589 billion",
        "about $279 billion",
        "Value lost, Unit: $ billion",
        "600",
    ],
    ("raw", "ko"): ["종류", "값", "가", "나", "다"],
}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize(("name", "lang"), sorted(LABELS))
def test_labels_are_text_in_the_editions_language_and_number_style(
    project: Project, validated: Validated, name: str, lang: str, target: Target
) -> None:
    anchor, chart = chart_by_name(validated, name)
    shown = texts(parse(render_svg(chart, edition(project, validated, lang, target), anchor)))
    joined = " | ".join(shown)
    for label in LABELS[name, lang]:
        assert any(label in text for text in shown), f"{label!r} not in {joined}"


def test_each_type_draws_its_marks(project: Project, validated: Validated) -> None:
    e = edition(project, validated, "ko", "html")
    marks = {}
    for anchor, chart in charts(validated):
        root = parse(render_svg(chart, e, anchor))
        marks[chart.type, anchor] = {
            tag: len(list(root.iter(f"{SVG}{tag}"))) for tag in ("rect", "path", "circle")
        }
    by_type = {kind: counts for (kind, _), counts in marks.items()}
    assert by_type["bar"]["rect"] == 2
    assert by_type["grouped-bar"]["rect"] >= 6  # six bars and the legend's swatches
    assert by_type["stacked-bar"]["rect"] >= 6
    assert by_type["line"]["path"] == 2 and by_type["line"]["circle"] == 8
    assert by_type["slope"]["path"] == 3 and by_type["slope"]["circle"] == 6
    assert by_type["vega-lite"]["path"] >= 3


def test_estimates_are_drawn_lighter(project: Project, validated: Validated) -> None:
    anchor, chart = chart_by_name(validated, "shares")
    root = parse(render_svg(chart, edition(project, validated, "ko", "pdf"), anchor))
    light = [r for r in root.iter(f"{SVG}rect") if r.get("fill-opacity")]
    # the three 2023 bars and the legend swatch of 2023
    assert len(light) == 4
    assert all(r.get("stroke-dasharray") for r in light)


def test_html_and_pdf_are_sized_for_their_column(project: Project, validated: Validated) -> None:
    anchor, chart = chart_by_name(validated, "moves")
    html = parse(render_svg(chart, edition(project, validated, "ko", "html"), anchor))
    pdf = parse(render_svg(chart, edition(project, validated, "ko", "pdf"), anchor))
    assert html.get("width") == str(HTML.width) and pdf.get("width") == str(PDF.width)
    assert "width:100%" in (html.get("style") or "") and "max-width:34rem" in html.get("style", "")
    assert pdf.get("style") is None  # the PDF image is sized by the page (width: 100%)


def test_text_widths_match_the_bundled_fonts(root: Path) -> None:
    from fontTools.ttLib import TTFont

    for bold, name in ((False, "Regular"), (True, "Bold")):
        with TTFont(root / "templates" / "fonts" / f"PretendardGOV-{name}.ttf", lazy=True) as font:
            cmap, hmtx = font.getBestCmap(), font["hmtx"]
            upm = font["head"].unitsPerEm
            texts = [
                "SK hynix 62%",
                "−16.97%",
                "약 5,890억 달러",
                "Q2 2025 (Estimate)",
                *EXTRA_ADVANCES,
            ]
            for text in texts:
                expected = sum(hmtx[cmap[ord(ch)]][0] for ch in text) * 10 / upm
                assert text_width(text, 10, bold=bold) == pytest.approx(expected), (name, text)


def _labels(root: ET.Element) -> list[ET.Element]:
    return [t for t in root.iter(f"{SVG}text") if t.text]


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_labels_are_placed_by_their_left_edge(
    project: Project, validated: Validated, lang: str
) -> None:
    """In the PDF no label has ``text-anchor`` (WeasyPrint would draw each one into a group
    of its own): an end- or middle-anchored one starts its width, or half of it, before its
    anchor, kept in ``data-x``. The HTML keeps ``text-anchor`` and has no ``data-anchor``."""
    resolved = 0
    for anchor, chart in charts(validated):
        if chart.type == "vega-lite":
            continue
        html = _labels(parse(render_svg(chart, edition(project, validated, lang, "html"), anchor)))
        pdf = _labels(parse(render_svg(chart, edition(project, validated, lang, "pdf"), anchor)))
        assert any(t.get("text-anchor") for t in html) and not any(
            t.get("data-anchor") for t in html
        )
        for label in pdf:
            assert label.get("text-anchor") is None
            if (kind := label.get("data-anchor")) is None:
                continue
            width = text_width(
                label.text or "",
                float(label.get("font-size", "0")),
                bold=label.get("font-weight") == "700",
            )
            shift = width if kind == "end" else width / 2
            assert float(label.get("x", "0")) == pytest.approx(
                float(label.get("data-x", "0")) - shift, abs=0.011
            ), label.text
            resolved += 1
    assert resolved > 10


def test_a_pdf_with_charts_draws_no_label_into_a_group_of_its_own(tmp_path: Path) -> None:
    """The PDF of a brief full of charts has no form XObject (each anchored label was one)."""
    out = tmp_path / "out"
    assert run(["build", str(BRIEF), "-f", "pdf", "--lang", "ko", "--out", str(out), "-q"]) == 0
    for path in out.rglob("*.pdf"):
        with pikepdf.open(path) as pdf:
            forms = [
                o for o in pdf.objects
                if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == "/Form"
            ]  # fmt: skip
            assert forms == [], path.name


@pytest.mark.parametrize(
    ("value", "digits"),
    [(1234.5, 3), (-16.97, 2), (589000, 0), (12.3, 2), (-1234567.891, 3), (62, 2), (0.05, 2)],
)
@pytest.mark.parametrize("lang", LANGS)
def test_numbers_are_written_as_cldr_writes_them(value: float, digits: int, lang: str) -> None:
    """The one number formatter (no locale data) writes what Babel's CLDR data says."""
    from babel.numbers import format_decimal

    from briefs.text.i18n import decimal, format_number

    pattern = "#,##0" + ("." + "#" * digits if digits else "")
    expected = format_decimal(value, pattern, locale=lang).replace("-", "−")
    assert decimal(value, digits) == format_number(value, lang, digits=digits) == expected


def test_two_renders_are_byte_identical_across_processes(
    child_env: Callable[..., dict[str, str]],
) -> None:
    script = (
        "import hashlib\n"
        "from briefs.pipeline.build import Project\n"
        "from briefs.charts.view import render_svg\n"
        "from tests.test_charts import BRIEF, charts\n"
        "p = Project(); v = p.load(BRIEF); h = hashlib.sha256()\n"
        "for lang in ('ko', 'en'):\n"
        "    for target in ('html', 'pdf'):\n"
        "        e = p.edition(v, 'industry', lang, target)\n"
        "        for anchor, chart in charts(v):\n"
        "            h.update(render_svg(chart, e, anchor).encode())\n"
        "print(h.hexdigest())\n"
    )
    digests = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            timeout=120,
            env=child_env(PYTHONHASHSEED=seed),
            cwd=Path(__file__).resolve().parent.parent,
        ).stdout.strip()
        for seed in ("1", "2")
    }
    assert len(digests) == 1, digests


def test_a_brief_without_charts_never_imports_the_chart_machinery(
    tmp_path: Path, minimal_path: Path, child_env: Callable[..., dict[str, str]]
) -> None:
    script = (
        "import sys\n"
        "from pathlib import Path\n"
        "from briefs.pipeline.build import BuildOptions, build_brief\n"
        f"build_brief({str(minimal_path)!r}, BuildOptions(out=Path({str(tmp_path)!r}),"
        " formats=['html']))\n"
        "print(sorted(m for m in sys.modules if m.startswith(('briefs.charts_', 'vl_convert'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env=child_env(),
    )
    assert done.stdout.strip() == "[]"


# -- Vega-Lite -----------------------------------------------------------------------------------


def test_raw_vega_lite_is_themed_and_sanitised(project: Project, validated: Validated) -> None:
    anchor, chart = chart_by_name(validated, "raw")
    svg = render_svg(chart, edition(project, validated, "ko", "html"), anchor)
    root = parse(svg)
    assert "#0b50d0" in svg  # KRDS primary-60, the theme's first colour
    for el in root.iter(f"{SVG}text"):
        assert "Pretendard GOV" in (el.get("font-family") or root.get("font-family") or "")
    for el in list(root.iter())[1:]:  # Vega's classes and ARIA roles are dropped
        assert el.get("class") is None and el.get("role") is None, el.attrib
    ids = [el.get("id") or "" for el in root.iter() if el.get("id")]
    assert all(i.startswith(f"{anchor}-") for i in ids), ids


def test_sanitizer_keeps_drawing_and_drops_everything_else() -> None:
    hostile = (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
        ' width="10" height="20" onload="alert(1)">'
        "<script>alert(1)</script><style>@import url(http://x/y.css)</style>"
        '<defs><clipPath id="c"><rect width="1" height="1"/></clipPath></defs>'
        '<a href="https://evil.example"><text x="1" y="2" onclick="x()">label</text></a>'
        '<image href="file:///etc/passwd" width="5" height="5"/>'
        '<foreignObject><div xmlns="http://www.w3.org/1999/xhtml">html</div></foreignObject>'
        '<rect fill="url(http://evil.example/p.svg#x)" clip-path="url(#c)" style="fill:red"/>'
        '<use xlink:href="#c"/></svg>'
    )
    body, width, height = sanitize_svg(hostile, prefix="fig-x")
    assert (width, height) == (10, 20)
    assert body == (
        '<defs><clipPath id="fig-x-c"><rect width="1" height="1"></rect></clipPath></defs>'
        '<text x="1" y="2">label</text>\n<rect clip-path="url(#fig-x-c)"></rect>'
    )


def test_sanitizer_refuses_doctypes() -> None:
    with pytest.raises(BriefError, match="DOCTYPE"):
        sanitize_svg(
            '<!DOCTYPE svg [<!ENTITY a "b">]><svg xmlns="http://www.w3.org/2000/svg"/>', prefix="x"
        )


# -- HTML ----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def html_ko(project: Project, validated: Validated) -> str:
    return project.render(edition(project, validated, "ko", "html"))


def test_html_has_inline_svg_data_table_and_source_line(html_ko: str) -> None:
    figure = re.search(
        r'<figure class="chart chart-grouped-bar" id="finding-shares-chart".*?</figure>',
        html_ko,
        re.S,
    )
    assert figure is not None
    block = figure.group(0)
    assert '<svg xmlns="http://www.w3.org/2000/svg"' in block and 'role="img"' in block
    assert '<details class="chart-data">\n<summary>데이터 표</summary>' in block
    assert '<th scope="col">공급사</th><th scope="col">2023년 (추정)</th>' in block
    assert (
        '<tr><th scope="row">SK하이닉스</th><td class="align-right">50%</td><td class="align-right">62%</td></tr>'
        in block
    )
    assert re.search(r'<p class="source-line">자료: 조선비즈<sup class="cite">', block)


def test_figures_close_the_findings_unless_a_profile_places_them(
    project: Project, validated: Validated, tmp_path: Path
) -> None:
    html = project.render(edition(project, validated, "ko", "html"))
    findings = html[html.index('<section class="findings"') :]
    findings = findings[: findings.index("</section>")]
    assert findings.index('id="finding-slope"') < findings.index('id="figure-losses"')
    assert "figures" not in [s.name for s in edition(project, validated, "ko", "html").sections]
    # the raw Vega-Lite figure is for industry only
    government = project.edition(validated, "government", "ko", "html")
    assert [f.id for f in government.figures] == ["losses"]
    assert 'id="figure-raw"' not in project.render(government)
    # A profile that lists `figures` gets a section of its own, where it says.
    profile = (project.folders[-1] / "audiences" / "industry.yaml").read_text("utf-8")
    (tmp_path / "audiences").mkdir()
    (tmp_path / "audiences" / "industry.yaml").write_text(
        profile.replace(
            "sections: [summary, key_figures,", "sections: [summary, figures, key_figures,"
        ),
        "utf-8",
    )
    own = Project(tmp_path)
    e = own.edition(own.load(BRIEF), "industry", "ko", "html")
    assert [s.name for s in e.sections][:3] == ["summary", "figures", "findings"]
    html = own.render(e)
    assert '<section class="chart-figures" aria-labelledby="sec-figures">' in html
    assert '<h2 id="sec-figures">주요 그림</h2>' in html


def test_chart_sources_are_cited_in_the_references(html_ko: str) -> None:
    refs = html_ko[html_ko.index('<ol class="references">') :]
    assert 'id="src-src-a"' in refs and 'id="src-src-b"' in refs


# -- PDF -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    base = tmp_path_factory.mktemp("charts")
    folder = base / "brief"
    shutil.copytree(FOLDER, folder)
    result = build_brief(
        folder / "charts.yaml",
        BuildOptions(out=base / "out", audiences=["industry"], formats=["pdf"]),
    )
    return {o.lang: o.path for o in result.outputs}


def figures_in(pdf: Path) -> Iterator[pikepdf.Dictionary]:
    with pikepdf.open(pdf) as doc:
        stack = [doc.Root.StructTreeRoot]
        while stack:
            node = stack.pop()
            if isinstance(node, pikepdf.Dictionary):
                if node.get("/S") == "/Figure":
                    yield node
                kids = node.get("/K")
                if isinstance(kids, pikepdf.Array):
                    stack.extend(reversed(list(kids)))
                elif kids is not None:
                    stack.append(kids)


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_pdf_has_a_figure_with_alt_per_chart(
    pdfs: dict[str, Path], validated: Validated, lang: str
) -> None:
    alts = [str(fig.Alt) for fig in figures_in(pdfs[lang]) if "/Alt" in fig]
    expected = [c.alt.get(lang, "ko") for _, c in charts(validated)]
    assert len(alts) == len(expected) == 7
    for alt, text in zip(alts, expected, strict=True):
        assert alt.startswith(text or "")
    # the data travels in the Alt, since the table is not printed
    data = {
        "ko": "데이터: SK하이닉스: 2023년 (추정) 50%, 2025년 2분기 62%; 삼성전자:",
        "en": "Data: SK hynix: 2023 (Estimate) 50%, Q2 2025 62%; Samsung:",
    }[lang]
    assert data in alts[1]


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGS)
def test_pdf_text_contains_the_chart_labels(pdfs: dict[str, Path], lang: str) -> None:
    text = normalise(pdftotext(pdfs[lang]))
    expected = {
        "ko": [
            "엔비디아(1. 27. 종가)",
            "−16.97%",
            "약 −11%",
            "SK하이닉스 50%",
            "2025년 2분기",
            "약 5,890억 달러",
            "단위: 억 달러",
            "가 종목",
            "종류",
            "자료: Gizchina",
        ],
        "en": [
            "Nvidia (27 Jan close)",
            "−16.97%",
            "about −11%",
            "SK hynix 50%",
            "Q2 2025",
            "about $589 billion",
            "Unit: $ billion",
            "Stock A",
            "Source: Gizchina",
        ],
    }[lang]
    for label in expected:
        assert label in text, label


@pytest.mark.slow
def test_pdf_embeds_only_pretendard(
    pdfs: dict[str, Path], pdf_fonts: Callable[[Path], list[dict[str, str]]]
) -> None:
    for row in pdf_fonts(pdfs["ko"]):
        assert "Pretendard" in row["name"], row


# -- positioned errors ---------------------------------------------------------------------------

# fmt: off
BASE_LINES = [
    "id: chart-errors",                                             # 1
    "title: Chart errors",                                          # 2
    "date: 2025-01-27",                                             # 3
    "organisation: Test Institute",                                 # 4
    "authors:",                                                     # 5
    "  - name: Gildong Hong",                                       # 6
    "languages: [en]",                                              # 7
    "summary: Shares fell[@src-a].",                                # 8
    "findings:",                                                    # 9
    "  - id: shock",                                                # 10
    "    title: Market shock",                                      # 11
    "    body: Demand fell[@src-a].",                               # 12
    "    confidence: high",                                         # 13
    "    chart:",                                                   # 14
    "      type: grouped-bar",                                      # 15
    "      title: HBM share",                                       # 16
    "      alt: SK hynix leads.",                                   # 17
    "      data:",                                                  # 18
    '        - {supplier: skhynix, period: "2023", share: 50}',     # 19
    '        - {supplier: skhynix, period: "2025", share: 62}',     # 20
    "      x: supplier",                                            # 21
    "      y: {field: share, format: percent}",                     # 22
    "      series: period",                                         # 23
    "      sources: [src-a]",                                       # 24
    "sources:",                                                     # 25
    "  - id: src-a",                                                # 26
    "    title: HBM shares",                                        # 27
    "    publisher: Chosun Biz",                                    # 28
]
# fmt: on
CSV_LINE = "      csv: shares.csv"
VEGA = [
    "      type: vega-lite",
    "      title: HBM share",
    "      alt: SK hynix leads.",
    "      spec:",
]


def variant(**lines: str | list[str] | None) -> str:
    """BASE_LINES with some lines replaced (``l15="..."``, or several) or removed (None)."""
    out: list[str] = []
    for number, line in enumerate(BASE_LINES, 1):
        new = lines.get(f"l{number}", line)
        if new is None:
            continue
        out.extend(new if isinstance(new, list) else [new])
    return "\n".join(out) + "\n"


def errors(folder: Path, text: str, csv: str | None = None) -> list[str]:
    path = folder / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    if csv is not None:
        (folder / "shares.csv").write_text(csv, encoding="utf-8")
    with pytest.raises(BriefError) as info:
        load_brief(path)
    return [str(d) for d in info.value.diagnostics]


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in a folder of its own so messages name files as ``brief.yaml``."""
    folder = tmp_path / "brief"
    folder.mkdir()
    monkeypatch.chdir(folder)
    return folder


def test_base_brief_is_valid(workdir: Path) -> None:
    (workdir / "brief.yaml").write_text(variant(), encoding="utf-8")
    chart = load_brief(workdir / "brief.yaml").brief.findings[0].chart
    assert chart is not None and chart.type == "grouped-bar"


GOOD_CSV = "supplier,period,share\nskhynix,2023,50\nskhynix,2025,62\n"

CASES: dict[str, tuple[str, str | None, str]] = {
    "unknown-field": (
        variant(l23="      serie: period"),
        None,
        "brief.yaml:23:7: findings[0].chart.serie: unknown field — did you mean 'series'?",
    ),
    "empty-data": (
        variant(l18="      data: []", l19=None, l20=None),
        None,
        "brief.yaml:18:13: findings[0].chart.data: has no data rows — give at least one row",
    ),
    "wrong-chart-type": (
        variant(l15="      type: pie"),
        None,
        "brief.yaml:15:13: findings[0].chart.type: must be one of 'bar', 'grouped-bar', "
        "'stacked-bar', 'line', 'slope' or 'vega-lite'",
    ),
    "wrong-value-type": (
        variant(l20='        - {supplier: skhynix, period: "2025", share: lots}'),
        None,
        "brief.yaml:20:54: findings[0].chart.data[1].share: expected a number, got str 'lots'",
    ),
    "unknown-column": (
        variant(l21="      x: suplier"),
        None,
        "brief.yaml:21:10: findings[0].chart.x: no column 'suplier' in the data "
        "— did you mean 'supplier'?",
    ),
    "missing-series": (
        variant(l23=None),
        None,
        "brief.yaml:15:7: findings[0].chart.series: required for type grouped-bar",
    ),
    "unknown-label": (
        variant(l24="      sources: [src-a]\n      labels: {skhinix: SK hynix}"),
        None,
        "brief.yaml:25:16: findings[0].chart.labels.skhinix: 'skhinix' is not a value of x or "
        "series — did you mean 'skhynix'?",
    ),
    "csv-does-not-parse": (
        variant(l18=CSV_LINE, l19=None, l20=None),
        'supplier,period,share\nskhynix,"2023,50\n',
        "brief.yaml:18:12: findings[0].chart.csv: shares.csv line 2: not valid CSV "
        "(unexpected end of data)",
    ),
    "csv-ragged-row": (
        variant(l18=CSV_LINE, l19=None, l20=None),
        "supplier,period,share\nskhynix,2023\n",
        "brief.yaml:18:12: findings[0].chart.csv: shares.csv line 2: 2 fields; the header has 3 "
        "— quote values that contain commas",
    ),
    "csv-wrong-value-type": (
        variant(l18=CSV_LINE, l19=None, l20=None),
        "supplier,period,share\nskhynix,2023,50\nskhynix,2025,lots\n",
        "brief.yaml:18:12: findings[0].chart.csv: shares.csv line 3, column 'share': "
        "expected a number, got 'lots'",
    ),
    "csv-empty": (
        variant(l18=CSV_LINE, l19=None, l20=None),
        "supplier,period,share\n",
        "brief.yaml:18:12: findings[0].chart.csv: has no data rows — give at least one row",
    ),
    "csv-parent-folder": (
        variant(l18="      csv: ../shares.csv", l19=None, l20=None),
        None,
        "brief.yaml:18:12: findings[0].chart.csv: may not contain '..' — keep the CSV next to "
        "the brief",
    ),
    "csv-absolute-path": (
        variant(l18="      csv: /etc/shares.csv", l19=None, l20=None),
        None,
        "brief.yaml:18:12: findings[0].chart.csv: must be a path relative to the brief's folder",
    ),
    "csv-not-csv": (
        variant(l18="      csv: brief.yaml", l19=None, l20=None),
        None,
        "brief.yaml:18:12: findings[0].chart.csv: must name a .csv file",
    ),
    "csv-and-data": (
        variant(l21=f"{CSV_LINE}\n      x: supplier"),
        GOOD_CSV,
        "brief.yaml:21:7: findings[0].chart.csv: give either 'data' or 'csv', not both",
    ),
    "vega-url-data": (
        variant(
            l15=[*VEGA, '        data: {url: "https://example.com/hbm.csv"}', "        mark: bar"],
            l16=None,
            l17=None,
            l18=None,
            l19=None,
            l20=None,
            l21=None,
            l22=None,
            l23=None,
        ),
        None,
        "brief.yaml:19:16: findings[0].chart.spec.data.url: data and images may not come from "
        "URLs — put the data under 'data' or in a CSV file next to the brief",
    ),
    "vega-generator": (
        variant(
            l15=[
                *VEGA,
                "        data: {sequence: {start: 0, stop: 1000000000}}",
                "        mark: bar",
            ],
            l16=None,
            l17=None,
            l18=None,
            l19=None,
            l20=None,
            l21=None,
            l22=None,
            l23=None,
        ),
        None,
        "brief.yaml:19:16: findings[0].chart.spec.data.sequence: data generators are not allowed "
        "— give the rows under 'data' or in a CSV file",
    ),
    "vega-link": (
        variant(
            l15=[
                *VEGA,
                "        data: {values: [{a: 1}]}",
                "        mark: bar",
                "        encoding:",
                "          href: {field: a}",
            ],
            l16=None,
            l17=None,
            l18=None,
            l19=None,
            l20=None,
            l21=None,
            l22=None,
            l23=None,
        ),
        None,
        "brief.yaml:22:11: findings[0].chart.spec.encoding.href: charts may not contain links",
    ),
    "vega-unknown-mark": (
        variant(
            l15=[*VEGA, "        data: {values: [{a: 1}]}", "        mark: baar"],
            l16=None,
            l17=None,
            l18=None,
            l19=None,
            l20=None,
            l21=None,
            l22=None,
            l23=None,
        ),
        None,
        "brief.yaml:20:15: findings[0].chart.spec.mark: unknown mark 'baar' — did you mean 'bar'?",
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_chart_is_one_positioned_error(workdir: Path, case: str) -> None:
    text, csv, expected = CASES[case]
    assert errors(workdir, text, csv) == [expected]


def test_csv_symlink_out_of_the_folder_is_refused(workdir: Path, tmp_path: Path) -> None:
    outside = tmp_path / "secret.csv"
    outside.write_text(GOOD_CSV, encoding="utf-8")
    (workdir / "shares.csv").symlink_to(outside)
    assert errors(workdir, variant(l18=CSV_LINE, l19=None, l20=None)) == [
        "brief.yaml:18:12: findings[0].chart.csv: 'shares.csv' leads outside the brief's folder "
        "— copy the file next to it"
    ]


def test_csv_size_is_limited(workdir: Path) -> None:
    from briefs.charts.data import MAX_CSV_BYTES

    big = "supplier,period,share\n" + "skhynix,2023,50\n" * (MAX_CSV_BYTES // 15)
    message = errors(workdir, variant(l18=CSV_LINE, l19=None, l20=None), big)
    assert len(message) == 1 and "bytes; the limit is 1,000,000" in message[0]


def test_csv_chart_loads_and_draws(workdir: Path, project: Project) -> None:
    (workdir / "shares.csv").write_text(GOOD_CSV, encoding="utf-8")
    (workdir / "brief.yaml").write_text(variant(l18=CSV_LINE, l19=None, l20=None), "utf-8")
    validated = project.load(workdir / "brief.yaml")
    chart = validated.brief.findings[0].chart
    assert chart is not None
    svg = render_svg(chart, project.edition(validated, "industry", "en", "html"), "c")
    assert ">62%</text>" in svg


def test_several_chart_errors_are_reported_at_once(workdir: Path) -> None:
    text = variant(l15="      type: slope", l21="      x: suplier", l22="      y: shar")
    assert errors(workdir, text) == [
        "brief.yaml:21:10: findings[0].chart.x: no column 'suplier' in the data "
        "— did you mean 'supplier'?",
        "brief.yaml:22:10: findings[0].chart.y: no column 'shar' in the data "
        "— did you mean 'share'?",
    ]


def test_cli_reports_chart_errors_with_exit_code_1(
    workdir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (workdir / "brief.yaml").write_text(variant(l21="      x: suplier"), encoding="utf-8")
    assert run(["validate", "brief.yaml"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.splitlines() == [
        "brief.yaml:21:10: findings[0].chart.x: no column 'suplier' in the data "
        "— did you mean 'supplier'?"
    ]


def test_figures_audiences_and_sources_are_checked(workdir: Path) -> None:
    figure = [
        "figures:",
        "  - id: fig",
        "    audiences: [goverment]",
        "    type: bar",
        "    title: T",
        "    alt: A",
        "    data: [{a: x, b: 1}]",
        "    x: a",
        "    y: b",
        "    sources: [src-b]",
    ]
    text = variant(l25=[*figure, "sources:"])
    path = workdir / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BriefError) as info:
        load_brief(path, audiences=["government", "industry"])
    assert [str(d) for d in info.value.diagnostics] == [
        "brief.yaml:27:17: figures[0].audiences[0]: unknown audience 'goverment' — did you mean "
        "'government'?",
        "brief.yaml:34:15: figures[0].sources[0]: unknown source id 'src-b' — did you mean "
        "'src-a'?",
    ]


# -- the flagship --------------------------------------------------------------------------------


def test_flagship_has_sourced_charts_with_estimates_marked(root: Path) -> None:
    brief = load_brief(root / "inputs" / "deepseek-2025.yaml").brief
    found: list[Chart] = [f.chart for f in brief.findings if f.chart is not None]
    found += list(brief.figures)
    assert len(found) >= 2
    assert all(chart.sources for chart in found)
    slope = next(c for c in found if c.type == "slope")
    assert slope.estimates == []  # Counterpoint's shipment shares are counted, not estimated
    bar = next(c for c in found if c.type == "bar" and not isinstance(c, Figure))
    assert bar.approximate == []  # both falls are exact closing changes, charted side by side
    assert "close" in (bar.y.title.en or "") and "종가" in (bar.y.title.ko or "")
    loss = next(c for c in brief.figures if c.type == "bar")
    assert sorted(loss.approximate) == ["2024-09", "2025-01-27"]  # "about $589 billion"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_years_naming_series_or_categories_have_no_thousands_separator(
    workdir: Path, project: Project, lang: str
) -> None:
    (workdir / "shares.csv").write_text(GOOD_CSV, encoding="utf-8")
    (workdir / "brief.yaml").write_text(variant(l18=CSV_LINE, l19=None, l20=None), "utf-8")
    validated = project.load(workdir / "brief.yaml")
    chart = validated.brief.findings[0].chart
    assert chart is not None
    svg = render_svg(chart, project.edition(validated, "industry", lang, "html"), "c")
    assert ">2023<" in svg and ">2025<" in svg
    assert "2,023" not in svg and "2,025" not in svg


def test_a_label_that_already_says_estimate_is_not_marked_twice() -> None:
    from briefs.charts.layouts import with_estimate

    assert with_estimate("2038년(추정)", "추정") == "2038년(추정)"
    assert with_estimate("2030 (estimate)", "Estimate") == "2030 (estimate)"
    assert with_estimate("2030", "Estimate") == "2030 (Estimate)"
    # A label that ends in a parenthesis takes the word inside it, not a second pair.
    assert with_estimate("초과분(계산값)", "추정") == "초과분(계산값, 추정)"
    assert with_estimate("2023 projection (medium)", "Estimate") == (
        "2023 projection (medium, estimate)"
    )
    assert with_estimate("초과분（계산값）", "추정") == "초과분（계산값, 추정）"


def test_charts_are_numbered_in_reading_order_with_their_captions(html_ko: str) -> None:
    captions = re.findall(
        r'<figcaption class="chart-title"[^>]*><span class="figure-number">(.*?)</span> ', html_ko
    )
    assert captions and captions == [f"그림 {n}." for n in range(1, len(captions) + 1)]


def test_plan_lists_standalone_figures(root: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from briefs.cli.main import run

    flagship = root / "inputs" / "deepseek-2025.yaml"
    assert run(["build", str(flagship), "--plan", "-l", "ko", "-a", "industry"]) == 0
    out = capsys.readouterr().out
    assert "figure nvidia-value-loss-record" in out


def test_office_charts_anchor_their_labels_again(tmp_path: Path) -> None:
    """The DOCX keeps each chart as SVG beside its bitmap; Word draws it in the font it has,
    so every label the PDF places by its left edge is anchored again (``text-anchor``, the
    anchor's ``x``), and no ``data-anchor`` is left."""
    import zipfile

    out = tmp_path / "out"
    args = ["build", str(BRIEF), "-f", "docx", "-f", "pdf", "--lang", "ko", "--out", str(out)]
    assert run([*args, "-q"]) == 0
    docx = next(out.rglob("*.docx"))
    with zipfile.ZipFile(docx) as package:
        drawings = [package.read(n).decode() for n in package.namelist() if n.endswith(".svg")]
    assert drawings
    anchored = 0
    for drawing in drawings:
        assert "data-anchor" not in drawing and "data-x" not in drawing
        anchored += drawing.count('text-anchor="end"') + drawing.count('text-anchor="middle"')
    assert anchored > 10
