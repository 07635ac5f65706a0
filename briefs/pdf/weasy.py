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
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from briefs.errors import BriefError, Diagnostic
from briefs.fs import cache_home, private_folder
from briefs.limits import Overtime, memory_limited, time_limit
from briefs.pdf import fonts as pdf_fonts
from briefs.pdf import report as pdf_report
from briefs.pdf import tags as pdf_tags
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

_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>""")
_BLOCKS = {"p", "li", "dd", "dt", "td", "th", "blockquote", "div", "article", "section"}


def _late_footnotes(document: Any) -> list[str]:
    """Ids of citation marks whose footnote WeasyPrint put on a later page.

    WeasyPrint may move a footnote to the next page to make room for a line (upstream
    #2502); each footnote carries the id of its mark (``fn-<mark id>``), so we can check.
    """
    page_of: dict[str, int] = {}
    for number, page in enumerate(document.pages):
        for anchor in page.anchors:
            page_of[anchor] = number
    late = {
        anchor[3:]
        for anchor, number in page_of.items()
        if anchor.startswith("fn-cite-") and page_of.get(anchor[3:], number) != number
    }
    if not late:
        return []
    # A footnote inside an inline block (a key-figure tile) ignores footnote-policy and is
    # moved on by itself: what has to move is the line of tiles, from its first tile.
    rows = _tile_rows(document)
    return sorted({rows.get(mark, mark) for mark in late})


def _page_starters(document: Any, marks: list[str]) -> list[str]:
    """Ids of the blocks that start the pages after the late marks' pages, where such a block
    starts there whole (not a paragraph running on) and has an id, or an ancestor it opens.

    WeasyPrint tries a block at a page foot, finds it does not fit, takes it back, and with
    it footnotes already placed higher up (the summary's, when the key figures moved on).
    Breaking before that block, where it starts anyway, leaves the page as it was, with its
    footnotes.
    """
    from weasyprint.formatting_structure import boxes

    root = document.pages[0]._page_box.children[0].element
    parent_of = {child: parent for parent in root.iter() for child in parent}
    page_of = {a: n for n, page in enumerate(document.pages) for a in page.anchors}

    def elements(box: Any) -> Iterator[Any]:
        if box.element is not None:
            yield box.element
        for child in getattr(box, "children", ()):
            if not isinstance(child, boxes.FootnoteAreaBox | boxes.MarginBox):
                yield from elements(child)

    def first_leaf(box: Any) -> Any:
        if isinstance(box, boxes.LineBox | boxes.ReplacedBox):
            return box.element
        for child in getattr(box, "children", ()):
            if not isinstance(child, boxes.FootnoteAreaBox | boxes.MarginBox):
                found = first_leaf(child)
                if found is not None:
                    return found
        return None

    out: set[str] = set()
    for number in sorted({page_of[m] for m in marks if m in page_of}):
        if number + 1 >= len(document.pages):
            continue
        before = set(elements(document.pages[number]._page_box))
        element = first_leaf(document.pages[number + 1]._page_box)
        best = None
        while element is not None and element not in before and element.tag not in ("main", "body"):
            if element.get("id"):
                best = str(element.get("id"))
            parent = parent_of.get(element)
            if parent is None or next(iter(parent), None) is not element:
                break
            element = parent
        if best is not None:
            out.add(best)
    return sorted(out)


def _tile_rows(document: Any) -> dict[str, str]:
    """Id of every element inside an inline-block tile → the id of the first tile on its line."""
    from weasyprint.formatting_structure import boxes

    out: dict[str, str] = {}

    def ids(box: Any) -> Iterator[str]:
        if box.element is not None and box.element.get("id"):
            yield str(box.element.get("id"))
        for child in getattr(box, "children", ()):
            yield from ids(child)

    def walk(box: Any) -> None:
        if isinstance(box, boxes.LineBox):
            tiles = [c for c in box.children if isinstance(c, boxes.InlineBlockBox)]
            first = tiles[0].element.get("id") if tiles and tiles[0].element is not None else None
            if first:
                for tile in tiles:
                    out.update((ident, str(first)) for ident in ids(tile))
            return
        for child in getattr(box, "children", ()):
            walk(child)

    for page in document.pages:
        walk(page._page_box)
    return out


def _break_before(html: str, idents: list[str]) -> str:
    """A page break before each element with one of ``idents`` (and the headings it follows)."""
    starts = set()
    for ident in idents:
        at = html.find(f' id="{ident}"')
        if at >= 0:
            starts.add(_lead_in(html, html.rfind("<", 0, at)))
    return _with_class(html, starts, "fn-push")


def _push_to_next_page(html: str, marks: list[str]) -> str:
    """Start the block holding each mark on a new page, taking its footnote with it.

    A mark may also be the id of a key-figure tile starting a line of tiles: a tile is an
    inline block, so its list is split there, and the second list starts the new page.
    """
    for mark in marks:
        tile = re.search(rf'<li class="figure[^"]*" id="{re.escape(mark)}">', html)
        if tile is not None and not html[: tile.start()].endswith('<ul class="figures">'):
            html = f'{html[: tile.start()]}</ul><ul class="figures">{html[tile.start() :]}'
    starts = [start for mark in marks if (start := _holder(html, mark)) is not None]
    return _with_class(html, {_lead_in(html, start) for start in starts}, "fn-push")


def _loosen(html: str) -> str:
    """The document with one line allowed at a page foot or top (``fn-loose`` on the body).

    WeasyPrint keeps a footnote's line on its page and moves the footnote alone to the
    next one when making room would leave fewer lines than ``orphans`` or ``widows`` on
    either side, in any block of the page (the block at its foot, often, not the mark's):
    letting one line go is a lighter remedy than moving the mark's block to a new page (a
    long paragraph pushed left 57% of a page empty), so it is tried first.
    """
    body = re.search(r"<body\b[^>]*>", html)
    if body is None:
        return html
    tag = body.group(0)
    if ' class="' in tag:
        tag = tag.replace(' class="', ' class="fn-loose ', 1)
    else:
        tag = tag[:-1] + ' class="fn-loose">'
    return html[: body.start()] + tag + html[body.end() :]


def _holder(html: str, mark: str) -> int | None:
    """Where the innermost block holding the element ``mark`` opens."""
    at = html.find(f' id="{mark}"')
    stack: list[tuple[str, int]] = []
    for tag in _TAG.finditer(html, 0, at):
        closing, name = tag.group(1), tag.group(2).lower()
        if name not in _BLOCKS:
            continue
        if closing:
            while stack and stack.pop()[0] != name:
                pass
        else:
            stack.append((name, tag.start()))
    return stack[-1][1] if at >= 0 and stack else None


def _with_class(html: str, starts: set[int], name: str) -> str:
    """``html`` with the class ``name`` added to the tags opening at ``starts``."""
    for start in sorted(starts, reverse=True):
        end = html.index(">", start)
        opening = html[start:end]
        if ' class="' in opening:
            opening = opening.replace(' class="', f' class="{name} ', 1)
        else:
            opening += f' class="{name}"'
        html = html[:start] + opening + html[end:]
    return html


_LAST_TAG = re.compile(r"""<(/?)([a-zA-Z][a-zA-Z0-9]*)((?:[^>"']|"[^"]*"|'[^']*')*)>\s*\Z""")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_LEADS = {"confidence", "rec-facts", "note-title", "evidence-title", "chart-title"}
"""Classes of lines kept with what follows them (``break-after: avoid`` in pdf.css)."""


def _lead_in(html: str, start: int) -> int:
    """Where to start a new page for the block at ``start``: before the headings and lead
    lines right before it, and before the containers it opens, so that moving a block to
    the next page never strands its heading (``3. …`` / ``Confidence: high``) behind."""
    while True:
        last = _LAST_TAG.search(html, 0, start)
        if last is None:
            return start
        closing, name = last.group(1), last.group(2).lower()
        if not closing:
            if name not in _BLOCKS and name not in ("ul", "ol", "dl", "figure"):
                return start
            start = last.start()  # the block is its container's first child
            continue
        if name not in _HEADINGS and name != "p":
            return start
        opening_at = html.rfind(f"<{name}", 0, last.start())
        opening = _TAG.match(html, opening_at) if opening_at >= 0 else None
        if opening is None:
            return start
        classes = set(re.findall(r'class="([^"]*)"', opening.group(0))[:1] or [""])
        if name in _HEADINGS or _LEADS & set(" ".join(classes).split()):
            start = opening_at
            continue
        return start


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
    pdf_fonts.install()
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
    """Lay ``html`` out and, while a footnote is past its mark's page, again with a remedy;
    and how many layouts it took (at most :data:`FOOTNOTE_PASSES`).

    Remedies go from the lightest, each tried on the first layout: break where the next
    page starts anyway (:func:`_page_starters`), let single lines stand at page feet and
    tops (:func:`_loosen`), move the marks' blocks to new pages (:func:`_push_to_next_page`,
    repeated while passes are left). Lines of tiles move on in each: a footnote in a tile
    cannot take its line along.
    """
    from weasyprint import HTML

    html, sheets = preparsed(html, font_config)

    def render(text: str) -> tuple[Any, list[str]]:
        document = HTML(
            string=text, base_url=base_dir.resolve().as_uri() + "/", url_fetcher=fetcher
        ).render(font_config=font_config, stylesheets=sheets, **PDF_OPTIONS)
        return document, _late_footnotes(document)

    document, late = render(html)
    passes = 1
    if not late:
        return document, passes
    tiles = [m for m in late if not m.startswith("cite-")]
    first = _push_to_next_page(html, tiles)
    starters = _page_starters(document, late)
    remedies: list[Callable[[str], str]] = [
        *([partial(_break_before, idents=starters)] if starters or tiles else []),
        _loosen,
    ]
    for remedy in remedies:
        if passes >= FOOTNOTE_PASSES:
            return document, passes
        document, now = render(remedy(first))
        passes += 1
        if not now:
            return document, passes
    text = first
    while late and passes < FOOTNOTE_PASSES:
        text = _push_to_next_page(text, late)
        document, late = render(text)
        passes += 1
    return document, passes


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
