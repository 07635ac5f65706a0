"""The layout report finds nothing on any edition of any brief in ``inputs/`` and the test
corpus (``corpus/``, the fixture briefs): no footnote off its page, no stranded heading or
source line, no overflow, no split number or date, no unmarked Hangul in English, one-line
running heads (issue 15). The rules themselves are tested in ``tests/test_layout_report.py``.
"""

from __future__ import annotations

import pytest

from tests.conformance.corpus import Built, EditionId, corpus_editions

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("edition", corpus_editions(), ids=str)
def test_no_layout_findings(built: dict[EditionId, Built], edition: EditionId) -> None:
    assert built[edition].layout == ()
