"""Images a brief refers to: checked at validation, embedded into the outputs.

A Markdown image ``![alt](figures/map.png)`` must name a file inside the brief's own folder
(resolved through symlinks; no ``..`` escape, no absolute path, no URL), of a known type
judged by its content (PNG, JPEG or SVG), no larger than :data:`MAX_BYTES`. Outputs embed
it as a ``data:`` URL, so the HTML works offline and the PDF renderer never reads a path.
SVG is cleaned first: no scripts, event handlers, external references, DOCTYPE or
entities.
"""

from __future__ import annotations

import base64
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

from briefs.errors import Diagnostic
from briefs.source import Source, format_path, strings

MAX_BYTES = 5_000_000
"""Largest image a brief may embed."""

_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_IMG_TAG = re.compile(r"""<img\b[^>]*?\ssrc="([^"]*)"[^>]*>""")
_ALT = re.compile(r'\salt="([^"]*)"')
_SVG_NS = "http://www.w3.org/2000/svg"
_XLINK = "{http://www.w3.org/1999/xlink}href"
_DROP = {
    "script",
    "foreignObject",
    "iframe",
    "object",
    "embed",
    "audio",
    "video",
    "handler",
    "listener",
    "image",
    "feImage",
    "style",
    "animate",
    "animateMotion",
    "animateTransform",
    "set",
    "discard",
}


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
    root = folder.resolve()
    path = (root / reference).resolve()
    if not path.is_relative_to(root):
        raise AssetError("the file is outside the brief's folder")
    if not path.is_file():
        raise AssetError("no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise AssetError(f"{size:,} bytes; the limit is {MAX_BYTES:,}")
    data = path.read_bytes()
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png", data
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg", data
    head = data[:1024].lstrip().lower()
    if head.startswith((b"<?xml", b"<svg", b"<!--")) and b"<svg" in data[:4096].lower():
        return "image/svg+xml", clean_svg(data)
    raise AssetError("not a PNG, JPEG or SVG image")


def clean_svg(data: bytes) -> bytes:
    """An SVG without scripts, handlers, external references, DOCTYPE or entities."""
    text = data.decode("utf-8", errors="strict")
    if re.search(r"<!DOCTYPE|<!ENTITY", text, re.IGNORECASE):
        raise AssetError("SVG with a DOCTYPE or entities is not accepted")
    try:
        root = ET.fromstring(text)
    except ET.ParseError as exc:
        raise AssetError(f"SVG does not parse: {exc}") from None
    if root.tag not in (f"{{{_SVG_NS}}}svg", "svg"):
        raise AssetError("the file is not an SVG image")
    _clean(root)
    ET.register_namespace("", _SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    cleaned: bytes = ET.tostring(root, encoding="utf-8")
    return cleaned


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _unsafe_attribute(name: str, value: str) -> bool:
    """Event handlers, links out of the document, styles, and url() not to a local #id."""
    local = _local(name).lower()
    if local.startswith("on") or local == "style" or "\\" in value:
        return True
    if (local == "href" or name == _XLINK) and not value.startswith("#"):
        return True
    return "url(" in value.lower() and not re.fullmatch(r"url\(\s*#[\w-]+\s*\)", value.strip())


def _clean(element: ET.Element) -> None:
    for child in list(element):
        if _local(child.tag) in _DROP:
            element.remove(child)
            continue
        _clean(child)
    for name in list(element.attrib):
        if _unsafe_attribute(name, element.attrib[name]):
            del element.attrib[name]


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
