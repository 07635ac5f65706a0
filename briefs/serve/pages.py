"""What the preview writes itself: its URLs, the reload script and the pages of its own.

The reload script is added to every served page (never to built files); the index, error
and not-found pages are the preview's own, answered with :data:`OWN_PAGE_CSP` (and the
brief's files with :data:`ASSET_CSP`). Used by :mod:`briefs.serve.server` (which injects the
script into each edition) and :mod:`briefs.serve.http` (which answers with these pages).
"""

from __future__ import annotations

import html
import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from briefs.errors import BriefError
    from briefs.serve.snapshot import Snapshot

RELOAD_SCRIPT_PATH = "/__briefs/reload.js"
EVENTS_PATH = "/__briefs/events"
VERSION_PATH = "/__briefs/version"

RELOAD_JS = b"""\
// briefs serve: reload this page when the preview is rebuilt.
(() => {
  const version = document.currentScript.dataset.version;
  const events = new EventSource("/__briefs/events");
  events.addEventListener("version", (event) => {
    if (event.data !== version) {
      events.close();
      location.reload();
    }
  });
})();
"""
OWN_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
ASSET_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"


def inject(page: str, version: str) -> str:
    """``page`` with the reload script, before ``</head>`` (or at the end of the body)."""
    tag = (
        f'<script src="{RELOAD_SCRIPT_PATH}" data-version="{html.escape(version)}" defer>'
        "</script>\n"
    )
    for closing in (r"</head\s*>", r"</body\s*>"):
        found = re.search(closing, page, re.IGNORECASE)
        if found:
            return page[: found.start()] + tag + page[found.start() :]
    return page + tag


def _own_page(title: str, body: str, version: str) -> bytes:
    """A page of the preview itself (index, errors), with the reload script."""
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)}</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 52rem; margin: 2rem auto;
  padding: 0 1rem; line-height: 1.5; }}
.errors li {{ font-family: ui-monospace, monospace; white-space: pre-wrap; color: #b00020; }}
.warnings li {{ font-family: ui-monospace, monospace; white-space: pre-wrap; }}
</style>
</head>
<body>
<main>
{body}
</main>
</body>
</html>
"""
    return inject(page, version).encode()


def index_page(snapshot: Snapshot) -> bytes:
    rows = "\n".join(
        f'<li><a href="{html.escape(e.path)}" lang="{html.escape(e.lang)}" '
        f'hreflang="{html.escape(e.lang)}">{html.escape(e.name)}</a> '
        f"<code>{html.escape(e.path)}</code></li>"
        for e in snapshot.editions
    )
    lang = snapshot.editions[0].lang if snapshot.editions else "en"
    body = f'<h1 lang="{html.escape(lang)}">{html.escape(snapshot.title)}</h1>\n<ul>\n{rows}\n</ul>'
    if snapshot.warnings:
        items = "\n".join(f"<li>{html.escape(str(w))}</li>" for w in snapshot.warnings)
        body += f'\n<h2>Warnings</h2>\n<ul class="warnings">\n{items}\n</ul>'
    return _own_page(f"Preview: {snapshot.title}", body, snapshot.version)


def error_page(error: BriefError, version: str) -> bytes:
    items = "\n".join(f"<li>{html.escape(str(d))}</li>" for d in error.diagnostics)
    body = (
        "<h1>The brief cannot be built</h1>\n"
        f'<ul class="errors">\n{items}\n</ul>\n'
        "<p>Fix the file and save it: this page reloads by itself.</p>"
    )
    return _own_page("Preview: the brief cannot be built", body, version)


def not_found_page(version: str) -> bytes:
    body = '<h1>Not found</h1>\n<p><a href="/">All editions of the brief</a></p>'
    return _own_page("Preview: not found", body, version)
