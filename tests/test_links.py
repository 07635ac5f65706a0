"""One link annotation per place (briefs/pdf/links.py).

The rule: a link inside an earlier link of its page, to the same target, is dropped, unless a
link to another target listed between the two overlaps it (it would then be on top there);
nothing else is. On the flagship's government.ko, with WeasyPrint's own links and with briefs', every
place that was clickable still is, to the same target (each of WeasyPrint's rectangles lies
inside one of briefs', and the topmost annotation at each place has the same target), briefs' rectangles are WeasyPrint's, and every annotation is still a
``Link`` in the structure tree.
"""

from __future__ import annotations

import io
import itertools
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pikepdf
import pytest

from briefs.pdf import links, weasy

ROOT = Path(__file__).resolve().parent.parent
BRIEF = ROOT / "inputs" / "deepseek-2025.yaml"


def _link(target: str, x1: float, y1: float, x2: float, y2: float) -> tuple[Any, ...]:
    return ("external", target, (x1, y1, x2, y2), object())


def test_a_link_inside_an_earlier_one_to_the_same_target_is_dropped() -> None:
    outer = _link("https://a.example", 10, 10, 200, 22)
    part = _link("https://a.example", 40, 11, 90, 21)
    empty = _link("https://a.example", 90, 11, 90, 21)  # a <wbr>: no width
    assert links.covering([outer, part, empty]) == [outer]


def test_other_targets_other_places_and_outer_links_seen_later_are_kept() -> None:
    outer = _link("https://a.example", 10, 10, 200, 22)
    elsewhere = _link("https://a.example", 10, 30, 120, 42)  # the next line
    other = _link("https://b.example", 40, 11, 90, 21)  # inside, but another target
    internal = ("internal", "https://a.example", (40, 11, 90, 21), object())
    overlapping = _link("https://a.example", 150, 10, 260, 22)  # not inside
    kept = [outer, elsewhere, other, internal, overlapping]
    assert links.covering(kept) == kept
    # Only an *earlier* link covers: a small one first keeps both.
    around = _link("https://a.example", 0, 25, 300, 50)
    assert links.covering([elsewhere, around]) == [elsewhere, around]


def test_a_link_under_another_target_is_kept_where_the_other_would_be_on_top() -> None:
    # Annotations stack in list order, the last on top. C lies inside A (same target) but
    # on B, which is drawn after A: without C a click on C's place would follow B.
    a = _link("https://a.example", 0, 0, 300, 60)
    b = _link("https://b.example", 0, 10, 300, 40)
    c = _link("https://a.example", 0, 20, 30, 30)
    assert links.covering([a, b, c]) == [a, b, c]
    # A link to another target elsewhere, or below the covering one, changes nothing.
    away = _link("https://b.example", 0, 100, 300, 140)
    assert links.covering([a, away, c]) == [a, away]
    assert links.covering([b, a, c]) == [b, a]
    # A second link to the same target drawn above B covers C again.
    again = _link("https://a.example", 0, 15, 300, 35)
    assert links.covering([a, b, again, c]) == [a, b, again]
    # Touching edges are not an overlap.
    beside = _link("https://b.example", 30, 20, 60, 30)
    assert links.covering([a, beside, c]) == [a, beside]


def test_reversed_corners_are_read_as_the_same_rectangle() -> None:
    outer = _link("https://a.example", 200, 22, 10, 10)
    assert links.covering([outer, _link("https://a.example", 40, 11, 90, 21)]) == [outer]


@pytest.fixture
def stock() -> Iterator[None]:
    links.uninstall()
    try:
        yield
    finally:
        links.install()


def _annotations(data: bytes) -> list[list[tuple[str, tuple[float, ...]]]]:
    found = []
    with pikepdf.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            here = []
            for annotation in page.get("/Annots", []):
                target = str(annotation.Dest) if "/Dest" in annotation else str(annotation.A.URI)
                rect = tuple(float(v) for v in annotation.Rect)
                here.append((target, rect))
            found.append(here)
    return found


def _inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    a, b, c, d = inner
    e, f, g, h = outer
    return (
        min(e, g) - 1e-3 <= min(a, c)
        and max(a, c) <= max(e, g) + 1e-3
        and min(f, h) - 1e-3 <= min(b, d)
        and max(b, d) <= max(f, h) + 1e-3
    )


def _places(annotations: list[tuple[str, tuple[float, ...]]]) -> Iterator[tuple[float, float]]:
    """A point inside each cell the annotations' edges cut the page into, where one holds it."""
    xs = sorted({v for _, r in annotations for v in (r[0], r[2])})
    ys = sorted({v for _, r in annotations for v in (r[1], r[3])})
    for _, (x1, y1, x2, y2) in annotations:
        inner_xs = [x for x in xs if min(x1, x2) <= x <= max(x1, x2)]
        inner_ys = [y for y in ys if min(y1, y2) <= y <= max(y1, y2)]
        for left, right in itertools.pairwise(inner_xs):
            for bottom, top in itertools.pairwise(inner_ys):
                yield (left + right) / 2, (bottom + top) / 2


def _topmost(
    point: tuple[float, float], annotations: list[tuple[str, tuple[float, ...]]]
) -> str | None:
    x, y = point
    for target, (x1, y1, x2, y2) in reversed(annotations):
        if min(x1, x2) < x < max(x1, x2) and min(y1, y2) < y < max(y1, y2):
            return target
    return None


@pytest.mark.slow
def test_the_flagship_is_as_clickable_with_fewer_annotations(
    stock: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    from briefs.pipeline.build import BuildOptions, Project, plan

    project = Project()
    validated = project.load(BRIEF)
    plans = plan(validated, BuildOptions(), project.profiles)
    audience, lang = next(p for p in plans if p == ("government", "ko"))
    html = project.render(project.edition(validated, audience, lang, "pdf"))
    monkeypatch.setattr(links, "install", lambda: None)
    theirs = _annotations(weasy.write_pdf(html, base_dir=BRIEF.parent, name="b").data)
    monkeypatch.undo()
    links.install()
    data = weasy.write_pdf(html, base_dir=BRIEF.parent, name="b").data
    ours = _annotations(data)
    assert sum(map(len, ours)) < sum(map(len, theirs)) / 2
    for page_ours, page_theirs in zip(ours, theirs, strict=True):
        assert set(page_ours) <= set(page_theirs)
        for target, rect in page_theirs:
            assert any(t == target and _inside(rect, r) for t, r in page_ours), (target, rect)
        # A click follows the topmost annotation, the last listed: at every place of the
        # page it lands on the same target.
        for point in _places(page_theirs):
            assert _topmost(point, page_ours) == _topmost(point, page_theirs), point
    # Every annotation is a Link in the structure tree, and every Link has its annotation.
    with pikepdf.open(io.BytesIO(data)) as pdf:
        parents = dict(zip(*[iter(pdf.Root.StructTreeRoot.ParentTree.Nums)] * 2, strict=True))
        annotations = {a.objgen for page in pdf.pages for a in page.get("/Annots", [])}
        for page in pdf.pages:
            for annotation in page.get("/Annots", []):
                element = parents[int(annotation.StructParent)]
                assert element.S == "/Link"
                kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                assert any(
                    isinstance(k, pikepdf.Dictionary) and k.get("/Obj") == annotation for k in kids
                )
        for element in pdf.objects:
            if isinstance(element, pikepdf.Dictionary) and element.get("/S") == "/Link":
                kids = element.K if isinstance(element.K, pikepdf.Array) else [element.K]
                refs = [
                    k.Obj.objgen for k in kids if isinstance(k, pikepdf.Dictionary) and "/Obj" in k
                ]
                assert refs and set(refs) <= annotations
