"""Key figures in the PDF (issue 15): the tiles break between lines like text, never as one
block moved to the next page, and each tile's footnote is on its tile's page.

A brief with a background of ``n`` paragraphs and six key figures, each citing a source of
its own, is built for the public English edition (background, then key figures) with ``n``
chosen so the key figures start anywhere from the middle to the foot of page 2. Whatever
``n``, no footnote is off its mark's page and the layout report finds nothing: in
particular no page left more than 40% empty, which a key-figures block kept whole left
(55% of page 2 of jeonse-shift-2026 public.en).
"""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest

from briefs.pipeline.build import BuildOptions, build_brief

pytestmark = pytest.mark.slow

FILLER = (
    "The deposit-guarantee scheme grew quickly after 2020, and its claims grew with it, "
    "so this paragraph stands for the background a real brief gives before its figures."
)


def brief(paragraphs: int) -> str:
    figures = "".join(
        f"  - id: kf{i}\n"
        f"    value: {{ko: '{i}0%', en: '{i}0%'}}\n"
        f"    label: {{ko: 지표 {i}, en: 'Indicator {i}, a label of a few words'}}\n"
        f"    sources: [s{i}]\n"
        for i in range(1, 7)
    )
    sources = "".join(
        f"  - id: s{i}\n"
        f"    title: A source whose title is long enough to take most of a footnote line {i}\n"
        f"    publisher: Publisher {i}\n"
        f"    date: 2025-01-2{i}\n"
        for i in range(1, 7)
    )
    context = "\n\n".join([FILLER] * paragraphs)
    return (
        "id: tiles\ntitle: Tiles\ndate: 2025-02-01\norganisation: Test Institute\n"
        "authors:\n  - name: Gildong Hong\nlanguages: [en]\n"
        "summary: Figures moved[@s1].\n"
        f"context: |\n  {context.replace(chr(10), chr(10) + '  ')}\n"
        f"key_figures:\n{figures}"
        "findings:\n  - id: f\n    title: Finding\n    body: Claims fell[@s1].\n"
        "    confidence: high\n"
        f"sources:\n{sources}"
    )


def destinations(path: Path) -> dict[str, int]:
    with pikepdf.open(path) as pdf:
        pages = {page.objgen: i for i, page in enumerate(pdf.pages)}
        tree = pikepdf.NameTree(pdf.Root.Names.Dests)
        return {name: pages[tree[name][0].objgen] for name in tree.keys()}  # noqa: SIM118


@pytest.mark.parametrize("paragraphs", [8, 10, 11, 12, 13, 14, 16])
def test_key_figures_break_between_lines_with_their_footnotes(
    paragraphs: int, tmp_path: Path
) -> None:
    source = tmp_path / "tiles.yaml"
    source.write_text(brief(paragraphs), encoding="utf-8")
    result = build_brief(
        source,
        BuildOptions(out=tmp_path / "out", audiences=("public",), formats=("pdf",)),
    )
    assert [str(w) for w in result.warnings] == []  # the layout report's findings among them
    (output,) = result.outputs
    dests = destinations(output.path)
    for i in range(1, 7):
        tile = dests[f"kf-kf{i}"]
        # The tile's mark is the source's first in the body (s1's first is in the summary).
        mark = f"cite-s{i}-2" if i == 1 else f"cite-s{i}-1"
        assert dests[mark] == tile
        assert dests[f"fn-cite-s{i}-1"] == dests[f"cite-s{i}-1"], (i, dests)
