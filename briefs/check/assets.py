"""Images a brief refers to: checked at validation, embedded into the outputs.

A Markdown image (``![alt](figures/map.png)``, or ``![alt][map]`` with ``[map]: figures/map.png``
below it, or a raw ``<img src="figures/map.png">``) must name a file inside the brief's own folder
(resolved through symlinks; no ``..`` escape, no absolute path, no URL), of a known type
judged by its content (PNG, JPEG or SVG), no larger than :data:`MAX_BYTES`. Outputs embed
it as a ``data:`` URL, so the HTML works offline and the PDF renderer never reads a path.
SVG is reduced first to drawing elements by the one SVG sanitiser
(:mod:`briefs.text.svg`): no scripts, handlers, external references, DOCTYPE or entities,
``<use>`` flattened and the element count bounded.
"""

from __future__ import annotations

import base64
import io
import re
import warnings
from collections.abc import Iterator
from pathlib import Path

from briefs.errors import Diagnostic
from briefs.source import ReadError, Source, format_path, read_file, strings
from briefs.text.svg import SvgError, sanitize_svg

MAX_BYTES = 5_000_000
"""Largest image a brief may embed."""
MAX_PIXELS = 40_000_000
"""Most pixels one PNG or JPEG may have (8000 × 5000): a small file can decode to gigabytes."""
MAX_BRIEF_PIXELS = 100_000_000
"""Most pixels all of a brief's images may have together."""

_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
_IMG_TAG = re.compile(r"""<img\b[^>]*?\ssrc="([^"]*)"[^>]*>""")
_ALT = re.compile(r'\salt="([^"]*)"')
_IMAGE_BY_LABEL = re.compile(r"!\[((?:[^\]\\]|\\.)*)\](?!\()(?:\[((?:[^\]\\]|\\.)*)\])?")
"""``![alt][label]``, ``![label][]`` and ``![label]``: an image whose address is defined apart."""
_DEFINITION = re.compile(r"""^ {0,3}\[((?:[^\]\\]|\\.)+)\]:[ \t]*(?:<([^>\n]*)>|(\S+))""", re.M)
"""A link reference definition, ``[label]: address``, on a line of its own."""
_RAW_IMG = re.compile(r"""<img\b[^>]*?\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.I)


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def images(text: str) -> Iterator[tuple[int, str]]:
    """Each image in the Markdown ``text``: the offset and text of the address it names.

    Inline images, images whose address is a reference definition (the definition's
    address is given, at its offset) and raw ``<img>`` tags, in the order they come.
    """
    found: list[tuple[int, str]] = []
    for match in _IMAGE.finditer(text):
        found.append((match.start(1), match.group(1)))
    definitions: dict[str, tuple[int, str]] = {}
    for match in _DEFINITION.finditer(text):
        group = 2 if match.group(2) is not None else 3
        definitions.setdefault(_label(match.group(1)), (match.start(group), match.group(group)))
    if definitions:
        used = {
            _label(match.group(2) or match.group(1)) for match in _IMAGE_BY_LABEL.finditer(text)
        }
        found += [definitions[label] for label in used if label in definitions]
    for match in _RAW_IMG.finditer(text):
        group = next(g for g in (1, 2, 3) if match.group(g) is not None)
        found.append((match.start(group), match.group(group)))
    yield from sorted(set(found))


class AssetError(ValueError):
    """Why an image cannot be used (the caller adds the position)."""


class TooManyPixels(AssetError):
    """An image (or a brief's images together) over the pixel limits: an error, not a
    warning, since what decodes to gigabytes is a bomb rather than a slip."""


def check(source: Source) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Warnings for Markdown images that cannot be embedded (they are left out), and errors
    for images over the pixel limits, each positioned at its reference."""
    folder = source.path.resolve().parent
    warnings: list[Diagnostic] = []
    errors: list[Diagnostic] = []
    total = 0
    for path, text in strings(source.data):
        for offset, reference in images(text):
            pos = source.locate(path, offset)
            where = f"{format_path(path)}: image {reference!r}"
            try:
                kind, data = load(folder, reference)
                total += pixels(data) if kind != "image/svg+xml" else 0
                if total > MAX_BRIEF_PIXELS:
                    raise TooManyPixels(
                        f"the brief's images have more than {MAX_BRIEF_PIXELS:,} pixels together"
                    )
            except TooManyPixels as exc:
                errors.append(
                    Diagnostic(
                        source.name,
                        pos.line,
                        pos.col,
                        f"{where}: {exc}",
                        "scale the image down (a brief's figures need 2000 pixels across)",
                    )
                )
            except AssetError as exc:
                warnings.append(
                    Diagnostic(
                        source.name,
                        pos.line,
                        pos.col,
                        f"{where} left out: {exc}",
                        "put the image next to the brief (PNG, JPEG or SVG)",
                    )
                )
    return warnings, errors


def pixels(data: bytes) -> int:
    """The pixels a PNG or JPEG decodes to, read from its header (nothing is decoded).

    Pillow's own bomb check becomes an :class:`AssetError` here instead of a warning on
    stderr (one such warning printed a megabyte of ``data:`` URL).
    """
    from PIL import Image

    with warnings.catch_warnings():
        # Our own limit, lower than Pillow's, is checked below, with the image's size.
        warnings.simplefilter("ignore", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as image:
                width, height = image.size
                frames = int(getattr(image, "n_frames", 1) or 1)
        except Image.DecompressionBombError:
            raise TooManyPixels(f"more than {MAX_PIXELS:,} pixels") from None
        except (OSError, SyntaxError, ValueError, EOFError):
            raise AssetError("cannot be read as an image") from None
    count = width * height * frames
    if count > MAX_PIXELS:
        raise TooManyPixels(
            f"{width:,} × {height:,} pixels{f' × {frames} frames' if frames > 1 else ''}; "
            f"the limit is {MAX_PIXELS:,}"
        )
    return count


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
        pixels(data)
        return "image/png", data
    if data.startswith(b"\xff\xd8\xff"):
        pixels(data)
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
