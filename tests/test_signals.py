"""Stopping a command stops all of its work: no process outlives it, only whole files remain.

Real commands in child processes: ``build`` and ``publish`` are stopped while their PDF
workers render, ``serve`` while it serves. SIGTERM (what ``timeout``, CI cancellation and
``kill PID`` send) goes to the parent only, as it does in real life; the workers must
notice on their own. SIGKILL of the parent must not leave workers rendering either.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "inputs" / "deepseek-2025.yaml"

pytestmark = pytest.mark.slow


def descendants(pid: int) -> set[int]:
    """Every process below ``pid`` (from /proc)."""
    found: set[int] = set()
    todo = [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = (task / "children").read_text().split()
            except OSError:
                continue
            for child in map(int, children):
                if child not in found:
                    found.add(child)
                    todo.append(child)
    return found


def alive(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (zombies count as ended)."""
    running = set()
    for pid in pids:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if state != "Z":
            running.add(pid)
    return running


def wait_for(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.1)


def start(args: list[str], cwd: Path, env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The command in a child process; its stderr goes to ``cwd/stderr.txt``."""
    with (cwd / "stderr.txt").open("wb") as stderr:
        return subprocess.Popen(
            [sys.executable, "-m", "briefs", *args],
            cwd=cwd,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=stderr,
            start_new_session=True,  # a group of its own, so only what we send reaches it
        )


def only_whole_files(out: Path) -> None:
    for path in out.rglob("*"):
        assert not path.name.endswith(".tmp"), f"left a temp file: {path}"
        if path.suffix == ".pdf":
            data = path.read_bytes()
            assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF"), path
        if path.suffix == ".html":
            assert path.read_text("utf-8").rstrip().endswith("</html>"), path


def stop_mid_pdf(
    args: list[str], tmp_path: Path, env: dict[str, str], sig: signal.Signals
) -> tuple[subprocess.Popen[bytes], set[int]]:
    """Start a command, wait until PDF workers run, send ``sig`` to the parent only."""
    proc = start(args, tmp_path, env)
    wait_for(lambda: len(descendants(proc.pid)) >= 1, 60, "the PDF workers")
    time.sleep(1.5)  # the workers are rendering now
    tree = descendants(proc.pid)
    assert tree, "no worker processes to watch"
    os.kill(proc.pid, sig)
    return proc, tree


@pytest.mark.parametrize("command", ["build", "publish"])
def test_sigterm_stops_every_process_and_leaves_whole_files(
    command: str, tmp_path: Path, child_env: Callable[..., dict[str, str]]
) -> None:
    out = tmp_path / "out"
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / FLAGSHIP.name).write_text(FLAGSHIP.read_text("utf-8"), "utf-8")
    args = (
        ["build", str(inputs / FLAGSHIP.name), "--format", "pdf", "--out", str(out)]
        if command == "build"
        else ["publish", str(inputs), "--out", str(out)]
    )
    proc, tree = stop_mid_pdf(args, tmp_path, child_env(), signal.SIGTERM)
    assert proc.wait(timeout=5) == 143
    assert "terminated" in (tmp_path / "stderr.txt").read_text("utf-8")
    wait_for(lambda: not alive(tree), 5, "the workers to end")
    only_whole_files(out)


def test_workers_end_when_the_parent_is_killed(
    tmp_path: Path, child_env: Callable[..., dict[str, str]]
) -> None:
    args = ["build", str(FLAGSHIP), "--format", "pdf", "--out", str(tmp_path / "out")]
    proc, tree = stop_mid_pdf(args, tmp_path, child_env(), signal.SIGKILL)
    proc.wait(timeout=5)
    wait_for(lambda: not alive(tree), 5, "orphaned workers to end")
    only_whole_files(tmp_path / "out")


def test_sigterm_stops_serve(tmp_path: Path, child_env: Callable[..., dict[str, str]]) -> None:
    brief = tmp_path / "minimal.yaml"
    brief.write_text((ROOT / "tests" / "fixtures" / "minimal.yaml").read_text("utf-8"), "utf-8")
    proc = start(["serve", str(brief), "--port", "0"], tmp_path, child_env())
    time.sleep(3)
    assert proc.poll() is None, (tmp_path / "stderr.txt").read_text("utf-8")
    tree = descendants(proc.pid)
    os.kill(proc.pid, signal.SIGTERM)
    assert proc.wait(timeout=5) in (0, 143)
    wait_for(lambda: not alive(tree), 5, "the preview's processes to end")
