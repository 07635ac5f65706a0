"""Values a chart's data lacks are errors, or declared with ``gaps: true`` and drawn as gaps.

Uses the positioned-error brief of ``tests/test_charts.py``: its chart (lines 14–24) is
rewritten into a line chart with the data each case needs.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefs.check.validate import load_brief
from briefs.pipeline.build import Project
from tests.test_charts import CSV_LINE, errors, render_svg, variant

HINT = "add the rows, or declare `gaps: true` to draw them as gaps"
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run in a folder of its own so messages name files as ``brief.yaml``."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def line_chart(*rows: str, gaps: bool = False) -> dict[str, str | list[str] | None]:
    """The base brief's chart as a line chart of ``rows`` (None drops the data lines)."""
    lines: dict[str, str | list[str] | None] = {
        "l15": "      type: line",
        "l19": [*rows] if rows else None,
        "l20": None,
        "l21": "      x: year",
        "l23": "      series: supplier" + ("\n      gaps: true" if gaps else ""),
    }
    if not rows:
        lines["l18"] = CSV_LINE
    return lines


def test_an_empty_value_is_an_error_at_the_value(workdir: Path) -> None:
    rows = [
        "        - {supplier: a, year: 2023, share: 50}",  # 19
        "        - {supplier: a, year: 2024, share: }",  # 20: the empty value, column 44
        "        - {supplier: a, year: 2025, share: 62}",  # 21
    ]
    found = errors(workdir, variant(**line_chart(*rows)))
    assert found == [
        "brief.yaml:20:44: findings[0].chart.data[1].share: no value for 'share' — "
        "give it, or declare `gaps: true` to draw it as a gap"
    ]


def test_a_series_without_a_row_and_a_skipped_year_are_errors_at_the_csv(workdir: Path) -> None:
    csv = "supplier,year,share\na,2021,40\na,2022,45\na,2024,50\nb,2022,30\nb,2024,35\n"
    found = errors(workdir, variant(**line_chart()), csv)
    assert found == [
        "brief.yaml:18:12: findings[0].chart.csv: shares.csv: 'year' skips 2023: the data has "
        f"no row there — {HINT}",
        f"brief.yaml:18:12: findings[0].chart.csv: shares.csv: no row for series 'b' at 2021 — {HINT}",
    ]


def test_an_empty_cell_in_a_csv_is_positioned_at_its_line(workdir: Path) -> None:
    csv = "supplier,year,share\na,2023,50\na,2024,\na,2025,62\n"
    assert errors(workdir, variant(**line_chart()), csv) == [
        "brief.yaml:18:12: findings[0].chart.csv: shares.csv line 3, column 'share': no value "
        "for 'share' — give it, or declare `gaps: true` to draw it as a gap"
    ]


def test_sparse_years_are_not_a_series_with_holes(workdir: Path) -> None:
    # 2017, 2024, 2030, 2038: drawn in proportion, as meant; no row is missing.
    csv = "supplier,year,share\na,2017,43\na,2024,28\na,2030,20\na,2038,10\n"
    (workdir / "shares.csv").write_text(csv, encoding="utf-8")
    (workdir / "brief.yaml").write_text(variant(**line_chart()), encoding="utf-8")
    assert load_brief(workdir / "brief.yaml").brief.findings[0].chart is not None


def paths(svg: str, colour: str) -> list[list[str]]:
    """The x coordinates of each line drawn in ``colour``."""
    return [
        re.findall(r"[ML]([\d.]+) ", d)
        for d in re.findall(rf'<path d="([^"]+)" fill="none" stroke="{colour}"', svg)
    ]


def test_declared_gaps_break_the_line_and_show_as_dashes(workdir: Path) -> None:
    # Series a: 2021, 2022, (2023 skipped by the data), 2024, (2025 empty), 2026, 2027.
    csv = (
        "supplier,year,share\na,2021,40\na,2022,45\na,2024,50\na,2025,\na,2026,55\na,2027,58\n"
        "b,2022,30\nb,2024,35\n"
    )
    (workdir / "shares.csv").write_text(csv, encoding="utf-8")
    (workdir / "brief.yaml").write_text(variant(**line_chart(gaps=True)), encoding="utf-8")
    project = Project()
    validated = project.load(workdir / "brief.yaml")
    chart = validated.brief.findings[0].chart
    assert chart is not None and chart.gaps
    edition = project.edition(validated, "industry", "en", "html")
    svg = render_svg(chart, edition, "c")
    # a: 2021–2022 joined, 2024 alone (a dot, joined to nothing), 2026–2027 joined.
    first, second = "#0b50d0", "#ab2b36"
    assert [len(line) for line in paths(svg, first)] == [2, 2]
    assert svg.count(f'stroke="{first}" stroke-width="1.5"') == 5  # five dots, one per value
    # b: 2022 and 2024, with 2023 between them: two dots, no line across the gap.
    assert paths(svg, second) == []
    assert svg.count(f'stroke="{second}" stroke-width="1.5"') == 2
    # The year the data skips is on the axis and in the table, with no value.
    assert ">2023</text>" in svg
    html = project.render(edition)
    row = re.search(r"<tr>\s*<th[^>]*>2023</th>(.*?)</tr>", html, re.S)
    assert row is not None and row[1].count("—") == 2, row


@pytest.mark.parametrize("brief", sorted((ROOT / "corpus").glob("*.yaml")), ids=lambda p: p.stem)
def test_the_corpus_declares_its_gaps(brief: Path) -> None:
    assert load_brief(brief).brief is not None
