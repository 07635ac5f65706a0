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
    brief.write_text(brief.read_text("utf-8") + "lint: {disable: [source-without-url]}\n", "utf-8")
    assert run(["lint", str(brief), "--strict"]) == 0
    assert capsys.readouterr().out.strip() == f"{brief}: ok"


def test_invalid_brief_is_a_positioned_error(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    brief = tmp_path / "bad.yaml"
    brief.write_text("id: x\ntitle: [\n", "utf-8")
    assert run(["lint", str(brief)]) == 1
    assert capsys.readouterr().err.startswith(f"{brief}:3:1: YAML syntax error")
