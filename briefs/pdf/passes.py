"""WeasyPrint's layout passes, shortened.

Three savings, all in a wrapper of WeasyPrint's pass (``weasyprint.layout.make_all_pages``),
installed by :func:`install`:

- one pass of page 1 fewer for every PDF with a table of contents (below);
- and another where the contents' numbers keep their room: before each pass after the
  first, :func:`briefs.pdf.page_refs.refresh` puts the new numbers in place in the pages
  already laid out, and the page is not laid out again;
- a first pass stopped as soon as it is known to be thrown away: :func:`watching` hands each
  page of the first pass, as it is laid out, to a function that may raise to stop the layout
  (the late-footnote repair of :mod:`briefs.pdf.footnotes` lays the edition out again
  anyway, so the pages after the first late footnote were wasted).

The contents' extra pass:

A contents entry reads its section's page with ``target-counter(attr(href), page)``. WeasyPrint
70 lays out the whole document, then again each page whose page-based content changed. For
page 1, which holds the contents, that takes two more passes, not one:

1. The first pass lays page 1 out before any section has a page, so the entries read 0. The
   entries are parsed again at the end of page 1 with what is known then (still nothing), and
   page 1 is marked for another pass.
2. The second pass lays page 1 out *with the same stale entries*, and only after that layout
   sees that the page's counters (now holding the total page count) changed, parses the
   entries again with the sections' pages, and marks page 1 once more.
3. The third pass lays page 1 out with the right numbers.

:func:`install` wraps the pass (``weasyprint.layout.make_all_pages``): before each pass after
the first, it does what step 2 does after its layout, before it: each page reference whose
page's counters changed is parsed again with the counters its page ended with in the previous
pass. The second pass then lays page 1 out with the right numbers, and finds nothing changed.
If the counters the wrapper used turn out not to be the ones the page gets, WeasyPrint's own
check still sees a difference and lays the page out again, as before: the result is the same,
only the saving is lost.

WeasyPrint is pinned to 70.x; :func:`install` fails loudly when the function it wraps is not
the one it was written for.
"""

from __future__ import annotations

import contextlib
import contextvars
import copy
from collections.abc import Callable, Iterator
from typing import Any

from briefs.pdf import page_refs

Watch = Callable[[list[Any]], None]
"""Called with the page boxes of the first pass so far, after each page; may raise."""

_watch: contextvars.ContextVar[Watch | None] = contextvars.ContextVar("watch", default=None)


@contextlib.contextmanager
def watching(watch: Watch | None) -> Iterator[None]:
    """Hand the pages of every first layout pass made meanwhile (in this thread) to ``watch``."""
    token = _watch.set(watch)
    try:
        yield
    finally:
        _watch.reset(token)


def _parse_early(context: Any) -> None:
    """Parse again, before the pass, every page reference whose page's counters changed."""
    page_maker = context.page_maker
    for lookup in context.target_collector.counter_lookup_items.values():
        index = lookup.page_maker_index
        if not lookup.missing_counters or index is None or index + 1 >= len(page_maker):
            continue
        values = page_maker[index + 1][3][1]  # the counters the page ended with
        if values == lookup.cached_page_counter_values:
            continue
        if all(values.get(name) is None for name in lookup.missing_counters):
            continue
        lookup.cached_page_counter_values = copy.deepcopy(values)
        lookup.parse_again(values)
        page_maker[index][-1]["content_changed"] = True


def _make_all_pages(original: Any) -> Any:
    def make_all_pages(context: Any, root_box: Any, html: Any, pages: list[Any]) -> Any:
        watch = None
        if pages:  # a pass after the first
            _parse_early(context)
            page_refs.refresh(context, pages)
        else:
            context.briefs_broken_out_of_flow = False
            watch = _watch.get()
        return _noted(context, original(context, root_box, html, pages), watch)

    make_all_pages.__wrapped__ = original  # type: ignore[attr-defined]
    return make_all_pages


def _noted(context: Any, pages: Iterator[Any], watch: Watch | None) -> Iterator[Any]:
    laid: list[Any] = []
    for page in pages:
        page_refs.note_pass(context)
        if watch is not None:
            laid.append(page)
            watch(laid)
        yield page


def install() -> None:
    """Make WeasyPrint parse changed page references before a pass, not after it, and hand
    the pages of a first pass to the function :func:`watching` gives."""
    import weasyprint.layout
    import weasyprint.layout.page

    current = weasyprint.layout.make_all_pages
    if getattr(current, "__wrapped__", None) is weasyprint.layout.page.make_all_pages:
        return
    if current is not weasyprint.layout.page.make_all_pages or current.__code__.co_argcount != 4:
        raise RuntimeError(
            "weasyprint.layout.make_all_pages is not WeasyPrint 70's: "
            "briefs cannot skip the contents' extra layout pass"
        )
    weasyprint.layout.make_all_pages = _make_all_pages(current)
