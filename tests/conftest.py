"""Shared fixtures: the checkout on the import path, the bilingual fixture brief, and small
helpers for reading PDFs with poppler (pdftotext, pdffonts) and for running the CLI.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
"""The repository checkout."""
FIXTURES = ROOT / "tests" / "fixtures"
MINIMAL = FIXTURES / "minimal.yaml"

# Test the checkout, whether or not the package is installed in the venv.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

NBSP = "\u00a0"
WORD_JOINER = "\u2060"
HANGUL_RUN = re.compile(r"[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]+")


@pytest.fixture(scope="session")
def root() -> Path:
    """The repository checkout."""
    return ROOT


@pytest.fixture(scope="session")
def minimal_path() -> Path:
    """The bilingual fixture brief (read-only: copy it before changing it)."""
    return MINIMAL


@pytest.fixture(scope="session")
def minimal_text() -> str:
    """The text of the bilingual fixture brief."""
    return MINIMAL.read_text(encoding="utf-8")


@pytest.fixture
def brief_copy(tmp_path: Path) -> Path:
    """A copy of the fixture brief in its own folder under ``tmp_path``."""
    folder = tmp_path / "brief"
    folder.mkdir()
    target = folder / "minimal.yaml"
    shutil.copyfile(MINIMAL, target)
    return target


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a child Python that must import this checkout's ``briefs``."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH", "")) if p)
    env.pop("SOURCE_DATE_EPOCH", None)
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def child_env() -> Callable[..., dict[str, str]]:
    """``child_env(**extra)``: environment for subprocesses importing the checkout."""
    return subprocess_env


def require_tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.fail(f"{name} is not installed (poppler-utils; see scripts/system-deps.sh)")
    return path


def pdftotext(pdf: Path, *args: str) -> str:
    """The text poppler extracts from ``pdf`` (UTF-8)."""
    tool = require_tool("pdftotext")
    done = subprocess.run(
        [tool, "-enc", "UTF-8", *args, str(pdf), "-"],
        capture_output=True,
        check=True,
        timeout=60,
    )
    return done.stdout.decode("utf-8")


def pdffonts(pdf: Path) -> list[dict[str, str]]:
    """The rows of ``pdffonts``: name, type, encoding, emb, sub, uni."""
    tool = require_tool("pdffonts")
    out = subprocess.run(
        [tool, str(pdf)], capture_output=True, check=True, timeout=60, text=True
    ).stdout
    lines = out.splitlines()
    # The dashes line gives the column widths.
    rule = next(i for i, line in enumerate(lines) if line.startswith("---"))
    spans = [m.span() for m in re.finditer(r"-+", lines[rule])]
    keys = ["name", "type", "encoding", "emb", "sub", "uni", "object", "id"]
    rows = []
    for line in lines[rule + 1 :]:
        if not line.strip():
            continue
        cells = [
            line[a:b].strip() if i < len(spans) - 1 else line[a:].strip()
            for i, (a, b) in enumerate(spans)
        ]
        rows.append(dict(zip(keys, cells, strict=False)))
    return rows


@pytest.fixture(scope="session")
def pdf_text() -> Callable[..., str]:
    return pdftotext


@pytest.fixture(scope="session")
def pdf_fonts() -> Callable[[Path], list[dict[str, str]]]:
    return pdffonts


class _VisibleText(HTMLParser):
    """Text a reader sees: no <style>, <script>, <title>, and no skip link."""

    SKIP = frozenset({"style", "script", "title", "template", "desc"})
    VOID = frozenset(
        {
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "source",
            "track",
            "wbr",
        }
    )
    BLOCK = frozenset(
        {
            "address",
            "article",
            "aside",
            "blockquote",
            "body",
            "br",
            "dd",
            "div",
            "dl",
            "dt",
            "figcaption",
            "figure",
            "footer",
            "h1",
            "h2",
            "h3",
            "h4",
            "h5",
            "h6",
            "head",
            "header",
            "hr",
            "html",
            "li",
            "main",
            "nav",
            "ol",
            "p",
            "pre",
            "section",
            "table",
            "tbody",
            "td",
            "tfoot",
            "th",
            "thead",
            "tr",
            "ul",
        }
    )

    def __init__(self, skip_classes: set[str], skip_tags: frozenset[str] = frozenset()) -> None:
        super().__init__(convert_charrefs=True)
        self.skip_classes = skip_classes
        self.skip_tags = self.SKIP | skip_tags
        self.stack: list[tuple[str, bool]] = []
        self.parts: list[str] = []

    def hidden(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self.BLOCK:
            self.parts.append(" ")
        if tag in self.VOID:
            return
        classes = set((dict(attrs).get("class") or "").split())
        hide = tag in self.skip_tags or bool(classes & self.skip_classes) or self.hidden()
        self.stack.append((tag, hide))

    def handle_endtag(self, tag: str) -> None:
        if tag in self.BLOCK:
            self.parts.append(" ")
        if any(name == tag for name, _ in self.stack):
            while self.stack and self.stack.pop()[0] != tag:
                pass

    def handle_data(self, data: str) -> None:
        if not self.hidden():
            self.parts.append(data)


def normalise(text: str) -> str:
    """NBSP → space, word joiners removed, runs of whitespace → one space."""
    text = text.replace(NBSP, " ").replace(WORD_JOINER, "")
    return re.sub(r"\s+", " ", text).strip()


def visible_text(
    html: str,
    skip_classes: frozenset[str] = frozenset({"skip-link"}),
    skip_tags: frozenset[str] = frozenset(),
) -> str:
    """The visible text of an HTML document, whitespace normalised, without the elements of
    ``skip_classes`` and ``skip_tags``."""
    parser = _VisibleText(set(skip_classes), skip_tags)
    parser.feed(html)
    parser.close()
    return normalise("".join(parser.parts))


@pytest.fixture(scope="session")
def html_text() -> Callable[..., str]:
    return visible_text


@pytest.fixture(scope="session")
def norm() -> Callable[[str], str]:
    return normalise


# -- no network: any connection or name lookup beyond this machine fails the test ----------

import ipaddress  # noqa: E402
import socket  # noqa: E402

_LOCAL_NAMES = {"localhost", "localhost.localdomain", "ip6-localhost"}


def _is_local(host: object) -> bool:
    if not isinstance(host, str):
        return True  # AF_UNIX paths and the like
    if host in _LOCAL_NAMES:
        return True
    try:
        return ipaddress.ip_address(host.split("%", 1)[0]).is_loopback
    except ValueError:
        return False


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Refuse every connection and lookup that would leave the machine, and fail the test
    that tried (even if the code under test swallowed the error). Loopback stays open for
    the tests' own listeners and servers."""
    attempts: list[str] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def check(address: object) -> None:
        host = address[0] if isinstance(address, tuple) else address
        if not _is_local(host):
            attempts.append(str(host))
            raise OSError(f"test tried to reach {host!r}: tests never use the network")

    def connect(self: socket.socket, address: object) -> None:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            check(address)
        return real_connect(self, address)  # type: ignore[arg-type]

    def connect_ex(self: socket.socket, address: object) -> int:
        if self.family in (socket.AF_INET, socket.AF_INET6):
            check(address)
        return real_connect_ex(self, address)  # type: ignore[arg-type]

    def getaddrinfo(host: object, *args: object, **kwargs: object) -> object:
        if host is not None:
            check((host if isinstance(host, str) else str(host), 0))
        return real_getaddrinfo(host, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield attempts
    assert not attempts, f"the test tried to use the network: {attempts}"


class PagesLaid(logging.Handler):
    """How often WeasyPrint laid each page out, from its progress log ("Step 5 - Creating
    layout - Page N", logged each time page N is laid out, not when it is kept)."""

    def __init__(self) -> None:
        super().__init__()
        self.laid: Counter[int] = Counter()

    def emit(self, record: logging.LogRecord) -> None:
        found = re.fullmatch(r"Step 5 - Creating layout - Page (\d+)", record.getMessage())
        if found:
            self.laid[int(found.group(1))] += 1


@pytest.fixture
def laid_out() -> Iterator[PagesLaid]:
    """Count the page layouts WeasyPrint makes meanwhile (``.laid``: page number to count)."""
    handler = PagesLaid()
    logger = logging.getLogger("weasyprint.progress")
    level = logger.level
    logger.setLevel(logging.INFO)
    logger.addHandler(handler)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)
