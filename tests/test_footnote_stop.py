"""A layout that the late-footnote repair will throw away stops at its first late footnote
(briefs/pdf/footnotes.py), and the PDF is the one a whole layout gives.

The flagship's industry.ko edition has a footnote that WeasyPrint puts on page 2, below the
key figures that end page 1: its first layout should stop there, two of its eight pages laid
out, and the repaired layout is kept.
"""

from __future__ import annotations

import contextlib
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from briefs.pdf import footnotes
from briefs.pdf.weasy import write_pdf
from briefs.pipeline.build import Project

pytestmark = pytest.mark.slow
FLAGSHIP = Path(__file__).resolve().parent.parent / "inputs" / "deepseek-2025.yaml"


class _Layouts(logging.Handler):
    """The pages each layout lays out in its first pass, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.first_passes: list[list[int]] = []
        self._first = False

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if message.startswith("Step 4 - Creating formatting structure"):
            self.first_passes.append([])
            self._first = True
        elif "Repagination" in message:
            self._first = False
        elif self._first and (
            found := re.fullmatch(r"Step 5 - Creating layout - Page (\d+)", message)
        ):
            self.first_passes[-1].append(int(found.group(1)))


@contextlib.contextmanager
def _never(watch: object) -> Iterator[None]:
    yield


def test_a_doomed_layout_stops_at_its_late_footnote(monkeypatch: pytest.MonkeyPatch) -> None:
    project = Project()
    html = project.render(project.edition(project.load(FLAGSHIP), "industry", "ko", "pdf"))
    layouts = _Layouts()
    logger = logging.getLogger("weasyprint.progress")
    monkeypatch.setattr(logger, "level", logging.INFO)
    logger.addHandler(layouts)
    try:
        stopped = write_pdf(html, base_dir=FLAGSHIP.parent, name="b", report=False)
    finally:
        logger.removeHandler(layouts)
    assert stopped.layouts == 2 and stopped.pages == 8
    first, kept = layouts.first_passes
    assert first == [1, 2]  # the footnote is late on page 2: nothing after it was laid out
    assert kept == list(range(1, 9))

    monkeypatch.setattr(footnotes.passes, "watching", _never)
    whole = write_pdf(html, base_dir=FLAGSHIP.parent, name="b", report=False)
    assert whole.layouts == 2
    assert whole.data == stopped.data
