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
target, already covers (its rectangle inside the other's). Links are gathered parents first,
so the one kept is the outer element's; clicking anywhere does what it did.
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
    were gathered) without those inside an earlier link to the same target."""
    kept: list[Any] = []
    by_target: dict[tuple[str, str], list[Rectangle]] = {}
    for link in links:
        link_type, target, (x1, y1, x2, y2), _box = link
        left, right, top, bottom = min(x1, x2), max(x1, x2), min(y1, y2), max(y1, y2)
        earlier = by_target.setdefault((link_type, target), [])
        if any(_inside((left, right, top, bottom), other) for other in earlier):
            continue
        earlier.append((left, right, top, bottom))
        kept.append(link)
    return kept


def _inside(inner: Rectangle, outer: Rectangle) -> bool:
    left, right, top, bottom = inner
    a, b, c, d = outer
    return a - _SLACK <= left and right <= b + _SLACK and c - _SLACK <= top and bottom <= d + _SLACK
