"""Chart layouts on data shaped like real briefs' (issue 15): the value axis of a narrow band,
labels of a series that ends early, values of a stack's thin last segment.

Each case writes a one-chart brief, draws it for the English HTML edition and reads the SVG's
``<text>`` elements with their positions. Expected values follow from the layout rules in
``briefs/charts/layouts.py``, not from a previous drawing.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from briefs.charts.layouts import from_zero
from briefs.charts.view import render_svg
from briefs.errors import BriefError
from briefs.pipeline.build import Project

SVG = "{http://www.w3.org/2000/svg}"

HEAD = """\
id: layouts
title: Layouts
date: 2026-01-27
organisation: Test Institute
authors:
  - name: Gildong Hong
languages: [en]
summary: Hours fell[@src-a].
findings:
  - id: hours
    title: Hours
    body: Hours fell[@src-a].
    confidence: high
    chart:
      title: Annual hours
      alt: Korea works longer hours than the OECD average.
      sources: [src-a]
"""
TAIL = """\
sources:
  - id: src-a
    title: Hours
    publisher: Statistics Korea
"""


def draw(tmp_path: Path, chart: str) -> list[tuple[float, float, str]]:
    """The chart's labels as (x, y, text), drawn for the English HTML edition."""
    path = tmp_path / "brief.yaml"
    path.write_text(HEAD + chart + TAIL, encoding="utf-8")
    project = Project()
    validated = project.load(path)
    found = validated.brief.findings[0].chart
    assert found is not None
    svg = render_svg(found, project.edition(validated, "industry", "en", "html"), "c")
    root = ET.fromstring(svg)
    return [
        (float(el.get("x", "0")), float(el.get("y", "0")), "".join(el.itertext()))
        for el in root.iter(f"{SVG}text")
    ]


def line_chart(rows: list[tuple[int, str, float]], y: str = "hours") -> str:
    data = "".join(f"        - {{year: {x}, area: {s}, hours: {v}}}\n" for x, s, v in rows)
    return (
        "      type: line\n"
        "      gaps: true\n"
        f"      data:\n{data}"
        "      x: year\n"
        f"      y: {y}\n"
        "      series: area\n"
    )


HOURS = [
    (2021, "korea", 1915),
    (2023, "korea", 1872),
    (2024, "korea", 1859),
    (2030, "korea", 1799),
    (2021, "oecd", 1716),
    (2023, "oecd", 1742),
    (2024, "oecd", 1708),
]


def ticks(labels: list[tuple[float, float, str]]) -> list[float]:
    """The value axis's tick labels, as numbers (they are the plain numbers at the left)."""
    xs = min(x for x, _, t in labels if t.replace(",", "").isdigit())
    return sorted(
        float(t.replace(",", "")) for x, _, t in labels if x == xs and t.replace(",", "").isdigit()
    )


@pytest.mark.parametrize(
    ("zero", "numbers", "expected"),
    [
        (None, [1708.0, 1915.0], False),  # 1708 > 5/6 × 1915 = 1595.8: a narrow band
        (None, [1500.0, 1915.0], True),  # 1500 < 1595.8: from zero
        (None, [-100.0, -90.0], False),  # the same rule below zero
        (None, [-100.0, 10.0], True),  # both signs: zero is inside anyway
        (True, [1708.0, 1915.0], True),  # asked for
        (False, [10.0, 100.0], False),
    ],
)
def test_a_line_axis_starts_at_zero_unless_the_values_are_a_narrow_band(
    zero: bool | None, numbers: list[float], expected: bool
) -> None:
    assert from_zero(zero, numbers) is expected


def test_a_narrow_band_of_hours_is_not_drawn_from_zero(tmp_path: Path) -> None:
    drawn = ticks(draw(tmp_path, line_chart(HOURS)))
    assert drawn[0] > 0, drawn
    assert drawn[0] <= 1708 and drawn[-1] >= 1915
    # Asked for, the axis still starts at zero.
    forced = ticks(draw(tmp_path, line_chart(HOURS, "{field: hours, zero: true}")))
    assert forced[0] == 0


def test_a_series_that_ends_early_is_labelled_beside_its_last_point(tmp_path: Path) -> None:
    labels = draw(tmp_path, line_chart(HOURS))
    korea = next(label for label in labels if label[2].startswith("korea "))
    oecd = next(label for label in labels if label[2].startswith("oecd "))
    year_x = {t: x for x, _, t in labels if t in ("2024", "2030")}
    # Korea's last point is the last year: its label is in the column right of the plot.
    assert korea[0] > year_x["2030"]
    # The OECD's ends in 2024, six years before: its label starts just after that point,
    # well left of the 2030 column.
    assert year_x["2024"] < oecd[0] < year_x["2030"] - 50, (oecd, year_x)


def test_a_label_that_would_cross_another_line_goes_to_the_column(tmp_path: Path) -> None:
    # The OECD series ends in 2023, and Korea's line runs from 2023 through 2024 at its
    # height: beside its point the label would cross Korea's line.
    rows = [
        (2021, "korea", 1800),
        (2023, "korea", 1750),
        (2024, "korea", 1750),
        (2030, "korea", 1760),
        (2021, "oecd", 1710),
        (2023, "oecd", 1750),
    ]
    labels = draw(tmp_path, line_chart(rows))
    korea = next(label for label in labels if label[2].startswith("korea "))
    oecd = next(label for label in labels if label[2].startswith("oecd "))
    assert oecd[0] == korea[0]
    assert abs(oecd[1] - korea[1]) >= 10  # moved apart to be readable


def stacked(excess: list[int]) -> str:
    data = "".join(
        f'        - {{year: "{2021 + i}", part: {p}, hours: {v}}}\n'
        for i, e in enumerate(excess)
        for p, v in (("oecd", 1716), ("excess", e))
    )
    return (
        "      type: stacked-bar\n"
        f"      data:\n{data}"
        "      x: year\n"
        "      y: hours\n"
        "      series: part\n"
    )


def test_a_thin_last_segment_has_its_value_after_the_bar(tmp_path: Path) -> None:
    labels = draw(tmp_path, stacked([199, 130, 151]))
    values = {t: (x, y) for x, y, t in labels}
    # Each 1,716-hour segment is wide enough for its value; the thin excess segments are not,
    # so their values follow the end of their bars, right of the centred 1,716 labels.
    assert all(v in values for v in ("199", "130", "151")), sorted(values)
    inside = [x for x, _, t in labels if t == "1,716"]
    assert len(inside) == 3
    assert all(values[v][0] > max(inside) for v in ("199", "130", "151"))
    # The longest bar (1,716 + 199) ends furthest right.
    assert values["199"][0] > values["151"][0] > values["130"][0]


def test_bars_refuse_an_axis_that_does_not_start_at_zero(tmp_path: Path) -> None:
    path = tmp_path / "brief.yaml"
    chart = stacked([199]).replace("      y: hours\n", "      y: {field: hours, zero: false}\n")
    path.write_text(HEAD + chart + TAIL, encoding="utf-8")
    with pytest.raises(BriefError) as info:
        Project().load(path)
    line = (HEAD + chart).splitlines().index("      y: {field: hours, zero: false}") + 1
    assert [str(d) for d in info.value.diagnostics] == [
        f"{path}:{line}:31: findings[0].chart.y.zero: type stacked-bar always starts at zero: "
        "a bar's length is its value — remove 'zero: false', or draw a line chart"
    ]
