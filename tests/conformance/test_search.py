"""The site's search in headless Chromium: the briefs of ``inputs/`` published, served over
HTTP below a sub-path (as GitHub Pages serves a project site), a word typed into the
catalogue's search box, and the results read from the page.

The words were chosen by reading the briefs: 증류 (distillation, in the DeepSeek brief's
Korean text) and "fabs" (in the HBM brief's English text). The test first checks, on the
inputs themselves, that each occurs in one brief only, so a result from another brief is a
wrong result. (Pagefind segments Hangul: a compound such as 공급망 also finds 공급 in another
brief, so the Korean word is one that no other brief holds even in part.)
"""

from __future__ import annotations

import functools
import http.server
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from briefs.pipeline.publish import publish
from tests.conformance.test_axe import describe, run_axe

ROOT = Path(__file__).resolve().parents[2]
INPUTS = ROOT / "inputs"
PREFIX = "/briefs-site"
"""The sub-path the site is served under: result links must not assume the host's root."""

pytestmark = pytest.mark.slow


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The briefs of inputs/ published (HTML editions: the index reads those) and served."""
    root = tmp_path_factory.mktemp("served")
    result = publish(INPUTS, root / PREFIX.strip("/"), formats=("html",))
    assert not result.failures, [str(f) for f in result.failures]
    handler = functools.partial(_Quiet, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{PREFIX}/"
    finally:
        server.shutdown()
        thread.join()
        server.server_close()


def _briefs_holding(word: str) -> set[str]:
    return {
        path.stem
        for path in INPUTS.glob("*.yaml")
        if word.casefold() in path.read_text("utf-8").casefold()
    }


def _search(page: Any, url: str, word: str) -> tuple[list[str], list[str]]:
    """The result links and the requests that left the local server, after typing ``word``."""
    outside: list[str] = []

    def route(request: Any) -> None:
        if urlsplit(request.request.url).hostname != "127.0.0.1":
            outside.append(request.request.url)
            request.abort()
        else:
            request.continue_()

    page.context.set_offline(False)  # the session's page is offline; the server is local
    page.route("**/*", route)
    try:
        page.goto(url, wait_until="load")
        page.fill("#search input", word)
        # Pagefind shows a placeholder per result until its fragment is loaded
        page.wait_for_function(
            """() => {
                const results = [...document.querySelectorAll('.pagefind-ui__result')];
                return results.length > 0
                    && results.every(r => r.querySelector('.pagefind-ui__result-link'));
            }""",
            timeout=20_000,
        )
        links: list[str] = page.eval_on_selector_all(
            ".pagefind-ui__result-link", "links => links.map(a => a.getAttribute('href'))"
        )
    finally:
        page.unroute("**/*")
        page.context.set_offline(True)
    return links, outside


@pytest.mark.parametrize(
    ("catalogue", "word", "brief", "lang"),
    [
        ("index.html", "증류", "deepseek-2025", "ko"),
        ("index.en.html", "fabs", "hbm-export-controls", "en"),
    ],
)
def test_a_word_of_one_brief_finds_that_brief(
    served: str, page: Any, catalogue: str, word: str, brief: str, lang: str
) -> None:
    assert _briefs_holding(word) == {brief}, f"{word!r} must be in {brief} only"
    links, outside = _search(page, served + catalogue, word)
    assert not outside, f"the search fetched from outside the site: {outside}"
    assert links, f"no result for {word!r}"
    pages = {link.split("#")[0] for link in links}
    # every result is a page of that brief, below the sub-path, in the catalogue's language
    assert all(p.startswith(f"{PREFIX}/{brief}/") for p in pages), sorted(pages)
    suffix = ".html" if lang == "ko" else ".en.html"
    editions = {p for p in pages if not p.endswith(("/index.html", "/index.en.html"))}
    assert editions and all(p.endswith(f".{lang}.html") for p in editions), sorted(pages)
    assert all(p.endswith(suffix) for p in pages - editions), sorted(pages)
    # and the result list, as a reader meets it, passes axe
    violations = run_axe(page)
    assert not violations, describe(violations)
