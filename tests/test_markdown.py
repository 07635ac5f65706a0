"""Markdown in every block context: Korean dates stay text, nested lists nest as CommonMark
nests them, footnotes are numbered apart from sources and set at their call, and runs of
marks are one superscript, tight against the word before and the punctuation after."""

from __future__ import annotations

import re

import pytest
from markupsafe import Markup

from briefs.text.markdown import MarkdownRenderer, cited, convert, to_html


def _shape(html: str) -> str:
    """The fragment's tags and text, whitespace between tags dropped, for comparison."""
    return re.sub(r">\s+<", "><", html).strip()


# A year that starts a block is kept, in every container Markdown re-reads as blocks.
DATES = [
    ("2025. 1. 27. 통계청 발표", "<p>2025. 1. 27. 통계청 발표</p>"),
    ("- 2025. 1. 27. 발표", "<ul><li>2025. 1. 27. 발표</li></ul>"),
    ("1. 2026. 하반기까지 공개", "<ol><li>2026. 하반기까지 공개</li></ol>"),
    ("3. 2025. 11. 기준 집계", '<ol start="3"><li>2025. 11. 기준 집계</li></ol>'),
    (
        "1. 첫째\n    1. 2025. 3. 18. 의결",
        "<ol><li>첫째<ol><li>2025. 3. 18. 의결</li></ol></li></ol>",
    ),
    (
        "- 첫째\n    - 2025. 12. 9. 회의",
        "<ul><li>첫째<ul><li>2025. 12. 9. 회의</li></ul></li></ul>",
    ),
    ("> 2025. 1. 27. 발표했다", "<blockquote><p>2025. 1. 27. 발표했다</p></blockquote>"),
    ("> - 2025. 1. 발표", "<blockquote><ul><li>2025. 1. 발표</li></ul></blockquote>"),
    ("# 2025. 1. 기준", "<h4>2025. 1. 기준</h4>"),
    (
        "| 시점 | 값 |\n|---|---|\n| 2025. 1. | 3 |",
        '<table class="short"><thead><tr><th scope="col">시점</th><th scope="col">값</th></tr></thead>'
        "<tbody><tr><td>2025. 1.</td><td>3</td></tr></tbody></table>",
    ),
    # A numbered list that is not a year is still a list, and code is left as written.
    ("1. 하나\n2. 둘", "<ol><li>하나</li><li>둘</li></ol>"),
    ("```\n2025. 1.\n```", "<p><code>2025. 1.</code></p>"),
]


@pytest.mark.parametrize(("text", "expected"), DATES, ids=[d[0][:24] for d in DATES])
def test_a_date_at_the_start_of_a_block_stays_text(text: str, expected: str) -> None:
    assert _shape(to_html(text)) == expected


NESTING = [
    # CommonMark nests under an item's text: three spaces under "1. ", two under "- ".
    (
        "1. 하나\n   - 가\n   - 나\n2. 둘",
        "<ol><li>하나<ul><li>가</li><li>나</li></ul></li><li>둘</li></ol>",
    ),
    ("- 하나\n  - 가\n- 둘", "<ul><li>하나<ul><li>가</li></ul></li><li>둘</li></ul>"),
    # Python-Markdown's four spaces give the same lists.
    (
        "1. 하나\n    - 가\n2. 둘",
        "<ol><li>하나<ul><li>가</li></ul></li><li>둘</li></ol>",
    ),
    # A bullet after a numbered sibling starts a list of its own, as in CommonMark.
    (
        "1. 하나\n    1. 가\n    - 나\n2. 둘",
        "<ol><li><p>하나</p><ol><li>가</li></ol><ul><li>나</li></ul></li><li><p>둘</p></li></ol>",
    ),
    # An item after a paragraph of the previous item is an item, not more of the paragraph.
    (
        "1. 하나\n\n   하나의 설명\n2. 둘",
        "<ol><li><p>하나</p><p>하나의 설명</p></li><li><p>둘</p></li></ol>",
    ),
]


@pytest.mark.parametrize(("text", "expected"), NESTING, ids=[n[0][:20] for n in NESTING])
def test_nested_lists_nest_as_commonmark_nests_them(text: str, expected: str) -> None:
    assert _shape(to_html(text)) == expected


def _renderer(*, below: bool) -> tuple[MarkdownRenderer, list[tuple[list[str], list[str]]]]:
    calls: list[tuple[list[str], list[str]]] = []
    numbers = {"a": 1, "b": 2, "c": 3}

    def marks(ids: list[str], notes: list[tuple[str, Markup]]) -> tuple[str, str]:
        calls.append((ids, [str(body) for _, body in notes]))
        labels = [str(numbers[i]) for i in ids] + [f"*{n + 1}" for n in range(len(notes))]
        floats = "".join(f"[fn {i}]" for i in ids) + "".join(f"[note {b}]" for _, b in notes)
        return f"<sup>{','.join(labels)}</sup>", floats

    return MarkdownRenderer(marks, notes_below=below), calls


def test_adjacent_marks_are_one_superscript_tight_against_word_and_punctuation() -> None:
    renderer, calls = _renderer(below=True)
    html = renderer.render("수립함 [@a] [@b]. 그리고 [@c] 이어짐", inline=True)
    assert html == "수립함<sup>1,2</sup>. 그리고<sup>3</sup> 이어짐" + (
        '<span class="md-notes">[fn a][fn b][fn c]</span>'
    )
    assert calls == [(["a", "b"], []), (["c"], [])]


def test_a_footnote_is_taken_out_of_the_text_and_called_at_its_mark() -> None:
    text = "합계출산율[^tfr]은 0.80명 [@a].\n\n[^tfr]: 2026. 2. 25. 발표된 잠정치 기준 [@b]."
    converted = convert(text)
    assert "[^" not in converted.html and "잠정치" not in converted.html
    assert converted.notes == ("2026. 2. 25. 발표된 잠정치 기준 \ue000b\ue001.",)
    # The note's citation is read where the note is called: before the text's own.
    assert list(cited(text)) == ["b", "a"]
    renderer, calls = _renderer(below=False)
    html = renderer.render(text)
    assert calls[0] == (["b"], [])  # the note's own mark, set inside the note
    assert calls[1][0] == [] and calls[1][1] == ["2026. 2. 25. 발표된 잠정치 기준<sup>2</sup>."]
    # In the PDF the note floats from its call; its source's footnote beside it, not in it.
    assert html.startswith(
        "<p>합계출산율<sup>*1</sup>[note 2026. 2. 25. 발표된 잠정치 기준<sup>2</sup>.]"
    )
    assert "[fn b]" in html and "[note" in html and html.index("[fn b]") > html.index("[note")


def test_a_footnote_of_several_lines_and_paragraphs_is_one_note() -> None:
    text = "본문[^n]\n\n[^n]: 첫 줄\n    이어지는 줄\n\n    둘째 문단\n\n다음 문단"
    converted = convert(text)
    assert converted.notes == ("첫 줄\n이어지는 줄<br>둘째 문단",)
    assert "다음 문단" in converted.html and "이어지는" not in converted.html


def test_a_call_without_a_definition_is_left_as_written() -> None:
    assert "[^x]" in to_html("본문[^x]")


@pytest.mark.parametrize(("rows", "short"), [(1, True), (6, True), (7, False)])
def test_a_table_of_six_rows_or_fewer_is_marked_short(rows: int, short: bool) -> None:
    """``table.short`` (kept on one page in the PDF) for up to six body rows, the header apart."""
    text = "| a | b |\n|---|---|\n" + "".join(f"| {n} | x |\n" for n in range(rows))
    html = to_html(text)
    assert html.startswith('<table class="short">' if short else "<table>"), html
