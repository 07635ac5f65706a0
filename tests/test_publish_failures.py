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
    assert on_disk == set(listed), on_disk ^ set(listed)
    return data


def index_links(out: Path) -> set[str]:
    """The brief folders the catalogue links to."""
    text = (out / "index.html").read_text("utf-8")
    return {part.split("/", 1)[0] for part in text.split('href="')[1:] if "/" in part.split('"')[0]}


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
