"""Golden HTML files: every edition of the fixture briefs, as committed under tests/golden/.

Regenerate after an intended change with ``make golden`` (``python -m tests.golden
--update``) and review the diff; ``tests/test_golden.py`` fails while they differ.
"""

from __future__ import annotations

import argparse
import hashlib
import re
import sys
from pathlib import Path

from briefs.pipeline.build import Project

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "golden"
BRIEFS = [HERE / "fixtures" / "minimal.yaml"]
_FONT_DATA = re.compile(r"data:font/woff2;base64,([A-Za-z0-9+/=]+)")


def _short_fonts(html: str) -> str:
    """The embedded fonts' data replaced by its digest: a golden file stays reviewable, and
    still changes when the glyphs embedded do (tests/test_fonts_html.py looks inside)."""
    return _FONT_DATA.sub(
        lambda m: f"data:font/woff2;sha1,{hashlib.sha1(m[1].encode()).hexdigest()}", html
    )


def render_all() -> dict[str, str]:
    """Every HTML edition of the golden briefs, by file name."""
    project = Project()
    out: dict[str, str] = {}
    for path in BRIEFS:
        validated = project.load(path)
        brief = validated.brief
        for audience in brief.audiences or list(project.profiles):
            for lang in brief.languages:
                edition = project.edition(validated, audience, lang, "html")
                html = _short_fonts(project.render(edition))
                out[f"{brief.id}.{audience}.{lang}.html"] = html
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--update", action="store_true", help="rewrite the golden files")
    args = parser.parse_args(argv)
    rendered = render_all()
    if not args.update:
        stale = [
            n
            for n, html in rendered.items()
            if not (GOLDEN / n).is_file() or (GOLDEN / n).read_text("utf-8") != html
        ]
        print("\n".join(stale) or "golden files are up to date")
        return 1 if stale else 0
    GOLDEN.mkdir(exist_ok=True)
    for old in GOLDEN.glob("*.html"):
        if old.name not in rendered:
            old.unlink()
    for name, html in rendered.items():
        (GOLDEN / name).write_text(html, encoding="utf-8")
    print(f"wrote {len(rendered)} golden files to {GOLDEN}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
