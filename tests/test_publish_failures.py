"""`briefs publish` under bad inputs and interruptions (issue 14, items 8 and 9).

One bad brief (a YAML error, a symlink loop, a file that cannot be read, a link out of the
folder) is reported with its position while every other brief is published; a publish
killed at any moment leaves a manifest that describes only what is on disk, and the next
run completes the site; two publishes into one folder cannot run at once.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefs.cli.main import run
from briefs.pipeline.publish import publish

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"
SECRET = "TOP-SECRET-9f2c"

pytestmark = pytest.mark.slow


def small(brief_id: str, *, extra: str = "") -> str:
    """The fixture brief under another id, in one audience (4 outputs), fast to publish."""
    text = MINIMAL.read_text("utf-8").replace("id: minimal", f"id: {brief_id}")
    text = text.replace("languages: [ko, en]", "languages: [ko, en]\naudiences: [government]")
    return text.replace(
        "Build the national AI computing centre early", f'"{extra or "Build early"}"'
    )


def manifest_of(out: Path) -> dict[str, object]:
    """The manifest, checked against the disk: every listed file is there with its sha256,
    and every output on disk is listed."""
    data = json.loads((out / "manifest.json").read_text("utf-8"))
    listed = {o["path"]: o for o in data["outputs"]}
    for path, entry in listed.items():
        body = (out / path).read_bytes()
        assert hashlib.sha256(body).hexdigest() == entry["sha256"], path
        assert len(body) == entry["bytes"], path
    on_disk = {
        p.relative_to(out).as_posix()
        for p in out.rglob("*")
        if p.is_file() and "/" in p.relative_to(out).as_posix()
    }
    # The brief's own pages, the site's fonts and its search index are site files, not outputs.
    site_files = r"[^/]+/index(\.en)?\.html|fonts/.*|pagefind/.*"
    on_disk = {p for p in on_disk if not re.fullmatch(site_files, p)}
    assert on_disk == set(listed), on_disk ^ set(listed)
    return data


def index_links(out: Path) -> set[str]:
    """The brief folders the catalogue links to (not the search box's pagefind/)."""
    text = (out / "index.html").read_text("utf-8")
    hrefs = [part.split('"')[0] for part in text.split('href="')[1:]]
    return {href.split("/", 1)[0] for href in hrefs if "/" in href} - {"pagefind"}


# -- item 8: one bad brief does not abort the publish ----------------------------------------------


@pytest.fixture
def hostile_inputs(tmp_path: Path) -> Iterator[Path]:
    folder = tmp_path / "inputs"
    folder.mkdir()
    (folder / "good.yaml").write_text(small("good"), "utf-8")
    # An image reference that is a symlink loop: validate warns and leaves it out, but
    # publish's own hashing of the brief's files resolved it and raised RuntimeError,
    # which ended every brief with "internal error".
    (folder / "looped.yaml").write_text(small("looped", extra="Early ![chart](loop.png)"), "utf-8")
    (folder / "loop.png").symlink_to("loop.png")
    (folder / "bad.yaml").write_text("id: bad\ntitle: [unclosed\n", "utf-8")
    (folder / "self.yaml").symlink_to("self.yaml")
    (folder / "folder.yaml").mkdir()
    os.mkfifo(folder / "fifo.yaml")
    outside = tmp_path / "outside.yaml"
    outside.write_text(f"id: leak\ntitle: [{SECRET}\n", "utf-8")
    (folder / "leak.yaml").symlink_to(outside)
    yield folder


def test_one_bad_brief_does_not_stop_the_others(
    hostile_inputs: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    start = time.monotonic()
    code = run(["publish", "inputs", "--out", "site", "-j", "2"])
    captured = capsys.readouterr()
    err = captured.err
    assert code == 1, err
    assert time.monotonic() - start < 300
    assert "Traceback" not in err and "internal error" not in err, err
    assert "8 built, 0 up to date, 0 removed, 5 failed" in captured.out, captured.out
    failures = err.split("failed briefs:\n", 1)[1].splitlines()
    assert "inputs/bad.yaml:2:8: the '[' here is never closed" in failures[0]
    named = [line.split(":", 1)[0] for line in failures if line.startswith("inputs/")]
    assert named == [f"inputs/{n}.yaml" for n in ("bad", "fifo", "folder", "leak", "self")]
    assert "inputs/leak.yaml: leads outside its folder" in err
    assert SECRET not in err and "outside.yaml" not in err
    assert "inputs/looped.yaml:" in err and "loop.png" in err  # the warning, positioned
    site = tmp_path / "site"
    data = manifest_of(site)
    assert sorted(b["id"] for b in data["briefs"]) == ["good", "looped"]  # type: ignore[index]
    assert len(data["outputs"]) == 8  # type: ignore[arg-type]
    assert index_links(site) == {"good", "looped"}
    assert not [p for p in tmp_path.rglob("*") if p.name == "leak"]


def test_publish_hashing_stays_inside_the_folders(tmp_path: Path) -> None:
    # A template folder holding a symlink loop and a link to a file outside: the inputs
    # hash (which decides what is rebuilt) neither crashes nor reads outside.
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "good.yaml").write_text(small("good"), "utf-8")
    templates = tmp_path / "templates"
    (templates / "sub").mkdir(parents=True)
    (templates / "sub" / "loop").symlink_to("loop")
    (templates / "sub" / "down").symlink_to("..")
    outside = tmp_path / "outside.txt"
    outside.write_text("a", "utf-8")
    (templates / "out.txt").symlink_to(outside)
    first = publish(inputs, tmp_path / "site", templates=templates)
    assert not first.failures and len(first.built) == 4
    outside.write_text("b", "utf-8")  # a change outside the folder changes nothing
    again = publish(inputs, tmp_path / "site", templates=templates)
    assert not again.built and len(again.skipped) == 4


def _without_root_reads() -> None:
    """In the child before exec: drop root's power to read any file (CAP_DAC_OVERRIDE,
    CAP_DAC_READ_SEARCH) from the bounding set, so the exec'd publish is refused by
    ``chmod 000`` like any user."""
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    for capability in (1, 2):  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH
        if libc.prctl(24, capability, 0, 0, 0) != 0:  # PR_CAPBSET_DROP
            raise PermissionError(ctypes.get_errno(), "PR_CAPBSET_DROP")


def test_an_unreadable_image_is_reported_and_the_rest_published(tmp_path: Path) -> None:
    drop = _without_root_reads if os.geteuid() == 0 else None
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    (inputs / "good.yaml").write_text(small("good"), "utf-8")
    (inputs / "locked.yaml").write_text(small("locked"), "utf-8")
    (inputs / "locked.yaml").chmod(0)  # a brief that cannot be read
    (inputs / "other.yaml").write_text(small("other", extra="Early ![c](chart.png)"), "utf-8")
    (inputs / "chart.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    (inputs / "chart.png").chmod(0)  # an image that cannot be read
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    if drop is not None:
        try:
            subprocess.run([sys.executable, "-c", ""], preexec_fn=drop, check=True, timeout=60)
        except (OSError, subprocess.SubprocessError):
            pytest.skip("running as root without the right to drop CAP_DAC_OVERRIDE")
    done = subprocess.run(
        [sys.executable, "-m", "briefs", "publish", "inputs", "--out", "site", "-j", "1"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env=env,
        preexec_fn=drop,
        timeout=600,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr, done.stderr
    assert "inputs/locked.yaml: cannot read file: Permission denied" in done.stderr
    assert "inputs/other.yaml:" in done.stderr and "chart.png" in done.stderr
    data = manifest_of(tmp_path / "site")
    assert sorted(b["id"] for b in data["briefs"]) == ["good", "other"]  # type: ignore[index]


# -- item 9: kill -9 at any moment, and one publish at a time ----------------------------------


def _changed(text: str) -> str:
    return text.replace("최소 브리프", "고친 브리프").replace("Minimal brief", "Changed brief")


def _catalogue(base: Path, *, changed: bool) -> None:
    inputs = base / "inputs"
    inputs.mkdir(parents=True, exist_ok=True)
    for name in ("alpha", "beta"):
        text = small(name)
        (inputs / f"{name}.yaml").write_text(_changed(text) if changed else text, "utf-8")


def _start(base: Path, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "briefs", "publish", "inputs", "--out", "site", "-j", "2", *args],
        cwd=base, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True,
    )  # fmt: skip


def _publish(base: Path, *args: str) -> subprocess.CompletedProcess[str]:
    proc = _start(base, *args)
    out, err = proc.communicate(timeout=600)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


def _inodes(folder: Path) -> dict[str, int]:
    found = {}
    for path in folder.rglob("*"):
        try:
            found[path.relative_to(folder).as_posix()] = path.lstat().st_ino
        except FileNotFoundError:  # renamed away meanwhile
            continue
    return found


def _site_tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.name != ".briefs-publish.lock"
    }


MOMENTS = {
    # the first time the manifest is replaced
    "manifest": lambda name: name == "manifest.json",
    # the first PDF replaced by its new edition
    "first-pdf": lambda name: name.endswith(".pdf"),
    # the first catalogue page or the feed replaced
    "site": lambda name: "/" not in name and name.endswith((".html", ".xml")),
}


@pytest.fixture(scope="module")
def reference(tmp_path_factory: pytest.TempPathFactory) -> dict[str, bytes]:
    """The site a clean publish of the changed catalogue makes."""
    base = tmp_path_factory.mktemp("reference")
    _catalogue(base, changed=True)
    done = _publish(base)
    assert done.returncode == 0, done.stderr
    return _site_tree(base / "site")


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_a_publish_killed_at_any_moment_is_repaired_by_the_next(
    moment: str, tmp_path: Path, reference: dict[str, bytes], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Bugs: a kill after the manifest's last write but before the site pages left index.html
    # and feed.xml stale for good ("up to date" ever after); a kill after an edition was
    # rewritten left the manifest with the old edition's sha256.
    _catalogue(tmp_path, changed=False)
    assert _publish(tmp_path).returncode == 0
    site = tmp_path / "site"
    before = _inodes(site)
    _catalogue(tmp_path, changed=True)
    proc = _start(tmp_path)
    hit = MOMENTS[moment]
    deadline = time.monotonic() + 300
    seen = None
    while seen is None and proc.poll() is None and time.monotonic() < deadline:
        now = _inodes(site)
        seen = next((n for n, ino in now.items() if hit(n) and before.get(n) != ino), None)
    if moment == "first-pdf":
        # Only the main process, as the OOM killer would: its PDF workers outlive it for a
        # moment, and must not hold the lock (an flock would be inherited by them).
        os.kill(proc.pid, signal.SIGKILL)
    else:
        os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate()
    assert seen is not None, f"publish ended before the moment {moment!r}"
    # Right after the kill: every file the manifest lists is on disk, complete, as listed.
    data = json.loads((site / "manifest.json").read_text("utf-8"))
    for entry in data["outputs"]:
        body = (site / entry["path"]).read_bytes()
        assert hashlib.sha256(body).hexdigest() == entry["sha256"], (moment, entry["path"])
    # The next run, at once (the lock died with the killed one), completes the site as a
    # clean one.
    monkeypatch.chdir(tmp_path)
    assert publish(Path("inputs"), Path("site"), jobs=1).failures == []
    manifest_of(site)
    assert _site_tree(site) == reference
    assert "고친 브리프" in (site / "feed.xml").read_text("utf-8")


def test_a_second_publish_into_the_same_folder_is_refused(tmp_path: Path) -> None:
    # Bug: two publishes into one folder both exited 0, and one brief's outputs ended up
    # unlisted in the manifest.
    _catalogue(tmp_path, changed=False)
    first = _start(tmp_path)
    site = tmp_path / "site"
    deadline = time.monotonic() + 300
    while not list(site.glob("*/*.pdf")) and first.poll() is None:
        assert time.monotonic() < deadline
        time.sleep(0.01)
    assert first.poll() is None, "the first publish ended too soon"
    # Paused (its workers too) while the others try, so that it cannot end before they
    # do on a slow machine; a stopped process keeps its lock.
    os.killpg(first.pid, signal.SIGSTOP)
    try:
        start = time.monotonic()
        second = _publish(tmp_path)
        merged = subprocess.run(
            [sys.executable, "-m", "briefs", "publish", "--merge", "inputs", "--out", "site"],
            cwd=tmp_path, capture_output=True, text=True, timeout=120,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )  # fmt: skip
        assert time.monotonic() - start < 60
    finally:
        os.killpg(first.pid, signal.SIGCONT)
    _, err = first.communicate(timeout=600)
    assert first.returncode == 0, err
    for refused in (second, merged):
        assert refused.returncode == 1, refused.stderr
        assert refused.stderr.strip() == (
            "briefs: another briefs publish is writing into site; wait until it ends, "
            "or publish into another --out"
        ), refused.stderr
    data = manifest_of(site)
    assert len(data["outputs"]) == 8  # type: ignore[arg-type]
    assert _publish(tmp_path).returncode == 0  # the lock went with the first publish
