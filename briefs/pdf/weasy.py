"""Stage 6: HTML → tagged PDF with WeasyPrint, bundled fonts only, no network.

WeasyPrint is imported here only, and only when a PDF is asked for (it costs ~0.45 s).
Before its first use we point Fontconfig at a configuration that lists only the bundled
fonts folder, so the PDF is the same on every machine and never falls back to whatever fonts
a machine has. One :class:`FontConfiguration` serves the whole process.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import os
import re
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from briefs.errors import BriefError, Diagnostic
from briefs.fs import cache_home, private_folder
from briefs.limits import Overtime, memory_limited, time_limit
from briefs.pdf import fast_paths as pdf_fast_paths
from briefs.pdf import fonts as pdf_fonts
from briefs.pdf import footnote_layout as pdf_footnote_layout
from briefs.pdf import footnotes as pdf_footnotes
from briefs.pdf import links as pdf_links
from briefs.pdf import passes as pdf_passes
from briefs.pdf import report as pdf_report
from briefs.pdf import tags as pdf_tags
from briefs.pdf import text_runs as pdf_text_runs
from briefs.resources import builtin_dir
from briefs.source import ReadError, read_file
from briefs.text.korean import WORD_JOINER

PDF_OPTIONS: dict[str, Any] = {
    "pdf_variant": "pdf/ua-1",
    "presentational_hints": False,  # CVE-2026-49452
    "optimize_images": True,
}

TOC_MIN_PAGES = 5
"""Editions of this many pages or more get a table of contents with page numbers."""
TOC_START, TOC_END = "<!--briefs:toc-->", "<!--/briefs:toc-->"
"""The markers around a print edition's table of contents (``templates/base.html.j2``)."""


def without_toc(html: str) -> str | None:
    """A print edition's HTML with its table of contents cut out, or None when the page does
    not mark its contents exactly once (a template that replaces the page's main block)."""
    start, end = html.find(TOC_START), html.find(TOC_END)
    if start < 0 or end < start or html.count(TOC_START) != 1 or html.count(TOC_END) != 1:
        return None
    return html[:start] + html[end + len(TOC_END) :]


MAX_FETCH_BYTES = 20_000_000
"""Largest file the PDF renderer may read (the bundled fonts are about 6 MB each)."""
MAX_SECONDS = 120.0
"""Longest one PDF edition may take to lay out and write, in seconds (a normal one takes
1–3 s; a loaded CI machine is slower)."""
MAX_MEMORY = 2 << 30
"""Address space a PDF worker may use beyond what it has at start-up (bytes)."""
_lock = threading.Lock()
_font_config: Any = None


@atexit.register
def _forget_font_config() -> None:
    """Drop the process's font configuration while the interpreter still runs: WeasyPrint
    removes its font folder in ``__del__``, which at interpreter teardown finds ``rmtree``
    gone ("Exception ignored in FontConfiguration.__del__") and leaves the folder behind."""
    global _font_config
    _sheets.clear()
    _font_config = None


def fonts_dir() -> Path:
    """The bundled fonts (Pretendard GOV, OFL-1.1)."""
    return builtin_dir() / "fonts"


def fontconfig_file() -> Path:
    """Write (once) and return a fonts.conf that sees only the bundled fonts.

    It lives in ``briefs/fontconfig-…`` of the user's cache folder, used only when private
    (:func:`briefs.fs.private_folder`), with fontconfig's own cache beside it.
    """
    folder = fonts_dir().resolve()
    digest = hashlib.sha256(str(folder).encode()).hexdigest()[:12]
    # The user's own cache folder, private (0700, the user's, no symlink); if it is not
    # (planted, or not writable), a fresh private folder for this process.
    cache = private_folder(cache_home() / "briefs" / f"fontconfig-{digest}")
    if cache is None:
        cache = Path(tempfile.mkdtemp(prefix="briefs-fontconfig-"))
    conf = cache / "fonts.conf"
    aliases = "".join(
        f'<alias binding="same"><family>{generic}</family><prefer><family>Pretendard GOV'
        f"</family></prefer></alias>"
        for generic in ("sans-serif", "serif", "monospace", "system-ui", "cursive", "fantasy")
    )
    text = (
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig><dir>{_xml(str(folder))}</dir>"
        f"<cachedir>{_xml(str(cache / 'cache'))}</cachedir>{aliases}"
        "<config><rescan><int>0</int></rescan></config></fontconfig>\n"
    )
    if not conf.is_file() or conf.read_text(encoding="utf-8") != text:
        tmp = conf.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        tmp.replace(conf)
    return conf


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def font_configuration() -> Any:
    """The process's one WeasyPrint ``FontConfiguration``, over the bundled fonts only."""
    global _font_config
    with _lock:
        if _font_config is None:
            os.environ["FONTCONFIG_FILE"] = str(fontconfig_file())
            os.environ.pop("FONTCONFIG_PATH", None)
            from weasyprint.text.fonts import FontConfiguration

            _font_config = FontConfiguration()
        return _font_config


def make_fetcher(roots: list[Path]) -> Any:
    """A WeasyPrint URL fetcher that reads only files under ``roots``, and ``data:`` URLs.

    ``file:`` paths go through :func:`briefs.source.read_file`: resolved (symlinks and ``..``
    included), inside a root, no hidden names (``.git/config``), bounded in size. Every
    other scheme (http, https, ftp, …) is refused without a connection being attempted.
    """
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    allowed = [root.resolve() for root in roots]

    class SafeFetcher(URLFetcher):  # type: ignore[misc]
        refused: list[str]

        def __init__(self) -> None:
            super().__init__(timeout=1, allowed_protocols={"file", "data"}, allow_redirects=False)
            self.refused = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = urlsplit(url).scheme.lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file":
                try:
                    path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
                except (OSError, RuntimeError, ValueError):
                    path = Path("/")  # a symlink loop, a NUL: refused below
                for root in allowed:
                    if not path.is_relative_to(root):
                        continue
                    try:  # the one check for untrusted files: no symlink out, no dot-names
                        data = read_file(path, limit=MAX_FETCH_BYTES, root=root)
                    except ReadError:
                        break
                    return URLFetcherResponse(url, data)
            self.refused.append(url)
            raise ValueError(f"briefs does not fetch {url!r}")

    return SafeFetcher()


@dataclass
class PdfResult:
    """A rendered PDF and what WeasyPrint complained about."""

    data: bytes
    """The PDF file."""
    pages: int
    """Number of pages."""
    messages: list[str] = field(default_factory=list)
    """Warnings and errors WeasyPrint logged (refused fetches among them)."""
    layouts: int = 1
    """WeasyPrint layouts made: one, more when a footnote had to be brought back to its
    mark's page, or when the edition was laid out again without its contents."""
    findings: list[pdf_report.LayoutFinding] = field(default_factory=list)
    """What the layout report found on the pages (:mod:`briefs.pdf.report`)."""
    emptiest: float = 0.0
    """The largest share of a page before the last left empty (with the report only)."""


FOOTNOTE_PASSES = 5
"""Layouts tried before accepting a footnote that WeasyPrint moved past its marker's page."""


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def write_pdf(
    html: str,
    *,
    base_dir: Path,
    name: str,
    short_html: str | None = None,
    report: bool = True,
) -> PdfResult:
    """Render a PDF edition's HTML to a tagged PDF/UA-1 document.

    ``base_dir`` is the brief's folder: relative paths resolve there, and it is (with the
    bundled assets) the only place files may be read from. When the edition comes out shorter
    than :data:`TOC_MIN_PAGES` pages, it is laid out and written again without its table of
    contents: ``short_html`` if given, else ``html`` with the marked contents cut out
    (:func:`without_toc`). Only the kept layout is written (writing is about a third of the
    work). ``report`` runs the layout report (:mod:`briefs.pdf.report`) on the kept layout,
    before it is written.
    """
    font_config = font_configuration()
    pdf_tags.install()
    pdf_passes.install()
    pdf_footnote_layout.install()
    pdf_fonts.install()
    pdf_fast_paths.install()
    pdf_links.install()
    pdf_text_runs.install()
    fetcher = make_fetcher([builtin_dir(), base_dir])
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False
    try:
        with time_limit(MAX_SECONDS):
            document, layouts = _layout(html, base_dir, fetcher, font_config)
            if len(document.pages) < TOC_MIN_PAGES and short_html is None:
                short_html = without_toc(html)
            if short_html is not None and len(document.pages) < TOC_MIN_PAGES:
                handler.messages.clear()  # the discarded layout's warnings would come twice
                document, more = _layout(short_html, base_dir, fetcher, font_config)
                layouts += more
            findings = pdf_report.inspect(document) if report else []
            emptiest = max(pdf_report.empty_shares(document), default=0.0) if report else 0.0
            # No attachments: a brief declares none, and a template's
            # <link rel="attachment"> or <a rel="attachment"> would embed a file in the PDF.
            document.metadata.attachments = []
            for page in document.pages:
                page.links = [link for link in page.links if link[0] != "attachment"]
                # Bookmarks take the headings' text, word joiners included: drop them.
                page.bookmarks = [
                    (level, label.replace(WORD_JOINER, ""), position, state)
                    for level, label, position, state in page.bookmarks
                ]
            data = document.write_pdf(**PDF_OPTIONS)
    except Overtime:
        raise BriefError(
            Diagnostic(
                name,
                0,
                0,
                f"PDF rendering took longer than {MAX_SECONDS:g} s",
                "look for very large images, tables or SVG drawings",
            )
        ) from None
    except (MemoryError, SystemError) as exc:
        if isinstance(exc, SystemError) and not memory_limited():
            raise BriefError(Diagnostic(name, 0, 0, f"PDF rendering failed: {exc}")) from exc
        # A C library that cannot allocate under the worker's limit returns an error without
        # an exception ("error return without exception set"): that too is running out.
        raise BriefError(
            Diagnostic(
                name,
                0,
                0,
                "PDF rendering ran out of memory",
                "look for very large images, tables or SVG drawings",
            )
        ) from None
    except Exception as exc:  # WeasyPrint raises many kinds; none may reach the user raw
        raise BriefError(Diagnostic(name, 0, 0, f"PDF rendering failed: {exc}")) from exc
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous
    assert isinstance(data, bytes)
    return PdfResult(data, len(document.pages), handler.messages, layouts, findings, emptiest)


def _layout(html: str, base_dir: Path, fetcher: Any, font_config: Any) -> tuple[Any, int]:
    """Lay ``html`` out, again while a footnote is late (:func:`briefs.pdf.footnotes.lay_out`),
    and how many layouts it took."""
    from weasyprint import HTML

    html, sheets = preparsed(html, font_config)
    base_url = base_dir.resolve().as_uri() + "/"

    def render(text: str) -> Any:
        return HTML(string=text, base_url=base_url, url_fetcher=fetcher).render(
            font_config=font_config, stylesheets=sheets, **PDF_OPTIONS
        )

    return pdf_footnotes.lay_out(html, render, FOOTNOTE_PASSES)


_STYLE = re.compile(r"<style>(.*?)</style>", re.S)
_FETCHES = re.compile(r"url|@import|\\|<link\b", re.I)
"""What makes a stylesheet (or a page) fetch files or hide a fetch: such a sheet is parsed
with each render, so every fetch goes through that render's fetcher and is reported."""
_sheets: dict[str, Any] = {}
MAX_SHEETS = 8
"""Stylesheets kept parsed per worker (an edition's is the same for every brief)."""


def preparsed(html: str, font_config: Any) -> tuple[str, list[Any] | None]:
    """``html`` without its one ``<style>`` element, and that stylesheet parsed once per
    process (parsing took about 2% of a PDF's layout). The sheet then comes after the
    page's other author styles, so only a page whose one stylesheet it is, with nothing
    to fetch, is handled so; any other page is returned as it is."""
    found = _STYLE.search(html)
    if found is None or html.count("<style") != 1:
        return html, None
    css = found.group(1)
    if _FETCHES.search(css) or re.search(r"<link\b", html, re.I):
        return html, None
    key = hashlib.sha256(css.encode()).hexdigest()
    sheet = _sheets.get(key)
    if sheet is None:
        from weasyprint import CSS

        sheet = CSS(string=css, font_config=font_config)
        if len(_sheets) >= MAX_SHEETS:
            _sheets.pop(next(iter(_sheets)))
        _sheets[key] = sheet
    return html[: found.start()] + html[found.end() :], [sheet]
