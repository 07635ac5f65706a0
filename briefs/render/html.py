"""Stage 5: an edition → one self-contained HTML document (for the browser or for the PDF).

The same templates produce both; ``e.target`` tells them which, so the PDF gets paged CSS
and the browser gets responsive CSS with ``word-break: keep-all``. For the PDF the text is
then passed through :func:`briefs.text.korean.keep_words_html`. Template failures — syntax, an
undefined name, an access the sandbox refuses — become a :class:`BriefError` naming the
template and its line.
"""

from __future__ import annotations

import os
import pickle
import signal
import traceback
from pathlib import Path
from typing import Any

from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from briefs.check.assets import inline_images
from briefs.edition.edition import Edition
from briefs.errors import BriefError, Diagnostic
from briefs.limits import limit_memory, time_limit
from briefs.render.fonts import embed_fonts
from briefs.text.korean import keep_numbers_html, keep_words_html, mark_languages_html
from briefs.version import __version__


def render_edition(
    edition: Edition, env: SandboxedEnvironment, *, toc: bool = True, fonts: bool = True
) -> str:
    """Render ``edition`` with its profile's template (without the table of contents when
    ``toc`` is false); rendering the same edition again gives the same document.

    An HTML edition embeds the bundled faces, subset to its characters, unless ``fonts``
    is false (the caller embeds them, shared between editions: see
    :func:`briefs.render.fonts.embed_fonts_shared`)."""
    edition.start(toc=toc)
    html = render_template(
        env, edition.profile.template, e=edition, t=edition.t, version=__version__
    )
    html = mark_languages_html(html, edition.lang)
    if "<img" in html:
        html = inline_images(html, Path(edition.folder))
    # The browser keeps Korean words whole itself (keep-all); WeasyPrint needs joiners.
    if edition.target == "pdf":
        return keep_words_html(html)
    # The reader may have no Korean font: the HTML carries the glyphs it shows.
    html = keep_numbers_html(html)
    return embed_fonts(html) if fonts else html


MAX_OUTPUT = 50_000_000
"""Most characters one render may produce."""
MAX_SECONDS = 20.0
"""Longest one render may take (enforced in the main thread)."""


class TemplateOvertime(Exception):
    """A template's time is up: an ``Exception``, so that Jinja rewrites the traceback to
    the template's own lines (the message names the line that was running)."""


MAX_MEMORY = 1 << 30
"""Memory a render of user templates may add to the process (address space, bytes)."""


def render_template(env: SandboxedEnvironment, name: str, **context: Any) -> str:
    """Render template ``name`` within time, size and (for user templates) memory bounds.

    Any failure — syntax, an undefined name, an access the sandbox refuses, too much time,
    output or memory — becomes a :class:`BriefError` naming the template and its line.
    When the search path holds user templates, the render runs in a forked child whose
    address space is limited, so a template that builds a huge string fails cleanly
    instead of exhausting the machine.
    """
    if getattr(env, "untrusted", False) and hasattr(os, "fork"):
        return _render_in_child(env, name, context)
    return _render(env, name, context)


def _render_in_child(env: SandboxedEnvironment, name: str, context: dict[str, Any]) -> str:
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: render, send the result, exit without cleanup
        os.close(read_end)
        try:
            limit_memory(MAX_MEMORY)
            payload = b"ok" + _render(env, name, context).encode("utf-8")
        except BriefError as exc:
            payload = b"no" + pickle.dumps(exc)
        except BaseException as exc:
            error = BriefError(Diagnostic(name, 0, 0, f"template failed ({type(exc).__name__})"))
            payload = b"no" + pickle.dumps(error)
        with os.fdopen(write_end, "wb") as pipe:
            pipe.write(payload)
        os._exit(0)
    os.close(write_end)
    try:
        with os.fdopen(read_end, "rb") as pipe:
            payload = pipe.read()
    except BaseException:  # Ctrl-C or SIGTERM while the child renders: stop it too
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    if payload.startswith(b"ok"):
        return payload[2:].decode("utf-8")
    if payload.startswith(b"no"):
        error = pickle.loads(payload[2:])
        assert isinstance(error, BriefError)
        raise error
    raise BriefError(
        Diagnostic(
            name,
            0,
            0,
            f"template render died (status {status})",
            "it may have used too much memory",
        )
    )


def _render(env: SandboxedEnvironment, name: str, context: dict[str, Any]) -> str:
    try:
        template = env.get_template(name)
        with time_limit(MAX_SECONDS, TemplateOvertime):
            parts: list[str] = []
            size = 0
            for part in template.generate(**context):
                size += len(part)
                if size > MAX_OUTPUT:
                    raise SecurityError(f"template output exceeds {MAX_OUTPUT:,} characters")
                parts.append(part)
        return "".join(parts)
    except TemplateOvertime as exc:
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
