"""The preview's HTTP side: the request handler, the threaded server and binding its socket.

Answers every request from the :class:`~briefs.serve.server.Preview`'s current snapshot:
the editions, the preview's own pages (:mod:`briefs.serve.pages`), the version as
Server-Sent Events, and the brief's own images and CSV files; nothing else.
"""

from __future__ import annotations

import contextlib
import errno
import ipaddress
import socket
import socketserver
import threading
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from briefs.errors import BriefError, Diagnostic
from briefs.serve.pages import (
    ASSET_CSP,
    EVENTS_PATH,
    OWN_PAGE_CSP,
    RELOAD_JS,
    RELOAD_SCRIPT_PATH,
    VERSION_PATH,
    error_page,
    index_page,
    not_found_page,
)

if TYPE_CHECKING:
    from briefs.serve.snapshot import Preview, Snapshot

_HEARTBEAT_SECONDS = 15.0


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
                self._send(HTTPStatus.OK, file.read_bytes(), kind, head, csp=ASSET_CSP)
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
            body = error_page(snapshot.error, snapshot.version)
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, body, _HTML, head, csp=OWN_PAGE_CSP)
        elif path in ("/", "/index.html"):
            self._send(HTTPStatus.OK, index_page(snapshot), _HTML, head, csp=OWN_PAGE_CSP)
        elif path in snapshot.pages:
            # The edition exactly as built, plus the reload script; no CSP of our own, so
            # the preview behaves as the built file does.
            self._send(HTTPStatus.OK, snapshot.pages[path], _HTML, head)
        else:
            body = not_found_page(snapshot.version)
            self._send(HTTPStatus.NOT_FOUND, body, _HTML, head, csp=OWN_PAGE_CSP)

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

    def __init__(self, address: tuple[str, int], preview: Preview, family: int) -> None:
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


def bind(host: str, port: int, preview: Preview) -> _HTTPServer:
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


def server_url(address: tuple[Any, ...]) -> str:
    host, port = str(address[0]), int(address[1])
    if host in ("0.0.0.0", ""):
        host = "127.0.0.1"
    elif host == "::":
        host = "::1"
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"
