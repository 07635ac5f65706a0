"""One link annotation per place (briefs/pdf/links.py).

The rule: a link inside an earlier link of its page, to the same target, is dropped; nothing
else is. On the flagship's government.ko, with WeasyPrint's own links and with briefs', every
place that was clickable still is, to the same target (each of WeasyPrint's rectangles lies
inside one of briefs'), briefs' rectangles are WeasyPrint's, and every annotation is still a
``Link`` in the structure tree.
"""

from __future__ import annotations

import io
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
