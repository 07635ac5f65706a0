"""Images a brief refers to: checked at validation, embedded into the outputs.

A Markdown image ``![alt](figures/map.png)`` must name a file inside the brief's own folder
(resolved through symlinks; no ``..`` escape, no absolute path, no URL), of a known type
judged by its content (PNG, JPEG or SVG), no larger than :data:`MAX_BYTES`. Outputs embed
it as a ``data:`` URL, so the HTML works offline and the PDF renderer never reads a path.
SVG is reduced first to drawing elements by the one SVG sanitiser
(:mod:`briefs.text.svg`): no scripts, handlers, external references, DOCTYPE or entities,
``<use>`` flattened and the element count bounded.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Iterator
from pathlib import Path

from briefs.errors import Diagnostic
from briefs.source import ReadError, Source, format_path, read_file, strings
from briefs.text.svg import SvgError, sanitize_svg

MAX_BYTES = 5_000_000
"""Largest image a brief may embed."""

_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_IMG_TAG = re.compile(r"""<img\b[^>]*?\ssrc="([^"]*)"[^>]*>""")
_ALT = re.compile(r'\salt="([^"]*)"')


def images(text: str) -> Iterator[tuple[int, str]]:
    """Each Markdown image in ``text``: the offset and text of its reference."""
    for match in _IMAGE.finditer(text):
        yield match.start(1), match.group(1)


class AssetError(ValueError):
    """Why an image cannot be used (the caller adds the position)."""


def check(source: Source) -> Iterator[Diagnostic]:
    """A positioned warning for every Markdown image that cannot be embedded (left out)."""
    folder = source.path.resolve().parent
    for path, text in strings(source.data):
        for match in _IMAGE.finditer(text):
            try:
                load(folder, match.group(1))
            except AssetError as exc:
                pos = source.locate(path, match.start(1))
                yield Diagnostic(
                    source.name,
                    pos.line,
                    pos.col,
                    f"{format_path(path)}: image {match.group(1)!r} left out: {exc}",
                    "put the image next to the brief (PNG, JPEG or SVG)",
                )


def load(folder: Path, reference: str) -> tuple[str, bytes]:
    """The media type and bytes of image ``reference`` inside ``folder``, checked."""
    try:
        return _load(folder, reference)
    except AssetError:
        raise
    except (OSError, RuntimeError, UnicodeError, RecursionError, ValueError) as exc:
        # Symlink loops, names too long, undecodable or absurdly nested SVG …
        raise AssetError(f"cannot be read ({type(exc).__name__})") from None


def _load(folder: Path, reference: str) -> tuple[str, bytes]:
    if re.match(r"[a-zA-Z][a-zA-Z0-9+.-]*:", reference) or reference.startswith(("/", "\\")):
        raise AssetError(
            "only files next to the brief can be used, not addresses or absolute paths"
        )
    try:
        data = read_file(folder / reference, limit=MAX_BYTES, root=folder)
    except ReadError as exc:
        raise AssetError(_asset_reason(exc)) from None
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", data
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", data
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:4096].lower():
        return "image/svg+xml", clean_svg(data)
    raise AssetError("not a PNG, JPEG or SVG image")


def _asset_reason(exc: ReadError) -> str:
    text = str(exc)
    if text.startswith("leads outside") or text.startswith("is outside"):
        return "the file is outside the brief's folder"
    if "No such file" in text or text == "not a regular file":
        return "no such file"
    return text.removeprefix("file is ")


def clean_svg(data: bytes) -> bytes:
    """An SVG reduced to drawing elements (:func:`briefs.text.svg.sanitize_svg`)."""
    try:
        return sanitize_svg(data.decode("utf-8", errors="strict")).document()
    except SvgError as exc:
        raise AssetError(str(exc)) from None


def inline_images(html: str, folder: Path) -> str:
    """Replace relative ``<img src>`` in ``html`` by ``data:`` URLs of the checked files."""

    def embed(match: re.Match[str]) -> str:
        src = match.group(1)
        if src.startswith("data:"):
            return match.group(0)
        try:
            kind, data = load(folder, src.replace("&amp;", "&"))
        except AssetError:
            # Validation warned with the position; keep the alt text, never the path.
            alt = _ALT.search(match.group(0))
            return f'<span class="missing-image">[{alt.group(1) if alt else ""}]</span>'
        encoded = base64.b64encode(data).decode("ascii")
        return match.group(0).replace(f'src="{src}"', f'src="data:{kind};base64,{encoded}"')

    return _IMG_TAG.sub(embed, html)
