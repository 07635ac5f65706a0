"""Stage 5: an edition → one self-contained HTML document (for the browser or for the PDF).

The same templates produce both; ``e.target`` tells them which, so the PDF gets paged CSS
and the browser gets responsive CSS with ``word-break: keep-all``. For the PDF the text is
then passed through :func:`briefs.korean.keep_words_html`. Template failures — syntax, an
undefined name, an access the sandbox refuses — become a :class:`BriefError` naming the
template and its line.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from briefs import __version__
from briefs.assets import inline_images
from briefs.edition import Edition
from briefs.errors import BriefError, Diagnostic
from briefs.korean import keep_words_html, mark_languages_html


def render_edition(edition: Edition, env: SandboxedEnvironment) -> str:
    """Render ``edition`` with its profile's template."""
    html = render_template(
        env, edition.profile.template, e=edition, t=edition.t, version=__version__
    )
    html = mark_languages_html(html, edition.lang)
    if "<img" in html:
        html = inline_images(html, edition.folder)
    if edition.target == "pdf":
        html = keep_words_html(html)
    return html


MAX_OUTPUT = 50_000_000
"""Most characters one render may produce."""
MAX_SECONDS = 20.0
"""Longest one render may take (enforced in the main thread)."""


class _TooLong(Exception):
    pass


def render_template(env: SandboxedEnvironment, name: str, **context: Any) -> str:
    """Render template ``name`` within time and size bounds.

    Any failure — syntax, an undefined name, an access the sandbox refuses, too much time or
    output — becomes a :class:`BriefError` naming the template and its line.
    """
    try:
        template = env.get_template(name)
        with _time_limit(MAX_SECONDS):
            parts: list[str] = []
            size = 0
            for part in template.generate(**context):
                size += len(part)
                if size > MAX_OUTPUT:
                    raise SecurityError(f"template output exceeds {MAX_OUTPUT:,} characters")
                parts.append(part)
        return "".join(parts)
    except _TooLong as exc:
        where, line = _template_frame(exc, name)
        raise BriefError(
            Diagnostic(
                where,
                line,
                1 if line else 0,
                f"template took longer than {MAX_SECONDS:g} s",
                "look for runaway loops in your templates",
            )
        ) from None
    except BriefError:
        raise
    except TemplateNotFound as exc:
        raise BriefError(
            Diagnostic(
                name,
                0,
                0,
                f"template not found: {exc.name}",
                "check the profile's 'template' and your --templates folder",
            )
        ) from None
    except TemplateSyntaxError as exc:
        raise BriefError(
            Diagnostic(
                _template_path(env, exc.filename or exc.name or name),
                exc.lineno,
                1,
                f"template syntax error: {exc.message}",
            )
        ) from None
    except (
        TemplateError,
        ArithmeticError,
        TypeError,
        ValueError,
        AttributeError,
        KeyError,
        IndexError,
        RecursionError,
        MemoryError,
    ) as exc:
        where, line = _template_frame(exc, name)
        kind = type(exc).__name__
        message = str(exc).splitlines()[0] if str(exc) else kind
        raise BriefError(
            Diagnostic(where, line, 1 if line else 0, f"template error ({kind}): {message}")
        ) from None


@contextlib.contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    """Raise :class:`_TooLong` in the main thread after ``seconds`` (POSIX only)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(
        signal, "setitimer"
    ):
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise _TooLong

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _template_frame(exc: BaseException, name: str) -> tuple[str, int]:
    """The innermost template file and line in the traceback of ``exc``."""
    for frame in reversed(traceback.extract_tb(exc.__traceback__)):
        if frame.filename.endswith((".j2", ".html", ".css", ".svg")):
            return _display(frame.filename), frame.lineno or 0
    return name, 0


def _template_path(env: SandboxedEnvironment, filename: str) -> str:
    return _display(filename)


def _display(filename: str) -> str:
    try:
        return str(Path(filename).resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return filename
