"""Stage 6: HTML → tagged PDF with WeasyPrint, bundled fonts only, no network.

WeasyPrint is imported here only, and only when a PDF is asked for (it costs ~0.45 s).
Before its first use we point Fontconfig at a configuration that lists only the bundled
fonts folder, so the PDF is the same on every machine and never falls back to whatever fonts
a machine has. One :class:`FontConfiguration` serves the whole process.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from briefs.errors import BriefError, Diagnostic
from briefs.templates import builtin_dir

PDF_OPTIONS: dict[str, Any] = {
    "pdf_variant": "pdf/ua-1",
    "presentational_hints": False,  # CVE-2026-49452
    "optimize_images": True,
}

_lock = threading.Lock()
_font_config: Any = None


def fonts_dir() -> Path:
    """The bundled fonts (Pretendard GOV, OFL-1.1)."""
    return builtin_dir() / "fonts"


def fontconfig_file() -> Path:
    """Write (once) and return a fonts.conf that sees only the bundled fonts."""
    folder = fonts_dir().resolve()
    digest = hashlib.sha256(str(folder).encode()).hexdigest()[:12]
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path(tempfile.gettempdir()))
    cache = base / f"briefs-fontconfig-{os.getuid() if hasattr(os, 'getuid') else 0}-{digest}"
    cache.mkdir(parents=True, exist_ok=True, mode=0o700)
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

    ``file:`` paths are resolved (symlinks and ``..`` included) before the check; every other
    scheme (http, https, ftp, …) is refused without a connection being attempted.
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
                path = Path(url2pathname(unquote(urlsplit(url).path))).resolve()
                if any(path.is_relative_to(root) for root in allowed) and path.is_file():
                    return URLFetcherResponse(url, path.read_bytes())
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


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


def write_pdf(html: str, *, base_dir: Path, name: str) -> PdfResult:
    """Render a PDF edition's HTML to a tagged PDF/UA-1 document.

    ``base_dir`` is the brief's folder: relative paths resolve there, and it is (with the
    bundled assets) the only place files may be read from.
    """
    font_config = font_configuration()
    from weasyprint import HTML

    fetcher = make_fetcher([builtin_dir(), base_dir])
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    previous = logger.propagate
    logger.propagate = False
    try:
        document = HTML(
            string=html, base_url=base_dir.resolve().as_uri() + "/", url_fetcher=fetcher
        ).render(font_config=font_config, **PDF_OPTIONS)
        data = document.write_pdf(**PDF_OPTIONS)
    except Exception as exc:  # WeasyPrint raises many kinds; none may reach the user raw
        raise BriefError(Diagnostic(name, 0, 0, f"PDF rendering failed: {exc}")) from exc
    finally:
        logger.removeHandler(handler)
        logger.propagate = previous
    assert isinstance(data, bytes)
    return PdfResult(data, len(document.pages), handler.messages)
