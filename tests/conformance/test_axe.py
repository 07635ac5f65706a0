"""Every HTML edition, of inputs/ and of the test corpus, has 0 axe-core violations (WCAG
2.0/2.1/2.2 A and AA, and axe's best practices), at a phone viewport and at a desktop one.

One headless Debian Chromium (a fresh profile, no network) serves the whole session; it is
driven with playwright, which never downloads a browser here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from tests.conformance import tools
from tests.conformance.corpus import Built, EditionId, corpus_editions

pytestmark = pytest.mark.slow

TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]
VIEWPORTS = {"phone": (375, 812), "desktop": (1280, 900)}
RUN_AXE = """async (tags) => {
    const result = await axe.run(document, {runOnly: {type: 'tag', values: tags}});
    return {violations: result.violations, version: axe.version};
}"""


def run_axe(page: Any, url: str | None = None, html: str | None = None) -> list[dict[str, Any]]:
    """axe-core's violations on ``url`` (or on the document ``html``; with neither, on the
    page as it is)."""
    if url is not None:
        page.goto(url, wait_until="load")
    elif html is not None:
        page.set_content(html, wait_until="load")
    page.add_script_tag(path=str(tools.AXE_JS))
    result: dict[str, Any] = page.evaluate(RUN_AXE, TAGS)
    violations: list[dict[str, Any]] = result["violations"]
    return violations


def describe(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v.get('impact')}): {v['help']} — {v.get('helpUrl', '')}")
        for node in v["nodes"]:
            target = " ".join(json.dumps(t, ensure_ascii=False) for t in node["target"])
            lines.append(f"    at {target}: {' '.join(node['html'].split())[:200]}")
            summary = " ".join((node.get("failureSummary") or "").split())
            if summary:
                lines.append(f"      {summary}")
            checks = [c for key in ("any", "all", "none") for c in node.get(key) or []]
            related = [r for c in checks for r in c.get("relatedNodes") or []]
            for other in related[:8]:
                lines.append(f"      related: {' '.join(map(str, other['target']))}")
            if len(related) > 8:
                lines.append(f"      … and {len(related) - 8} more related elements")
    return "\n".join(lines)


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
@pytest.mark.parametrize("edition", corpus_editions(), ids=str)
def test_no_axe_violations(
    built: dict[EditionId, Built], page: Any, edition: EditionId, viewport: str
) -> None:
    width, height = VIEWPORTS[viewport]
    page.set_viewport_size({"width": width, "height": height})
    violations = run_axe(page, url=built[edition].html.as_uri())
    if violations:
        pytest.fail(
            f"{edition.name}.html at {width}×{height}: {len(violations)} axe rule(s) violated:\n"
            + describe(violations),
            pytrace=False,
        )


def test_axe_reports_violations_in_a_broken_page(page: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 900})
    violations = run_axe(page, html="<html><body><img src='x.png'><p>text</p></body></html>")
    ids = {v["id"] for v in violations}
    assert {"image-alt", "html-has-lang", "document-title"} <= ids, ids
