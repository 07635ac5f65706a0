"""`briefs lint` on the command line: output lines and exit codes."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefs.cli.main import run

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"


def _brief(tmp_path: Path, old: str = "", new: str = "") -> Path:
    text = MINIMAL.read_text("utf-8")
    assert old in text
    path = tmp_path / "brief.yaml"
    path.write_text(text.replace(old, new, 1), "utf-8")
    return path


def test_warnings_exit_0_unless_strict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = _brief(tmp_path)  # src-b has no URL: a warning
    assert run(["lint", str(brief)]) == 0
    out = capsys.readouterr().out
    assert f"{brief}:" in out and "warning[source-without-url]" in out
    assert run(["lint", str(brief), "--strict"]) == 1


def test_errors_exit_1(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = _brief(tmp_path, "        sources: [src-a]\n", "        sources: []\n")
    assert run(["lint", str(brief)]) == 1
    assert "error[evidence-without-source]" in capsys.readouterr().out


def test_disabled_rules_are_quiet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    brief = _brief(tmp_path)
    # src-b has no URL, and src-a is dated the day after the brief.
    disable = "lint: {disable: [source-without-url, source-after-date]}\n"
    brief.write_text(brief.read_text("utf-8") + disable, "utf-8")
    assert run(["lint", str(brief), "--strict"]) == 0
    assert capsys.readouterr().out.strip() == f"{brief}: ok"


def test_invalid_brief_is_a_positioned_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = tmp_path / "bad.yaml"
    brief.write_text("id: x\ntitle: [\n", "utf-8")
    assert run(["lint", str(brief)]) == 1
    assert capsys.readouterr().err.startswith(f"{brief}:3:1: YAML syntax error")


def test_a_folder_is_linted_as_a_catalogue(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = MINIMAL.read_text("utf-8")
    (tmp_path / "a.yaml").write_text(text, "utf-8")
    (tmp_path / "b.yaml").write_text(text.replace("id: minimal", "id: other", 1), "utf-8")
    (tmp_path / "notes.txt").write_text("not a brief", "utf-8")
    assert run(["lint", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    repeats = [line.split(": warning")[0] for line in lines if "[duplicate-text]" in line]
    # The later brief's item texts of 20 letters or more; not 국가 AI 컴퓨팅 센터 조기 구축 필요
    # (15) nor 시장 충격, and nothing of the earlier brief.
    file_lines = text.splitlines()
    expected = []
    for sentence in (
        "고대역폭 메모리(HBM)",
        "Concern about",
        "Expand computing infrastructure",
        "Build the national AI computing centre early",
    ):
        n = next(i for i, line in enumerate(file_lines) if sentence in line)
        expected.append(f"{tmp_path / 'b.yaml'}:{n + 1}:{file_lines[n].index(sentence) + 1}")
    assert repeats == expected
    assert run(["lint", str(tmp_path / "a.yaml"), str(tmp_path / "b.yaml")]) == 0
    assert "[duplicate-text]" not in capsys.readouterr().out


def test_an_empty_folder_is_an_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["lint", str(tmp_path)]) == 1
    assert capsys.readouterr().err.strip() == f"briefs: no briefs (*.yaml) in {tmp_path}"
