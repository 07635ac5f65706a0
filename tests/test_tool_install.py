"""The built wheel installs as a command-line tool with ``pipx install`` and with
``uv tool install``, each into its own temporary home, and the installed ``briefs`` prints
its version, builds a brief to PDF and publishes it with its search index.

Both take their packages from the indexes this machine's pip is configured with (``pip
config list``: its configuration files and ``PIP_*`` variables), so a test run reaches only
what ``pip install`` would: pipx runs pip, which reads that configuration itself; uv does
not read pip's, so the same indexes, local wheel folders and constraints are given to it
as options. Slow: a wheel build, then a tool install whose dependencies come from the index.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from briefs.version import __version__
from tests.test_wheel import clean_env, run, wheel

pytestmark = pytest.mark.slow

__all__ = ["wheel"]  # a fixture of tests/test_wheel.py (the wheel built from the checkout)


def pip_configuration() -> dict[str, list[str]]:
    """What this machine's pip uses to find packages: its index, extra indexes, local wheel
    folders and constraint files, as ``pip config list`` reports them (the ``PIP_*``
    variables last, as pip lets them win)."""
    listed = subprocess.run(
        [sys.executable, "-m", "pip", "config", "list"],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    found: dict[str, list[str]] = {}
    for line in listed.splitlines():
        match = re.fullmatch(r"[^.]*\.([a-z-]+)='(.*)'", line.strip())
        if match and match[1] in {"index-url", "extra-index-url", "find-links", "constraint"}:
            found[match[1]] = match[2].split()
    return found


def uv_index_options() -> list[str]:
    """pip's configuration as ``uv`` options: the same indexes, and pip's choice of the best
    version over all of them (uv's default takes the first index that has a package)."""
    config = pip_configuration()
    options = ["--index-strategy", "unsafe-best-match"]
    for url in config.get("index-url", []):
        options += ["--default-index", url]
    for url in config.get("extra-index-url", []):
        options += ["--index", url]
    for folder in config.get("find-links", []):
        options += ["--find-links", folder]
    for path in config.get("constraint", []):
        options += ["--constraints", path]
    return options


def _builds_a_pdf(briefs: Path, folder: Path, minimal_path: Path) -> None:
    """The installed command: its version, then a brief built to PDF in an unrelated folder."""
    done = run([briefs, "--version"], cwd=folder)
    assert done.stdout.strip() == f"briefs, version {__version__}"
    work = folder / "work"
    work.mkdir()
    shutil.copyfile(minimal_path, work / "brief.yaml")
    run(
        [briefs, "build", "brief.yaml", "--lang", "ko", "--audience", "government"],
        cwd=work,
        timeout=120,
    )
    pdf = work / "public" / "minimal" / "government.ko.pdf"
    assert pdf.is_file() and pdf.read_bytes().startswith(b"%PDF-")
    # a publish indexes its site with the Pagefind binary the tool's environment holds
    run([briefs, "publish", ".", "--format", "html", "--out", "site"], cwd=work, timeout=120)
    assert (work / "site" / "pagefind" / "pagefind-entry.json").is_file()


def _installed_in(command: Path, home: Path) -> None:
    """The command on the tool's bin folder is a link into the tool's own environment."""
    assert command.is_file(), sorted(p.name for p in command.parent.iterdir())
    assert command.resolve().is_relative_to(home.resolve()), command.resolve()


def test_pipx_installs_the_wheel_as_a_tool(wheel: Path, tmp_path: Path, minimal_path: Path) -> None:
    pytest.importorskip("pipx", reason="pipx is in the [test] extra")
    home, bin_dir = tmp_path / "pipx-home", tmp_path / "pipx-bin"
    env = clean_env(
        PIPX_HOME=str(home), PIPX_BIN_DIR=str(bin_dir), PIPX_MAN_DIR=str(tmp_path / "pipx-man")
    )
    run([sys.executable, "-m", "pipx", "install", wheel], cwd=tmp_path, timeout=300, env=env)
    briefs = bin_dir / "briefs"
    _installed_in(briefs, home)
    _builds_a_pdf(briefs, tmp_path, minimal_path)


def test_uv_installs_the_wheel_as_a_tool(wheel: Path, tmp_path: Path, minimal_path: Path) -> None:
    pytest.importorskip("uv", reason="uv is in the [test] extra")
    from uv import find_uv_bin

    tools, bin_dir = tmp_path / "uv-tools", tmp_path / "uv-bin"
    env = clean_env(
        UV_TOOL_DIR=str(tools),
        UV_TOOL_BIN_DIR=str(bin_dir),
        UV_PYTHON_DOWNLOADS="never",  # the machine's Python, as pipx uses
        UV_NO_CONFIG="1",  # no uv.toml of the user's: the options below say it all
    )
    run(
        [
            find_uv_bin(), "tool", "install", "--python", sys.executable, *uv_index_options(),
            wheel,
        ],
        cwd=tmp_path,
        timeout=300,
        env=env,
    )  # fmt: skip
    briefs = bin_dir / "briefs"
    _installed_in(briefs, tools)
    _builds_a_pdf(briefs, tmp_path, minimal_path)
