"""Every HTML edition of the fixture briefs matches its golden file (``make golden``)."""

from __future__ import annotations

import difflib

import pytest

from tests.golden import GOLDEN, render_all

RENDERED = render_all()


@pytest.mark.parametrize("name", sorted(RENDERED))
def test_matches_golden(name: str) -> None:
    expected_path = GOLDEN / name
    assert expected_path.is_file(), f"no golden file {name}: run `make golden`"
    expected = expected_path.read_text(encoding="utf-8")
    if RENDERED[name] != expected:
        diff = "".join(
            difflib.unified_diff(
                expected.splitlines(keepends=True),
                RENDERED[name].splitlines(keepends=True),
                "golden/" + name,
                "rendered",
                n=2,
            )
        )
        pytest.fail(
            f"{name} differs from its golden file (run `make golden` if intended):\n" + diff[:4000]
        )


def test_no_stale_golden_files() -> None:
    extra = {p.name for p in GOLDEN.glob("*.html")} - set(RENDERED)
    assert not extra, f"golden files with no edition: {sorted(extra)}"
