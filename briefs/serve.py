"""Live preview: a brief's HTML editions on localhost, rebuilt and reloaded when a file changes.

:func:`serve` renders every HTML edition in memory, serves them with the standard library's
``ThreadingHTTPServer``, and watches the brief's folder and the template search path with
``watchfiles``. After each rebuild whose output changed, the build version goes up; a small
script, added to served pages only (never to built files), listens for it on Server-Sent
Events and reloads the page. An invalid brief or a broken template does not stop the server:
every page shows the positioned errors until the file is fixed.

Only the rendered editions, the index and the brief's own images and CSV files are served;
nothing else on the disk is reachable.
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import html
import ipaddress
import re
import secrets
import socket
import socketserver
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from watchfiles import DefaultFilter, watch

from briefs.build import BuildOptions, Project, plan
from briefs.errors import BriefError, Diagnostic, display_path
from briefs.plan import summary_budget
from briefs.templates import search_path

RELOAD_SCRIPT_PATH = "/__briefs/reload.js"
EVENTS_PATH = "/__briefs/events"
VERSION_PATH = "/__briefs/version"
ASSET_TYPES: Mapping[str, str] = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".avif": "image/avif",
    ".svg": "image/svg+xml",
    ".csv": "text/csv; charset=utf-8",
}
"""The files of the brief's folder that are served (what its Markdown may show), by suffix."""

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
_OWN_PAGE_CSP = (
    "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)
_ASSET_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
_HEARTBEAT_SECONDS = 15.0
_DEBOUNCE_MS = 800
_STEP_MS = 60
_WATCH_TIMEOUT_MS = 250


@dataclass(frozen=True)
class EditionLink:
    """One edition listed on the index page."""

    audience: str
    lang: str
    name: str
    """The edition's name in its language (정부·정책결정자용)."""

    @property
    def path(self) -> str:
        """Its URL path: ``/<audience>.<lang>.html``."""
        return f"/{self.audience}.{self.lang}.html"


@dataclass(frozen=True)
class Snapshot:
    """One build of the preview: what every request is answered from until the next one."""

    version: str
    """Changes whenever the output changes; open pages reload when it does."""
    title: str = ""
    """The brief's title (empty when the build failed)."""
    editions: tuple[EditionLink, ...] = ()
    """Every edition, in build order."""
    pages: Mapping[str, bytes] = field(default_factory=dict)
    """HTML of each edition by URL path, as served (with the reload script)."""
    error: BriefError | None = None
    """Why the build failed; then every page shows it."""
    warnings: tuple[Diagnostic, ...] = ()
    """Problems that did not stop the build."""


def serve(
    brief: Path,
    *,
    port: int = 8000,
    host: str = "127.0.0.1",
    templates: Path | None = None,
    ready: Callable[[str], None] | None = None,
    stop: threading.Event | None = None,
    on_build: Callable[[Snapshot], None] | None = None,
) -> None:
    """Serve the HTML editions of ``brief`` until ``stop`` is set or Ctrl-C is pressed.

    ``ready`` is called with the index URL (``http://127.0.0.1:PORT/``, the real port when
    ``port`` is 0) once the first build is served. ``on_build`` is called, in the watcher's
    thread, with each build whose output changed, the first one included; a failed build has
    ``snapshot.error``. Raises :class:`BriefError` when the port cannot be used or the files
    cannot be watched; bad input never stops the server. Returns after closing every
    connection and thread (Ctrl-C returns normally too).
    """
    server = PreviewServer(brief, port=port, host=host, templates=templates, on_build=on_build)
    server.run(ready=ready, stop=stop)


class PreviewServer:
    """The preview of one brief: the listening socket, the current build and the watcher.

    Binding happens in the constructor, so a port in use fails before anything else; call
    :meth:`run` to serve (it closes the socket when it returns).
    """

    def __init__(
        self,
        brief: Path,
        *,
        port: int = 8000,
        host: str = "127.0.0.1",
        templates: Path | None = None,
        on_build: Callable[[Snapshot], None] | None = None,
    ) -> None:
        self.brief = Path(brief)
        self.folder = self.brief.resolve().parent
        """The brief's folder: its assets are served from here, and only from here."""
        if not self.folder.is_dir():
            raise BriefError(Diagnostic(str(brief), 0, 0, "the brief's folder does not exist"))
        self.templates = templates
        self.watched = _outermost([self.folder, *search_path(templates)])
        """Folders whose changes rebuild the preview: the brief's and the template path."""
        self._on_build = on_build
        self._token = secrets.token_hex(4)
        self._count = 0
        self._fingerprint = ""
        self._changed = threading.Condition()
        self._build_lock = threading.Lock()
        self._snapshot = Snapshot(self._next_version())
        self._closing = False
        self._httpd = _bind(host, port, self)
        self.url = _url(self._httpd.server_address)
        """The index page's URL."""

    # -- building -----------------------------------------------------------------------

    def snapshot(self) -> Snapshot:
        """The build every request is currently answered from."""
        return self._snapshot

    def rebuild(self, *, assets_changed: bool = False) -> Snapshot:
        """Build every HTML edition again; publish it under a new version if anything changed.

        Never raises for bad input: a :class:`BriefError` (or an unexpected exception, shown
        as an internal error) becomes the snapshot's ``error``.
        """
        with self._build_lock:
            return self._rebuild(assets_changed)

    def _rebuild(self, assets_changed: bool) -> Snapshot:
        built = _render_all(self.brief, self.templates)
        digest = hashlib.sha256(str(built.error or "").encode())
        for name, page in sorted(built.pages.items()):
            digest.update(f"\0{name}\0{len(page)}\0".encode() + page)
        if digest.hexdigest() == self._fingerprint and not assets_changed:
            return self._snapshot  # the same output: open pages need no reload
        self._fingerprint = digest.hexdigest()
        version = self._next_version()
        pages = {
            name: _inject(page.decode(), version).encode() for name, page in built.pages.items()
        }
        snapshot = replace(built, version=version, pages=pages)
        with self._changed:
            self._snapshot = snapshot
            self._changed.notify_all()
        if self._on_build is not None:
            self._on_build(snapshot)
        return snapshot

    def _next_version(self) -> str:
        # The token keeps a page from an earlier server run from matching a fresh count.
        self._count += 1
        return f"{self._token}-{self._count}"

    def wait_for_version(self, seen: str | None, timeout: float) -> str | None:
        """The current version once it differs from ``seen`` (or after ``timeout``).

        ``None`` when the server is closing.
        """
        with self._changed:
            self._changed.wait_for(
                lambda: self._closing or self._snapshot.version != seen, timeout=timeout
            )
            return None if self._closing else self._snapshot.version

    # -- running ------------------------------------------------------------------------

    def run(
        self,
        *,
        ready: Callable[[str], None] | None = None,
        stop: threading.Event | None = None,
    ) -> None:
        """Watch, build and serve until ``stop`` is set or Ctrl-C; then close everything."""
        stop = stop or threading.Event()
        started = threading.Event()
        failure: list[BaseException] = []
        watcher = threading.Thread(
            target=self._watch,
            args=(stop, started, failure),
            name="briefs-serve-watch",
        )
        http = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.1},
            name="briefs-serve-http",
        )
        try:
            watcher.start()
            while not started.wait(0.1):
                if stop.is_set():
                    break
            if not failure and not stop.is_set():
                http.start()
                if ready is not None:
                    ready(self.url)
                # A timed wait: Ctrl-C interrupts it on every platform.
                while not stop.wait(0.25):
                    pass
        except KeyboardInterrupt:
            pass
        finally:
            stop.set()
            if http.is_alive():
                self._httpd.shutdown()
                http.join()
            self.close()
            if watcher.is_alive():
                watcher.join()
        if failure:
            if isinstance(failure[0], OSError):  # a folder gone, too many watches…
                folders = ", ".join(display_path(p) for p in self.watched)
                raise BriefError(f"cannot watch {folders} for changes: {failure[0]}")
            raise failure[0]

    def close(self) -> None:
        """Close the socket and every connection (:meth:`run` does it when it returns)."""
        with self._changed:
            self._closing = True
            self._changed.notify_all()
        self._httpd.close_connections()
        self._httpd.server_close()

    def _watch(
        self, stop: threading.Event, started: threading.Event, failure: list[BaseException]
    ) -> None:
        """Build once the watcher is live (so no change is missed), then on every change."""
        try:
            changes_of = watch(
                *self.watched,
                watch_filter=DefaultFilter(),
                debounce=_DEBOUNCE_MS,
                step=_STEP_MS,
                stop_event=stop,
                rust_timeout=_WATCH_TIMEOUT_MS,
                yield_on_timeout=True,
                raise_interrupt=False,
            )
            with contextlib.closing(changes_of):
                for changes in changes_of:
                    if not started.is_set():
                        self.rebuild()
                        started.set()
                    elif changes:
                        assets = any(Path(p).suffix.lower() in ASSET_TYPES for _, p in changes)
                        self.rebuild(assets_changed=assets)
        except Exception as exc:  # raised again by run(), in the caller's thread
            failure.append(exc)
            stop.set()
        finally:
            started.set()

    # -- answering ----------------------------------------------------------------------

    def asset(self, url_path: str) -> tuple[Path, str] | None:
        """The file of the brief's folder that ``url_path`` names, and its type, if served.

        Only files with a suffix of :data:`ASSET_TYPES`, no hidden names or ``..``, and only
        when the resolved file (symbolic links followed) is inside the brief's folder.
        """
        parts = url_path.lstrip("/").split("/")
        if any(not p or p.startswith(".") or "\\" in p or "\0" in p for p in parts):
            return None
        kind = ASSET_TYPES.get(Path(parts[-1]).suffix.lower())
        if kind is None:
            return None
        try:
            path = self.folder.joinpath(*parts).resolve()
        except (OSError, RuntimeError):
            return None
        if not path.is_relative_to(self.folder) or not path.is_file():
            return None
        return path, kind


def _render_all(brief: Path, templates: Path | None) -> Snapshot:
    """Every HTML edition of ``brief`` as built (no version yet), or why it cannot be built."""
    pages: dict[str, bytes] = {}
    links: list[EditionLink] = []
    try:
        # A new project each time: profiles, labels and templates may have changed too.
        project = Project(templates)
        validated = project.load(brief)
        warnings = list(validated.warnings)
        errors: list[BriefError] = []
        title = ""
        for audience, lang in plan(validated, BuildOptions(), project.profiles):
            edition = project.edition(validated, audience, lang, "html")
            link = EditionLink(audience, lang, edition.profile.text(edition.profile.edition, lang))
            title = title or edition.text(validated.brief.title)
            try:
                pages[link.path] = project.render(edition).encode()
            except BriefError as exc:
                errors.append(exc)
                continue
            links.append(link)
            if (warning := summary_budget(edition, validated.source)) is not None:
                warnings.append(warning)
        if errors:
            # Each edition reports the same broken template: say it once.
            unique = list(dict.fromkeys(d for e in errors for d in e.diagnostics))
            raise BriefError(unique)
    except BriefError as exc:
        return Snapshot("", error=exc)
    except Exception as exc:  # a bug in briefs: keep serving all the same, and say so
        message = f"internal error: {type(exc).__name__}: {exc} (please report it)"
        return Snapshot("", error=BriefError(Diagnostic(str(brief), 0, 0, message)))
    return Snapshot("", title, tuple(links), pages, None, tuple(warnings))


def _inject(page: str, version: str) -> str:
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
    return _inject(page, version).encode()


def _index_page(snapshot: Snapshot) -> bytes:
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


def _error_page(error: BriefError, version: str) -> bytes:
    items = "\n".join(f"<li>{html.escape(str(d))}</li>" for d in error.diagnostics)
    body = (
        "<h1>The brief cannot be built</h1>\n"
        f'<ul class="errors">\n{items}\n</ul>\n'
        "<p>Fix the file and save it: this page reloads by itself.</p>"
    )
    return _own_page("Preview: the brief cannot be built", body, version)


def _not_found_page(version: str) -> bytes:
    body = '<h1>Not found</h1>\n<p><a href="/">All editions of the brief</a></p>'
    return _own_page("Preview: not found", body, version)


# -- HTTP ---------------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: _HTTPServer
    # HTTP/1.0: one request per connection, so only event streams stay open.
    protocol_version = "HTTP/1.0"
    timeout = 60  # a client that sends nothing does not hold a thread for ever

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def log_message(self, format: str, *args: Any) -> None:
        """Library code never prints; the CLI reports builds through ``on_build``."""

    def _answer(self, *, head: bool) -> None:
        preview = self.server.preview
        try:
            if not self._host_allowed():
                self._send(HTTPStatus.FORBIDDEN, b"unexpected Host header\n", "text/plain", head)
                return
            try:
                path = unquote(self.path.split("?", 1)[0].split("#", 1)[0], errors="strict")
            except UnicodeDecodeError:
                path = ""  # names no page nor file: not found
            snapshot = preview.snapshot()
            if path == EVENTS_PATH and not head:
                self._events()
            elif path == RELOAD_SCRIPT_PATH:
                self._send(HTTPStatus.OK, RELOAD_JS, "text/javascript; charset=utf-8", head)
            elif path == VERSION_PATH:
                body = snapshot.version.encode() + b"\n"
                self._send(HTTPStatus.OK, body, "text/plain; charset=utf-8", head)
            elif path in ("/", "/index.html") or path.endswith(".html"):
                self._page(path, snapshot, head)
            elif (found := preview.asset(path)) is not None:
                file, kind = found
                self._send(HTTPStatus.OK, file.read_bytes(), kind, head, csp=_ASSET_CSP)
            else:
                self._send(HTTPStatus.NOT_FOUND, b"not found\n", "text/plain", head)
        except (ConnectionError, TimeoutError):
            pass  # the client went away
        except Exception as exc:  # never let one request take the server down
            body = f"internal error: {type(exc).__name__}: {exc}\n".encode()
            with contextlib.suppress(OSError):
                self._send(HTTPStatus.INTERNAL_SERVER_ERROR, body, "text/plain", head)

    def _page(self, path: str, snapshot: Snapshot, head: bool) -> None:
        if snapshot.error is not None:
            body = _error_page(snapshot.error, snapshot.version)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, body, _HTML, head, csp=_OWN_PAGE_CSP)
        elif path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, _index_page(snapshot), _HTML, head, csp=_OWN_PAGE_CSP)
        elif path in snapshot.pages:
            # The edition exactly as built, plus the reload script; no CSP of our own, so
            # the preview behaves as the built file does.
            self._send(HTTPStatus.OK, snapshot.pages[path], _HTML, head)
        else:
            body = _not_found_page(snapshot.version)
            self._send(HTTPStatus.NOT_FOUND, body, _HTML, head, csp=_OWN_PAGE_CSP)

    def _events(self) -> None:
        """Server-Sent Events: the current version now, then each new one as it comes."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(b"retry: 1000\n\n")
        seen: str | None = None
        while True:
            version = self.server.preview.wait_for_version(seen, _HEARTBEAT_SECONDS)
            if version is None:
                return
            if version == seen:
                self.wfile.write(b": keep-alive\n\n")  # finds clients that went away
            else:
                self.wfile.write(f"event: version\ndata: {version}\n\n".encode())
                seen = version

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str,
        head: bool,
        *,
        csp: str | None = None,
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        if csp is not None:
            self.send_header("Content-Security-Policy", csp)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _host_allowed(self) -> bool:
        """On a loopback address, only loopback names: no page elsewhere can read the preview
        through a name that resolves to 127.0.0.1 (DNS rebinding)."""
        if not self.server.loopback:
            return True
        host = self.headers.get("Host")
        if host is None:
            return True
        if host.startswith("["):
            name = host[1:].split("]", 1)[0]
        else:
            name = host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return name.lower() in {"localhost", "127.0.0.1", "::1", self.server.host.lower()}


_HTML = "text/html; charset=utf-8"


class _HTTPServer(ThreadingHTTPServer):
    # Handler threads are joined on close; open connections are shut first so none hangs.
    daemon_threads = False
    block_on_close = True

    def __init__(self, address: tuple[str, int], preview: PreviewServer, family: int) -> None:
        self.preview = preview
        self.host = address[0]
        self.address_family = socket.AddressFamily(family)
        self._open: set[socket.socket] = set()
        self._open_lock = threading.Lock()
        super().__init__(address, _Handler)
        try:
            self.loopback = ipaddress.ip_address(str(self.server_address[0])).is_loopback
        except ValueError:
            self.loopback = False

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks up the host's FQDN, which can stall without DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name = self.host
        self.server_port = int(self.server_address[1])

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._open_lock:
            self._open.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._open_lock:
            self._open.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """Shut every open connection, so that its handler thread ends."""
        with self._open_lock:
            for request in self._open:
                with contextlib.suppress(OSError):
                    request.shutdown(socket.SHUT_RDWR)

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Handlers answer their own errors; a client that went away is no news."""


def _bind(host: str, port: int, preview: PreviewServer) -> _HTTPServer:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        return _HTTPServer((host, port), preview, family)
    except OSError as exc:
        where = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
        if exc.errno == errno.EADDRINUSE:
            raise BriefError(
                Diagnostic(
                    "briefs serve",
                    0,
                    0,
                    f"cannot listen on {where}: the port is in use",
                    "stop the other server, or pick another port with --port "
                    "(--port 0 picks a free one)",
                )
            ) from None
        if exc.errno == errno.EACCES:
            hint = "ports below 1024 need privileges: use --port 8000 or higher"
            message = f"cannot listen on {where}: permission denied"
            raise BriefError(Diagnostic("briefs serve", 0, 0, message, hint)) from None
        raise BriefError(
            Diagnostic("briefs serve", 0, 0, f"cannot listen on {where}: {exc.strerror or exc}")
        ) from None


def _url(address: tuple[Any, ...]) -> str:
    host, port = str(address[0]), int(address[1])
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _outermost(folders: Iterable[Path]) -> list[Path]:
    """Existing ``folders``, resolved, without any inside another (watching is recursive)."""
    found = list(dict.fromkeys(f.resolve() for f in folders if f.is_dir()))
    return [f for f in found if not any(f != o and f.is_relative_to(o) for o in found)]
