"""PDF layout facts on the real flagship PDFs: footnotes, table of contents, cover, headers."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pikepdf
import pytest

from briefs.pipeline.build import BuildOptions, BuildResult, build_brief
from briefs.text.korean import WORD_JOINER

ROOT = Path(__file__).resolve().parent.parent
FLAGSHIP = ROOT / "inputs" / "deepseek-2025.yaml"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    out = tmp_path_factory.mktemp("layout")
    return build_brief(FLAGSHIP, BuildOptions(out=out, formats=("pdf",)))


def _destinations(path: Path) -> dict[str, int]:
    """Named destination → 0-based page index, read from the PDF itself."""
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
        tree = pikepdf.NameTree(pdf.Root.Names.Dests)
        return {name: pages[tree[name][0].objgen] for name in tree.keys()}  # noqa: SIM118


def _page_text(path: Path, page: int) -> str:
    out = subprocess.run(
        ["pdftotext", "-f", str(page + 1), "-l", str(page + 1), str(path), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return out.replace(WORD_JOINER, "")


def _editions(built: BuildResult) -> list[Path]:
    paths = [o.path for o in built.outputs]
    assert len(paths) == 8
    return paths


def test_each_footnote_is_on_its_markers_page(built: BuildResult) -> None:
    checked = 0
    for path in _editions(built):
        dests = _destinations(path)
        footnotes = {name: page for name, page in dests.items() if name.startswith("fn-cite-")}
        assert len(footnotes) >= 20, path.name
        for name, page in footnotes.items():
            mark = name.removeprefix("fn-")
            assert dests[mark] == page, (
                f"{path.name}: footnote of {mark} on page {page + 1}, mark on page {dests[mark] + 1}"
            )
            checked += 1
    assert checked > 150


def test_footnote_text_is_printed_on_that_page(built: BuildResult) -> None:
    path = next(p for p in _editions(built) if p.name == "government.ko.pdf")
    dests = _destinations(path)
    page = (
        dests["fn-cite-gizchina-2025-01-28-1"]
        if "fn-cite-gizchina-2025-01-28-1" in dests
        else next(v for k, v in dests.items() if k.startswith("fn-cite-"))
    )
    text = _page_text(path, page)
    assert re.search(r"^\d+\) .+", text, re.M), "no footnote line on the page"


def _link_rows(path: Path) -> dict[str, list[str]]:
    """Section link target → the text printed in each row that links there, on pages 1–2.

    A table-of-contents row's link is several boxes on one line (number, title, the page
    number floated right); the text inside their union is the row as printed. Boxes are
    grouped by page, target and line, so another link to the same section elsewhere on the
    page makes a row of its own.
    """
    boxes: dict[tuple[int, str, float, float], list[float]] = {}
    with pikepdf.open(path) as pdf:
        heights = [float(pdf.pages[i].mediabox[3]) for i in (0, 1)]
        for index in (0, 1):
            for annot in pdf.pages[index].get("/Annots", []):
                target = annot.get("/Dest")
                if not isinstance(target, pikepdf.String) or not str(target).startswith("sec-"):
                    continue
                xs = sorted(float(v) for v in annot.Rect[::2])
                ys = sorted(float(v) for v in annot.Rect[1::2])
                line = (index, str(target), round(ys[0]), round(ys[1]))
                box = boxes.setdefault(line, [xs[0], ys[0], xs[1], ys[1]])
                box[0], box[2] = min(box[0], xs[0]), max(box[2], xs[1])
    rows: dict[str, list[str]] = {}
    for (index, target, _, _), (x1, y1, x2, y2) in sorted(boxes.items()):
        crop = [
            "-x",
            str(int(x1)),
            "-y",
            str(int(heights[index] - y2)),
            "-W",
            str(int(x2 - x1) + 2),
            "-H",
            str(int(y2 - y1) + 1),
        ]
        text = subprocess.run(
            [
                "pdftotext",
                "-r",
                "72",
                "-layout",
                "-f",
                str(index + 1),
                "-l",
                str(index + 1),
                *crop,
                str(path),
                "-",
            ],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        rows.setdefault(target, []).append(" ".join(text.replace(WORD_JOINER, "").split()))
    return rows


def test_long_editions_have_a_table_of_contents_with_page_numbers(built: BuildResult) -> None:
    for path in _editions(built):
        dests = _destinations(path)
        sections = {name: page for name, page in dests.items() if name.startswith("sec-")}
        assert len(sections) >= 5, (path.name, sections)
        toc_text = _page_text(path, 0) + _page_text(path, 1)
        assert ("목차" in toc_text) or ("Contents" in toc_text), path.name
        rows = _link_rows(path)
        for name, page in sections.items():
            # the section's row: its title, then the page the section starts on
            assert any(
                len(row.split()) >= 2 and row.split()[-1] == str(page + 1)
                for row in rows.get(name, [])
            ), (path.name, name, page + 1, rows.get(name))


def test_cover_summary_and_running_header(built: BuildResult) -> None:
    path = next(p for p in _editions(built) if p.name == "government.ko.pdf")
    first = _page_text(path, 0)
    for expected in (
        "AIP-2026-01",
        "정책결정자용",
        "2026. 2. 1.",
        "briefs 예제 연구소",
        "CC-BY-4.0",
        "요약",
    ):
        assert expected in first
    second = _page_text(path, 1)
    assert "딥시크 충격 이후" in second.splitlines()[0]  # running header: the title
    with pikepdf.open(path) as pdf:
        pages = len(pdf.pages)
    assert re.search(rf"^2\s*/\s*{pages}$", second, re.M)  # footer: page x / y
    assert "AIP-2026-01" in second  # footer: the series


def test_short_editions_have_no_table_of_contents(tmp_path: Path) -> None:
    result = build_brief(
        ROOT / "tests" / "fixtures" / "minimal.yaml",
        BuildOptions(out=tmp_path, formats=("pdf",), audiences=("government",)),
    )
    for output in result.outputs:
        assert output.pages is not None and output.pages < 5
        text = subprocess.run(
            ["pdftotext", str(output.path), "-"], check=True, capture_output=True, text=True
        ).stdout
        assert "목차" not in text and "Contents" not in text


def test_worker_cuts_the_marked_contents_as_a_render_without_them(tmp_path: Path) -> None:
    # The PDF worker cuts the contents out itself (no second render in the main process):
    # what it cuts must be the edition rendered without contents, to the byte.
    from briefs.pdf.weasy import TOC_END, TOC_START, without_toc
    from briefs.pipeline.build import Project

    project = Project()
    validated = project.load(ROOT / "inputs" / "deepseek-2025.yaml")
    for lang in validated.brief.languages:
        edition = project.edition(validated, "government", lang, "pdf")
        full = project.render(edition)
        assert full.count(TOC_START) == 1 and full.count(TOC_END) == 1
        assert without_toc(full) == project.render(edition, toc=False)
    assert without_toc("<p>no contents</p>") is None
    assert without_toc(f"{TOC_END}{TOC_START}") is None  # out of order
    assert without_toc(f"{TOC_START}{TOC_START}{TOC_END}") is None  # twice


def test_short_edition_of_a_template_without_markers_has_no_contents(tmp_path: Path) -> None:
    # A template that replaces the page's main block drops the markers: the edition is then
    # rendered again without contents in the main process, as before.
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "base.html.j2").write_text(
        (ROOT / "templates" / "base.html.j2")
        .read_text("utf-8")
        .replace("<!--briefs:toc-->", "")
        .replace("<!--/briefs:toc-->", ""),
        "utf-8",
    )
    result = build_brief(
        ROOT / "tests" / "fixtures" / "minimal.yaml",
        BuildOptions(out=tmp_path / "out", formats=("pdf",), audiences=("government",),
                     templates=folder),
    )  # fmt: skip
    for output in result.outputs:
        assert output.pages is not None and output.pages < 5
        text = subprocess.run(["pdftotext", str(output.path), "-"], check=True,
                              capture_output=True, text=True).stdout  # fmt: skip
        assert "목차" not in text and "Contents" not in text
