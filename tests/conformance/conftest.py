"""The one build every conformance test reads: all editions of all briefs in ``inputs/``."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conformance.corpus import Built, EditionId, build_all


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[EditionId, Built]:
    """Every edition, HTML and PDF, built once per session with the library."""
    out: Path = tmp_path_factory.mktemp("conformance")
    return build_all(out)
