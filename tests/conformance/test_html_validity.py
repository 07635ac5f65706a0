"""Every HTML edition, of inputs/ and of the test corpus, is valid HTML: 0 errors from the
Nu Html Checker (vnu).

vnu runs once, over every file (and a deliberately broken one, to show it reports errors).
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.conformance import tools
from tests.conformance.corpus import Built, EditionId, corpus_editions

pytestmark = pytest.mark.slow

Messages = dict[Path, list[dict[str, Any]]]
BROKEN = "<!DOCTYPE html><html lang=en><title>t</title><p><div>block in p</div></p><img src=x>"


@pytest.fixture(scope="session")
def vnu_messages(
    built: dict[EditionId, Built], tmp_path_factory: pytest.TempPathFactory
) -> Messages:
    """vnu's errors for each HTML file, and for ``broken.html`` (the canary)."""
    java = tools.java()
    jar = tools.vnu_jar()
    canary = tmp_path_factory.mktemp("vnu") / "broken.html"
    canary.write_text(BROKEN, encoding="utf-8")
    files = [b.html for b in built.values()] + [canary]
    done = subprocess.run(
        [java, "-jar", str(jar), "--format", "json", "--errors-only", *map(str, files)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    # vnu writes its JSON report to stderr; exit status 1 means "errors found".
    try:
        report = json.loads(done.stderr)
    except json.JSONDecodeError:
        pytest.fail(
            f"vnu did not report JSON (exit {done.returncode}):\n{done.stderr[-3000:]}",
            pytrace=False,
        )
    found: Messages = {f: [] for f in files}
    for message in report.get("messages", []):
        url = message.get("url", "")
        owner = next((f for f in files if url.endswith(f.as_posix())), None)
        if owner is None:  # a message about no file of ours: report it everywhere
            for messages in found.values():
                messages.append(message)
        else:
            found[owner].append(message)
    return found


def describe(message: dict[str, Any]) -> str:
    where = f"{message.get('lastLine', '?')}:{message.get('firstColumn', message.get('lastColumn', '?'))}"
    kind = message.get("type", "?") + (f"/{message['subType']}" if "subType" in message else "")
    extract = " ".join(str(message.get("extract", "")).split())
    return f"  line {where} [{kind}] {message.get('message', '')}\n      {extract}"


@pytest.mark.parametrize("edition", corpus_editions(), ids=str)
def test_html_has_no_vnu_errors(
    built: dict[EditionId, Built], vnu_messages: Messages, edition: EditionId
) -> None:
    html = built[edition].html
    errors = [m for m in vnu_messages[html] if m.get("type") in ("error", "non-document-error")]
    if errors:
        pytest.fail(
            f"{edition.name}.html: {len(errors)} Nu Html Checker error(s) ({html}):\n"
            + "\n".join(map(describe, errors)),
            pytrace=False,
        )


def test_vnu_reports_errors_in_a_broken_page(vnu_messages: Messages) -> None:
    (canary,) = [f for f in vnu_messages if f.name == "broken.html"]
    texts = [m.get("message", "") for m in vnu_messages[canary] if m.get("type") == "error"]
    assert any("“p”" in t for t in texts), texts
    assert any("alt" in t for t in texts), texts
