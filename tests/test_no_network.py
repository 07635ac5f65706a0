"""No network, proved at the system-call level: forked PDF workers and native code included.

``tests/conftest.py``'s ``no_network`` guard sees only Python calls in the test's own
process. Here a real ``briefs build`` and ``briefs publish`` (HTML and PDF, forked workers)
of briefs and a user template that reference loopback, link-local, metadata and remote
addresses run

- under ``strace -f``, which follows every fork and sees every ``socket``/``connect``
  whatever code makes it (Python, WeasyPrint, Pango, fontconfig, libc): every socket must
  be ``AF_UNIX`` and no address may be anything else;
- in a network namespace (``unshare -rn``: no interface but a down loopback), where the
  same commands must succeed and give byte-identical outputs, so nothing they produce
  depends on the network.

``make test`` installs strace (``scripts/system-deps.sh --test``). A machine that forbids
unprivileged user namespaces (Ubuntu's AppArmor default) skips only the namespace test.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"
ADVERSARIAL = ROOT / "tests" / "adversarial"

pytestmark = pytest.mark.slow

HOSTILE_TEXT = " ".join(
    [
        "![a](http://127.0.0.1:9/a.png)",
        "![b](https://example.org/b.png)",
        "![c](//169.254.169.254/latest/meta-data/)",
        "![d](http://[::1]:9/d.png)",
        "![e](http://metadata.google.internal/x.png)",
        "[link](https://example.org/)",
    ]
)


def catalogue(base: Path) -> list[str]:
    """Briefs and a user template that reach for the network; the CLI arguments to use."""
    inputs = base / "inputs"
    inputs.mkdir()
    text = MINIMAL.read_text("utf-8").replace(
        "languages: [ko, en]", "languages: [ko, en]\naudiences: [government]"
    )
    (inputs / "minimal.yaml").write_text(text, "utf-8")
    hostile = text.replace("id: minimal", "id: hostile").replace(
        "Build the national AI computing centre early", f"'{HOSTILE_TEXT}'"
    )
    (inputs / "hostile.yaml").write_text(hostile, "utf-8")
    # The adversarial metadata template: stylesheets, @import, @font-face, img, object,
    # embed, attachments and CSS url() at the metadata addresses, in every spelling.
    shutil.copytree(ADVERSARIAL / "templates" / "metadata", base / "templates")
    return ["--templates", "templates"]


COMMANDS = {
    "build": ["build", "inputs/hostile.yaml", "--out", "out", "-j", "2"],
    "publish": ["publish", "inputs", "--out", "out", "-j", "2"],
}


def briefs_command(command: str, extra: list[str]) -> list[str]:
    return [sys.executable, "-m", "briefs", *COMMANDS[command], *extra]


def run_in(base: Path, argv: list[str]) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(argv, cwd=base, capture_output=True, text=True, env=env, timeout=900)


def outputs(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".briefs-publish.lock"
    }


SOCKET = re.compile(r"^(\d+) +(socket|socketpair)\((\w+)")
FAMILY = re.compile(r"sa_family=(\w+)")
CLONE = re.compile(r"^(\d+) +(clone3?|fork|vfork)\((.*)\) += (\d+)$")
LOCAL = {"AF_UNIX", "AF_LOCAL"}


def traced(tmp_path: Path, argv: list[str]) -> tuple[subprocess.CompletedProcess[str], list[str]]:
    """Run ``argv`` under ``strace -f`` (network and process calls); its result and log."""
    strace = shutil.which("strace")
    if strace is None:
        pytest.skip("strace is not installed (make testdeps installs it: scripts/system-deps.sh)")
    log = tmp_path / "strace.log"
    done = run_in(
        tmp_path, [strace, "-f", "-qq", "-e", "trace=%network,%process", "-o", str(log), *argv]
    )
    return done, log.read_text("utf-8", "replace").splitlines()


def network_calls(lines: list[str]) -> list[str]:
    """The traced calls that made or addressed a socket other than AF_UNIX."""
    return [
        line
        for line in lines
        if ((m := SOCKET.match(line)) and m[3] not in LOCAL)
        or any(family not in LOCAL for family in FAMILY.findall(line))
    ]


def forked_and_traced(lines: list[str]) -> set[str]:
    """Processes (not threads) forked during the run whose own calls are in the log."""
    forked = {m[4] for line in lines if (m := CLONE.match(line)) and "CLONE_THREAD" not in m[3]}
    return forked & {line.split(" ", 1)[0] for line in lines}


def test_the_strace_check_sees_a_socket_in_a_forked_child(tmp_path: Path) -> None:
    # The check itself: a child process that opens an AF_INET socket (never connecting).
    code = "import os, socket\nif os.fork() == 0:\n    socket.socket()\n    os._exit(0)\nos.wait()"
    done, lines = traced(tmp_path, [sys.executable, "-c", code])
    assert done.returncode == 0, done.stderr
    assert forked_and_traced(lines)
    assert [line for line in network_calls(lines) if "AF_INET" in line], lines


@pytest.mark.parametrize("command", list(COMMANDS))
def test_no_process_of_a_build_opens_a_network_socket(command: str, tmp_path: Path) -> None:
    extra = catalogue(tmp_path)
    done, lines = traced(tmp_path, briefs_command(command, extra))
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    pdfs = list((tmp_path / "out").rglob("*.pdf"))
    assert len(pdfs) == (2 if command == "build" else 4), pdfs  # the workers did their work
    assert network_calls(lines) == []
    assert forked_and_traced(lines), "strace saw no forked process"


def _namespaces_work() -> str | None:
    """Why a network namespace cannot be made here, or None when it can."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return "unshare (util-linux) is not installed"
    try:
        probe = subprocess.run([unshare, "-rn", "true"], capture_output=True, text=True, timeout=60)
    except OSError as exc:
        return f"unshare cannot run: {exc}"
    if probe.returncode != 0:
        return (
            "this machine does not allow an unprivileged network namespace "
            f"(unshare -rn: {probe.stderr.strip()}); the strace test covers the same ground"
        )
    return None


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_build_in_a_network_namespace_gives_the_same_outputs(
    command: str, tmp_path: Path
) -> None:
    reason = _namespaces_work()
    if reason is not None:
        pytest.skip(reason)
    inside, outside = tmp_path / "inside", tmp_path / "outside"
    results = {}
    for base, prefix in ((inside, ["unshare", "-rn"]), (outside, [])):
        base.mkdir()
        extra = catalogue(base)
        results[base] = run_in(base, [*prefix, *briefs_command(command, extra)])
        assert results[base].returncode == 0, results[base].stderr
    # In the namespace no address can be reached; had the build fetched anything, its
    # outputs (or warnings) would differ from the build with the machine's network.
    messages = {base: done.stderr.replace(str(base), "BASE") for base, done in results.items()}
    assert messages[inside] == messages[outside]
    assert outputs(inside / "out") == outputs(outside / "out")
    probe = run_in(inside, ["unshare", "-rn", sys.executable, "-c",
                            "import socket; socket.create_connection(('1.1.1.1', 53), 2)"])  # fmt: skip
    assert probe.returncode != 0 and "Network is unreachable" in probe.stderr, probe.stderr
