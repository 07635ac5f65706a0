"""The one build every conformance test reads (all editions of all briefs in ``inputs/``),
and the one headless Chromium page."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conformance import tools
from tests.conformance.corpus import Built, EditionId, build_all


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[EditionId, Built]:
    """Every edition, HTML and PDF, built once per session with the library."""
    out: Path = tmp_path_factory.mktemp("conformance")
    return build_all(out)


@pytest.fixture(scope="session")
def page() -> Iterator[Any]:
    """A page of one headless Chromium for the whole session: one fixture here, not one per
    module that uses it (a second playwright in the same thread refuses to start)."""
    tools.axe_js()
    with tools.chromium_page() as page:
        yield page
