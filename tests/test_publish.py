"""`briefs publish`: manifest, index, feed, incremental rebuilds, failures, shards, kills."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import feedparser
import pytest

from briefs.cli.main import run
from briefs.pipeline.publish import publish

ROOT = Path(__file__).resolve().parent.parent
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"
ATOM = "{http://www.w3.org/2005/Atom}"

pytestmark = pytest.mark.slow


def _second(text: str) -> str:
    """A second small brief, made from the minimal one."""
    return (
        text.replace("id: minimal", "id: second")
        .replace("최소 브리프", "두 번째 브리프")
        .replace("Minimal brief", "Second brief")
        .replace("date: 2025-01-27", "date: 2025-03-01")
        .replace("languages: [ko, en]", "languages: [ko, en]\naudiences: [government, public]")
    )


@pytest.fixture
def inputs(tmp_path: Path) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir()
    text = MINIMAL.read_text("utf-8")
    (folder / "minimal.yaml").write_text(text, "utf-8")
    (folder / "second.yaml").write_text(_second(text), "utf-8")
    return folder


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


def _check_site(out: Path) -> dict[str, object]:
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    outputs = {o["path"]: o for o in manifest["outputs"]}
    assert outputs
    for path, entry in outputs.items():
        data = (out / path).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"], path
        assert len(data) == entry["bytes"]
        assert entry["format"] == path.rsplit(".", 1)[1]
        assert path == f"{entry['brief']}/{entry['audience']}.{entry['lang']}.{entry['format']}"
        assert (entry["pages"] or 0) >= (1 if entry["format"] == "pdf" else 0)
        assert len(entry["inputs"]) == 64
    # every file of the site is in the manifest (besides the site pages and fonts)
    on_disk = {
        p
        for p in _tree(out)
        if "/" in p and not re.fullmatch(r"[^/]+/index(\.en)?\.html|fonts/.*|pagefind/.*", p)
    }  # pagefind/ is the search index: tests/test_search.py
    assert on_disk == set(outputs)
    # the index links every edition; the feed too, and it is valid Atom
    links = _Links()
    links.feed((out / "index.html").read_text("utf-8"))
    assert set(outputs) <= set(links.hrefs)
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo and feed.version == "atom10"
    root = ET.parse(out / "feed.xml").getroot()
    assert root.tag == f"{ATOM}feed"
    for name in ("id", "title", "updated"):
        assert root.find(f"{ATOM}{name}") is not None
    feed_links = set()
    for entry in root.findall(f"{ATOM}entry"):
        for name in ("id", "title", "updated", "author", "summary"):
            assert entry.find(f"{ATOM}{name}") is not None, name
        seen = set()
        for link in entry.findall(f"{ATOM}link"):
            feed_links.add(link.get("href"))
            if link.get("rel") == "alternate":  # RFC 4287 §4.1.1: one per type and language
                key = (link.get("type"), link.get("hreflang"))
                assert key not in seen
                seen.add(key)
    assert feed_links == set(outputs)
    return manifest


def test_publish_writes_a_complete_site(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "site"
    assert run(["publish", str(inputs), "--out", str(out), "--jobs", "2"]) == 0
    captured = capsys.readouterr()
    assert captured.out.strip().endswith(f"24 built, 0 up to date, 0 removed, 0 failed → {out}")
    assert "built minimal (16 files)" in captured.err  # plain progress lines off a terminal
    manifest = _check_site(out)
    assert [b["id"] for b in manifest["briefs"]] == ["minimal", "second"]  # type: ignore[index]
    index = (out / "index.html").read_text("utf-8")
    # newest first
    assert index.index("두 번째 브리프") < index.index("최소 브리프")
    # filters work without JavaScript: one page per filter
    public_only = (out / "index-audience-public.html").read_text("utf-8")
    assert (
        "minimal/public.ko.html" in public_only and "minimal/government.ko.html" not in public_only
    )
    english = (out / "index-lang-en.html").read_text("utf-8")
    assert "second/public.en.pdf" in english and "second/public.ko.pdf" not in english
    # the one script is the search box's, from the site's own index (no CDN)
    assert re.findall(r"<script src=\"([^\"]*)\"", index) == ["pagefind/pagefind-ui.js"]
    assert index.count("<script") == 2 and "<script" not in public_only.split("site-search")[0]


def test_incremental_rebuilds_only_what_changed(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    first = publish(inputs, out)
    assert len(first.built) == 24 and not first.skipped
    before = _tree(out)

    again = publish(inputs, out)
    assert again.built == [] and len(again.skipped) == 24
    assert _tree(out) == before

    brief = inputs / "second.yaml"
    brief.write_text(brief.read_text("utf-8").replace("두 번째 브리프", "고친 브리프"), "utf-8")
    touched = publish(inputs, out)
    assert sorted({p.split("/")[0] for p in touched.built}) == ["second"]
    assert len(touched.built) == 8 and len(touched.skipped) == 16
    assert "고친 브리프" in (out / "index.html").read_text("utf-8")

    # an output deleted by hand is rebuilt; a corrupted one too
    (out / "minimal" / "public.ko.pdf").unlink()
    (out / "minimal" / "industry.en.html").write_text("x", "utf-8")
    repaired = publish(inputs, out)
    assert {"minimal/public.ko.pdf", "minimal/industry.en.html"} <= set(repaired.built)
    _check_site(out)

    # templates are inputs: a changed user template rebuilds everything
    templates = tmp_path / "templates" / "partials"
    templates.mkdir(parents=True)
    (templates / "colophon.html.j2").write_text("<p>새 판권</p>\n", "utf-8")
    assert len(publish(inputs, out, templates=tmp_path / "templates").built) == 24
    assert len(publish(inputs, out, force=True, templates=tmp_path / "templates").built) == 24

    # a deleted brief's outputs go
    brief.unlink()
    removed = publish(inputs, out, templates=tmp_path / "templates")
    assert len(removed.removed) == 8 and not (out / "second").exists()
    manifest = _check_site(out)
    assert [b["id"] for b in manifest["briefs"]] == ["minimal"]  # type: ignore[index]


def test_no_op_republish_is_fast(inputs: Path, tmp_path: Path) -> None:
    out = tmp_path / "site"
    publish(inputs, out)
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "briefs", "publish", str(inputs), "--out", str(out)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    )
    assert "0 built, 24 up to date" in result.stdout
    # a generous bound: the benchmark measures it properly (benchmarks/README.md)
    assert time.perf_counter() - start < 5


def test_a_failing_brief_does_not_stop_the_others(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (inputs / "broken.yaml").write_text("id: broken\ntitle: [unclosed\n", "utf-8")
    out = tmp_path / "site"
    assert run(["publish", str(inputs), "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "24 built, 0 up to date, 0 removed, 1 failed" in captured.out
    assert "failed briefs:" in captured.err
    assert f"{inputs / 'broken.yaml'}:2:8: the '[' here is never closed" in captured.err
    _check_site(out)


def test_two_clean_publishes_are_byte_identical_whatever_the_jobs(
    inputs: Path, tmp_path: Path
) -> None:
    publish(inputs, tmp_path / "a", jobs=1)
    publish(inputs, tmp_path / "b", jobs=2)
    assert _tree(tmp_path / "a") == _tree(tmp_path / "b")


def test_shards_merge_into_the_same_site(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    publish(inputs, tmp_path / "full")
    one = publish(inputs, tmp_path / "s1", shard=(1, 2))
    two = publish(inputs, tmp_path / "s2", shard=(2, 2))
    assert one.built and two.built and not set(one.built) & set(two.built)
    assert len(one.built) + len(two.built) == 24
    assert not (tmp_path / "s1" / "index.html").exists()  # a shard is not a site yet
    assert (
        run(
            [
                "publish",
                "--merge",
                str(tmp_path / "s1"),
                "--merge",
                str(tmp_path / "s2"),
                "--out",
                str(tmp_path / "merged"),
            ]
        )
        == 0
    )
    assert "merged 2 shards: 24 outputs of 2 briefs" in capsys.readouterr().out
    assert _tree(tmp_path / "merged") == _tree(tmp_path / "full")
    assert run(["publish", str(inputs), "--shard", "3/2", "--out", str(tmp_path / "x")]) == 1
    assert run(["publish", str(inputs), "--shard", "one", "--out", str(tmp_path / "x")]) == 2


def test_base_url_makes_feed_links_absolute(inputs: Path, tmp_path: Path) -> None:
    publish(inputs, tmp_path / "site", base_url="https://example.org/briefs/")
    root = ET.parse(tmp_path / "site" / "feed.xml").getroot()
    hrefs = [link.get("href") for link in root.iter(f"{ATOM}link")]
    assert all(h and h.startswith("https://example.org/briefs/") for h in hrefs)
    assert any(link.get("rel") == "self" for link in root.iter(f"{ATOM}link"))


def test_a_killed_publish_leaves_only_complete_files_and_the_next_run_finishes(
    inputs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    for n in range(3):  # more work, so the kill lands mid-way
        (inputs / f"extra-{n}.yaml").write_text(
            _second(MINIMAL.read_text("utf-8")).replace("id: second", f"id: extra-{n}"), "utf-8"
        )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefs", "publish", str(inputs), "--out", str(out), "-j", "2"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        start_new_session=True,
    )
    assert proc.stderr is not None
    for line in proc.stderr:  # wait until the first brief is done, then kill everything
        if line.startswith("built "):
            break
    os.killpg(proc.pid, signal.SIGKILL)
    proc.wait()
    proc.stderr.close()
    # only complete outputs: a kill can leave a hidden temp file, which the next run removes
    for path in out.rglob("*"):
        if path.is_file() and path.suffix == ".pdf":
            data = path.read_bytes()
            assert data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF"), path
        if path.is_file() and path.suffix == ".html":
            assert path.read_text("utf-8").rstrip().endswith("</html>"), path
    partial = json.loads((out / "manifest.json").read_text("utf-8"))
    assert 0 < len(partial["outputs"]) < 48
    result = publish(inputs, out)
    assert result.skipped  # the work done before the kill is kept
    assert len(result.built) + len(result.skipped) == 48
    _check_site(out)
    assert not [p for p in out.rglob("*") if p.name.startswith(".") and p.name.endswith(".tmp")]


def test_publish_of_the_repository_inputs(tmp_path: Path) -> None:
    """make test publishes inputs/ itself and checks the site."""
    result = publish(ROOT / "inputs", tmp_path / "site")
    assert not result.failures, [str(f) for f in result.failures]
    manifest = _check_site(tmp_path / "site")
    briefs = manifest["briefs"]
    assert len(briefs) == len(list((ROOT / "inputs").glob("*.yaml")))  # type: ignore[arg-type]
    shutil.rmtree(tmp_path / "site")


@pytest.mark.parametrize("listed", ["../victim.txt", "@ABS@", "minimal/../../victim.txt",
                                    "gone/government.en.html/../../../victim.txt"])  # fmt: skip
def test_a_manifest_listing_a_path_outside_out_is_refused(
    listed: str,
    inputs: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Bug: CI restores public/ from a cache, so the manifest is input; one that listed
    # ../victim.txt or an absolute path made publish delete that file and its emptied folder.
    victim_dir = tmp_path / "elsewhere"
    victim_dir.mkdir()
    victim = victim_dir / "victim.txt"
    victim.write_text("keep me\n", "utf-8")
    (tmp_path / "victim.txt").write_text("keep me too\n", "utf-8")
    out = tmp_path / "out"
    out.mkdir()
    path = listed.replace("@ABS@", str(victim))
    entry = {"path": path, "brief": "gone", "sha256": "0" * 64, "bytes": 8}
    (out / "manifest.json").write_text(
        json.dumps({"briefs": [{"id": "gone", "source": "gone.yaml"}], "outputs": [entry]}),
        "utf-8",
    )
    monkeypatch.chdir(tmp_path)
    code = run(["publish", "inputs", "--out", "out", "-q"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    lines = err.splitlines()
    assert lines and all(line.startswith("out/manifest.json:") for line in lines), lines
    assert any("path" in line and "'..'" in line for line in lines), lines
    assert victim.read_text("utf-8") == "keep me\n"
    assert (tmp_path / "victim.txt").is_file()
    built = sorted(p.name for p in out.iterdir())  # the lock file is gone with the run
    assert built == ["manifest.json"], "something was built"


def test_a_publish_leaves_no_lock_file_in_the_site(tmp_path: Path) -> None:
    """The lock a publish holds in its output folder is removed when it ends, so the
    deployed site has no ``.briefs-publish.lock``; a second publish locks again."""
    from briefs.fs import LOCK_NAME, lock_folder

    out = tmp_path / "site"
    out.mkdir()
    with lock_folder(out):
        assert (out / LOCK_NAME).is_file()
    assert not (out / LOCK_NAME).exists()
    (out / LOCK_NAME).write_text("left by a run killed with -9", "utf-8")
    with lock_folder(out):
        pass
    assert not (out / LOCK_NAME).exists()
