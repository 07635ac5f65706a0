"""``briefs init``: a publications repository to start from.

The project file (every setting shown, the optional ones commented), the JSON Schemas
editors use, ``inputs/`` with a sample brief that validates and builds as written, and a
GitHub Actions workflow that checks every push, previews pull requests and publishes
``main`` to GitHub Pages. Nothing is overwritten.
"""

from __future__ import annotations

from pathlib import Path

from briefs.check.project import FILE_NAME
from briefs.errors import BriefError, display_path
from briefs.fs import inside, write_atomic
from briefs.pipeline.scaffold import PROJECT_SCHEMA_FILE, SCHEMA_FILE, new_brief, schema_text
from briefs.version import __version__

WORKFLOW = Path(".github") / "workflows" / "publish.yml"
"""Where the CI workflow goes."""
SAMPLE_ID = "sample-brief"
"""The sample brief's id."""

PROJECT_TEXT = """\
#:schema ./schema/project.schema.json
# The project file of a briefs repository: what every brief under this folder shares.
# Every key is optional; a brief's own field wins over the defaults below.
# Check it and the briefs with `briefs validate inputs/*.yaml`.

# The publishing organisation, on the covers and in the metadata.
organisation = { ko = "발행 기관", en = "Publishing organisation" }
# An SVG or PNG next to this file: on every cover, in the site's header, as its favicon.
# logo = "logo.svg"
# Templates searched before the built-ins (see `briefs templates list`).
# templates = "templates"
# A regular expression every brief's series number must match.
# series_pattern = "KPI-[0-9]{4}"

[brand]
# Colours replacing the built-in ones; each must reach WCAG AA (4.5:1) where it is used.
# primary = "#0b50d0"  # links and rules
# dark = "#083891"     # figures, series numbers
# heading = "#063a74"  # section headings
# accent = "#ab2b36"   # low-confidence marks

[page]
size = "A4"  # A4, B5 or Letter
margins = "22mm 20mm 22mm 20mm"  # top, right, bottom, left

[defaults]
licence = "CC-BY-4.0"
languages = ["ko", "en"]
# audiences = ["government", "industry", "startups", "public"]
# authors = [{ name = { ko = "정책연구팀", en = "Policy research team" } }]

[site]
title = { ko = "정책 브리프", en = "Policy briefs" }
description = { ko = "정책 브리프 모음", en = "A collection of policy briefs" }
# The public address; on GitHub Pages the workflow passes it with --base-url.
# base_url = "https://example.org/briefs/"
"""

WORKFLOW_TEXT = f"""\
# Check every push; upload a preview of each pull request; publish main to GitHub Pages.
name: publish

on:
  push:
    branches: [main]
  pull_request:
  workflow_dispatch:

permissions:
  contents: read

# One deployment at a time; a newer one waits instead of cancelling one under way.
concurrency:
  group: pages-${{{{ github.ref }}}}
  cancel-in-progress: false

env:
  BRIEFS: briefs=={__version__}

jobs:
  site:
    runs-on: ubuntu-24.04
    timeout-minutes: 30
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
          cache: pip
          cache-dependency-path: .github/workflows/publish.yml
      - name: System libraries (Pango, HarfBuzz) for WeasyPrint
        run: |
          sudo apt-get update -qq
          sudo apt-get install -y -qq --no-install-recommends \\
            libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
      - run: pip install "$BRIEFS"
      - name: Validate and lint
        run: |
          briefs validate inputs/*.yaml
          briefs lint inputs
      - id: pages
        if: github.event_name != 'pull_request'
        uses: actions/configure-pages@v5
      # Incremental: public/ and its manifest.json are kept between runs.
      - uses: actions/cache@v4
        with:
          path: public
          key: site-${{{{ github.sha }}}}
          restore-keys: site-
      - name: Publish
        env:
          BASE_URL: ${{{{ steps.pages.outputs.base_url }}}}
        run: briefs publish inputs --out public ${{BASE_URL:+--base-url "$BASE_URL"}}
      - name: Preview of the pull request
        if: github.event_name == 'pull_request'
        uses: actions/upload-artifact@v4
        with:
          name: site-preview
          path: public
      - if: github.event_name != 'pull_request'
        uses: actions/upload-pages-artifact@v3
        with:
          path: public

  deploy:
    needs: site
    if: github.event_name != 'pull_request' && github.ref == 'refs/heads/main'
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    permissions:
      pages: write
      id-token: write
    environment:
      name: github-pages
      url: ${{{{ steps.deployment.outputs.page_url }}}}
    steps:
      - id: deployment
        uses: actions/deploy-pages@v4
"""


def init_project(folder: Path) -> list[Path]:
    """Write a new project into ``folder`` (made when missing); return the files written.

    Refuses, writing nothing, when any of the files exists already.
    """
    sample = Path("inputs") / f"{SAMPLE_ID}.yaml"
    planned = [Path(FILE_NAME), SCHEMA_FILE, PROJECT_SCHEMA_FILE, sample, WORKFLOW]
    present = [name for name in planned if (folder / name).exists()]
    if present:
        listed = ", ".join(display_path(folder / name) for name in present)
        raise BriefError(f"{listed}: already there; briefs init never overwrites a file")
    folder.mkdir(parents=True, exist_ok=True)
    writes = [
        (Path(FILE_NAME), PROJECT_TEXT),
        (SCHEMA_FILE, schema_text()),
        (PROJECT_SCHEMA_FILE, schema_text(project=True)),
        (WORKFLOW, WORKFLOW_TEXT),
    ]
    written: list[Path] = []
    for name, text in writes:
        write_atomic(inside(folder, name.as_posix()), text.encode("utf-8"))
        written.append(folder / name)
    written += [
        path
        for path in new_brief(SAMPLE_ID, folder=folder / "inputs")
        if path.resolve() != (folder / SCHEMA_FILE).resolve()
    ]
    return written
