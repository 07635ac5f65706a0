"""The guarantees of SECURITY.md, proved against the adversarial corpus in tests/adversarial/.

Every case ends in bounded time with exit 0 or 1 and a clear message (never a traceback nor
an "internal error"), and leaks nothing: a random token in a secret file next to the brief's
folder must appear in no output (HTML text, ``data:`` URLs, PDF bytes, decompressed PDF
streams, PDF attachments, terminal output), no file may appear outside ``--out``, and a
loopback listener (which answers every request with a redirect to the secret) must see no
connection. PDFs render in this process (an in-process stand-in for the worker pool), so
``tests/conftest.py``'s ``no_network`` guard also sees every connection or name lookup tried;
one test builds the network cases with the real worker processes too.

The two routes in (tests/adversarial/README.md): hostile Markdown and values in a brief, and
a hostile user templates folder. Then the limits: template bombs, images and CSV files,
SVG cleaning, YAML (what tests/test_errors.py does not already cover), the text processing
that follows a render, and output paths.

Tests that fail mark a bug in a comment starting "Bug:" (what was observed); the test says
what the guarantee needs.
"""

from __future__ import annotations

import base64
import json
import os
import re
import secrets
import shutil
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import xml.etree.ElementTree as ET
import zlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, unquote_to_bytes, urlsplit
from urllib.request import url2pathname

import pikepdf
import pytest

import briefs.check.assets
import briefs.pdf.pool
import briefs.pdf.weasy
import briefs.render.html
from briefs.check.assets import AssetError, clean_svg
from briefs.check.validate import load_brief
from briefs.cli.main import run
from briefs.errors import BriefError
from briefs.fs import inside
from briefs.resources import builtin_dir
from tests.conftest import subprocess_env

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "adversarial"
MINIMAL = ROOT / "tests" / "fixtures" / "minimal.yaml"

SECRET = "BRIEFS-SECRET-" + secrets.token_hex(12)
"""The contents of the secret file (and of an environment variable): must never leak."""
SECRET_ENV = "BRIEFS_ADVERSARIAL_SECRET"
SECRET_YAML = f"""\
# A credentials file elsewhere on the machine, shaped like labels and a profile.
language_name: {SECRET}
contents: {SECRET}
skip_to_content: {SECRET}
{SECRET}: token
"""
"""``secret/en.yaml``: what a symlinked label file or profile must never show."""
CASE_SECONDS = 30.0
"""Longest any one hostile case may take."""

BRIEF_CASES = sorted(p.stem for p in (CORPUS / "briefs").glob("*.yaml"))
TEMPLATE_CASES = sorted(p.name for p in (CORPUS / "templates").iterdir() if p.is_dir())
SVG_CASES = sorted(p.name for p in (CORPUS / "svg").glob("*.svg"))
NETWORK_CASES = ["loopback", "metadata", "redirect"]

MESSAGE = re.compile(r"^(warning: )?\S.*?(:\d+:\d+)?: \S")
"""A line the CLI prints for a problem: ``path[:line:col]: message``."""


def test_the_corpus_covers_every_vector() -> None:
    # The vectors of the research notes' Security section, each with a case in both routes.
    for vector in ["img", "link", "@import", "@font-face", "url(", "<object", "<embed",
                   "<image", "attachment", "redirect", "..", "secret-link", "127.0.0.1",
                   "169.254.169.254", "%2e%2e"]:  # fmt: skip
        for route in ("briefs", "templates"):
            texts = [p.read_text("utf-8") for p in (CORPUS / route).rglob("*") if p.is_file()]
            assert any(vector in text for text in texts), (vector, route)
    assert {"loopback", "metadata", "redirect", "symlink", "dotdot"} <= set(BRIEF_CASES)
    assert {"loopback", "metadata", "redirect", "symlink", "dotdot"} <= set(TEMPLATE_CASES)


# -- the loopback listener -------------------------------------------------------------------


@dataclass
class Listener:
    """A loopback TCP server that records every connection and answers with a redirect."""

    port: int
    location: str = ""
    connections: list[tuple[str, int]] = field(default_factory=list)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.05)
    record = Listener(server.getsockname()[1])
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, address = server.accept()
            except OSError:
                continue
            record.connections.append(address)
            with conn:
                try:
                    conn.settimeout(0.5)
                    conn.recv(4096)
                    conn.sendall(
                        b"HTTP/1.0 302 Found\r\nLocation: "
                        + record.location.encode()
                        + b"\r\nContent-Length: 0\r\n\r\n"
                    )
                except OSError:
                    pass

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    with socket.create_connection(("127.0.0.1", record.port), timeout=2):
        pass
    for _ in range(100):
        if record.connections:
            break
        time.sleep(0.02)
    assert record.connections, "the test listener does not accept connections"
    record.connections.clear()
    try:
        yield record
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


def test_the_socket_guard_fails_connections_beyond_loopback(no_network: list[str]) -> None:
    # conftest's guard refuses (and records) every connection or lookup leaving the machine,
    # even when the code under test swallows the error; the corpus relies on it.
    with pytest.raises(OSError, match="never use the network"):
        socket.create_connection(("169.254.169.254", 80), timeout=0.2)
    with pytest.raises(OSError, match="never use the network"):
        socket.getaddrinfo("metadata.google.internal", 80)
    with (
        socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock,
        pytest.raises(OSError, match="never use the network"),
    ):
        sock.connect(("10.0.0.1", 80))
    assert no_network == ["169.254.169.254", "metadata.google.internal", "10.0.0.1"]
    no_network.clear()  # the attempts were this test's own


# -- the arena: a brief's folder with a secret beside it ---------------------------------------


def png(comment: bytes = b"") -> bytes:
    """A valid 1×1 grey PNG, with ``comment`` in a tEXt chunk."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    text = chunk(b"tEXt", b"Comment\0" + comment) if comment else b""
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
        + text
        + chunk(b"IDAT", zlib.compress(b"\x00\x80"))
        + chunk(b"IEND", b"")
    )


@dataclass
class Arena:
    base: Path
    brief_dir: Path
    secret: Path
    templates: Path
    out: Path
    subs: dict[str, str]

    def fill(self, text: str) -> str:
        for key, value in self.subs.items():
            text = text.replace(key, value)
        assert not re.search(r"@[A-Z_]+@", text), re.search(r"@[A-Z_]+@", text)
        return text

    def files_outside_out(self) -> set[str]:
        found = set()
        for folder, dirs, files in os.walk(self.base):
            if Path(folder) == self.out:
                dirs.clear()
                continue
            found.update(str(Path(folder, name).relative_to(self.base)) for name in files)
        return found


@pytest.fixture
def arena(tmp_path: Path, listener: Listener, monkeypatch: pytest.MonkeyPatch) -> Arena:
    secret_dir = tmp_path / "secret"
    secret_dir.mkdir()
    secret = secret_dir / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    (secret_dir / "secret.png").write_bytes(png(SECRET.encode()))
    (secret_dir / "en.yaml").write_text(SECRET_YAML, encoding="utf-8")
    brief_dir = tmp_path / "brief"
    brief_dir.mkdir()
    (brief_dir / "ok.png").write_bytes(png())
    # A repository's own hidden files sit inside the folder: .git/config can hold a CI token.
    (brief_dir / ".git").mkdir()
    (brief_dir / ".git" / "config").write_text(f"[http]\n\textraheader = {SECRET}\n", "utf-8")
    os.symlink(secret, brief_dir / "secret-link.txt")
    os.symlink(secret_dir / "secret.png", brief_dir / "secret-link.png")
    os.symlink(secret_dir, brief_dir / "secret-dir")
    subs = {
        "@SECRET_URL@": secret.as_uri(),
        "@SECRET_PNG_URL@": (secret_dir / "secret.png").as_uri(),
        "@SECRET_DIR_URL@": secret_dir.as_uri() + "/",
        "@SECRET@": str(secret),
        "@SECRET_DIR@": str(secret_dir),
        "@BRIEF_URL@": brief_dir.as_uri(),
        "@PORT@": str(listener.port),
    }
    listener.location = secret.as_uri()
    listener.connections.clear()
    made = Arena(tmp_path, brief_dir, secret, tmp_path / "t", tmp_path / "out", subs)
    for svg in (CORPUS / "svg").glob("*.svg"):
        (brief_dir / svg.name).write_text(made.fill(svg.read_text("utf-8")), encoding="utf-8")
    monkeypatch.setenv(SECRET_ENV, SECRET)
    monkeypatch.chdir(tmp_path)
    return made


# -- PDFs in this process, with every fetch recorded ------------------------------------------


class InlinePool:
    """Stands in for :class:`briefs.pdf.pool.PdfPool`: renders in this process."""

    def __init__(self, jobs: int | None = None, *, start: int = 1) -> None:
        self.jobs = 1

    def grow(self, count: int) -> None:
        pass

    def submit(
        self, html: str, base_dir: Path, name: str, *, short_html: str | None = None
    ) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(briefs.pdf.pool._render(html, str(base_dir), name, short_html))
        except Exception as exc:
            future.set_exception(exc)
        return future

    def close(self, *, cancel: bool = False) -> None:
        pass

    def __enter__(self) -> InlinePool:
        return self

    def __exit__(self, *exc: object) -> None:
        pass


@dataclass
class Fetch:
    url: str
    served: bool


@pytest.fixture
def inline_pdf(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[Fetch]]:
    """Render PDFs in this process and record every URL WeasyPrint asks the fetcher for."""
    fetches: list[Fetch] = []
    real = briefs.pdf.weasy.make_fetcher

    def spying(roots: list[Path]) -> Any:
        fetcher = real(roots)
        fetch = fetcher.fetch

        def recorded(url: str, headers: Any = None) -> Any:
            try:
                response = fetch(url, headers)
            except Exception:
                fetches.append(Fetch(url, served=False))
                raise
            fetches.append(Fetch(url, served=True))
            return response

        fetcher.fetch = recorded
        return fetcher

    monkeypatch.setattr(briefs.pdf.pool, "PdfPool", InlinePool)
    monkeypatch.setattr(briefs.pdf.weasy, "make_fetcher", spying)
    # briefs.pdf.weasy points Fontconfig at the bundled fonts through the environment, once per
    # process; keep that from leaking into other tests' subprocesses.
    saved = {name: os.environ.get(name) for name in ("FONTCONFIG_FILE", "FONTCONFIG_PATH")}
    try:
        yield fetches
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def served_outside(fetches: list[Fetch], brief_dir: Path) -> list[str]:
    """URLs the fetcher answered that are neither data: nor files under the allowed roots."""
    roots = [brief_dir.resolve(), builtin_dir().resolve()]
    bad = []
    for fetch in fetches:
        if not fetch.served:
            continue
        parts = urlsplit(fetch.url)
        if parts.scheme.lower() == "data":
            continue
        path = Path(url2pathname(unquote(parts.path))).resolve()
        if parts.scheme.lower() != "file" or not any(path.is_relative_to(r) for r in roots):
            bad.append(fetch.url)
    return bad


# -- running a case and looking for leaks ------------------------------------------------------


@dataclass
class Outcome:
    code: int
    out: str
    err: str
    seconds: float
    new_files: set[str]


def build(arena: Arena, capsys: pytest.CaptureFixture[str], brief: Path, *args: str) -> Outcome:
    before = arena.files_outside_out()
    start = time.monotonic()
    code = run(["build", str(brief), "--out", str(arena.out), "-a", "government", *args])
    seconds = time.monotonic() - start
    captured = capsys.readouterr()
    return Outcome(code, captured.out, captured.err, seconds, arena.files_outside_out() - before)


DATA_URL = re.compile(r"data:([\w/+.-]*)((?:;[\w=.-]+)*),([^\"'()\s>]*)", re.IGNORECASE)


def html_leaks(html: str) -> list[str]:
    """Where the secret shows in an HTML document: its text, or a decoded data: URL."""
    found = []
    if SECRET in html or SECRET in unescape(html):
        found.append("html text")
    for match in DATA_URL.finditer(unescape(html)):
        payload = match.group(3)
        try:
            data = (
                base64.b64decode(payload + "=" * (-len(payload) % 4))
                if ";base64" in match.group(2).lower()
                else unquote_to_bytes(payload)
            )
        except ValueError:
            continue
        if SECRET.encode() in data:
            found.append(f"data: URL of type {match.group(1)}")
    return found


def pdf_leaks(path: Path) -> list[str]:
    """Where the secret shows in a PDF, and anything attached to it at all."""
    found = []
    raw = path.read_bytes()
    if SECRET.encode() in raw:
        found.append("raw bytes")
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                try:
                    data = obj.read_bytes()
                except pikepdf.PdfError:
                    data = obj.read_raw_bytes()
                if SECRET.encode() in data:
                    found.append(f"stream {obj.objgen}")
        for name, spec in pdf.attachments.items():
            found.append(f"attachment {name!r}")
            if SECRET.encode() in spec.get_file().read_bytes():
                found.append(f"secret in attachment {name!r}")
        for number, page in enumerate(pdf.pages, 1):
            for annot in page.get("/Annots", []):
                if annot.get("/Subtype") == "/FileAttachment" or "/FS" in annot:
                    found.append(f"file attachment annotation on page {number}")
    return found


def assert_clean(outcome: Outcome, arena: Arena, listener: Listener) -> None:
    """The checks every hostile case must pass."""
    text = outcome.out + outcome.err
    assert outcome.code in (0, 1), text
    assert "Traceback" not in text
    assert "internal error" not in outcome.err, outcome.err
    if outcome.code == 1:
        problems = [line for line in outcome.err.splitlines() if not line.startswith("warning:")]
        assert problems and all(MESSAGE.match(line) for line in problems), outcome.err
    assert outcome.seconds < CASE_SECONDS, f"took {outcome.seconds:.1f} s"
    assert SECRET not in text, "the secret is in the terminal output"
    assert outcome.new_files == set(), "files were written outside --out"
    assert listener.connections == [], "the loopback listener was connected to"
    # A refusal inside a worker would show as a warning naming conftest's guard.
    assert "never use the network" not in text
    leaks: dict[str, list[str]] = {}
    for path in sorted(arena.out.rglob("*")) if arena.out.exists() else []:
        if path.suffix == ".html":
            leaks[path.name] = html_leaks(path.read_text("utf-8"))
        elif path.suffix == ".pdf":
            leaks[path.name] = pdf_leaks(path)
    assert not any(leaks.values()), leaks


def outputs(arena: Arena, suffix: str) -> dict[str, str]:
    return {
        p.name: p.read_text("utf-8") for p in sorted(arena.out.rglob(f"*{suffix}")) if p.is_file()
    }


# -- route (a): hostile Markdown and values in a brief ---------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, {k: v or "" for k, v in attrs}))

    handle_startendtag = handle_starttag


def tags(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


FETCHING_TAGS = {"script", "object", "embed", "iframe", "frame", "portal", "link", "base", "svg",
                 "image", "video", "audio", "source", "input", "form"}  # fmt: skip


def inert_problems(html: str) -> list[str]:
    """What, in a built-in edition of a hostile brief, could run or fetch."""
    problems = []
    found = tags(html)
    problems += [f"<{t}>" for t, _ in found if t in FETCHING_TAGS]
    problems += [f"<meta http-equiv> {a}" for t, a in found if t == "meta" and "http-equiv" in a]
    # The template's own stylesheet, and the embedded fonts' (only @font-face rules whose
    # one source is a WOFF2 data: URL, see briefs/render/fonts.py).
    font_rule = r'@font-face \{[^{}]*src: url\("data:font/woff2;base64,[A-Za-z0-9+/=]+"\) format\("woff2"\); \}'
    sheets = re.findall(r"<style\b[^>]*>(.*?)</style>", html, re.S)
    fonts = [css for css in sheets if re.fullmatch(rf"\s*(?:{font_rule}\s*)+", css)]
    if sum(1 for t, _ in found if t == "style") - len(fonts) != 1:
        problems.append("a <style> element besides the template's own")
    for tag, attrs in found:
        for name, value in attrs.items():
            if name.startswith("on") or name in {"style", "srcset", "data", "poster", "formaction"}:
                problems.append(f"<{tag} {name}={value[:60]!r}>")
            if (
                tag == "img"
                and name == "src"
                and not re.match(r"data:image/(png|jpeg|svg\+xml);base64,", value)
            ):
                problems.append(f"<img src={value[:80]!r}> (not embedded)")
            if tag == "a" and name == "href" and not re.match(r"(https?:|mailto:|#)", value):
                problems.append(f"<a href={value[:80]!r}>")
            if tag == "img" and name == "src" and value.startswith("data:image/svg+xml"):
                svg = base64.b64decode(value.split(",", 1)[1]).decode("utf-8")
                if re.search(r"<(\w+:)?script|\son\w+\s*=", svg, re.IGNORECASE):
                    problems.append(f"an embedded SVG can run script: {svg[:200]}")
    return problems


@pytest.mark.slow
@pytest.mark.parametrize("case", BRIEF_CASES)
def test_hostile_brief(
    case: str,
    arena: Arena,
    listener: Listener,
    inline_pdf: list[Fetch],
    capsys: pytest.CaptureFixture[str],
) -> None:
    brief = arena.brief_dir / f"{case}.yaml"
    brief.write_text(arena.fill((CORPUS / "briefs" / f"{case}.yaml").read_text("utf-8")), "utf-8")
    outcome = build(arena, capsys, brief, "-l", "en", "-l", "ko")
    assert_clean(outcome, arena, listener)
    assert outcome.code == 0, outcome.err  # hostile text is still a valid brief
    assert served_outside(inline_pdf, arena.brief_dir) == []
    html = outputs(arena, ".html")
    assert len(html) == 2
    for name, text in html.items():
        assert inert_problems(text) == [], name


# -- route (b): a hostile user templates folder ------------------------------------------------


def copy_templates(case: str, arena: Arena, folder: Path | None = None) -> Path:
    """The case's templates in ``folder`` (default ``t/``); ``NAME.symlink`` becomes a
    symlink NAME to the (filled) path the file holds."""
    folder = folder or arena.templates
    source = CORPUS / "templates" / case
    for path in sorted(source.rglob("*")):
        if path.is_file():
            target = folder / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            text = arena.fill(path.read_text("utf-8"))
            if path.suffix == ".symlink":
                os.symlink(text.strip(), target.with_suffix(""))
            else:
                target.write_text(text, encoding="utf-8")
    os.symlink(arena.secret, folder / "leak.txt")
    return folder


@pytest.mark.slow
@pytest.mark.parametrize("case", TEMPLATE_CASES)
def test_hostile_template(
    case: str,
    arena: Arena,
    listener: Listener,
    inline_pdf: list[Fetch],
    capsys: pytest.CaptureFixture[str],
) -> None:
    copy_templates(case, arena)
    brief = arena.brief_dir / "minimal.yaml"
    shutil.copyfile(MINIMAL, brief)
    outcome = build(arena, capsys, brief, "-l", "en", "--templates", str(arena.templates))
    assert_clean(outcome, arena, listener)
    assert served_outside(inline_pdf, arena.brief_dir) == []
    # WeasyPrint ignores iframes; attachments are dropped before they are fetched (a brief
    # declares none), and pdf_leaks fails on any attachment left in the PDF.
    if not case.startswith("sandbox-") and case != "iframe" and "attachment" not in case:
        # The vector reached the PDF renderer, which asked the fetcher, which refused.
        assert [f for f in inline_pdf if not f.served], "nothing was refused: a vacuous case"
    if outcome.code == 0:
        html = outputs(arena, ".html")
        assert len(html) == 1 and "adversarial-marker" in next(iter(html.values()))
        assert (arena.out / "minimal" / "government.en.pdf").is_file()


@pytest.mark.slow
@pytest.mark.parametrize("route", ["briefs", "templates"])
@pytest.mark.parametrize("case", NETWORK_CASES)
def test_network_cases_with_worker_processes(
    case: str,
    route: str,
    arena: Arena,
    listener: Listener,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # The real build renders PDFs in forked workers, out of the guard's sight in this
    # process: the listener, and the guard's message in WeasyPrint's warnings, still see.
    if route == "briefs":
        brief = arena.brief_dir / f"{case}.yaml"
        brief.write_text(arena.fill((CORPUS / route / f"{case}.yaml").read_text("utf-8")), "utf-8")
        args: list[str] = []
    else:
        copy_templates(case, arena)
        brief = arena.brief_dir / "minimal.yaml"
        shutil.copyfile(MINIMAL, brief)
        args = ["--templates", str(arena.templates)]
    outcome = build(arena, capsys, brief, "-l", "en", "-f", "pdf", "-j", "1", *args)
    assert_clean(outcome, arena, listener)
    assert outcome.code == 0, outcome.err


# -- labels and profiles: confined and limited like templates (issue 14, items 1-2) ----------

CONFINEMENT_CASES = {
    # case: the file the message must name, inside the user's templates folder
    "sandbox-label-symlink": "locales/en.yaml",
    "sandbox-label-dir-symlink": "locales/en.yaml",
    "sandbox-profile-symlink": "audiences/government.yaml",
}


@pytest.mark.parametrize("route", ["--templates", "./templates"])
@pytest.mark.parametrize("case", list(CONFINEMENT_CASES))
def test_label_or_profile_symlinked_out_of_the_folder_is_refused(
    case: str,
    route: str,
    arena: Arena,
    listener: Listener,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Bug: labels were read with a plain read_text that follows symlinks, so a symlinked
    # locales/en.yaml printed a credentials file into every edition; a symlinked profile's
    # validation errors echoed the outside file's keys. Both routes: --templates, and the
    # ./templates folder found in the working folder (a pull request can add one).
    folder = arena.templates if route == "--templates" else arena.base / "templates"
    copy_templates(case, arena, folder)
    brief = arena.brief_dir / "minimal.yaml"
    shutil.copyfile(MINIMAL, brief)
    args = ["--templates", str(folder)] if route == "--templates" else []
    outcome = build(arena, capsys, brief, "-l", "en", "-f", "html", *args)
    assert_clean(outcome, arena, listener)
    assert outcome.code == 1, "the outside file was read"
    (line,) = outcome.err.splitlines()
    shown = folder.relative_to(arena.base) / CONFINEMENT_CASES[case]
    assert line.startswith(f"{shown}: "), line
    assert "outside" in line and "symlink" in line, line
    assert str(arena.secret.parent) not in outcome.err, "the message names the outside file"


def run_limited(
    args: list[str], cwd: Path, *, memory: int = 2 << 30, seconds: float = 30.0
) -> subprocess.CompletedProcess[str]:
    """The command line in a child process whose address space is capped at ``memory``."""
    import resource

    def limit() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))

    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "briefs", *args],
        cwd=cwd,
        env=subprocess_env(),
        preexec_fn=limit,
        capture_output=True,
        text=True,
        timeout=seconds,
    )
    assert time.monotonic() - start < seconds
    return done


@pytest.mark.parametrize(
    ("case", "where"),
    [
        ("sandbox-label-bomb", "t/locales/en.yaml"),
        ("sandbox-profile-bomb", "t/audiences/government.yaml"),
    ],
)
def test_label_or_profile_alias_bomb_fails_fast_in_bounded_memory(
    case: str, where: str, arena: Arena
) -> None:
    # Bug: a 433-byte label file of nested aliases ran for minutes and reached 4 GB, in the
    # main process (the template render's memory limit does not cover it).
    copy_templates(case, arena)
    brief = arena.brief_dir / "minimal.yaml"
    shutil.copyfile(MINIMAL, brief)
    done = run_limited(
        ["build", str(brief), "--out", "out", "-f", "html", "-a", "government", "-l", "en",
         "--templates", "t"],
        arena.base,
        seconds=20.0,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "internal error" not in done.stderr
    (line,) = done.stderr.splitlines()
    assert re.match(where + r":\d+:\d+: file expands to more than 200,000 values", line), line
    assert not (arena.out / "minimal").exists()


def test_label_file_of_more_than_the_size_limit_is_refused(
    arena: Arena, capsys: pytest.CaptureFixture[str], listener: Listener
) -> None:
    copy_templates("sandbox-label-symlink", arena)
    label = arena.templates / "locales" / "en.yaml"
    label.unlink()
    label.write_text("contents: '" + "x" * 3_000_000 + "'\n", "utf-8")
    brief = arena.brief_dir / "minimal.yaml"
    shutil.copyfile(MINIMAL, brief)
    outcome = build(arena, capsys, brief, "-l", "en", "-f", "html", "--templates", "t")
    assert_clean(outcome, arena, listener)
    assert outcome.code == 1
    assert outcome.err.startswith("t/locales/en.yaml: file is 3,000,0"), outcome.err


# -- the PDF fetcher: more spellings than tests/test_hostile.py tries ---------------------------


@pytest.mark.parametrize(
    "url",
    [
        "FILE://@SECRET@",
        "file://localhost@SECRET@",
        "file://127.0.0.1@SECRET@",
        "file:@SECRET@",
        "file:@BRIEF@/secret-link.txt",
        "file:@BRIEF@/.git/config",
        "file:@BRIEF@/sub/../.git/config",
        "file:@BRIEF@/secret-dir/secret.txt",
        "file:@BRIEF@/%2e%2e/secret/secret.txt",
        "file:@BRIEF@/..%2fsecret/secret.txt",
        "file:@BRIEF@/ok.png%00.txt",
        "file:@BRIEF@/ok.png/../../secret/secret.txt",
        "file:@BRIEF@?/../../secret/secret.txt",
        "HTTP://127.0.0.1:@PORT@/redirect",
        "hTtPs://127.0.0.1:@PORT@/redirect",
        "gopher://127.0.0.1:@PORT@/x",
        "jar:file:@SECRET@!/x",
        "view-source:file:@SECRET@",
        "//127.0.0.1:@PORT@/x",
        "http://169.254.169.254/latest/meta-data/",
        "http://metadata.google.internal/computeMetadata/v1/",
    ],
)
def test_fetcher_refuses(url: str, arena: Arena, listener: Listener) -> None:
    url = url.replace("@SECRET@", str(arena.secret)).replace("@BRIEF@", str(arena.brief_dir))
    url = url.replace("@PORT@", str(listener.port))
    fetcher = briefs.pdf.weasy.make_fetcher([arena.brief_dir])
    with pytest.raises(Exception):  # noqa: B017 (refused: "does not fetch", or a bad path)
        fetcher.fetch(url).close()
    assert listener.connections == []


def test_fetcher_serves_files_inside_the_folder(arena: Arena) -> None:
    fetcher = briefs.pdf.weasy.make_fetcher([arena.brief_dir])
    response = fetcher.fetch((arena.brief_dir / "sub" / ".." / "ok.png").as_uri())
    try:
        assert response.read() == png()
    finally:
        response.close()


# -- templates: bombs must fail cleanly, naming the template and line --------------------------

BOMB_TEMPLATE = """\
{% extends "builtin:audiences/government.html.j2" %}
{% block colophon %}
BOMB
{% endblock %}
"""

BOMBS = {
    # expression, message, limits to set (name → value)
    "string-times-billion": ("{{ 'a' * 10**9 }}", "SecurityError", {}),
    "list-times-billion": ("{{ ([1] * 10**9)|length }}", "SecurityError", {}),
    "power": ("{{ 2 ** (10 ** 8) }}", "SecurityError", {}),
    "big-range": ("{{ range(10**9)|list|length }}", "SecurityError", {}),
    "nested-loops": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        "took longer than 1 s",
        {"MAX_SECONDS": 1.0},
    ),
    # Each step within the power limit, but seconds of big-integer work in one expression.
    "huge-power": (
        "{{ (3 ** 4096) ** 4096 > 0 }}",
        "took longer than 1 s",
        {"MAX_SECONDS": 1.0},
    ),
    "recursion": ("{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}", "RecursionError", {}),
    "huge-output": (
        "{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}",
        "output exceeds 1,000,000 characters",
        {"MAX_OUTPUT": 1_000_000},
    ),
    # Bugs: the expression limits intercept only `*` and `**`. Each of these builds a string
    # of 64 million characters (more than the output limit) without printing it; a loop or a
    # larger number makes as much as the machine has.
    "concat-doubling": (
        "{% set ns = namespace(s='a' * 1000000) %}{% for i in range(6) %}"
        "{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        "",
        {},
    ),
    "center-filter": ("{{ ''|center(64000000)|length }}", "", {}),
    "percent-format": ("{{ '%64000000s'|format('')|length }}", "", {}),
    "ljust-method": ("{{ ''.ljust(64000000)|length }}", "", {}),
    # Bugs (issue 14): a width inside the format string, not an argument; and the % operator.
    "str-format-width": ("{{ '{:>999999999}'.format(1)|length }}", "SecurityError", {}),
    "nested-format-width": ("{{ '{:>{w}}'.format(1, w=999999999)|length }}", "SecurityError", {}),
    "percent-operator": ("{{ ('%999999999s' % 'a')|length }}", "SecurityError", {}),
}


WHERE = r"t/audiences/government\.html\.j2:3:1"
"""The bomb's file and line, as the CLI prints them."""


@pytest.mark.parametrize("case", list(BOMBS))
def test_template_bomb_fails_cleanly(
    case: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    expression, message, limits = BOMBS[case]
    for name, value in limits.items():
        monkeypatch.setattr(briefs.render.html, name, value)
    folder = tmp_path / "t" / "audiences"
    folder.mkdir(parents=True)
    (folder / "government.html.j2").write_text(BOMB_TEMPLATE.replace("BOMB", expression), "utf-8")
    monkeypatch.chdir(tmp_path)
    start = time.monotonic()
    code = run(["build", str(MINIMAL), "--out", "out", "-f", "html", "-a", "government",
                "-l", "en", "--templates", "t"])  # fmt: skip
    seconds = time.monotonic() - start
    err = capsys.readouterr().err
    bound = limits.get("MAX_SECONDS", 0) + 4.0
    assert seconds < bound, f"took {seconds:.1f} s (bound {bound:.0f} s)"
    assert code == 1, f"the template rendered (exit {code})"
    assert "Traceback" not in err and "internal error" not in err, err
    (line,) = err.splitlines()
    # The output limit trips between two pieces of output, so it names the template only.
    where = r"(t/)?audiences/government\.html\.j2" if "MAX_OUTPUT" in limits else WHERE
    assert re.match(where + ": template ", line), line
    assert message in line
    assert not (tmp_path / "out" / "minimal" / "government.en.html").exists()


# -- PDF renders: a time limit and a memory limit in every worker (issue 14, item 3) --------

HEAVY_TEMPLATE = """\
{% extends "builtin:audiences/government.html.j2" %}
{% block colophon %}{{ super() }}
{% for i in range(20000) %}<p>paragraph {{ i }} of a runaway edition</p>{% endfor %}
{% endblock %}
"""


@pytest.mark.slow
@pytest.mark.parametrize(
    ("limit", "value", "message"),
    [
        ("MAX_SECONDS", 1.0, "PDF rendering took longer than 1 s"),
        ("MAX_MEMORY", 64 << 20, "memory"),
    ],
)
def test_runaway_pdf_edition_fails_with_a_message_naming_it(
    limit: str,
    value: float,
    message: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Bug: PDF rendering had no time limit at all and no memory limit (the template render's
    # limit ends before WeasyPrint starts). The real worker pool: the limits are set there.
    monkeypatch.setattr(briefs.pdf.weasy, limit, value)
    folder = tmp_path / "t" / "audiences"
    folder.mkdir(parents=True)
    (folder / "government.html.j2").write_text(HEAVY_TEMPLATE, "utf-8")
    shutil.copyfile(MINIMAL, tmp_path / "minimal.yaml")
    monkeypatch.chdir(tmp_path)
    start = time.monotonic()
    code = run(["build", "minimal.yaml", "--out", "out", "-f", "pdf", "-a", "government",
                "-l", "en", "--templates", "t", "-j", "1"])  # fmt: skip
    seconds = time.monotonic() - start
    err = capsys.readouterr().err
    assert code == 1, err
    assert "Traceback" not in err and "internal error" not in err, err
    (line,) = err.splitlines()
    assert line.startswith("minimal.yaml: PDF edition government.en: "), line
    assert message in line, line
    assert seconds < 60, f"took {seconds:.1f} s"  # a loaded machine: the point is "bounded"
    assert not (tmp_path / "out" / "minimal" / "government.en.pdf").exists()


# -- images and CSV files ---------------------------------------------------------------------

IMAGE_BRIEF = """\
id: images
title: Images
date: 2025-01-27
organisation: Test Institute
authors:
  - name: Gildong Hong
languages: [en]
summary: Shares fell.
findings:
  - id: shock
    title: Market shock
    body: "Look: ![the picture](REF)"
    confidence: high
"""


@pytest.mark.parametrize(
    ("ref", "reason"),
    [
        ("../secret/secret.png", "outside the brief's folder"),
        ("secret-link.png", "outside the brief's folder"),
        ("secret-dir/secret.png", "outside the brief's folder"),
        ("@SECRET_PNG_URL@", "not addresses or absolute paths"),
        ("/etc/passwd", "not addresses or absolute paths"),
        ("http://127.0.0.1:@PORT@/x.png", "not addresses or absolute paths"),
        ("fake.png", "not a PNG, JPEG or SVG image"),
        ("big.png", "bytes; the limit is 100"),
        ("xxe.svg", "DOCTYPE or entities"),
        ("entities-bomb.svg", "DOCTYPE or entities"),
    ],
)
def test_image_that_cannot_be_used_is_left_out_with_a_warning(
    ref: str,
    reason: str,
    arena: Arena,
    listener: Listener,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    (arena.brief_dir / "fake.png").write_text("this is text, not a picture\n", "utf-8")
    (arena.brief_dir / "big.png").write_bytes(png(b"x" * 200))
    if ref == "big.png":
        monkeypatch.setattr(briefs.check.assets, "MAX_BYTES", 100)
    brief = arena.brief_dir / "brief.yaml"
    brief.write_text(arena.fill(IMAGE_BRIEF.replace("REF", ref)), "utf-8")
    outcome = build(arena, capsys, brief, "-f", "html")
    assert_clean(outcome, arena, listener)
    assert outcome.code == 0
    (warning,) = [line for line in outcome.err.splitlines() if "left out" in line]
    # Positioned at the reference: line 12, after 'body: "Look: ![the picture]('.
    assert warning.startswith("warning: brief/brief.yaml:12:"), warning
    assert reason in warning
    (html,) = outputs(arena, ".html").values()
    # Left out: the alt text in a span, or (when the sanitiser already dropped the address)
    # an <img> without a src.
    images = [attrs for tag, attrs in tags(html) if tag == "img"]
    assert '<span class="missing-image">[the picture]</span>' in html or images == [
        {"alt": "the picture"}
    ], images
    assert not any("src" in attrs for attrs in images)


def bomb_png(width: int, height: int) -> bytes:
    """A valid grey PNG of ``width`` × ``height`` black pixels: tiny, and huge decoded."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = struct.pack(">I", zlib.crc32(kind + data))
        return struct.pack(">I", len(data)) + kind + data + crc

    packer = zlib.compressobj(9)
    row = b"\x00" * (width + 1)
    body = b"".join(packer.compress(row) for _ in range(height)) + packer.flush()
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0))
        + chunk(b"IDAT", body)
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("size", "refs", "message"),
    [
        # Over Pillow's own bomb limit (89 M pixels) too: its warning must not reach stderr.
        ((10_000, 10_000), 1, "10,000 × 10,000 pixels; the limit is 40,000,000"),
        ((6_000, 6_000), 3, "the brief's images have more than 100,000,000 pixels together"),
    ],
)
def test_raster_decompression_bomb_is_a_positioned_error(
    size: tuple[int, int],
    refs: int,
    message: str,
    arena: Arena,
    listener: Listener,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Bug: a 657 KB PNG cost 1.6 GB per PDF worker and 16 s, nothing limited how many images
    # a brief holds, and Pillow's DecompressionBombWarning (with a path) reached stderr.
    (arena.brief_dir / "bomb.png").write_bytes(bomb_png(*size))
    ref = ") and ![more](".join(["bomb.png"] * refs)
    brief = arena.brief_dir / "brief.yaml"
    brief.write_text(arena.fill(IMAGE_BRIEF.replace("REF", ref)), "utf-8")
    outcome = build(arena, capsys, brief, "-f", "html")
    assert_clean(outcome, arena, listener)
    assert outcome.code == 1, outcome.err
    assert "Warning" not in outcome.err, outcome.err
    (line,) = outcome.err.splitlines()
    assert line.startswith("brief/brief.yaml:12:") and message in line, line
    assert not arena.out.exists() or not list(arena.out.rglob("*.html"))


# An image whose address is given apart from it: a reference definition, or a raw <img>.
# Bug: validation only looked at ![alt](address), so these were embedded unchecked (no
# warning, no brief-wide pixel budget) and publish did not know the brief read them.
REFERENCE_IMAGES = {
    "definition": '"Look: ![the picture][pic]\\n\\n[pic]: REF"',
    "shortcut": '"Look: ![pic]\\n\\n[PIC]: <REF>"',
    "raw-img": '\'Look: <img src="REF" alt="the picture">\'',
}


@pytest.mark.parametrize("form", list(REFERENCE_IMAGES))
def test_an_image_given_apart_is_checked_at_its_address(
    form: str, arena: Arena, listener: Listener, capsys: pytest.CaptureFixture[str]
) -> None:
    body = REFERENCE_IMAGES[form]
    brief = arena.brief_dir / "brief.yaml"
    (arena.brief_dir / "bomb.png").write_bytes(bomb_png(10_000, 10_000))
    text = IMAGE_BRIEF.replace('"Look: ![the picture](REF)"', body.replace("REF", "bomb.png"))
    brief.write_text(text, "utf-8")
    outcome = build(arena, capsys, brief, "-f", "html")
    assert_clean(outcome, arena, listener)
    assert outcome.code == 1, outcome.err
    (line,) = outcome.err.splitlines()
    assert line.startswith("brief/brief.yaml:12:") and "10,000 × 10,000 pixels" in line, line
    # A file that is not there: left out with a warning at the address, the build goes on.
    brief.write_text(text.replace("bomb.png", "missing.png"), "utf-8")
    outcome = build(arena, capsys, brief, "-f", "html")
    assert outcome.code == 0, outcome.err
    (warning,) = [line for line in outcome.err.splitlines() if "left out" in line]
    assert warning.startswith("warning: brief/brief.yaml:12:") and "missing.png" in warning


def test_image_inside_the_folder_is_embedded(
    arena: Arena, listener: Listener, capsys: pytest.CaptureFixture[str]
) -> None:
    brief = arena.brief_dir / "brief.yaml"
    brief.write_text(IMAGE_BRIEF.replace("REF", "ok.png"), "utf-8")
    outcome = build(arena, capsys, brief, "-f", "html")
    assert_clean(outcome, arena, listener)
    (html,) = outputs(arena, ".html").values()
    assert f'src="data:image/png;base64,{base64.b64encode(png()).decode()}"' in html


def deep_svg(depth: int) -> bytes:
    return (
        b'<svg xmlns="http://www.w3.org/2000/svg">' + b"<g>" * depth + b"</g>" * depth + b"</svg>"
    )


# Bugs: each of these makes `briefs build` print "internal error" instead of a warning.
BROKEN_FILES: dict[str, Callable[[Path], str]] = {
    "symlink-loop": lambda d: (os.symlink("loop.png", d / "loop.png"), "loop.png")[1],
    "name-too-long": lambda d: "a" * 300 + ".png",
    "svg-not-utf8": lambda d: (
        (d / "latin1.svg").write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg">\xe9</svg>'),
        "latin1.svg",
    )[1],
    "svg-deeply-nested": lambda d: ((d / "deep.svg").write_bytes(deep_svg(20000)), "deep.svg")[1],
}


@pytest.mark.parametrize("case", list(BROKEN_FILES))
def test_broken_image_file_is_a_warning_not_a_crash(
    case: str, arena: Arena, listener: Listener, capsys: pytest.CaptureFixture[str]
) -> None:
    ref = BROKEN_FILES[case](arena.brief_dir)
    brief = arena.brief_dir / "brief.yaml"
    brief.write_text(IMAGE_BRIEF.replace("REF", ref), "utf-8")
    outcome = build(arena, capsys, brief, "-f", "html")
    assert_clean(outcome, arena, listener)
    assert any(
        line.startswith("warning: brief/brief.yaml:12:") and "left out" in line
        for line in outcome.err.splitlines()
    ), outcome.err


CSV_BRIEF = """\
id: charts
title: Charts
date: 2025-01-27
organisation: Test Institute
authors:
  - name: Gildong Hong
languages: [en]
summary: Shares fell.
findings:
  - id: shock
    title: Market shock
    body: Demand fell.
    confidence: high
    chart:
      type: bar
      title: Shares
      alt: Shares fell.
      csv: REF
      x: k
      y: v
      sources: [src-a]
sources:
  - id: src-a
    title: A source
    publisher: A publisher
"""


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("dotdot", "may not contain '..'"),
        ("absolute", "must be a path relative to the brief's folder"),
        ("symlink", "leads outside the brief's folder"),
        ("symlink-dir", "leads outside the brief's folder"),
        ("symlink-loop", ""),  # bug: "internal error: RuntimeError: Symlink loop"
        ("name-too-long", ""),  # bug: "internal error: OSError: [Errno 36] File name too long"
    ],
)
def test_csv_outside_the_folder_is_refused(
    case: str, message: str, arena: Arena, capsys: pytest.CaptureFixture[str]
) -> None:
    outside = arena.secret.parent / "data.csv"
    outside.write_text(f"k,v\n{SECRET},1\n", "utf-8")
    refs = {
        "dotdot": "../secret/data.csv",
        "absolute": str(outside),
        "symlink": "link.csv",
        "symlink-dir": "secret-dir/data.csv",
        "symlink-loop": "loop.csv",
        "name-too-long": "a" * 300 + ".csv",
    }
    os.symlink(outside, arena.brief_dir / "link.csv")
    os.symlink("loop.csv", arena.brief_dir / "loop.csv")
    brief = arena.brief_dir / "brief.yaml"
    brief.write_text(CSV_BRIEF.replace("REF", json.dumps(refs[case])), "utf-8")
    code = run(["validate", str(brief)])
    err = capsys.readouterr().err
    assert code == 1
    assert "internal error" not in err and "Traceback" not in err, err
    assert SECRET not in err
    (line,) = err.splitlines()
    assert line.startswith("brief/brief.yaml:18:12: findings[0].chart.csv: "), line
    assert message in line


# -- SVG cleaning -----------------------------------------------------------------------------


def css_unescape(text: str) -> str:
    """CSS escapes resolved, as a CSS parser reads them (``u\\72l(`` is ``url(``)."""
    text = re.sub(
        r"\\([0-9a-fA-F]{1,6})\s?",
        lambda m: chr(int(m[1], 16)) if int(m[1], 16) < 0x110000 else "\ufffd",
        text,
    )
    return re.sub(r"\\(.)", r"\1", text)


EXTERNAL = re.compile(
    r"url\(\s*['\"]?\s*(?!#)|@import|javascript:|://|^\s*file:|^\s*data:", re.IGNORECASE
)


def svg_problems(cleaned: bytes, arena: Arena) -> list[str]:
    """What in a cleaned SVG could still run, refer outside, or expand."""
    problems = []
    text = cleaned.decode("utf-8")
    for marker in ("<!DOCTYPE", "<!ENTITY", "<?xml-stylesheet", str(arena.secret)):
        if marker.lower() in text.lower():
            problems.append(f"contains {marker}")
    root = ET.fromstring(text)
    for element in root.iter():
        local = element.tag.rsplit("}", 1)[-1]
        if local in {"script", "foreignObject", "handler", "listener", "iframe", "image",
                     "feImage"}:  # fmt: skip
            problems.append(f"<{local}>")
        for name, value in element.attrib.items():
            attr = name.rsplit("}", 1)[-1]
            if attr.lower().startswith("on"):
                problems.append(f"<{local} {attr}>")
            if attr == "href" and not value.startswith("#"):
                problems.append(f"<{local} {attr}={value!r}>")
            if EXTERNAL.search(css_unescape(value)):
                problems.append(f"<{local} {attr}={value!r}>")
        if local == "style" and element.text and EXTERNAL.search(css_unescape(element.text)):
            problems.append(f"<style>{element.text.strip()[:120]}</style>")
    return problems


@pytest.mark.parametrize("case", SVG_CASES)
def test_svg_corpus_is_cleaned(case: str, arena: Arena) -> None:
    data = (arena.brief_dir / case).read_bytes()
    try:
        cleaned = clean_svg(data)
    except AssetError:
        return  # refused outright (a DOCTYPE, entities): also fine
    assert svg_problems(cleaned, arena) == []


def test_clean_svg_keeps_local_references(arena: Arena) -> None:
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        b'<defs><linearGradient id="g"/><path id="p" d="M0 0h1"/></defs>'
        b'<rect fill="url(#g)" width="1" height="1"/><use xlink:href="#p"/>'
        b'<use href="#p" x="2" fill="red"/></svg>'
    )
    cleaned = clean_svg(svg).decode()
    assert 'fill="url(#g)"' in cleaned
    # <use> is flattened into a copy of what it names (the copy without the id).
    assert "href" not in cleaned and "<use" not in cleaned
    assert cleaned.count('d="M0 0h1"') == 3 and cleaned.count('id="p"') == 1
    assert '<g fill="red" transform="translate(2 0)"><path d="M0 0h1"></path></g>' in cleaned
    assert svg_problems(clean_svg(svg), arena) == []


@pytest.mark.parametrize(
    ("case", "reason"),
    [("use-bomb.svg", "more than 20,000 elements"), ("use-cycle.svg", "which contains it")],
)
def test_svg_use_expansion_is_refused_fast(case: str, reason: str, arena: Arena) -> None:
    # Bug: clean_svg kept local href="#..." references, and WeasyPrint expanded nested
    # <use> exponentially: a 1.8 KB SVG kept the PDF render busy for more than 240 s.
    data = (arena.brief_dir / case).read_bytes()
    with pytest.raises(AssetError, match=reason):
        within(2.0, clean_svg, data)


@pytest.mark.slow
def test_svg_use_bomb_in_a_brief_is_left_out_and_the_pdf_is_built(
    arena: Arena,
    listener: Listener,
    inline_pdf: list[Fetch],
    capsys: pytest.CaptureFixture[str],
) -> None:
    brief = arena.brief_dir / "brief.yaml"
    brief.write_text(arena.fill(IMAGE_BRIEF.replace("REF", "use-bomb.svg")), "utf-8")
    outcome = build(arena, capsys, brief, "-f", "pdf")
    assert_clean(outcome, arena, listener)
    assert outcome.code == 0, outcome.err
    assert outcome.seconds < 15, f"took {outcome.seconds:.1f} s"
    (warning,) = [line for line in outcome.err.splitlines() if "left out" in line]
    assert warning.startswith("warning: brief/brief.yaml:12:") and "20,000" in warning, warning


# -- YAML: what tests/test_errors.py does not cover -------------------------------------------

BASE_EN = """\
id: test-brief
title: Test brief
date: 2025-01-27
organisation: Test Institute
authors:
  - name: Gildong Hong
languages: [en]
summary: Shares fell.
findings:
  - id: shock
    title: Market shock
    body: Demand fell.
    confidence: high
"""


class Overran(BaseException):
    """Raised by :func:`deadline` (a BaseException, so no ``except Exception`` eats it)."""


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Raise :class:`Overran` once this process has used ``seconds`` of CPU time.

    A CPU-time timer (SIGVTALRM), so it neither disturbs nor is disturbed by the render's own
    time limit (SIGALRM); Python checks for it between bytecodes and inside regular
    expressions, so a runaway pattern is stopped too.
    """

    def expire(signum: int, frame: object) -> None:
        raise Overran(f"did not finish within {seconds:g} s of CPU time")

    previous = signal.signal(signal.SIGVTALRM, expire)
    signal.setitimer(signal.ITIMER_VIRTUAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_VIRTUAL, 0)
        signal.signal(signal.SIGVTALRM, previous)


def within(seconds: float, function: Callable[..., Any], *args: Any) -> Any:
    """``function(*args)``, failing the test if it takes more than ``seconds``."""
    overran = ""
    try:
        with deadline(seconds):
            return function(*args)
    except Overran as exc:
        # Failed outside the handler: the interrupted frames confuse pytest's report.
        overran = str(exc)
    pytest.fail(f"{getattr(function, '__name__', function)}: {overran}", pytrace=False)


def load_within(path: Path, seconds: float) -> list[str]:
    """Validate ``path`` within ``seconds``; return its diagnostics (empty when valid)."""
    try:
        within(seconds, load_brief, path)
    except BriefError as exc:
        return [str(d) for d in exc.diagnostics]
    return []


YAML_CASES = {
    # name: (text appended to BASE_EN, expected start of the first message)
    "block-nesting-65": (
        "tags:\n  " + "- " * 65 + "x\n",
        "brief.yaml:15:131: nesting deeper than 64 levels",
    ),
    "flow-nesting-100k": ("tags: " + "[" * 100_000 + "]" * 100_000 + "\n", "brief.yaml:14:"),
    "mapping-nesting-70": (
        "extra: " + "{a: " * 70 + "1" + "}" * 70 + "\n",
        "brief.yaml:14:",
    ),
    "merge-key": ("base: &b {x: 1}\nother:\n  <<: *b\n", "brief.yaml:16:3: merge keys"),
    "tagged-key": ("tags:\n  - !!python/name:os.system x\n", "brief.yaml:15:5: tags[0]: tag"),
    "complex-key": ("? [a, b]\n: c\n", "brief.yaml:14:3: document: keys must be plain text"),
    "alias-as-key": ("k: &k key\n*k : v\n", "brief.yaml:14:1: k: unknown field"),
}


@pytest.mark.parametrize("case", list(YAML_CASES))
def test_hostile_yaml_fails_fast_and_positioned(case: str, tmp_path: Path) -> None:
    extra, expected = YAML_CASES[case]
    path = tmp_path / "brief.yaml"
    path.write_text(BASE_EN + extra, "utf-8")
    messages = load_within(path, 2.0)
    assert messages, "accepted"
    assert messages[0].startswith(expected.replace("brief.yaml", str(path))) or messages[
        0
    ].startswith(expected), messages


@pytest.mark.parametrize("tag", ["!custom", "!!python/object:os.system", "!!binary"])
def test_tag_on_a_key_is_refused(tag: str, tmp_path: Path) -> None:
    # "No custom tags" holds for keys too. Bug: a tag on a key was ignored silently (the
    # key was read by its text), while the same tag on a value is an error.
    path = tmp_path / "brief.yaml"
    path.write_text(BASE_EN.replace("title: Test brief", f"{tag} title: Test brief"), "utf-8")
    messages = load_within(path, 2.0)
    assert messages and messages[0].startswith(f"{path}:2:1: "), messages
    assert "tag" in messages[0]


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_separators_keep_positions(separator: str, tmp_path: Path) -> None:
    # libyaml counts U+2028, U+2029 and U+0085 as line breaks; editors and `grep -n` do not.
    # Bug (found by the long fuzz run): positions after such a character were shifted, and
    # past the file's last line Source.locate raised IndexError ("internal error").
    text = BASE_EN.replace("title: Test brief", f"title: 'Test{separator * 5} brief'")
    text = text.replace("body: Demand fell.", "body: Demand fell\u200f.")
    path = tmp_path / "brief.yaml"
    path.write_text(text, "utf-8")
    line = text.split("\n")[11]  # not splitlines(): it breaks at U+2028 too
    messages = load_within(path, 2.0)
    expected = f"{path}:12:{line.index(chr(0x200F)) + 1}: findings[0].body: character "
    assert [m for m in messages if m.startswith(expected)], messages


def test_aliases_of_a_long_string_fail_fast(tmp_path: Path) -> None:
    # Bug: the alias bound counts values, not their size. One 1 MB string used 190,000 times
    # is 190 GB of text to check; validation took ~13 ms per use (about 40 minutes).
    text = BASE_EN + "tags: [&b " + "x" * 1_000_000 + ", " + "*b, " * 190_000 + "*b]\n"
    path = tmp_path / "brief.yaml"
    path.write_text(text, "utf-8")
    assert path.stat().st_size < 2_000_000
    load_within(path, 5.0)


def test_many_unknown_citations_are_reported_fast(tmp_path: Path) -> None:
    # Bug: every positioned citation searches the file from its value's start and splits the
    # whole file again, so 50,000 of them took minutes (quadratic).
    lines = "\n".join(f"      Claim {i} rests on [@nope]." for i in range(50_000))
    text = BASE_EN.replace("    body: Demand fell.\n", "    body: |\n" + lines + "\n")
    path = tmp_path / "brief.yaml"
    path.write_text(text, "utf-8")
    assert path.stat().st_size < 2_000_000
    messages = load_within(path, 10.0)
    # the first citation: line 13, column 24 ("      Claim 0 rests on [@nope].")
    # The field is also over the length limit for one text: that comes first, at the field.
    assert messages and "a text may have at most" in messages[0]
    assert messages[1].startswith(f"{path}:13:24: findings[0].body: [@nope]"), messages[1]


def test_control_character_is_a_positioned_one_line_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Bug: libyaml's reader error has no mark: the message had no line and column, and ran
    # over two lines ('... not allowed\n  in "<unicode string>", position 35').
    monkeypatch.chdir(tmp_path)
    (tmp_path / "brief.yaml").write_text(BASE_EN.replace("Test brief", "Test\x07brief"), "utf-8")
    assert run(["validate", "brief.yaml"]) == 1
    lines = capsys.readouterr().err.splitlines()
    assert len(lines) == 1, lines
    assert lines[0].startswith("brief.yaml:2:12: "), lines


def test_brief_that_is_a_symlink_to_a_device_fails_fast(
    tmp_path: Path, child_env: Callable[..., dict[str, str]]
) -> None:
    # `briefs validate inputs/*.yaml` in CI, where a pull request adds inputs/x.yaml → /dev/zero.
    # Bug: the loader reads the whole file before checking its size: it ran out of memory
    # (1 GB address-space limit here) and printed "internal error: MemoryError".
    (tmp_path / "brief.yaml").symlink_to("/dev/zero")
    child = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2**30, 2**30))\n"
        "from briefs.cli.main import run\n"
        "sys.exit(run(['validate', 'brief.yaml']))\n"
    )
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", child],
        cwd=tmp_path,
        env=child_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    seconds = time.monotonic() - start
    assert done.returncode == 1, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr, done.stderr
    assert done.stderr.startswith("brief.yaml: "), done.stderr
    assert seconds < 10


# -- text processing after the render, outside its time limit ----------------------------------
# The render's time limit covers the template only; briefs.text.korean then runs regular
# expressions over the whole document. Bugs: some of them backtrack badly on brief text.


def test_marking_languages_is_not_exponential(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Bug: in a Korean edition, _LATIN_PHRASE tries every split of "1,1,1,…" (its number
    # pattern also matches the commas): each two more characters double the time: 2.3 s
    # for 24 pairs, 19 s for 27, hours for the 40 here (stopped after 5 s).
    monkeypatch.chdir(tmp_path)
    text = MINIMAL.read_text("utf-8").replace(
        "ko: 엔비디아 주가가 하루 만에 크게 하락했다[@src-a].", "ko: 'a " + "1," * 40 + "!'"
    )
    (tmp_path / "brief.yaml").write_text(text, "utf-8")
    args = ["build", "brief.yaml", "--out", "out", "-f", "html", "-a", "government", "-l", "ko"]
    assert within(5.0, run, args) == 0, capsys.readouterr().err


@pytest.mark.parametrize(
    ("function", "html"),
    [
        # Bug: _LATIN_PHRASE is quadratic on "a.a.a.…" (4.9 s for 24,000 characters, ~85 s here).
        ("mark_languages_html", "<p>" + "a." * 50_000 + "</p>"),
        # Bug: _NUMBER_UNIT is quadratic on "1,1,1,…" (3 s for 24,000 characters, ~50 s here).
        ("keep_words_html", "<p>가 " + "1," * 50_000 + "</p>"),
    ],
)
def test_korean_text_processing_is_linear(function: str, html: str) -> None:
    import briefs.text.korean

    document = f'<html lang="ko"><body>{html}</body></html>'
    process = getattr(briefs.text.korean, function)
    args = (document, "ko") if function == "mark_languages_html" else (document,)
    within(0.5, process, *args)


# -- output paths -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "brief_id",
    [
        "../x",
        "..",
        "a/b",
        "/abs",
        "x\n",
        "A",
        "a_b",
        "-a",
        "a--b",
        "a" * 65,
        "ｘ",
        "a.b",
        "a b",
        "%2e%2e",
        "a\\b",
        "nul\0",
    ],
)
def test_brief_ids_are_slugs(
    brief_id: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    text = BASE_EN.replace("id: test-brief", "id: " + json.dumps(brief_id), 1)
    (tmp_path / "brief.yaml").write_text(text, "utf-8")
    code = run(["build", "brief.yaml", "--out", "out", "-f", "html"])
    err = capsys.readouterr().err
    assert code == 1
    assert "internal error" not in err
    assert err.startswith("brief.yaml:1:5: id: "), err
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*"))


@pytest.mark.parametrize(
    "relative", ["../x.html", "a/../../x.html", "/etc/passwd", "", ".", "a/..", "a/../..//x"]
)
def test_inside_refuses_paths_that_leave_the_folder(relative: str, tmp_path: Path) -> None:
    with pytest.raises(BriefError, match="refusing to write"):
        inside(tmp_path / "out", relative)


def test_inside_resolves_symlinks(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "out" / "minimal")
    with pytest.raises(BriefError, match="refusing to write"):
        inside(tmp_path / "out", "minimal/government.en.html")
    assert (
        inside(tmp_path / "out", "other/government.en.html")
        == (tmp_path / "out" / "other" / "government.en.html").resolve()
    )


def test_build_does_not_follow_a_symlink_out_of_the_output_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # An output folder checked out from a repository may hold a symlink a contributor added.
    monkeypatch.chdir(tmp_path)
    (tmp_path / "out").mkdir()
    (tmp_path / "elsewhere").mkdir()
    os.symlink(tmp_path / "elsewhere", tmp_path / "out" / "minimal")
    code = run(["build", str(MINIMAL), "--out", "out", "-f", "html", "-a", "government"])
    err = capsys.readouterr().err
    assert code == 1
    assert "refusing to write minimal/government." in err
    assert "internal error" not in err
    assert list((tmp_path / "elsewhere").iterdir()) == []


def test_audience_names_are_slugs(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Audience names become file names (<id>/<audience>.<lang>.html).
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "t" / "audiences"
    folder.mkdir(parents=True)
    (folder / "evil.yaml").write_text(
        "name: ../../evil\nlabel: Evil\nedition: Evil\nsections: [summary]\n", "utf-8"
    )
    code = run(["build", str(MINIMAL), "--out", "out", "-f", "html", "--templates", "t"])
    err = capsys.readouterr().err
    assert code == 1
    assert "internal error" not in err
    assert re.match(r"t/audiences/evil\.yaml:1:7: name: ", err), err
    assert not (tmp_path / "evil.en.html").exists()
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").rglob("*.html"))
