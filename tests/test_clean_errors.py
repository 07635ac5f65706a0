"""What the machine does wrong ends in a clear message, never a traceback (issue 14, item 14).

Each case runs the real command in a child process, against a real failure:

- ``--out`` on a read-only file system (a tmpfs mounted read-only in a user and mount
  namespace, ``unshare -rm``), or a folder without write permission (when not root);
- ``--out`` under a file, or that is a file;
- a full disk: a 100 KB tmpfs (``unshare -rm``), and a file-size limit (``RLIMIT_FSIZE``),
  which needs no namespace;
- Pango missing: its shared object hidden by a bind mount of ``/dev/null`` (``unshare
  -rm``), so the dynamic loader itself fails; where namespaces are not allowed, cffi's
  ``dlopen`` is made to fail for Pango by a ``sitecustomize`` (the library is never
  patched in briefs itself);
- a ``--base-url`` that is not an absolute http(s) address, refused before any work.

Every case exits 1 (2 for a usage error) with a message that names the path or library,
prints no traceback and no "internal error", and leaves no temp file or half-written
output behind.
"""

from __future__ import annotations

import os
import resource
import shlex
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.conftest import subprocess_env

ROOT = Path(__file__).resolve().parent.parent
BRIEFS = [sys.executable, "-m", "briefs"]


def namespaces() -> bool:
    """Whether this machine lets us make a user and mount namespace and mount a tmpfs."""
    if shutil.which("unshare") is None:
        return False
    probe = subprocess.run(
        ["unshare", "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt"],
        capture_output=True,
        check=False,
    )
    return probe.returncode == 0


NAMESPACES = namespaces()
needs_namespaces = pytest.mark.skipif(not NAMESPACES, reason="unshare -rm is not allowed here")


def briefs(
    args: list[str],
    cwd: Path,
    *,
    setup: str = "",
    limit: Callable[[], None] | None = None,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``python -m briefs ARGS`` in ``cwd``; after the shell commands ``setup`` in a fresh
    user and mount namespace when ``setup`` is given."""
    command = [*BRIEFS, *args]
    if setup:
        command = ["unshare", "-rm", "sh", "-c", f"{setup} && exec {shlex.join(command)}"]
    return subprocess.run(
        command,
        cwd=cwd,
        env=env or subprocess_env(),
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limit,
        check=False,
    )


def assert_clean(done: subprocess.CompletedProcess[str], *words: str, code: int = 1) -> str:
    err = done.stderr
    assert done.returncode == code, err
    assert "Traceback" not in err and "internal error" not in err, err
    for word in words:
        assert word in err, err
    return err


def leftovers(folder: Path) -> list[str]:
    """Temp files, and outputs that are not complete documents."""
    bad = []
    for path in folder.rglob("*") if folder.exists() else []:
        if (
            path.name.endswith(".tmp")
            or (path.suffix == ".html" and not path.read_bytes().rstrip().endswith(b"</html>"))
            or (path.suffix == ".pdf" and b"%%EOF" not in path.read_bytes()[-64:])
        ):
            bad.append(path.name)
    return bad


@pytest.fixture
def work(tmp_path: Path, minimal_path: Path) -> Path:
    shutil.copyfile(minimal_path, tmp_path / "brief.yaml")
    return tmp_path


HTML = ["build", "brief.yaml", "--format", "html", "--audience", "government"]


@needs_namespaces
@pytest.mark.parametrize("exists", [True, False])
def test_out_on_a_read_only_file_system(work: Path, exists: bool) -> None:
    (work / "ro").mkdir()
    setup = "mount -t tmpfs tmpfs ro && mkdir ro/out && mount -o remount,ro ro"
    if not exists:
        setup = "mount -t tmpfs -o ro tmpfs ro"
    started = time.monotonic()
    done = briefs([*HTML, "--out", "ro/out"], work, setup=setup)
    err = assert_clean(done, "ro/out", "read-only")
    assert len(err.strip().splitlines()) == 1, err
    assert time.monotonic() - started < 60


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through permissions")
def test_out_without_write_permission(work: Path) -> None:
    (work / "locked").mkdir(mode=0o555)
    done = briefs([*HTML, "--out", "locked/out"], work)
    assert_clean(done, "locked", "permission")


def test_out_under_a_file(work: Path) -> None:
    (work / "afile").write_text("x")
    done = briefs([*HTML, "--out", "afile/out"], work)
    assert_clean(done, "afile", "not a folder")
    assert (work / "afile").read_text() == "x"


def test_out_that_is_a_file_is_a_usage_error(work: Path) -> None:
    (work / "afile").write_text("x")
    done = briefs([*HTML, "--out", "afile"], work)
    assert_clean(done, "afile", "is a file", code=2)


def small_files() -> None:
    resource.setrlimit(resource.RLIMIT_FSIZE, (8192, 8192))


@pytest.mark.parametrize("target", ["html", "pdf"])
def test_a_file_size_limit_is_a_clear_error(work: Path, target: str) -> None:
    args = ["build", "brief.yaml", "--format", target, "--audience", "government", "-l", "en"]
    done = briefs([*args, "--out", "out"], work, limit=small_files)
    assert_clean(done, "out/minimal/government.en.", "too large")
    assert leftovers(work / "out") == []


@needs_namespaces
def test_a_full_disk_is_a_clear_error(work: Path) -> None:
    (work / "full").mkdir()
    (work / "copy").mkdir()
    # The tmpfs lives as long as the namespace: copy what was written out of it.
    setup = "mount -t tmpfs -o size=100k tmpfs full && trap 'cp -a full/. copy/' EXIT"
    args = ["build", "brief.yaml", "--format", "html", "--out", "full"]
    command = f"{setup} && {shlex.join([*BRIEFS, *args])}"
    done = subprocess.run(
        ["unshare", "-rm", "sh", "-c", command],
        cwd=work,
        env=subprocess_env(),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert_clean(done, "full/minimal/", "no space left")
    written = list((work / "copy").rglob("*.html"))
    assert 0 < len(written) < 8  # some editions fitted, and what did is complete
    assert leftovers(work / "copy") == []


def pango_path() -> str:
    """The Pango shared object WeasyPrint loads here."""
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            "import weasyprint, sys\n"
            "maps = open('/proc/self/maps').read().split('\\n')\n"
            "print(next(m.split()[-1] for m in maps if '/libpango-1.0' in m))",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


SITECUSTOMIZE = """\
import cffi

_dlopen = cffi.FFI.dlopen


def dlopen(self, name, *args, **kwargs):
    if "pango" in str(name):
        raise OSError(f"cannot load library {name!r}: {name}: cannot open shared object file")
    return _dlopen(self, name, *args, **kwargs)


cffi.FFI.dlopen = dlopen
"""


@pytest.mark.parametrize("how", ["bind-mount", "sitecustomize"])
def test_missing_pango_is_named_with_the_install_command(
    work: Path, how: str, tmp_path: Path
) -> None:
    args = ["build", "brief.yaml", "--format", "pdf", "--audience", "government", "-l", "en"]
    if how == "bind-mount":
        if not NAMESPACES:
            pytest.skip("unshare -rm is not allowed here")
        done = briefs(
            [*args, "--out", "out"],
            work,
            setup=f"mount --bind /dev/null {shlex.quote(pango_path())}",
        )
    else:
        shim = tmp_path / "shim"
        shim.mkdir()
        (shim / "sitecustomize.py").write_text(SITECUSTOMIZE)
        env = subprocess_env()
        env["PYTHONPATH"] = os.pathsep.join([str(shim), env["PYTHONPATH"]])
        done = briefs([*args, "--out", "out"], work, env=env)
    err = assert_clean(done, "libpango", "apt-get install libpango-1.0-0", "brew install pango")
    assert "PDF edition government.en" in err
    assert done.stdout == ""  # WeasyPrint's own notice is not printed beside ours
    assert not (work / "out" / "minimal" / "government.en.pdf").exists()


def test_a_failed_pdf_build_exits_cleanly_every_time(work: Path, tmp_path: Path) -> None:
    """Bug: about one run in ten printed "Exception ignored ... Bad file descriptor" after
    the message: the cancelled pool's manager threads were still closing their pipes while
    Python exited, racing concurrent.futures' own exit hook."""
    shim = tmp_path / "shim"
    shim.mkdir()
    (shim / "sitecustomize.py").write_text(SITECUSTOMIZE)
    env = subprocess_env()
    env["PYTHONPATH"] = os.pathsep.join([str(shim), env["PYTHONPATH"]])
    args = ["build", "brief.yaml", "--format", "pdf", "--audience", "government", "-l", "en"]
    for _ in range(15):
        done = briefs([*args, "--out", "out"], work, env=env)
        assert done.returncode == 1
        assert done.stderr.count("\n") == 1, done.stderr  # the one message, nothing after


@pytest.mark.parametrize(
    "url", ["example.org/briefs", "ftp://example.org/", "javascript:alert(1)", "https://"]
)
def test_base_url_is_checked_before_the_build(work: Path, url: str) -> None:
    (work / "inputs").mkdir()
    (work / "brief.yaml").rename(work / "inputs" / "brief.yaml")
    started = time.monotonic()
    done = briefs(["publish", "inputs", "--out", "site", "--base-url", url], work)
    assert_clean(done, "--base-url", code=2)
    assert time.monotonic() - started < 20
    assert not (work / "site").exists()  # nothing was built
