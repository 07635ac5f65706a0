"""Hostile Markdown in a brief must not run, fetch or leak anything.

A finding body is filled with the usual ways of reading local files or reaching the network
from HTML (images, attachments, raw tags, scripts, event handlers, template syntax). The
brief is built to HTML and PDF, and we check that the secret file's contents are nowhere in
either output (raw bytes, decompressed PDF streams, attachments, extracted text), that a
loopback listener saw no connection, and that nothing executable survives in the HTML.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

import pikepdf
import pytest

from briefs.pdf.weasy import make_fetcher
from briefs.pipeline.build import BuildOptions, build_brief

SECRET = "TOPSECRET-7f3a9c-contents-of-the-secret-file"


@dataclass
class Listener:
    """A loopback TCP server that records every connection it accepts."""

    port: int
    connections: list[tuple[str, int]] = field(default_factory=list)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.settimeout(0.1)
    record = Listener(server.getsockname()[1])
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, address = server.accept()
            except (TimeoutError, OSError):
                continue
            record.connections.append(address)
            try:
                conn.settimeout(0.5)
                conn.recv(4096)
                conn.sendall(b"HTTP/1.0 404 Not Found\r\nContent-Length: 0\r\n\r\n")
            except OSError:
                pass
            finally:
                conn.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    # The listener really listens: a probe connection is recorded (then forgotten).
    with socket.create_connection(("127.0.0.1", record.port), timeout=2):
        pass
    for _ in range(50):
        if record.connections:
            break
        threading.Event().wait(0.02)
    assert record.connections, "the test listener does not accept connections"
    record.connections.clear()
    yield record
    stop.set()
    thread.join(timeout=2)
    server.close()


def hostile_body(secret: Path, port: int) -> str:
    """Markdown that tries every way in; indented for a YAML block scalar."""
    lines = [
        "Intro paragraph.",
        "",
        f'<img src="{secret}">',
        "",
        f"![x](file://{secret})",
        "",
        f'<link rel=attachment href="file://{secret}">',
        "",
        f"[attached](file://{secret}){{: rel=attachment }}",
        "",
        "[relative](../secret/secret.txt){: rel=attachment }",
        "",
        f"![y](http://127.0.0.1:{port}/x.png)",
        "",
        f'<img src="http://127.0.0.1:{port}/y.png">',
        "",
        f"![z](local.png){{: src=http://127.0.0.1:{port}/z.png }}",
        "",
        f"<object data='http://127.0.0.1:{port}/o'></object>",
        "",
        "<script>alert(1)</script>",
        "",
        '<a href="javascript:alert(1)">x</a> and [md link](javascript:alert(1))',
        "",
        '<p onclick="x()">clickable</p>',
        "",
        '![w](pic.png){: onerror="alert(1)" }',
        "",
        "Template: {{ 7*7 }} and {% for i in range(3) %}loop{% endfor %} and {# c #}.",
    ]
    return "\n".join(("        " + line) if line else "" for line in lines)


@dataclass
class Built:
    html: dict[str, str]
    pdf: dict[str, Path]
    warnings: list[str]
    secret: Path


@pytest.fixture(scope="module")
def hostile(
    tmp_path_factory: pytest.TempPathFactory, listener: Listener, minimal_text: str
) -> Built:
    base = tmp_path_factory.mktemp("hostile")
    secret_dir = base / "secret"
    secret_dir.mkdir()
    secret = secret_dir / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    brief_dir = base / "brief"
    brief_dir.mkdir()
    # An image inside the brief's folder that is a symlink to the secret.
    os.symlink(secret, brief_dir / "local.png")
    os.symlink(secret, brief_dir / "pic.png")

    body = hostile_body(secret, listener.port)
    old = (
        "    body:\n"
        "      ko: 고대역폭 메모리(HBM) 수요에 대한 우려가 커졌다[@src-b].\n"
        "      en: Concern about high-bandwidth memory (HBM) demand grew[@src-b].\n"
    )
    assert old in minimal_text
    new = f"    body:\n      ko: |\n        시장 충격.\n{body}\n      en: |\n{body}\n"
    text = minimal_text.replace(old, new)
    text = text.replace(
        "title: {ko: 시장 충격, en: Market shock}",
        "title: {ko: '시장 <script>x()</script>', en: 'Shock <b onclick=y()>'}",
    )
    path = brief_dir / "brief.yaml"
    path.write_text(text, encoding="utf-8")

    out = base / "out"
    result = build_brief(path, BuildOptions(out=out, audiences=["government"]))
    html = {
        o.lang: o.path.read_text(encoding="utf-8") for o in result.outputs if o.format == "html"
    }
    pdf = {o.lang: o.path for o in result.outputs if o.format == "pdf"}
    assert set(html) == set(pdf) == {"ko", "en"}
    return Built(html, pdf, [str(w) for w in result.warnings], secret)


LANGS = ["ko", "en"]


def test_listener_saw_no_connection(hostile: Built, listener: Listener) -> None:
    assert listener.connections == []


@pytest.mark.parametrize("lang", LANGS)
def test_html_does_not_contain_the_secret(hostile: Built, lang: str) -> None:
    assert SECRET not in hostile.html[lang]


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_bytes_do_not_contain_the_secret(hostile: Built, lang: str) -> None:
    data = hostile.pdf[lang].read_bytes()
    assert SECRET.encode() not in data
    with pikepdf.open(hostile.pdf[lang]) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream):
                assert SECRET.encode() not in obj.read_bytes()


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_has_no_attachments(hostile: Built, lang: str) -> None:
    with pikepdf.open(hostile.pdf[lang]) as pdf:
        assert len(pdf.attachments) == 0
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                assert annot.get("/Subtype") != "/FileAttachment"
                assert "/FS" not in annot


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_text_does_not_contain_the_secret(
    hostile: Built, lang: str, pdf_text: Callable[..., str], norm: Callable[[str], str]
) -> None:
    text = pdf_text(hostile.pdf[lang])
    assert SECRET not in text
    # The hostile text itself is shown, as text.
    assert "Template: {{ 7*7 }}" in norm(text)


@pytest.mark.parametrize("lang", LANGS)
def test_pdf_links_do_not_point_at_local_files(hostile: Built, lang: str) -> None:
    # A published PDF must not link into the builder's file system (file:///home/…): the
    # link is dead for every reader and leaks the author's folder layout.
    uris = []
    with pikepdf.open(hostile.pdf[lang]) as pdf:
        for page in pdf.pages:
            for annot in page.get("/Annots", []):
                action = annot.get("/A")
                if action is not None and "/URI" in action:
                    uris.append(str(action.URI))
    assert uris, "expected the source URL links at least"
    assert [u for u in uris if u.lower().startswith(("file:", "javascript:"))] == []


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str | None]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.tags


@pytest.mark.parametrize("lang", LANGS)
def test_html_has_nothing_that_runs(hostile: Built, lang: str) -> None:
    html = hostile.html[lang]
    assert "<script" not in html.lower()
    tags = elements(html)
    assert not [t for t, _ in tags if t in {"script", "object", "embed", "iframe", "link"}]
    for tag, attrs in tags:
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name, value)
            if name in {"href", "src", "data", "action", "formaction"} and value:
                assert not value.strip().lower().startswith(("javascript:", "file:", "data:")), (
                    tag,
                    name,
                    value,
                )


@pytest.mark.parametrize("lang", LANGS)
def test_html_shows_raw_html_as_text(
    hostile: Built, lang: str, html_text: Callable[..., str]
) -> None:
    # Raw HTML typed into a brief is escaped: a reader sees it as it was typed.
    visible = html_text(hostile.html[lang])
    assert "<script>alert(1)</script>" in visible
    assert '<a href="javascript:alert(1)">x</a>' in visible
    assert '<p onclick="x()">clickable</p>' in visible
    assert f'<link rel=attachment href="file://{hostile.secret}">' in visible


@pytest.mark.parametrize("lang", LANGS)
def test_html_images_point_only_next_to_the_brief(hostile: Built, lang: str) -> None:
    for tag, attrs in elements(hostile.html[lang]):
        if tag == "img" and attrs.get("src"):
            src = attrs["src"] or ""
            assert ":" not in src and not src.startswith("/") and ".." not in src, src


@pytest.mark.parametrize("lang", LANGS)
def test_template_syntax_is_shown_literally(
    hostile: Built, lang: str, html_text: Callable[..., str]
) -> None:
    visible = html_text(hostile.html[lang])
    assert "Template: {{ 7*7 }} and {% for i in range(3) %}loop{% endfor %} and {# c #}." in (
        visible
    )
    assert "Template: 49" not in visible
    assert "looploop" not in visible


def test_titles_are_escaped(hostile: Built, html_text: Callable[..., str]) -> None:
    assert "1. 시장 <script>x()</script>" in html_text(hostile.html["ko"])
    assert "1. Shock <b onclick=y()>" in html_text(hostile.html["en"])


# -- the PDF fetcher itself ----------------------------------------------------------------


@pytest.fixture
def roots(tmp_path: Path) -> tuple[Path, Path]:
    """(root, outside): a fetchable folder and a secret beside it."""
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "sub" / "ok.txt").write_text("inside", encoding="utf-8")
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_text(SECRET, encoding="utf-8")
    return root, outside


def read(response: object) -> bytes:
    data = response.read()  # type: ignore[attr-defined]
    response.close()  # type: ignore[attr-defined]
    return data if isinstance(data, bytes) else data.encode()


@pytest.mark.parametrize("scheme", ["http", "https", "ftp"])
def test_fetcher_refuses_network(scheme: str, roots: tuple[Path, Path], listener: Listener) -> None:
    fetcher = make_fetcher([roots[0]])
    with pytest.raises(Exception, match="does not fetch"):
        fetcher.fetch(f"{scheme}://127.0.0.1:{listener.port}/x.png")
    assert listener.connections == []


def test_fetcher_accepts_a_file_inside_its_root(roots: tuple[Path, Path]) -> None:
    root, _ = roots
    fetcher = make_fetcher([root])
    assert read(fetcher.fetch((root / "sub" / "ok.txt").as_uri())) == b"inside"


def test_fetcher_refuses_a_file_outside_its_roots(roots: tuple[Path, Path]) -> None:
    root, outside = roots
    fetcher = make_fetcher([root])
    with pytest.raises(Exception, match="does not fetch"):
        fetcher.fetch((outside / "secret.txt").as_uri())
    with pytest.raises(Exception, match="does not fetch"):
        fetcher.fetch("file:///etc/passwd")


@pytest.mark.parametrize(
    "tail",
    [
        "sub/../../outside/secret.txt",
        "%2e%2e/outside/secret.txt",
        "sub/%2E%2E/../outside/secret.txt",
    ],
)
def test_fetcher_refuses_dot_dot(tail: str, roots: tuple[Path, Path]) -> None:
    root, _ = roots
    fetcher = make_fetcher([root])
    with pytest.raises(Exception, match="does not fetch"):
        fetcher.fetch(root.as_uri() + "/" + tail)


def test_fetcher_refuses_a_symlink_out_of_its_root(roots: tuple[Path, Path]) -> None:
    root, outside = roots
    os.symlink(outside / "secret.txt", root / "link.png")
    os.symlink(outside, root / "linked-dir")
    fetcher = make_fetcher([root])
    with pytest.raises(Exception, match="does not fetch"):
        fetcher.fetch((root / "link.png").as_uri())
    with pytest.raises(Exception, match="does not fetch"):
        fetcher.fetch((root / "linked-dir" / "secret.txt").as_uri())


def test_fetcher_refuses_a_folder_with_the_roots_name_as_prefix(tmp_path: Path) -> None:
    root = tmp_path / "assets"
    root.mkdir()
    sibling = tmp_path / "assets-private"
    sibling.mkdir()
    (sibling / "secret.txt").write_text(SECRET, encoding="utf-8")
    fetcher = make_fetcher([root])
    with pytest.raises(Exception, match="does not fetch"):
        fetcher.fetch((sibling / "secret.txt").as_uri())


def test_fetcher_refuses_a_folder(roots: tuple[Path, Path]) -> None:
    root, _ = roots
    fetcher = make_fetcher([root])
    with pytest.raises(Exception, match="does not fetch"):
        fetcher.fetch((root / "sub").as_uri())


def test_fetcher_passes_data_urls(roots: tuple[Path, Path]) -> None:
    fetcher = make_fetcher([roots[0]])
    assert read(fetcher.fetch("data:text/plain;base64,aGVsbG8=")) == b"hello"
    assert read(fetcher.fetch("data:text/plain,hi%20there")) == b"hi there"
