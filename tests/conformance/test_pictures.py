"""Page 1 of every PDF edition looks like its reference picture in ``tests/pictures/``.

After an intended layout change, run ``make pictures`` and review the changed PNGs.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.conformance import tools
from tests.conformance.corpus import Built, EditionId, corpus_editions
from tests.conformance.pictures import PICTURES, compare, reference, render_page1

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("edition", corpus_editions(), ids=str)
def test_page_one_matches_reference(
    built: dict[EditionId, Built], edition: EditionId, tmp_path: Path
) -> None:
    pdftoppm = tools.poppler("pdftoppm")
    expected = reference(edition.name)
    actual = render_page1(built[edition].pdf, tmp_path / f"{edition.name}.png", pdftoppm)
    if not expected.is_file():
        pytest.fail(
            f"no reference picture {expected.relative_to(tools.ROOT)}: run `make pictures` "
            f"(page 1 is in {actual})",
            pytrace=False,
        )
    diff = tmp_path / f"{edition.name}.diff.png"
    difference = compare(expected, actual, diff)
    if not difference.ok:
        shown = f"diff (red where it differs): {diff}" if diff.is_file() else "no diff picture"
        pytest.fail(
            f"page 1 of {edition.name}.pdf differs from {expected.relative_to(tools.ROOT)}: "
            f"{difference}.\n  new picture: {actual}\n  {shown}\n"
            "If the change is intended, run `make pictures` and review the new references.",
            pytrace=False,
        )


def test_no_stale_reference_pictures() -> None:
    names = {e.name for e in corpus_editions()}
    extra = sorted(p.name for p in PICTURES.glob("*.png") if p.stem not in names)
    assert not extra, f"reference pictures with no edition (run `make pictures`): {extra}"


def test_comparison_catches_a_changed_page(tmp_path: Path) -> None:
    # The check itself: a reference compared with a visibly altered copy of itself fails.
    from PIL import Image, ImageDraw

    some = sorted(PICTURES.glob("*.png"))
    if not some:
        pytest.fail("no reference pictures: run `make pictures`", pytrace=False)
    changed = tmp_path / "changed.png"
    shutil.copyfile(some[0], tmp_path / "same.png")
    with Image.open(some[0]) as image:
        altered = image.convert("RGB")
    width, height = altered.size
    ImageDraw.Draw(altered).rectangle((0, height // 3, width, height // 3 + height // 10), "black")
    altered.save(changed)
    assert compare(some[0], tmp_path / "same.png").ok
    assert not compare(some[0], changed).ok
