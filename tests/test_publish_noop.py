"""A no-op publish reuses briefs without loading them, and notices every input that changed.

Each test publishes HTML only (the decision is the same for every format), changes one input
and checks what the next publish rebuilds: the skip must never be more eager than a full
check would be.
"""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import briefs.version
from briefs.pipeline.fresh import SAFE_AGE_NS
from briefs.pipeline.publish import PublishResult, publish
from briefs.resources import builtin_dir
from tests.conftest import MINIMAL

pytestmark = pytest.mark.slow

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40">'
    '<rect width="40" height="40" fill="#{}"/></svg>'
)
BODY = """      ko: |-
        고대역폭 메모리(HBM) 수요에 대한 우려가 커졌다[@src-b].

        ![지도](figures/map.svg)

        ![참고 그림][pic]

        [pic]: figures/ref.svg

        ![없는 그림](figures/later.svg)
"""
CHART = """    confidence: high
    chart:
      type: bar
      title: {ko: 점유율, en: Share}
      alt: {ko: SK하이닉스의 점유율이 가장 높다., en: SK hynix has the largest share.}
      csv: data/shares.csv
      x: supplier
      y: {field: share, format: percent}
      sources: [src-b]
"""


def _with_files(text: str) -> str:
    """The minimal brief with a chart from a CSV file, an image, an image by a reference
    definition and an image that is not there yet."""
    old = "      ko: 고대역폭 메모리(HBM) 수요에 대한 우려가 커졌다[@src-b].\n"
    assert old in text and "    confidence: high\n" in text
    return text.replace(old, BODY).replace("    confidence: high\n", CHART, 1)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project: briefs.toml, a templates folder with a label file, and two briefs in
    inputs/, one with files beside it."""
    (tmp_path / ".git").mkdir()  # the project file is looked for up to here
    (tmp_path / "briefs.toml").write_text('templates = "templates"\n', "utf-8")
    locales = tmp_path / "templates" / "locales"
    locales.mkdir(parents=True)
    shutil.copy(builtin_dir() / "locales" / "ko.yaml", locales / "ko.yaml")
    (tmp_path / "templates" / "partials").mkdir()
    inputs = tmp_path / "inputs"
    (inputs / "figures").mkdir(parents=True)
    (inputs / "data").mkdir()
    text = MINIMAL.read_text("utf-8")
    (inputs / "minimal.yaml").write_text(_with_files(text), "utf-8")
    second = text.replace("id: minimal", "id: second").replace("최소 브리프", "두 번째 브리프")
    (inputs / "second.yaml").write_text(second, "utf-8")
    (inputs / "figures" / "map.svg").write_text(SVG.format("123456"), "utf-8")
    (inputs / "figures" / "ref.svg").write_text(SVG.format("abcdef"), "utf-8")
    (inputs / "data" / "shares.csv").write_text("supplier,share\nskhynix,62\nsamsung,30\n")
    return tmp_path


def _publish(project: Path) -> PublishResult:
    old = Path.cwd()
    os.chdir(project)  # no ./templates of the repository's own
    try:
        return publish(project / "inputs", project / "site", formats=("html",))
    finally:
        os.chdir(old)


def _briefs_built(result: PublishResult) -> set[str]:
    return {key.split("/", 1)[0] for key in result.built}


def _tree(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes() for p in folder.rglob("*") if p.is_file()
    }


def test_a_no_op_publish_loads_no_brief_and_writes_nothing(project: Path) -> None:
    first = _publish(project)
    assert len(first.built) == 16 and first.unparsed == [] and first.site_written
    before = _tree(project / "site")
    again = _publish(project)
    assert again.built == [] and len(again.skipped) == 16
    assert sorted(again.unparsed) == ["minimal", "second"]  # neither brief was parsed
    assert not again.site_written
    assert _tree(project / "site") == before


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new), "utf-8")


CHANGES: dict[str, tuple[Callable[[Path], None], set[str]]] = {
    "the brief": (
        lambda p: _edit(p / "inputs" / "second.yaml", "두 번째 브리프", "고친 브리프"),
        {"second"},
    ),
    "an image": (
        lambda p: (p / "inputs" / "figures" / "map.svg").write_text(SVG.format("654321")),
        {"minimal"},
    ),
    "an image named by a reference definition": (
        lambda p: (p / "inputs" / "figures" / "ref.svg").write_text(SVG.format("fedcba")),
        {"minimal"},
    ),
    "an image that was missing": (
        lambda p: (p / "inputs" / "figures" / "later.svg").write_text(SVG.format("0f0f0f")),
        {"minimal"},
    ),
    "a chart's data file": (
        lambda p: _edit(p / "inputs" / "data" / "shares.csv", "62", "63"),
        {"minimal"},
    ),
    "a template": (
        lambda p: (p / "templates" / "partials" / "colophon.html.j2").write_text("<p>판권</p>\n"),
        {"minimal", "second"},
    ),
    "a label file": (
        lambda p: _edit(p / "templates" / "locales" / "ko.yaml", "summary: 요약", "summary: 개요"),
        {"minimal", "second"},
    ),
    "the project file": (
        lambda p: (p / "briefs.toml").write_text(
            'templates = "templates"\n[brand]\nprimary = "#0b50d0"\n', "utf-8"
        ),
        {"minimal", "second"},
    ),
}


@pytest.mark.parametrize("change", CHANGES, ids=list(CHANGES))
def test_a_changed_input_rebuilds_what_depends_on_it(project: Path, change: str) -> None:
    make_change, rebuilt = CHANGES[change]
    _publish(project)
    assert _publish(project).built == []
    make_change(project)
    result = _publish(project)
    assert _briefs_built(result) == rebuilt
    assert len(result.built) == 8 * len(rebuilt)
    assert set(result.unparsed) == {"minimal", "second"} - rebuilt
    assert _publish(project).built == []  # and it settles


def test_a_new_briefs_version_rebuilds_everything(
    project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _publish(project)
    monkeypatch.setattr(briefs.version, "__version__", "999.0.0")
    result = _publish(project)
    assert _briefs_built(result) == {"minimal", "second"} and result.unparsed == []


def test_an_output_changed_in_place_is_rebuilt_whatever_its_times(project: Path) -> None:
    _publish(project)
    time.sleep(SAFE_AGE_NS / 1e9 + 0.1)  # old enough for their stamps to be trusted
    _publish(project)  # the outputs' stamps are kept now
    target = project / "site" / "second" / "public.ko.html"
    info = target.stat()
    data = bytearray(target.read_bytes())
    data[-10] ^= 1  # same size, and the old modification time put back
    target.write_bytes(bytes(data))
    os.utime(target, ns=(info.st_atime_ns, info.st_mtime_ns))
    result = _publish(project)
    assert result.built == ["second/public.ko.html"]


def test_a_site_page_changed_by_hand_is_made_again(project: Path) -> None:
    _publish(project)
    _publish(project)
    page = project / "site" / "index.html"
    made = page.read_bytes()
    page.write_bytes(made.replace(b"</body>", b"<p>x</p></body>"))
    (project / "site" / "index-tag-stale.html").write_text("left over", "utf-8")
    result = _publish(project)
    assert result.site_written and page.read_bytes() == made
    assert not (project / "site" / "index-tag-stale.html").exists()
