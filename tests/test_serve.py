"""``briefs serve``: the live preview, started in a thread on a free port of 127.0.0.1.

Each test serves a copy of the fixture brief, fetches pages over loopback, changes files and
polls (for at most ``WAIT`` seconds) until the preview shows the change. One test drives
Debian's headless Chromium with playwright to see an open page reload by itself.
"""

from __future__ import annotations

import http.client
import queue
import re
import select
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from urllib.error import HTTPError
from urllib.parse import urlsplit

import pytest

from briefs.errors import BriefError
from briefs.pipeline.build import Project
from briefs.serve.server import EVENTS_PATH, RELOAD_SCRIPT_PATH, VERSION_PATH, serve
from tests.conformance import tools

WAIT = 10.0
"""Longest wait for the preview to show a change, in seconds."""
INVALID_YAML = "title: {ko: 최소, en: [Minimal\n"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35\x81"
    b"\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


@contextmanager
def running(brief: Path, templates: Path | None = None) -> Iterator[str]:
    """The preview of ``brief`` served in a thread; yields its URL, stops it on exit."""
    urls: queue.Queue[str] = queue.Queue()
    stop = threading.Event()
    errors: list[BaseException] = []

    def target() -> None:
        try:
            serve(brief, port=0, templates=templates, ready=urls.put, stop=stop)
        except BaseException as exc:
            errors.append(exc)
            urls.put("")

    thread = threading.Thread(target=target, name="test-serve")
    thread.start()
    try:
        url = urls.get(timeout=WAIT)
        assert url.startswith("http://127.0.0.1:"), (url, errors)
        yield url
    finally:
        stop.set()
        thread.join(timeout=WAIT)
        assert not thread.is_alive(), "serve() did not return after stop was set"
    if errors:
        raise errors[0]


def fetch(url: str) -> tuple[int, str]:
    """Status and text of ``url`` (error statuses too)."""
    try:
        with urllib.request.urlopen(url, timeout=WAIT) as response:
            return response.status, response.read().decode("utf-8")
    except HTTPError as error:
        with error:
            return error.code, error.read().decode("utf-8")


def raw_get(url: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes]:
    """GET ``path`` exactly as written (no client-side normalisation of ``..``)."""
    parts = urlsplit(url)
    assert parts.hostname == "127.0.0.1" and parts.port is not None
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=WAIT)
    try:
        connection.request("GET", path, headers=headers or {})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def wait_for(check: Callable[[], bool], what: str) -> float:
    """Poll ``check`` until it holds; the seconds it took. Fails after ``WAIT`` seconds."""
    start = time.monotonic()
    while not check():
        if time.monotonic() - start > WAIT:
            pytest.fail(f"waited {WAIT:.0f} s for {what}")
        time.sleep(0.05)
    return time.monotonic() - start


def retitle(brief: Path, title: str) -> None:
    """Give the fixture brief a new English title."""
    text = brief.read_text(encoding="utf-8")
    assert "en: Minimal brief}" in text
    brief.write_text(text.replace("en: Minimal brief}", f"en: {title}}}"), encoding="utf-8")


def test_serves_the_index_and_every_edition(brief_copy: Path) -> None:
    with running(brief_copy) as url:
        status, index = fetch(url)
        assert status == 200
        assert index.count('<a href="/') == 8
        for path in ("/government.ko.html", "/government.en.html", "/public.en.html"):
            assert f'href="{path}"' in index
        status, page = fetch(url + "government.en.html")
    assert status == 200
    # The page is the built edition plus one external script, added only when serving.
    project = Project()
    edition = project.edition(project.load(brief_copy), "government", "en", "html")
    built = project.render(edition)
    tag = re.search(
        rf'<script src="{RELOAD_SCRIPT_PATH}" data-version="[\w-]+" defer></script>\n', page
    )
    assert tag is not None
    assert page.replace(tag.group(0), "") == built
    assert RELOAD_SCRIPT_PATH not in built


def test_rebuilds_when_the_brief_changes(brief_copy: Path) -> None:
    with running(brief_copy) as url:
        status, before = fetch(url + "industry.en.html")
        assert status == 200 and "Minimal brief" in before
        _, version = fetch(url + VERSION_PATH.lstrip("/"))
        # A file that changes no page (notes, a build's output) reloads nothing.
        (brief_copy.parent / "notes.txt").write_text("to do\n", encoding="utf-8")
        time.sleep(0.5)
        retitle(brief_copy, "Retitled brief")
        wait_for(lambda: "Retitled brief" in fetch(url + "industry.en.html")[1], "the new title")
        token, count = version.strip().rsplit("-", 1)
        assert fetch(url + VERSION_PATH.lstrip("/"))[1] == f"{token}-{int(count) + 1}\n"
        assert "Minimal brief" not in fetch(url + "industry.en.html")[1]


def test_an_invalid_brief_shows_its_errors_and_the_server_keeps_running(
    brief_copy: Path,
) -> None:
    good = brief_copy.read_text(encoding="utf-8")
    with running(brief_copy) as url:
        brief_copy.write_text(INVALID_YAML, encoding="utf-8")
        wait_for(lambda: fetch(url + "government.ko.html")[0] == 500, "the error page")
        for path in ("", "government.ko.html", "public.en.html"):
            status, page = fetch(url + path)
            assert status == 500
            assert re.search(
                r"minimal\.yaml:1:21: the .{1,6}\[.{1,6} here is never closed", page
            ), page
            assert "Minimal brief" not in page  # never the last good build as if current
            assert RELOAD_SCRIPT_PATH in page

        # Messages are escaped: a field named like markup stays text.
        brief_copy.write_text(good.replace("series: T-1", '"<b>bold</b>": 1'), encoding="utf-8")
        wait_for(lambda: "unknown field" in fetch(url)[1], "the unknown-field error")
        page = fetch(url)[1]
        assert "minimal.yaml:2:1: &lt;b&gt;bold&lt;/b&gt;: unknown field" in page
        assert "<b>bold" not in page

        brief_copy.unlink()
        wait_for(lambda: "cannot read file" in fetch(url)[1], "the missing file")

        brief_copy.write_text(good, encoding="utf-8")
        wait_for(lambda: fetch(url + "government.en.html")[0] == 200, "the fixed brief")
        status, page = fetch(url + "government.en.html")
        assert status == 200 and "Minimal brief" in page


def test_rebuilds_when_a_template_changes(brief_copy: Path, tmp_path: Path) -> None:
    user = tmp_path / "my-templates"
    (user / "partials").mkdir(parents=True)
    colophon = user / "partials" / "colophon.html.j2"
    colophon.write_text("<p>colophon one</p>\n", encoding="utf-8")
    with running(brief_copy, templates=user) as url:
        assert "colophon one" in fetch(url + "public.ko.html")[1]
        colophon.write_text("<p>colophon two</p>\n", encoding="utf-8")
        wait_for(lambda: "colophon two" in fetch(url + "public.ko.html")[1], "the new template")
        # A broken template is an error page too, naming the template.
        colophon.write_text("<p>{% if %}</p>\n", encoding="utf-8")
        wait_for(lambda: fetch(url)[0] == 500, "the template error")
        assert "colophon.html.j2:1:1: template syntax error" in fetch(url)[1]


def test_serves_assets_of_the_brief_folder_and_nothing_else(
    brief_copy: Path, tmp_path: Path
) -> None:
    folder = brief_copy.parent
    (folder / "chart.png").write_bytes(PNG)
    (folder / "data").mkdir()
    (folder / "data" / "table.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    (folder / ".hidden.png").write_bytes(PNG)
    (tmp_path / "outside.png").write_bytes(PNG)
    (folder / "link.png").symlink_to(tmp_path / "outside.png")
    with running(brief_copy) as url:
        status, body = raw_get(url, "/chart.png")
        assert (status, body) == (200, PNG)
        status, body = raw_get(url, "/data/table.csv")
        assert (status, body) == (200, b"a,b\n1,2\n")
        for path in (
            "/../../etc/passwd",
            "/%2e%2e/%2e%2e/etc/passwd",
            "/..%2f..%2f..%2fetc%2fpasswd",
            "/%2E%2E/outside.png",
            "/../outside.png",
            "//etc/passwd",
            "/link.png",  # a link out of the folder
            "/.hidden.png",
            "/minimal.yaml",  # the brief itself is not an asset
            "/data",
            "/%ff.png",
            "/etc/passwd",
        ):
            status, body = raw_get(url, path)
            assert status == 404, (path, status)
            assert b"root:" not in body and body != PNG
        # Another site's name for 127.0.0.1 (DNS rebinding) gets nothing.
        assert raw_get(url, "/chart.png", {"Host": "attacker.example"})[0] == 403
        assert raw_get(url, "/chart.png", {"Host": f"localhost:{urlsplit(url).port}"})[0] == 200


def test_a_port_in_use_is_a_clear_error(brief_copy: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        with pytest.raises(
            BriefError, match=rf"cannot listen on 127\.0\.0\.1:{port}: the port is in use"
        ):
            serve(brief_copy, port=port)


def test_stopping_closes_open_connections(brief_copy: Path) -> None:
    """serve() returns at once, though a page listens for events and a client sends nothing."""
    with ExitStack() as cleanup:
        with running(brief_copy) as url:
            host, port = urlsplit(url).hostname, urlsplit(url).port
            assert host is not None and port is not None
            stream = http.client.HTTPConnection(host, port, timeout=WAIT)
            cleanup.callback(stream.close)
            stream.request("GET", EVENTS_PATH)
            response = stream.getresponse()
            cleanup.callback(response.close)
            assert response.getheader("Content-Type", "").startswith("text/event-stream")
            assert response.fp.readline() + response.fp.readline() == b"retry: 1000\n\n"
            event = b"".join(response.fp.readline() for _ in range(3))
            assert re.fullmatch(rb"event: version\ndata: [\w-]+\n\n", event), event
            idle = socket.create_connection((host, port), timeout=WAIT)
            cleanup.callback(idle.close)
            idle.sendall(b"GET / HTTP/1.0\r\n")  # and never the blank line ending the request
            time.sleep(0.2)  # for the server to take the connection
            stopping = time.monotonic()
        assert time.monotonic() - stopping < 3
        assert response.read() == b""
        assert idle.recv(100) == b""


def test_ctrl_c_stops_the_server_cleanly(
    brief_copy: Path, child_env: Callable[..., dict[str, str]]
) -> None:
    code = (
        "import sys; from pathlib import Path; from briefs.serve.server import serve; "
        "serve(Path(sys.argv[1]), port=0, ready=lambda url: print(url, flush=True)); "
        "print('returned', flush=True)"
    )
    command = [sys.executable, "-X", "dev", "-W", "error", "-c", code, str(brief_copy)]
    with subprocess.Popen(
        command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=child_env()
    ) as child:
        try:
            assert child.stdout is not None
            assert select.select([child.stdout], [], [], WAIT)[0], "no URL printed"
            url = child.stdout.readline().strip()
            assert fetch(url)[0] == 200
            child.send_signal(signal.SIGINT)
            out, err = child.communicate(timeout=WAIT)
        finally:
            if child.poll() is None:
                child.kill()
                child.communicate()
    assert (child.returncode, out, err) == (0, "returned\n", "")


def in_own_thread(work: Callable[[], None]) -> None:
    """Run ``work`` in a new thread and raise what it raised.

    Playwright's sync API refuses a thread whose asyncio loop runs, and the conformance tests
    keep one running in the main thread for the whole session.
    """
    raised: list[BaseException] = []

    def target() -> None:
        try:
            work()
        except BaseException as exc:  # pytest's fail and skip too
            raised.append(exc)

    thread = threading.Thread(target=target, name="test-serve-chromium")
    thread.start()
    thread.join(timeout=6 * WAIT)
    assert not thread.is_alive(), "the browser did not finish"
    if raised:
        raise raised[0]


def test_an_open_page_reloads_by_itself_in_chromium(brief_copy: Path) -> None:
    chromium = tools.chromium()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        tools.missing("the Python package playwright (the [test] extra)")
    good = brief_copy.read_text(encoding="utf-8")

    def browse(url: str) -> None:
        with (
            tempfile.TemporaryDirectory(prefix="briefs-chromium-") as profile,
            sync_playwright() as playwright,
        ):
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path=str(chromium),
                headless=True,
                args=tools.CHROMIUM_FLAGS,
            )
            try:
                page = context.new_page()
                problems: list[str] = []
                page.on("pageerror", lambda error: problems.append(str(error)))
                page.on(
                    "console",
                    lambda m: (
                        problems.append(m.text)
                        # The error page's 500 and /favicon.ico's 404 are logged; both expected.
                        if m.type == "error" and not m.text.startswith("Failed to load resource")
                        else None
                    ),
                )
                page.goto(url + "government.en.html", wait_until="load")
                assert "Minimal brief" in page.title()
                # Mark this document: a reload forgets the mark.
                page.evaluate("() => { window.briefsMark = 1; }")

                retitle(brief_copy, "Reloaded brief")
                page.wait_for_function(
                    "() => document.title.includes('Reloaded brief')", timeout=WAIT * 1000
                )
                assert page.evaluate("() => window.briefsMark") is None

                # An error shows in the open page, and fixing the file brings the brief back.
                brief_copy.write_text(INVALID_YAML, encoding="utf-8")
                page.wait_for_function(
                    "() => document.body.innerText.includes('is never closed')",
                    timeout=WAIT * 1000,
                )
                brief_copy.write_text(good, encoding="utf-8")
                page.wait_for_function(
                    "() => document.title.includes('Minimal brief')", timeout=WAIT * 1000
                )
                assert problems == []  # no script errors, no refusals by the pages' CSP
            finally:
                context.close()

    with running(brief_copy) as url:
        in_own_thread(lambda: browse(url))
