"""No chart label is cut off at the drawing's edge or set over another, in any edition.

Every declarative chart of ``inputs/``, ``corpus/`` and the chart fixture is laid out for the
HTML (the 400-unit drawing a phone at 390 px shows scaled to its column) and for the PDF, in
each language; each label's box is measured with the bundled font's advances, which the HTML
now embeds, so a browser sets the labels at those widths.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs.charts.view import label_problems
from briefs.pipeline.build import Project
from briefs.schema.charts import Chart

ROOT = Path(__file__).resolve().parent.parent
BRIEFS = [
    *sorted((ROOT / "inputs").glob("*.yaml")),
    *sorted((ROOT / "corpus").glob("*.yaml")),
    ROOT / "tests" / "fixtures" / "charts" / "charts.yaml",
]


@pytest.fixture(scope="module")
def project() -> Project:
    return Project()


@pytest.mark.parametrize("brief", BRIEFS, ids=lambda p: p.stem)
def test_labels_fit_and_do_not_collide(project: Project, brief: Path) -> None:
    validated = project.load(brief)
    charts: list[tuple[str, Chart]] = [
        (f"findings[{i}].chart", f.chart) for i, f in enumerate(validated.brief.findings) if f.chart
    ]
    charts += [(f"figures[{i}]", figure) for i, figure in enumerate(validated.brief.figures)]
    found = []
    for lang in validated.brief.languages:
        for target in ("html", "pdf"):
            edition = project.edition(validated, "government", lang, target)  # type: ignore[arg-type]
            for where, chart in charts:
                if chart.type != "vega-lite":
                    found += [
                        f"{where} ({chart.type}, {lang} {target}): {problem}"
                        for problem in label_problems(chart, edition)
                    ]
    assert found == []


def test_the_check_finds_a_label_cut_off_and_a_collision() -> None:
    from briefs.charts.svg import Svg, text_width

    svg = Svg()
    svg.text(390, 20, "재생에너지 29.2%", 10)  # runs past the 400-unit edge
    svg.text(10, 40, "2023", 10)
    svg.text(10 + text_width("2023", 10) - 2, 40, "2024", 10)  # 2 units into "2023"
    problems = svg.label_problems(400, 100)
    assert len(problems) == 2
    assert problems[0].startswith("'재생에너지 29.2%' is cut off")
    assert problems[1] == "'2023' overlaps '2024'"
