"""The ``briefs`` command: what it writes and where, what it prints, help, version, and that
an HTML-only build never imports WeasyPrint."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest

from briefs.cli.main import cli, run
from briefs.version import __version__

AUDIENCES = ["government", "industry", "startups", "public"]
WROTE = re.compile(r"^wrote (?P<path>\S+) \((?P<size>[\d,]+) bytes(?:, (?P<pages>\d+) pages)?\)$")


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, minimal_path: Path) -> Path:
    """tmp_path as the working folder, with the fixture brief in it as brief.yaml."""
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(minimal_path, tmp_path / "brief.yaml")
    return tmp_path


def files_under(folder: Path) -> set[Path]:
    return (
        {p.relative_to(folder) for p in folder.rglob("*") if p.is_file()}
        if folder.exists()
        else set()
    )


def wrote_lines(out: str) -> list[Path]:
    paths = []
    for line in out.splitlines():
        match = WROTE.match(line)
        assert match, f"unexpected output line: {line!r}"
        paths.append(Path(match["path"]))
    return paths


def test_build_html_writes_every_edition(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["build", "brief.yaml", "--out", "out", "--format", "html"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    written = wrote_lines(captured.out)
    expected = {
        Path("out/minimal") / f"{a}.{lang}.html" for a in AUDIENCES for lang in ("ko", "en")
    }
    assert set(written) == expected
    assert len(written) == len(expected)  # one line per output
    for path in expected:
        assert (work / path).is_file()
        assert (work / path).stat().st_size > 1000
    assert files_under(work / "out") == {p.relative_to("out") for p in expected}


def test_build_html_is_a_complete_document(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        run(
            [
                "build",
                "brief.yaml",
                "--out",
                "out",
                "--format",
                "html",
                "--lang",
                "ko",
                "--audience",
                "public",
            ]
        )
        == 0
    )
    html = (work / "out/minimal/public.ko.html").read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert '<html lang="ko">' in html
    assert "최소 브리프" in html
    assert "약\u00a05,890억\u00a0달러" in html
    assert "\u2060" not in html  # word joiners are for the PDF only


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--lang", "ko"], {f"{a}.ko.html" for a in AUDIENCES}),
        (["--audience", "government"], {"government.ko.html", "government.en.html"}),
        (["-l", "en", "-a", "industry", "-a", "public"], {"industry.en.html", "public.en.html"}),
    ],
    ids=["lang", "audience", "both-short"],
)
def test_build_selects_editions(
    args: list[str], expected: set[str], work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["build", "brief.yaml", "--out", "out", "--format", "html", *args]) == 0
    written = wrote_lines(capsys.readouterr().out)
    assert {p.name for p in written} == expected
    assert {p.name for p in (work / "out/minimal").iterdir()} == expected


def test_build_pdf_and_html(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["build", "brief.yaml", "--out", "out", "--lang", "ko", "--audience", "government"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    lines = captured.out.splitlines()
    assert [WROTE.match(line)["path"] for line in lines] == [  # type: ignore[index]
        "out/minimal/government.ko.html",
        "out/minimal/government.ko.pdf",
    ]
    pdf_line = WROTE.match(lines[1])
    assert pdf_line is not None and int(pdf_line["pages"]) >= 1
    assert (work / "out/minimal/government.ko.pdf").read_bytes().startswith(b"%PDF-")
    # Nothing but the two outputs, no temporary files left behind, nothing beside the brief.
    assert files_under(work) == {
        Path("brief.yaml"),
        Path("out/minimal/government.ko.html"),
        Path("out/minimal/government.ko.pdf"),
    }


def test_unknown_audience_option(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["build", "brief.yaml", "--out", "out", "--audience", "ministers"])
    captured = capsys.readouterr()
    assert code == 1
    assert "audience 'ministers' is not defined" in captured.err
    assert "Traceback" not in captured.err
    assert files_under(work / "out") == set()


def test_validate_prints_ok(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["validate", "brief.yaml"]) == 0
    captured = capsys.readouterr()
    assert captured.out == "brief.yaml: ok\n"
    assert captured.err == ""
    assert files_under(work) == {Path("brief.yaml")}


def test_invalid_brief_writes_nothing(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (work / "brief.yaml").read_text(encoding="utf-8")
    (work / "brief.yaml").write_text(text.replace("sources: [src-a]", "sources: [nope]", 1))
    code = run(["build", "brief.yaml", "--out", "out"])
    captured = capsys.readouterr()
    assert code == 1
    assert captured.out == ""
    assert "unknown source id 'nope'" in captured.err
    assert files_under(work / "out") == set()
    assert files_under(work) == {Path("brief.yaml")}


def test_outputs_stay_inside_out(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # A brief id is a slug, so it cannot climb out of --out; outputs land only there.
    text = (work / "brief.yaml").read_text(encoding="utf-8")
    (work / "brief.yaml").write_text(text.replace("id: minimal", "id: ../../escape", 1))
    assert run(["build", "brief.yaml", "--out", "deep/out", "--format", "html"]) == 1
    capsys.readouterr()
    assert files_under(work) == {Path("brief.yaml")}


def test_absolute_out_folder(
    work: Path, tmp_path_factory: pytest.TempPathFactory, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path_factory.mktemp("elsewhere") / "site"
    assert (
        run(
            [
                "build",
                "brief.yaml",
                "--out",
                str(out),
                "--format",
                "html",
                "--lang",
                "en",
                "--audience",
                "startups",
            ]
        )
        == 0
    )
    (written,) = wrote_lines(capsys.readouterr().out)
    assert written == out / "minimal" / "startups.en.html"
    assert files_under(out) == {Path("minimal/startups.en.html")}
    assert files_under(work) == {Path("brief.yaml")}


# -- help and version ------------------------------------------------------------------------


def _command_paths(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    paths = []
    for name, command in group.commands.items():
        paths.append((*prefix, name))
        if isinstance(command, click.Group):
            paths += _command_paths(command, (*prefix, name))
    return paths


def _check_help(
    path: tuple[str, ...], command: click.Command, capsys: pytest.CaptureFixture[str]
) -> None:
    assert command.help and command.help.strip(), f"{' '.join(path)} has no help"
    for param in command.params:
        if isinstance(param, click.Option):
            assert param.help, f"{' '.join(path)} {param.opts} has no help"
    assert run([*path, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"Usage: briefs {' '.join(path)}")
    first = command.help.strip().split("\n\n")[0]
    assert " ".join(first.split()) in " ".join(out.split())
    assert run([*path, "-h"]) == 0
    assert capsys.readouterr().out == out


@pytest.mark.parametrize("command", list(cli.commands.values()), ids=lambda c: c.name)
def test_every_command_has_help(command: click.Command, capsys: pytest.CaptureFixture[str]) -> None:
    assert command.name is not None
    _check_help((command.name,), command, capsys)
    if isinstance(command, click.Group):
        for path in _command_paths(command, (command.name,)):
            sub = command
            for part in path[1:]:
                sub = sub.commands[part]  # type: ignore[attr-defined]
            _check_help(path, sub, capsys)


def test_group_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Usage: briefs")
    for name in cli.commands:
        assert re.search(rf"^\s+{name}\s", out, re.M), name


def test_no_arguments_shows_usage(capsys: pytest.CaptureFixture[str]) -> None:
    code = run([])
    captured = capsys.readouterr()
    assert code in (0, 2)
    assert "Usage: briefs" in captured.out + captured.err


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0
    assert capsys.readouterr().out.strip() == f"briefs, version {__version__}"
    assert re.fullmatch(r"\d+\.\d+\.\d+\S*", __version__)


def test_python_m_briefs_help(tmp_path: Path, child_env: Callable[..., dict[str, str]]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "briefs", "--help"],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Usage: briefs")
    assert "build" in done.stdout and "validate" in done.stdout


def test_python_m_briefs_exit_codes(
    tmp_path: Path, child_env: Callable[..., dict[str, str]], minimal_path: Path
) -> None:
    def briefs(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "briefs", *args],
            capture_output=True,
            text=True,
            env=child_env(),
            cwd=tmp_path,
            timeout=60,
        )

    assert briefs("validate", str(minimal_path)).returncode == 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("id: [\n", encoding="utf-8")
    done = briefs("validate", str(bad))
    assert done.returncode == 1
    assert done.stderr.startswith("bad.yaml:2:1: YAML syntax error")
    assert "Traceback" not in done.stderr
    assert briefs("validate", "--bogus").returncode == 2


# -- import cost -----------------------------------------------------------------------------


def test_html_only_build_does_not_import_weasyprint(
    tmp_path: Path, minimal_path: Path, child_env: Callable[..., dict[str, str]]
) -> None:
    code = (
        "import sys\n"
        "from briefs.cli.main import run\n"
        f"code = run(['build', {str(minimal_path)!r}, '--out', 'out', '--format', 'html'])\n"
        "assert code == 0, code\n"
        "print('weasyprint' in sys.modules, any(m.startswith('weasyprint.') for m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "False False"
    assert (tmp_path / "out/minimal/government.ko.html").is_file()
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_validate_does_not_import_weasyprint(
    tmp_path: Path, minimal_path: Path, child_env: Callable[..., dict[str, str]]
) -> None:
    code = (
        "import sys\n"
        "from briefs.cli.main import run\n"
        f"assert run(['validate', {str(minimal_path)!r}]) == 0\n"
        "print('weasyprint' in sys.modules)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=child_env(),
        cwd=tmp_path,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "False"


def test_cli_module_has_no_side_effects_on_cwd(
    tmp_path: Path, child_env: Callable[..., dict[str, str]]
) -> None:
    before = set(os.listdir(tmp_path))
    subprocess.run(
        [sys.executable, "-m", "briefs", "--version"],
        env=child_env(),
        cwd=tmp_path,
        capture_output=True,
        timeout=60,
        check=True,
    )
    assert set(os.listdir(tmp_path)) == before


@pytest.mark.parametrize("relative", ["../x.html", "/etc/x.html", "a/../../x.html", ".", "a/.."])
def test_output_paths_outside_out_are_refused(relative: str, tmp_path: Path) -> None:
    from briefs.errors import BriefError
    from briefs.fs import inside

    with pytest.raises(BriefError, match="outside"):
        inside(tmp_path / "out", relative)


def test_output_path_through_a_symlink_out_is_refused(tmp_path: Path) -> None:
    from briefs.errors import BriefError
    from briefs.fs import inside

    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out" / "minimal").symlink_to(tmp_path / "elsewhere")
    with pytest.raises(BriefError, match="outside"):
        inside(tmp_path / "out", "minimal/government.ko.html")
    assert (
        inside(tmp_path / "out", "other/government.ko.html")
        == (tmp_path / "out" / "other" / "government.ko.html").resolve()
    )


@pytest.mark.parametrize(
    "args",
    [["-q", "validate", "brief.yaml"], ["validate", "brief.yaml", "-q"], ["validate", "-q", "brief.yaml"],
     ["validate", "brief.yaml", "--quiet"]],
)  # fmt: skip
def test_quiet_works_before_and_after_the_command(
    work: Path, args: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(args) == 0
    assert capsys.readouterr().out == ""


def test_each_run_has_its_own_console(work: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--quiet of one run does not silence the next (no module-level state)."""
    assert run(["validate", "brief.yaml", "-q"]) == 0
    assert run(["validate", "brief.yaml"]) == 0
    assert capsys.readouterr().out == "brief.yaml: ok\n"


@pytest.mark.parametrize("flag", ["-v", "--verbose"])
def test_verbose_after_the_command_shows_tracebacks(
    work: Path, flag: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import briefs.cli.build

    def broken(*_args: object, **_kwargs: object) -> None:
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr(briefs.cli.build, "display_path", broken)  # a bug inside the command
    assert run(["validate", "brief.yaml", flag]) == 1
    err = capsys.readouterr().err
    assert "Traceback" in err and "internal error: ZeroDivisionError: a bug" in err
    assert run(["validate", "brief.yaml"]) == 1
    assert "Traceback" not in capsys.readouterr().err


def _commands() -> list[list[str]]:
    found = []
    for name, command in sorted(cli.commands.items()):
        found.append([name])
        if isinstance(command, click.Group):
            found += [[name, sub] for sub in sorted(command.commands)]
    return found


@pytest.mark.parametrize("words", _commands(), ids=" ".join)
@pytest.mark.parametrize("flag", ["-q", "--quiet", "-v", "--verbose"])
def test_output_flags_work_before_and_after_every_command(
    words: list[str], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run([flag, *words, "--help"]) == 0
    assert run([*words, flag, "--help"]) == 0, capsys.readouterr().err


@pytest.mark.slow
def test_verbose_build_reports_the_pdf_layouts(
    work: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # Issue 21: how often a PDF needs another layout (a footnote brought back, or no room for
    # contents) is reported. The fixture brief is too short for contents: each of its PDFs
    # is laid out with them, then again without.
    code = run(["build", "brief.yaml", "--out", "out", "-f", "pdf", "-a", "government", "-v"])
    out = capsys.readouterr().out
    assert code == 0
    assert out.splitlines()[-1] == "PDF layouts: 4 for 2 PDFs (2 laid out more than once)"
    run(["build", "brief.yaml", "--out", "out", "-f", "pdf", "-a", "government"])
    assert "PDF layouts" not in capsys.readouterr().out
