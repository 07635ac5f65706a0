"""Mistakes a newcomer makes, and the message each must get: where, what, and what to do.

Each row changes the minimal brief the way people get it wrong, and gives the exact line the
user must read (written from what the user needs, not copied from the output). The offending
line is shown under it with a caret at the column.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from briefs.cli.main import run

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "minimal.yaml"
BASE = FIXTURE.read_text("utf-8")


@dataclass(frozen=True)
class Mistake:
    name: str
    old: str
    new: str
    expected: str
    """The first line printed, after ``brief.yaml:``."""


MISTAKES = [
    Mistake("tab in the indentation", "  - id: shock\n    title:", "  - id: shock\n\ttitle:",
            "19:1: a tab in the indentation — YAML indents with spaces only: replace the tab "
            "with spaces"),
    Mistake("under-indented key", "    confidence: high", "   confidence: high",
            "23:4: indentation: this line starts at column 4, the line above (line 22) at column "
            "7 — items of one list or mapping must start in the same column; check which of the "
            "two lines is off"),
    Mistake("over-indented ko:", "summary:\n  ko:", "summary:\n    ko:",
            "11:3: indentation: this line starts at column 3, the line above (line 10) at column "
            "5 — items of one list or mapping must start in the same column; check which of the "
            "two lines is off"),
    Mistake("unquoted ': ' in a title", "title: {ko: 최소 브리프, en: Minimal brief}",
            "title: 최소 브리프: 시험",
            "3:14: a ': ' inside a text reads as a new key — put the text in quotes: "
            'title: "최소 브리프: 시험"'),
    Mistake("full-width space after a key", "date: 2025-01-27", "date:\u30002025-01-27",
            "4:6: a full-width space (U+3000) where YAML needs an ASCII one — typed with a "
            "Korean input method? retype it in English input mode"),
    Mistake("full-width colon", "series: T-1", "series： T-1",
            "2:7: a full-width colon (U+FF1A) where YAML needs an ASCII one — typed with a "
            "Korean input method? retype it in English input mode"),
    Mistake("full-width spaces as indentation", "    confidence: high", "\u3000\u3000confidence: high",
            "23:1: a full-width space (U+3000) where YAML needs an ASCII one — typed with a "
            "Korean input method? retype it in English input mode"),
    Mistake("unclosed {", "title: {ko: 최소 브리프, en: Minimal brief}",
            "title: {ko: 최소 브리프, en: Minimal brief",
            "3:8: the '{' here is never closed by a '}' — add '}' at the end of line 3, or quote "
            "a text that holds ',' or '}'"),
    Mistake("unclosed quote", "series: T-1", 'series: "T-1',
            "2:9: a quoted text starts here and is never closed — add the closing quote at the "
            "end of the text"),
    Mistake("no space after '-' in a list", "authors:\n  - name", "authors:\n  -name",
            "7:3: authors.-name: a list item needs a space after '-' — write '- name: …'"),
    Mistake("misspelt field", "    confidence: high", "    confidnce: high",
            "23:5: findings[0].confidnce: unknown field — did you mean 'confidence'?"),
    Mistake("mistyped source id", "        sources: [src-a]\n    notes:",
            "        sources: [src-aa]\n    notes:",
            "26:19: findings[0].evidence[0].sources[0]: unknown source id 'src-aa' — did you "
            "mean 'src-a'?"),
    Mistake("mapping lacking a language", "label: {ko: 시가총액 감소, en: Market value lost}",
            "label: {ko: 시가총액 감소}",
            "15:12: key_figures[0].label: missing translation (en) — add en: …"),
    Mistake("plain text lacking a language", "label: {ko: 시가총액 감소, en: Market value lost}",
            "label: 시가총액 감소",
            "15:12: key_figures[0].label: missing translation (en) — write it as "
            "{ko: …, en: …}"),
    Mistake("typo inside a misspelt section",
            "recommendations:\n  - id: compute", "recomendations:\n  - id: compute",
            "29:1: recomendations: unknown field — did you mean 'recommendations'?"),
]  # fmt: skip


def test_a_misspelt_section_does_not_hide_a_typo_inside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    text = BASE.replace("recommendations:", "recomendations:", 1).replace(
        "    owner:", "    owener:", 1
    )
    Path("brief.yaml").write_text(text, "utf-8")
    assert run(["validate", "brief.yaml"]) == 1
    lines = [ln for ln in capsys.readouterr().err.splitlines() if not ln.startswith(" ")]
    assert lines == [
        "brief.yaml:29:1: recomendations: unknown field — did you mean 'recommendations'?",
        "brief.yaml:33:5: recomendations[0].owener: unknown field — did you mean 'owner'?",
    ]


@pytest.mark.parametrize("mistake", MISTAKES, ids=[m.name for m in MISTAKES])
def test_each_mistake_reads_as_what_to_do(
    mistake: Mistake, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:  # fmt: skip
    assert mistake.old in BASE, "the fixture changed: update the row"
    monkeypatch.chdir(tmp_path)
    text = BASE.replace(mistake.old, mistake.new, 1)
    Path("brief.yaml").write_text(text, "utf-8")
    assert run(["validate", "brief.yaml"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == f"brief.yaml:{mistake.expected}"
    line, col = (int(n) for n in mistake.expected.split(":")[:2])
    if (
        "YAML" in mistake.expected
        or "indent" in mistake.expected
        or "quote" in mistake.expected
        or "closed" in mistake.expected
        or "full-width" in mistake.expected
    ):
        # a syntax error shows its line with a caret under the column
        assert lines[1].split("|", 1)[0].strip() == str(line)
        assert lines[1].split("| ", 1)[1] == text.splitlines()[line - 1].replace("\t", " ")
        assert lines[2].index("^") - lines[2].index("|") - 2 >= col - 1
