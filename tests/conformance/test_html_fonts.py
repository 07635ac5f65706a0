"""The HTML edition is drawn in its embedded face, whatever fonts the reader's machine has.

Debian's Chromium here has no Korean font of its own (the test checks that fontconfig lists
none), so Hangul in a reader's font would be boxes. The embedded faces must load, and a run
of Hangul must be exactly as wide as the bundled font's advances say.
"""

from __future__ import annotations

import concurrent.futures
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from briefs.pipeline.build import Project
from briefs.resources import builtin_dir
from tests.conformance import tools

pytestmark = pytest.mark.slow

MINIMAL = tools.ROOT / "tests" / "fixtures" / "minimal.yaml"
MEASURE = """async ([text, weight]) => {
    await document.fonts.ready;
    const span = document.createElement('span');
    span.textContent = text;
    span.style.cssText = `font-size: 100px; font-weight: ${weight}; letter-spacing: 0;
        word-spacing: 0; white-space: nowrap; font-kerning: none; position: absolute`;
    document.body.append(span);
    const width = span.getBoundingClientRect().width;
    span.remove();
    return {width, faces: [...document.fonts].map(f => `${f.family} ${f.weight} ${f.status}`)};
}"""


def advance(text: str, face: str) -> float:
    """The width of ``text`` at 100 px in bundled ``face``, from its advances."""
    font = TTFont(builtin_dir() / "fonts" / face)
    cmap, metrics = font.getBestCmap(), font["hmtx"]
    units = sum(metrics[cmap[ord(c)]][0] for c in text)
    return float(units * 100 / font["head"].unitsPerEm)


def test_hangul_is_drawn_in_the_embedded_face(tmp_path: Path) -> None:
    fc_list = shutil.which("fc-list")
    if fc_list is not None:  # otherwise a reader's font could pass for the embedded one
        korean = subprocess.run([fc_list, ":lang=ko"], capture_output=True, text=True).stdout
        if korean.strip():
            pytest.skip(f"this machine has Korean fonts: {korean.splitlines()[0]}")
    project = Project()
    edition = project.edition(project.load(MINIMAL), "public", "ko", "html")
    page_file = tmp_path / "public.ko.html"
    document = project.render(edition)
    page_file.write_text(document, encoding="utf-8")
    title = re.search(r"<h1[^>]*>(.*?)</h1>", document, re.S)
    assert title is not None
    text = "".join(c for c in title[1] if "\uac00" <= c <= "\ud7a3")[:6]
    assert len(text) >= 4, title[1]

    def measure() -> tuple[dict[str, object], dict[str, object]]:
        with tools.chromium_page() as page:
            page.goto(page_file.as_uri(), wait_until="load")
            return page.evaluate(MEASURE, [text, 400]), page.evaluate(MEASURE, [text, 700])

    # In a thread of its own: Playwright's sync API refuses a thread whose asyncio loop is
    # running, as it is while another test's browser session (axe's) is still open.
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        regular, bold = pool.submit(measure).result()
    assert regular["faces"] == ["Briefs Text 400 loaded", "Briefs Text 700 loaded"]
    assert regular["width"] == pytest.approx(advance(text, "PretendardGOV-Regular.ttf"), abs=1)
    assert bold["width"] == pytest.approx(advance(text, "PretendardGOV-Bold.ttf"), abs=1)
