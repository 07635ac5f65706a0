"""The wheel is complete: built from the checkout, installed in a fresh venv, it builds a brief
from an unrelated folder with its bundled templates and fonts.

Slow (a wheel build and a ``pip install`` whose dependencies come from the package index).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import venv
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without anything pointing at the checkout or its venv."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME", "SOURCE_DATE_EPOCH"}
    }
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env.update(extra)
    return env


def run(
    args: list[str | Path], *, cwd: Path, timeout: float = 120, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env or clean_env(),
    )
    assert done.returncode == 0, (
        f"{' '.join(map(str, args))} exited {done.returncode}\n{done.stdout[-3000:]}\n"
        f"{done.stderr[-3000:]}"
    )
    return done


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    dist = tmp_path_factory.mktemp("dist")
    args: list[str | Path] = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", dist]
    try:
        import hatchling  # noqa: F401

        args.append("--no-build-isolation")  # the backend is here: no download needed
    except ImportError:
        pass
    # Build from a copy, so the checkout gets no build/ or *.egg-info litter.
    source = tmp_path_factory.mktemp("src") / "briefs"
    shutil.copytree(
        ROOT,
        source,
        ignore=shutil.ignore_patterns(
            ".git", ".venv", "public", "dist", "build", "__pycache__", ".*_cache", "*.egg-info"
        ),
    )
    run([*args, source], cwd=dist, timeout=600)
    (built,) = dist.glob("briefs-*.whl")
    return built


def test_wheel_contains_templates_fonts_and_licence(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for required in [
        "briefs/__init__.py",
        "briefs/cli.py",
        "briefs/py.typed",
        "briefs/templates/base.html.j2",
        "briefs/templates/fonts/PretendardGOV-Regular.ttf",
        "briefs/templates/fonts/PretendardGOV-Bold.ttf",
        "briefs/templates/fonts/OFL-PretendardGOV.txt",
        "briefs/templates/locales/ko.yaml",
        "briefs/templates/locales/en.yaml",
        "briefs/templates/styles/pdf.css",
        "briefs/templates/audiences/government.yaml",
    ]:
        assert required in names, required
    # Every built-in template file is packaged.
    for path in (ROOT / "templates").rglob("*"):
        if path.is_file():
            assert f"briefs/templates/{path.relative_to(ROOT / 'templates')}" in names, path
    assert not [n for n in names if n.startswith(("tests/", "inputs/", "templates/"))]
    entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
    with zipfile.ZipFile(wheel) as archive:
        assert "briefs = briefs.cli.main:main" in archive.read(entry_points).decode()
        licence = archive.read("briefs/templates/fonts/OFL-PretendardGOV.txt").decode("utf-8")
    assert "SIL OPEN FONT LICENSE" in licence.upper()


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with the wheel (and its dependencies from the index) installed."""
    env_dir = tmp_path_factory.mktemp("venv") / "env"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    python = env_dir / "bin" / "python"
    run([python, "-m", "pip", "install", "-q", wheel], cwd=env_dir, timeout=900)
    return env_dir


def test_installed_cli_builds_from_an_unrelated_folder(
    installed: Path,
    tmp_path: Path,
    minimal_path: Path,
    pdf_fonts: Callable[[Path], list[dict[str, str]]],
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.copyfile(minimal_path, elsewhere / "brief.yaml")

    # The package imported is the installed one, not the checkout.
    where = run(
        [installed / "bin" / "python", "-c", "import briefs; print(briefs.__file__)"], cwd=elsewhere
    ).stdout.strip()
    assert Path(where).is_relative_to(installed), where

    done = run(
        [
            installed / "bin" / "briefs",
            "build",
            "brief.yaml",
            "--lang",
            "ko",
            "--audience",
            "government",
        ],
        cwd=elsewhere,
        timeout=300,
    )
    html = elsewhere / "public" / "minimal" / "government.ko.html"
    pdf = elsewhere / "public" / "minimal" / "government.ko.pdf"
    assert html.is_file() and pdf.is_file()
    assert "wrote public/minimal/government.ko.pdf" in done.stdout
    assert "최소 브리프" in html.read_text(encoding="utf-8")
    assert pdf.read_bytes().startswith(b"%PDF-")
    fonts = pdf_fonts(pdf)
    assert fonts and all("Pretendard" in row["name"] for row in fonts), fonts
    assert all(row["emb"] == "yes" for row in fonts)


def test_installed_cli_help_and_version(installed: Path, tmp_path: Path) -> None:
    done = run([installed / "bin" / "briefs", "--version"], cwd=tmp_path)
    from briefs.version import __version__

    assert done.stdout.strip() == f"briefs, version {__version__}"
    assert run(
        [installed / "bin" / "python", "-m", "briefs", "--help"], cwd=tmp_path
    ).stdout.startswith("Usage: briefs")
