"""Text is bounded in size and converted in linear time (issue 14, item 5).

Python-Markdown matches link brackets one character at a time from every ``[``, so a field
of ``[`` or ``![`` took quadratic time (6 KB of ``[``: 6.6 s; 25 KB of ``![``: 51 s), and
footnote calls were found with a regex that backtracked over ``[^[^[^…``. Every text is
now at most ``MAX_TEXT`` characters (a positioned error beyond), and the converter sees
only brackets that can open a link: an unmatched ``[``, or one nested deeper than
``MAX_BRACKET_DEPTH``, is held out of Markdown's way and put back after, so the output is
the same and the time is linear.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from briefs.check.validate import MAX_TEXT
from briefs.cli.main import run
from briefs.text import markdown

PATHOLOGICAL = {
    "image-openers": "![",
    "openers": "[",
    "link-closers": "](",
    "note-calls": "[^",
    "citations": "[@",
    "nested": None,  # [[[[…]]]]
    "link-parens": None,  # [a](((((…
    "attributes": "{",
    "autolinks": "<",
}


def pathological(case: str, size: int) -> str:
    if case == "nested":
        return "[" * (size // 2) + "]" * (size // 2)
    if case == "link-parens":
        return "[a](" + "(" * size
    unit = PATHOLOGICAL[case]
    assert unit is not None
    return (unit * size)[:size]


def cpu(function: object, *args: object) -> float:
    markdown.convert.cache_clear()
    start = time.process_time()
    function(*args)  # type: ignore[operator]
    return time.process_time() - start


@pytest.mark.parametrize("case", list(PATHOLOGICAL))
def test_markdown_conversion_is_linear(case: str) -> None:
    # The longest text a brief may hold, converted in well under a second; and four times
    # the size takes about four times as long, not sixteen.
    small = cpu(markdown.convert, pathological(case, MAX_TEXT // 4))
    large = cpu(markdown.convert, pathological(case, MAX_TEXT))
    assert large < 2.0, f"{case}: {large:.2f} s"
    assert large < 8 * small + 0.2, f"{case}: {small:.3f} s → {large:.3f} s"


@pytest.mark.parametrize(
    ("text", "html"),
    [
        (
            "[a [b](https://x.org/) c",
            '<p>[a <a href="https://x.org/" rel="noopener noreferrer">b</a> c</p>',
        ),
        ("x [ y", "<p>x [ y</p>"),
        ("![alt [img](ok.png", "<p>![alt [img](ok.png</p>"),
        (
            "`[` and [link](https://x.org/)",
            '<p><code>[</code> and <a href="https://x.org/" rel="noopener noreferrer">link</a></p>',
        ),
        ("[" * 12 + "deep" + "]" * 12, "<p>" + "[" * 12 + "deep" + "]" * 12 + "</p>"),
    ],
)
def test_held_brackets_come_back_as_written(text: str, html: str) -> None:
    assert markdown.convert(text).html == html


def test_links_inside_a_few_brackets_still_work() -> None:
    html = markdown.convert("[[see [the report](https://x.org/)]]").html
    assert '<a href="https://x.org/" rel="noopener noreferrer">the report</a>' in html


def test_a_text_over_the_limit_is_a_positioned_error(
    tmp_path: Path, minimal_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "      en: Concern about high-bandwidth memory (HBM) demand grew[@src-b]."
    long = "![" * (MAX_TEXT // 2 + 1)
    text = minimal_text.replace(body, f'      en: "{long}"', 1)
    path = tmp_path / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    line = next(i for i, t in enumerate(text.splitlines(), 1) if long in t)
    for command in ("validate", "lint", "build"):
        extra = ["--format", "html", "--out", str(tmp_path / "out")] if command == "build" else []
        start = time.monotonic()
        code = run([command, str(path), *extra])
        err = capsys.readouterr().err
        assert time.monotonic() - start < 10, command
        assert code == 1, err
        assert re.search(
            rf"^{re.escape(str(path))}:{line}:11: findings\[0\]\.body\.en: "
            rf"{MAX_TEXT + 2:,} characters; a text may have at most {MAX_TEXT:,}",
            err,
            re.M,
        ), err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", ["image-openers", "openers", "note-calls", "citations"])
def test_the_longest_pathological_field_builds_fast(
    case: str, tmp_path: Path, minimal_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "      en: Concern about high-bandwidth memory (HBM) demand grew[@src-b]."
    field = pathological(case, MAX_TEXT).replace("\\", "")
    text = minimal_text.replace(body, "      en: |-\n        " + field + " [@src-b]", 1)
    path = tmp_path / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    start = time.process_time()
    code = run(
        [
            "build",
            str(path),
            "--format",
            "html",
            "--audience",
            "government",
            "-l",
            "en",
            "--out",
            str(tmp_path / "out"),
        ]
    )
    err = capsys.readouterr().err
    assert code in (0, 1), err  # `[@` is a malformed citation: a positioned error
    assert "template error" not in err and "internal error" not in err, err
    assert time.process_time() - start < 10
