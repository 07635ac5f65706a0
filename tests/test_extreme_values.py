"""Numbers at the edge of what a float holds (issue 14, item 11).

A chart value or an amount of money may be at most 10¹⁸ in size (``MAX_MAGNITUDE``): a
quintillion, 100경, ten times the world's yearly output in won. Anything larger, and any
infinity or NaN, is refused by validation at the value itself, so that no such number
reaches the build (where it used to end in an OverflowError inside a built-in template, or
a tick label of 300 digits). Numbers inside the bound build, stacked sums and axis ticks
above it included.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefs.cli.main import run
from briefs.schema.base import MAX_MAGNITUDE

CHART = """\
    chart:
      type: {type}
      title: {{ko: 차트, en: Chart}}
      alt: {{ko: 설명, en: Description}}
{data}
      x: company
      y: {{field: change, format: {format}}}
{series}      sources: [src-a]
"""


def chart_brief(
    tmp_path: Path,
    minimal_text: str,
    value: str,
    *,
    fmt: str = "number",
    kind: str = "bar",
    csv: bool = False,
    second: str = "2",
) -> tuple[Path, int]:
    """The fixture brief with a chart whose first value is ``value``; and the line it is on."""
    if csv:
        (tmp_path / "values.csv").write_text(f"company,change\na,{value}\nb,{second}\n")
        data = "      csv: values.csv"
    else:
        data = (
            "      data:\n"
            f"        - {{company: a, change: {value}, group: g}}\n"
            f"        - {{company: {'a' if kind == 'stacked-bar' else 'b'}, change: {second}, "
            f"group: {'h' if kind == 'stacked-bar' else 'g'}}}"
        )
    series = "      series: group\n" if kind == "stacked-bar" else ""
    chart = CHART.format(type=kind, data=data, format=fmt, series=series)
    anchor = "    notes:\n      industry"
    assert anchor in minimal_text
    text = minimal_text.replace(anchor, chart + anchor, 1)
    path = tmp_path / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    lines = text.splitlines()
    marker = "values.csv" if csv else f"change: {value},"
    return path, next(i for i, line in enumerate(lines, 1) if marker in line)


def one_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    code = run(argv)
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    lines = [line for line in err.splitlines() if not line.startswith("warning")]
    assert len(lines) >= 1, err
    return lines[0]


def test_the_bound_is_ten_to_the_eighteenth() -> None:
    assert MAX_MAGNITUDE == 10.0**18


TOO_LARGE = ["1e308", "-1.7e308", "1e19", "1000000000000000001000", "1" * 400]


@pytest.mark.parametrize(
    ("value", "says"),
    [
        *((v, "10¹⁸") for v in TOO_LARGE),
        (".inf", "finite"),
        ("-.inf", "finite"),
        (".nan", "finite"),
    ],
)
@pytest.mark.parametrize("fmt", ["number", "percent", "money"])
def test_chart_value_beyond_the_bound_is_a_positioned_error(
    value: str,
    says: str,
    fmt: str,
    tmp_path: Path,
    minimal_text: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, line = chart_brief(tmp_path, minimal_text, value, fmt=fmt)
    for command in ("validate", "build"):
        extra = ["--format", "html", "--out", str(tmp_path / "out")] if command == "build" else []
        message = one_error(capsys, [command, str(path), *extra])
        assert re.match(
            rf"^{re.escape(str(path))}:{line}:\d+: findings\[0\]\.chart\.data\[0\]"
            rf"\.change: .*{says}",
            message,
        ), message
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("value", ["1e308", "-1e19", "1e400"])
def test_csv_value_beyond_the_bound_is_a_positioned_error(
    value: str, tmp_path: Path, minimal_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path, line = chart_brief(tmp_path, minimal_text, value, csv=True)
    message = one_error(capsys, ["validate", str(path)])
    assert re.match(
        rf"^{re.escape(str(path))}:{line}:\d+: findings\[0\]\.chart\.csv: "
        r"values\.csv line 2, column 'change': .*10¹⁸",
        message,
    ), message


@pytest.mark.parametrize("value", ["1e308", ".inf", ".nan", "1e19"])
def test_money_amount_beyond_the_bound_is_a_positioned_error(
    value: str, tmp_path: Path, minimal_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text = minimal_text.replace("amount: 589000000000", f"amount: {value}")
    path = tmp_path / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if f"amount: {value}" in t)
    message = one_error(capsys, ["validate", str(path)])
    assert re.match(
        rf"^{re.escape(str(path))}:{line}:\d+: key_figures\[0\]\.amount\.amount: ", message
    ), message


@pytest.mark.parametrize(
    ("kind", "fmt", "value", "second"),
    [
        ("bar", "money", "1e18", "-1e18"),
        ("stacked-bar", "money", "1e18", "1e18"),  # the stack's total is 2·10¹⁸
        ("bar", "number", "-1e18", "1e-300"),
        ("line", "percent", "1e18", "0.5e18"),
        ("bar", "number", "1e-300", "2e-300"),
    ],
)
def test_values_inside_the_bound_build(
    kind: str,
    fmt: str,
    value: str,
    second: str,
    tmp_path: Path,
    minimal_text: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path, _ = chart_brief(tmp_path, minimal_text, value, fmt=fmt, kind=kind, second=second)
    text = path.read_text(encoding="utf-8")
    if kind == "line":
        text = text.replace("company: a", "company: 2024").replace("company: b", "company: 2025")
        path.write_text(text, encoding="utf-8")
    code = run(
        [
            "build",
            str(path),
            "--format",
            "html",
            "--audience",
            "government",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    html = (tmp_path / "out" / "minimal" / "government.en.html").read_text(encoding="utf-8")
    # No label is absurdly long: a bounded number is written in at most a few dozen characters.
    longest = max(len(t) for t in re.findall(r"<text[^>]*>([^<]*)</text>", html))
    assert longest < 60, longest
