"""A layout that the late-footnote repair will throw away stops at its first late footnote
(briefs/pdf/footnotes.py), and the PDF is the one a whole layout gives.

hbm-export-controls' public.en edition has a footnote that WeasyPrint puts on page 4, past
its mark's page: its first layout should stop there, four of its eight pages laid out, and the
repaired layout is kept. (The flagship's industry.ko was the example until footnotes of key
figures stopped being late, briefs/pdf/footnote_layout.py.)
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from briefs.pdf import footnotes, passes
from briefs.pdf.weasy import write_pdf
from briefs.pipeline.build import Project

pytestmark = pytest.mark.slow
BRIEF = Path(__file__).resolve().parent.parent / "inputs" / "hbm-export-controls.yaml"


@contextlib.contextmanager
def _never(watch: object) -> Iterator[None]:
    yield


def test_a_doomed_layout_stops_at_its_late_footnote(monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project()
    html = project.render(project.edition(project.load(BRIEF), "public", "en", "pdf"))
    watched: list[list[int]] = []  # per watched layout, the page counts the watch was shown
    make = footnotes._stop_when_late

    def recording() -> passes.Watch:
        watch = make()
        watched.append([])

        def record(boxes: list[Any]) -> None:
            watched[-1].append(len(boxes))
            watch(boxes)

        return record

    monkeypatch.setattr(footnotes, "_stop_when_late", recording)
    stopped = write_pdf(html, base_dir=BRIEF.parent, name="b", report=False)
    assert stopped.layouts == 2 and stopped.pages == 8
    # The first layout stopped on page 4, nothing after it laid out; the second, watched
    # too, ran whole and found nothing late.
    assert watched[0] == [1, 2, 3, 4]
    assert watched[1] == list(range(1, 9))

    monkeypatch.setattr(footnotes.passes, "watching", _never)
    whole = write_pdf(html, base_dir=BRIEF.parent, name="b", report=False)
    assert whole.layouts == 2
    assert whole.data == stopped.data
