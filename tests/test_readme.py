"""The README's worked example is real: it validates, builds, and its errors read as shown."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefs.cli.main import run

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
EXAMPLE = re.search(r"```yaml\n(.*?)```", README, re.S)


@pytest.fixture
def example(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    assert EXAMPLE, "README lost its YAML example"
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "hbm-note.yaml"
    path.write_text(EXAMPLE.group(1), encoding="utf-8")
    return path


def test_example_builds_the_files_the_readme_lists(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["build", example.name, "--format", "html"]) == 0
    printed = capsys.readouterr().out
    listed = re.findall(r"^wrote (public/\S+\.html)", README, re.M)
    assert listed and all(f"wrote {name} (" in printed for name in listed)


def test_example_errors_read_as_the_readme_shows(
    example: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = example.read_text(encoding="utf-8")
    text = text.replace("    confidence: high", "    confidnce: high", 1)
    text = text.replace("        sources: [counterpoint]", "        sources: [counterpont]", 1)
    example.write_text(text, encoding="utf-8")
    assert run(["validate", example.name]) == 1
    shown = re.findall(r"^(hbm-note\.yaml:\d+:\d+: .*)$", README, re.M)
    assert capsys.readouterr().err.splitlines() == shown


LIBRARY = re.search(r"### Use it as a library\n.*?```python\n(.*?)```", README, re.S)


def test_library_example_runs(example: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert LIBRARY, "README lost its library example"
    exec(compile(LIBRARY.group(1), "README.md", "exec"), {})
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "The HBM market"  # the example's English title
    assert (example.parent / "site" / "hbm-note" / "government.en.html").is_file()
    assert any(line.split()[0].endswith("site/hbm-note/government.ko.html") for line in printed)


def test_public_api_is_declared_and_documented() -> None:
    import briefs

    for name in briefs.__all__:
        value = getattr(briefs, name)
        if callable(value):
            assert value.__doc__, f"briefs.{name} has no docstring"
    with pytest.raises(AttributeError):
        _ = briefs.no_such_name  # type: ignore[attr-defined]
