"""One link annotation where WeasyPrint 70 writes several for the same place, installed by
:func:`install`.

WeasyPrint gives a link annotation to every box a link's element holds, except text: an
``<a>``'s line fragment gets one, and so does each inline element inside it, with the same
target and a rectangle inside the first. A reference's address is printed with a break
opportunity (``<wbr>``) at each of its parts (:func:`briefs.text.sourcetext.url_text`), so
each part added an annotation, most of them zero-width: the flagship's government.ko had 365
link annotations, 275 of them for its 27 addresses. Each is an object in the PDF, a ``Link``
kid in the structure tree and an entry of its parent tree.

:func:`covering` drops a link of a page that an earlier link of the same page, to the same
target, already covers (its rectangle inside the other's), unless a link to another target
drawn between the two overlaps it: annotations stack in the order they are listed, the last
on top, and that link would then be on top where the dropped one was. Links are gathered
parents first, so the one kept is the outer element's; clicking anywhere does what it did.
"""

from __future__ import annotations

from typing import Any

_INSTALLED = "__briefs_links__"
_SLACK = 1e-6  # rectangles are floats computed the same way; allow for their last bits

Rectangle = tuple[float, float, float, float]


def install() -> None:
    """Make WeasyPrint keep one link annotation per place (idempotent)."""
    import weasyprint.anchors
    import weasyprint.document as document

    gather = document.gather_anchors
    if getattr(gather, _INSTALLED, False):
        return
    if gather is not weasyprint.anchors.gather_anchors or gather.__code__.co_argcount != 8:
        raise RuntimeError(
            "weasyprint.document.gather_anchors is not WeasyPrint 70's: "
            "briefs cannot merge its link annotations"
        )
    document.gather_anchors = _one_per_place(gather)


def uninstall() -> None:
    """Put WeasyPrint's own ``gather_anchors`` back (for benchmarks and tests)."""
    import weasyprint.document as document

    if getattr(document.gather_anchors, _INSTALLED, False):
        document.gather_anchors = document.gather_anchors.__wrapped__


def _one_per_place(original: Any) -> Any:
    def gather_anchors(box: Any, anchors: Any, links: list[Any], *args: Any) -> Any:
        start = len(links)
        result = original(box, anchors, links, *args)
        links[start:] = covering(links[start:])
        return result

    gather_anchors.__wrapped__ = original  # type: ignore[attr-defined]
    setattr(gather_anchors, _INSTALLED, True)
    return gather_anchors


def covering(links: list[Any]) -> list[Any]:
    """``links`` (WeasyPrint's ``(type, target, (x1, y1, x2, y2), box)``, in the order they
    were gathered) without those inside an earlier link to the same target with no link to
    another target between the two overlapping them: at every point, the last link listed
    that holds it (the one on top, which a click follows) has the same target as before."""
    kept: list[Any] = []
    rectangles: list[tuple[tuple[str, str], Rectangle]] = []
    for link in links:
        link_type, target, (x1, y1, x2, y2), _box = link
        key, here = (link_type, target), (min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2))
        if not _covered(key, here, rectangles):
            rectangles.append((key, here))
            kept.append(link)
    return kept


def _covered(
    key: tuple[str, str], rectangle: Rectangle, below: list[tuple[tuple[str, str], Rectangle]]
) -> bool:
    """Whether a link to ``key`` over ``rectangle`` adds nothing on top of the links ``below``
    (bottom first): one of them to the same target holds it, and no link to another target
    above that one overlaps it."""
    for other_key, other in reversed(below):
        if other_key == key:
            if _inside(rectangle, other):
                return True
        elif _overlap(rectangle, other):
            return False
    return False


def _inside(inner: Rectangle, outer: Rectangle) -> bool:
    left, right, top, bottom = inner
    a, b, c, d = outer
    return a - _SLACK <= left and right <= b + _SLACK and c - _SLACK <= top and bottom <= d + _SLACK


def _overlap(one: Rectangle, two: Rectangle) -> bool:
    left, right, top, bottom = one
    a, b, c, d = two
    return left < b - _SLACK and a < right - _SLACK and top < d - _SLACK and c < bottom - _SLACK
