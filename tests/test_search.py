"""The published site's search index (Pagefind): what it holds, when it is remade, and a
Pagefind that cannot run. The search itself, in a browser: tests/conformance/test_search.py."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from briefs.cli.main import run
from briefs.pipeline.publish import publish
from briefs.pipeline.search import index_site
from tests.test_publish import inputs

pytestmark = pytest.mark.slow

__all__ = ["inputs"]  # a fixture of another module (two small briefs), used below


def _html_site(inputs: Path, out: Path) -> None:
    result = publish(inputs, out, formats=("html",))
    assert not result.failures, [str(f) for f in result.failures]


def _bundle(out: Path) -> dict[str, tuple[int, int]]:
    """Each file of the index with its inode and modification time: what a rewrite changes."""
    folder = out / "pagefind"
    return {
        p.relative_to(folder).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns)
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def test_the_index_holds_each_language_s_brief_pages_and_editions(
    inputs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    _html_site(inputs, out)
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    # minimal: 4 audiences, second: 2 (its `audiences:`); each in ko and en, plus one brief
    # page per language. Catalogue pages, filters and 404 carry no data-pagefind-body.
    pages = {lang: info["page_count"] for lang, info in entry["languages"].items()}
    assert pages == {"ko": (4 + 1) + (2 + 1), "en": (4 + 1) + (2 + 1)}
    for name in ("pagefind.js", "pagefind-ui.js", "pagefind-ui.css"):
        assert (out / "pagefind" / name).is_file()
    record = json.loads((out / "pagefind" / "briefs-index.json").read_text("utf-8"))
    assert set(record["files"]) == set(_bundle(out)) - {"briefs-index.json"}
    assert not list(out.rglob(".*.tmp"))


def test_an_unchanged_site_is_not_indexed_again_a_changed_one_is(
    inputs: Path, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    _html_site(inputs, out)
    before = _bundle(out)
    _html_site(inputs, out)
    assert _bundle(out) == before  # not one file rewritten, the record neither

    brief = inputs / "second.yaml"
    brief.write_text(brief.read_text("utf-8").replace("두 번째 브리프", "고친 브리프"), "utf-8")
    _html_site(inputs, out)
    after = _bundle(out)
    assert after["briefs-index.json"] != before["briefs-index.json"]
    fragments = {name for name in after if name.startswith("fragment/")}
    assert fragments != {name for name in before if name.startswith("fragment/")}
    assert set(after) - {"briefs-index.json"} == set(
        json.loads((out / "pagefind" / "briefs-index.json").read_text("utf-8"))["files"]
    )  # the old index's files are gone

    # a file of the index deleted or damaged by hand: the next publish remakes the index
    (out / "pagefind" / "pagefind.js").unlink()
    _html_site(inputs, out)
    assert (out / "pagefind" / "pagefind.js").is_file()

    # a deleted brief leaves the index
    brief.unlink()
    _html_site(inputs, out)
    entry = json.loads((out / "pagefind" / "pagefind-entry.json").read_text("utf-8"))
    assert {lang: info["page_count"] for lang, info in entry["languages"].items()} == {
        "ko": 5,
        "en": 5,
    }


def test_a_pagefind_that_cannot_run_is_a_clean_error(
    inputs: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Pagefind's own way to name its binary; here one that does not exist.
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(tmp_path / "no-pagefind"))
    out = tmp_path / "site"
    assert run(["publish", str(inputs), "--out", str(out), "--format", "html"]) == 1
    err = capsys.readouterr().err
    assert "the search index could not be made (Pagefind)" in err
    assert "is the package pagefind[bin] installed?" in err
    assert "Traceback" not in err
    assert (out / "index.html").is_file()  # the pages are written; only the search is not


@pytest.mark.parametrize("taken", ["pagefind", "fonts"])
def test_a_brief_may_not_take_the_name_of_a_site_folder(
    inputs: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], taken: str
) -> None:
    brief = inputs / "second.yaml"
    brief.write_text(brief.read_text("utf-8").replace("id: second", f"id: {taken}"), "utf-8")
    line = 1 + brief.read_text("utf-8").split("\n").index(f"id: {taken}")
    out = tmp_path / "site"
    assert run(["publish", str(inputs), "--out", str(out), "--format", "html"]) == 1
    err = capsys.readouterr().err
    assert (
        f"{brief}:{line}:5: id: '{taken}' is the name of a folder of the site's own files"
        " — choose another id: the site keeps fonts and pagefind for itself"
    ) in err
    # the other brief is published, and the site's own folders hold no brief's editions
    assert (out / "minimal" / "government.ko.html").is_file()
    assert not list((out / taken).glob("*.*.html"))


def test_the_index_is_the_same_bytes_every_time(inputs: Path, tmp_path: Path) -> None:
    # Pagefind writes the languages of pagefind-entry.json in a hash map's order, different
    # from one run to the next about every other time: eight runs all alike would be chance
    # once in 128 if briefs did not put them in order.
    site = tmp_path / "site"
    _html_site(inputs, site)
    pages = {
        p.relative_to(site).as_posix(): p.read_bytes()
        for p in sorted(site.glob("*/*.html"))
    }
    trees = []
    for run_number in range(8):
        out = tmp_path / f"index-{run_number}"
        assert index_site(out, pages)
        trees.append(
            {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}
        )
    assert all(tree == trees[0] for tree in trees[1:])
    entry = json.loads(trees[0]["pagefind/pagefind-entry.json"])
    assert list(entry["languages"]) == ["en", "ko"]
