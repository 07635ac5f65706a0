"""Live preview: a brief's HTML editions on localhost, rebuilt and reloaded when a file changes.

:func:`serve` renders every HTML edition in memory, serves them with the standard library's
``ThreadingHTTPServer``, and watches the brief's folder and the template search path with
``watchfiles``. After each rebuild whose output changed, the build version goes up; a small
script, added to served pages only (never to built files), listens for it on Server-Sent
Events and reloads the page. An invalid brief or a broken template does not stop the server:
every page shows the positioned errors until the file is fixed.

Only the rendered editions, the index and the brief's own images and CSV files are served;
nothing else on the disk is reachable.

This module holds the preview's state: building, watching, and which files may be served.
The HTTP side is :mod:`briefs.serve.http`; the script and pages the preview writes itself
are :mod:`briefs.serve.pages`.
"""

from __future__ import annotations

import contextlib
import hashlib
import secrets
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from pathlib import Path

from watchfiles import DefaultFilter, watch

from briefs.edition.plan import summary_budget
from briefs.errors import BriefError, Diagnostic, display_path
from briefs.pipeline.build import BuildOptions, Project, plan
from briefs.render.fonts import embed_fonts_shared
from briefs.resources import search_path
from briefs.serve.http import bind, server_url
from briefs.serve.pages import EVENTS_PATH, RELOAD_JS, RELOAD_SCRIPT_PATH, VERSION_PATH, inject
from briefs.serve.snapshot import EditionLink, Snapshot

__all__ = [
    "ASSET_TYPES",
    "EVENTS_PATH",
    "RELOAD_JS",
    "RELOAD_SCRIPT_PATH",
    "VERSION_PATH",
    "EditionLink",
    "PreviewServer",
    "Snapshot",
    "serve",
]

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

_DEBOUNCE_MS = 800
_STEP_MS = 60
_WATCH_TIMEOUT_MS = 250


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
        self._httpd = bind(host, port, self)
        self.url = server_url(self._httpd.server_address)
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
            name: inject(page.decode(), version).encode() for name, page in built.pages.items()
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
    documents: list[tuple[str, str, str]] = []  # path, language, HTML without its fonts
    links: list[EditionLink] = []
    try:
        # A new project each time: profiles, labels and templates may have changed too.
        project = Project.for_path(brief, templates)
        validated = project.load(brief)
        warnings = list(validated.warnings)
        errors: list[BriefError] = []
        title = ""
        for audience, lang in plan(validated, BuildOptions(), project.profiles):
            edition = project.edition(validated, audience, lang, "html")
            link = EditionLink(audience, lang, edition.profile.text(edition.profile.edition, lang))
            title = title or edition.text(validated.brief.title)
            try:
                documents.append((link.path, lang, project.render(edition, fonts=False)))
            except BriefError as exc:
                errors.append(exc)
                continue
            links.append(link)
            if (warning := summary_budget(edition, validated.source)) is not None:
                warnings.append(warning)
        # One font subset per language, shared by its editions, as in a build.
        shared = embed_fonts_shared([(lang, document) for _, lang, document in documents])
        for (path, _, _), document in zip(documents, shared, strict=True):
            pages[path] = document.encode()
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


def _outermost(folders: Iterable[Path]) -> list[Path]:
    """Existing ``folders``, resolved, without any inside another (watching is recursive)."""
    found = list(dict.fromkeys(f.resolve() for f in folders if f.is_dir()))
    return [f for f in found if not any(f != o and f.is_relative_to(o) for o in found)]
