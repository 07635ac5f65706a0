"""The published site's own pages (catalogue in both languages, brief pages, 404) and a
published HTML edition with its site links: 0 errors from the Nu Html Checker and 0 axe-core
violations, at a phone and a desktop viewport."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conformance import tools
from tests.conformance.test_axe import VIEWPORTS, describe, run_axe
from tests.test_site import site

pytestmark = pytest.mark.slow

PAGES = [
    "index.html",
    "index.en.html",
    "index-lang-en.html",
    "index-audience-public.en.html",
    "minimal/index.html",
    "minimal/index.en.html",
    "korean-only/index.html",
    "404.html",
    "minimal/public.en.html",
]
"""Every kind of site page, and one edition with its links to the site."""

__all__ = ["site"]  # a fixture of another module, used below


def test_site_pages_are_valid_html(site: Path) -> None:
    files = [site / path for path in PAGES]
    done = subprocess.run(
        [tools.java(), "-jar", str(tools.vnu_jar()), "--format", "json", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    messages = json.loads(done.stderr)["messages"]
    shown = [
        f"{m.get('url', '').rsplit('/public/', 1)[-1]}:{m.get('lastLine')}: {m['type']}: "
        f"{m['message']}"
        for m in messages
        if m["type"] == "error" or m.get("subType") == "warning"
    ]
    assert not shown, "\n".join(shown)


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("path", PAGES)
def test_site_pages_have_no_axe_violations(site: Path, page: Any, path: str, viewport: str) -> None:
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    violations = run_axe(page, url=(site / path).as_uri())
    if violations:
        pytest.fail(f"{path} at {width}×{height}:\n" + describe(violations), pytrace=False)
