"""Stage 1: read a brief's YAML safely, keeping where every value came from.

PyYAML's safe loader is the base, but we build Python values from the node tree ourselves so
that we can (a) remember the line and column of every key and value, (b) reject duplicate keys
and custom tags at their position, and (c) bound alias expansion, nesting depth and file size,
so a "billion laughs" file fails fast instead of eating the machine.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import os
import re
import stat
import unicodedata
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from briefs.errors import BriefError, Diagnostic, display_path

MAX_BYTES = 2_000_000
"""Largest brief file accepted; real briefs are tens of kilobytes."""
MAX_NODES = 200_000
"""Most values a file may expand to, aliases counted each time they are used."""
MAX_CHARS = 20_000_000
"""Most characters of text a file may expand to, aliases counted each time they are used."""
MAX_DEPTH = 64
"""Deepest nesting of mappings and lists."""


def line_starts(text: str) -> list[int]:
    """Offsets of the starts of the lines of ``text``, lines ending at \\n only."""
    return [0, *(m.end() for m in re.finditer("\n", text))]


def position(starts: list[int], index: int) -> Position:
    """The 1-based line and column of character ``index``.

    Positions come from the parser's character index, not its line count: YAML also breaks
    lines at U+0085, U+2028 and U+2029, which editors and ``grep -n`` do not.
    """
    line = bisect.bisect_right(starts, index)
    return Position(line, index - starts[line - 1] + 1)


Key = str | int
FieldPath = tuple[Key, ...]

_SAFE_TAGS = {
    "tag:yaml.org,2002:" + name
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq")
}

_Loader: type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Position:
    """A 1-based line and column in a source file."""

    line: int
    col: int


@dataclass
class Positions:
    """Where each value (and each mapping key) of a loaded file stands."""

    values: dict[FieldPath, Position] = field(default_factory=dict)
    keys: dict[FieldPath, Position] = field(default_factory=dict)

    def of_value(self, path: FieldPath) -> Position:
        """Position of the value at ``path``, or of its nearest existing parent."""
        for end in range(len(path), -1, -1):
            if (pos := self.values.get(path[:end])) is not None:
                return pos
        return Position(1, 1)

    def of_key(self, path: FieldPath) -> Position:
        """Position of the key naming ``path`` (falls back to the value's position)."""
        return self.keys.get(path) or self.of_value(path)


@dataclass
class Source:
    """A loaded YAML file: its data, where each value stands, and its name for messages."""

    path: Path
    """The file on disk."""
    name: str
    """The file as messages name it."""
    data: Any
    """Plain Python values: dict, list, str, int, float, bool, None, date, datetime."""
    positions: Positions
    """Line and column of every value and key."""
    text: str
    """The file's text, for positions inside long strings."""

    @functools.cached_property
    def line_starts(self) -> list[int]:
        """Offset in :attr:`text` of the start of each line, as editors count lines (\\n)."""
        return line_starts(self.text)

    def value_at(self, path: FieldPath) -> Any:
        """The loaded value at ``path`` (``None`` when it is not there)."""
        node = self.data
        for key in path:
            try:
                node = node[key]
            except (KeyError, IndexError, TypeError):
                return None
        return node

    def locate(self, path: FieldPath, offset: int) -> Position:
        """Line and column of character ``offset`` of the string at ``path``.

        Found by searching the file from the value's start for the text at ``offset``
        (counting earlier occurrences within the value); when the file does not show it
        verbatim (escapes, folding), the value's own position.
        """
        start = self.positions.of_value(path)
        value = self.value_at(path)
        if not isinstance(value, str):
            return start
        needle = value[offset:].split("\n", 1)[0][:40].rstrip()
        if not needle:
            return start
        starts = self.line_starts
        if start.line > len(starts):
            return start
        index = starts[start.line - 1] + start.col - 1
        for _ in range(value[:offset].count(needle) + 1):
            index = self.text.find(needle, index)
            if index < 0:
                return start
            index += 1
        index -= 1
        line = bisect.bisect_right(starts, index)
        return Position(line, index - starts[line - 1] + 1)

    def diagnostic(
        self, path: FieldPath, message: str, hint: str = "", *, at_key: bool = False
    ) -> Diagnostic:
        """A diagnostic pointing at the value (or key) at ``path``."""
        pos = self.positions.of_key(path) if at_key else self.positions.of_value(path)
        prefix = f"{format_path(path)}: " if path else ""
        return Diagnostic(self.name, pos.line, pos.col, prefix + message, hint)


def walk(value: Any, path: FieldPath = ()) -> Iterator[tuple[FieldPath, Any]]:
    """Every value of loaded data with its path, parents before children."""
    yield path, value
    if isinstance(value, dict):
        for key, item in value.items():
            yield from walk(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from walk(item, (*path, i))


def strings(value: Any) -> Iterator[tuple[FieldPath, str]]:
    """Every string of loaded data with its path."""
    return ((path, item) for path, item in walk(value) if isinstance(item, str))


def items(data: Any, section: str) -> Iterator[tuple[int, dict[str, Any]]]:
    """The mappings listed under ``data[section]``, with their index."""
    value = data.get(section) if isinstance(data, dict) else None
    if isinstance(value, list):
        for i, item in enumerate(value):
            if isinstance(item, dict):
                yield i, item


def format_path(path: FieldPath) -> str:
    """``("findings", 0, "title")`` → ``findings[0].title``."""
    out = ""
    for key in path:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
    return out


def briefs_in(folder: Path) -> list[Path]:
    """The briefs of a catalogue folder: its ``*.yaml`` files, sorted (not its subfolders,
    and not hidden files, which briefs never reads)."""
    return sorted(p for p in folder.glob("*.yaml") if not p.name.startswith("."))


class ReadError(ValueError):
    """Why a file cannot be read; names no path, so a message never shows where a symlink
    leads (the caller adds the file's own name and position)."""

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.hint = hint


def confine(path: Path, root: Path) -> Path:
    """``path`` (lexically under ``root``) resolved, or :class:`ReadError` when it leads out
    of ``root`` (through a symlink or ``..``) or through a hidden name (``.git``, ``.env``).

    Every file briefs reads from an untrusted folder — templates, labels, profiles, images,
    CSV files, files the PDF renderer asks for — passes this one check.
    """
    try:
        base = root.resolve()
        resolved = path.resolve()
    except (OSError, RuntimeError):  # a symlink loop, a name too long
        raise ReadError("cannot be resolved (a symlink loop?)") from None
    if not resolved.is_relative_to(base):
        raise ReadError(
            "leads outside its folder (a symlink or '..')",
            "copy the file into the folder instead of linking to it",
        )
    lexical = Path(os.path.relpath(os.path.abspath(path), os.path.abspath(root))).parts
    if lexical[:1] == ("..",):
        raise ReadError("is outside its folder")
    if any(part.startswith(".") for part in (*lexical, *resolved.relative_to(base).parts)):
        raise ReadError("is a hidden file (a name starting with '.'); briefs never read those")
    return resolved


_READS: ContextVar[set[Path] | None] = ContextVar("briefs_reads", default=None)


@contextlib.contextmanager
def recording_reads() -> Iterator[set[Path]]:
    """Collect the absolute path of every file :func:`read_file` is asked for in this block
    (read or refused): what a publish must hash to know a brief is unchanged."""
    reads: set[Path] = set()
    token = _READS.set(reads)
    try:
        yield reads
    finally:
        _READS.reset(token)


def read_file(path: Path, *, limit: int, root: Path | None = None) -> bytes:
    """The bytes of the regular file ``path``, at most ``limit`` of them.

    With ``root``, the file must stay inside it (:func:`confine`). Devices, FIFOs and
    folders are refused without blocking; a file that grows past ``limit`` while it is read
    is refused too. Raises :class:`ReadError`.
    """
    if (reads := _READS.get()) is not None:
        reads.add(Path(os.path.abspath(path)))
    target = confine(path, root) if root is not None else path
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    if root is not None:
        flags |= getattr(os, "O_NOFOLLOW", 0)  # resolved already: a symlink now is a race
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        raise ReadError(f"cannot read file: {exc.strerror}") from None
    except (RuntimeError, ValueError):
        raise ReadError("cannot read file") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise ReadError("not a regular file")
        if info.st_size > limit:
            raise ReadError(f"file is {info.st_size:,} bytes; the limit is {limit:,}")
        chunks: list[bytes] = []
        size = 0
        while size <= limit and (chunk := os.read(fd, min(1 << 20, limit + 1 - size))):
            chunks.append(chunk)
            size += len(chunk)
        if size > limit:
            raise ReadError(f"file is more than {limit:,} bytes; the limit is {limit:,}")
        return b"".join(chunks)
    except OSError as exc:
        raise ReadError(f"cannot read file: {exc.strerror}") from None
    finally:
        os.close(fd)


def load_yaml_file(path: Path, *, name: str | None = None, root: Path | None = None) -> Source:
    """Read ``path`` as YAML, or raise :class:`BriefError` with a positioned message.

    This is the one loader for every YAML file briefs reads (briefs, labels, profiles), so
    each gets the same limits. With ``root``, the file must stay inside that folder.
    """
    name = name or display_path(path)
    try:
        raw = read_file(path, limit=MAX_BYTES, root=root)
    except ReadError as exc:
        hint = exc.hint
        if not hint and "limit" in str(exc):
            hint = "split the file or move data into CSV files next to it"
        raise BriefError(Diagnostic(name, 0, 0, str(exc), hint)) from None
    return load_yaml_bytes(raw, path=path, name=name)


def load_yaml_bytes(raw: bytes, *, path: Path, name: str) -> Source:
    """Parse YAML bytes with the limits above; see :func:`load_yaml_file`."""
    if len(raw) > MAX_BYTES:
        raise BriefError(
            Diagnostic(
                name,
                0,
                0,
                f"file is {len(raw):,} bytes; the limit is {MAX_BYTES:,}",
                "split the brief or move data into CSV files next to it",
            )
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        line_start = raw.rfind(b"\n", 0, exc.start) + 1
        col = len(raw[line_start : exc.start].decode("utf-8", errors="replace")) + 1
        raise BriefError(
            Diagnostic(name, line, col, "file is not valid UTF-8", "save it as UTF-8")
        ) from None
    if (nul := text.find("\0")) >= 0:
        line = text.count("\n", 0, nul) + 1
        col = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise BriefError(Diagnostic(name, line, col, "file contains a NUL character"))
    text = text.removeprefix("\ufeff")

    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        at = position(line_starts(text), mark.index) if mark else Position(0, 0)
        problem = exc.problem or "invalid YAML"
        if exc.context:
            problem = f"{problem} ({exc.context})"
        opened = None
        if exc.context_mark is not None and exc.context_mark is not mark:
            opened = position(line_starts(text), exc.context_mark.index)
        line, col, message, hint = explain_syntax_error(text, at.line, at.col, problem, opened)
        raise BriefError(
            Diagnostic(name, line, col, message, hint, excerpt=excerpt(text, line, col))
        ) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow; no mark
        before = text[: exc.position]
        line = before.count("\n") + 1
        col = exc.position - (before.rfind("\n") + 1) + 1
        raise BriefError(
            Diagnostic(
                name,
                line,
                col,
                f"character U+{exc.character:04X} is not allowed in YAML",
                "remove the control character",
            )
        ) from None
    except yaml.YAMLError as exc:
        message = str(exc).splitlines()[0]
        raise BriefError(Diagnostic(name, 0, 0, f"YAML error: {message}")) from None
    finally:
        loader.dispose()

    builder = _Builder(name, loader, line_starts(text))
    data = builder.build(node, ()) if node is not None else None
    if builder.errors:
        raise BriefError(builder.errors)
    return Source(path, name, data, builder.positions, text)


_FULL_WIDTH = {"\u3000": "full-width space", "：": "full-width colon", "－": "full-width hyphen"}


def excerpt(text: str, line: int, col: int) -> str:
    """Line ``line`` of ``text`` with a caret under column ``col`` (empty when out of range)."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return ""
    shown = lines[line - 1].replace("\t", " ")
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in shown[: col - 1])
    return f"  {line:>4} | {shown}\n       | {' ' * width}^"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def explain_syntax_error(
    text: str, line: int, col: int, problem: str, opened: Position | None = None
) -> tuple[int, int, str, str]:
    """A YAML parser error as the mistake that usually causes it: (line, col, message, hint).

    Recognises tabs and full-width characters (typed with a Korean IME) in indentation or
    after a key, a list item without a space after ``-``, an unquoted ``: `` inside a text,
    a line indented unlike the lines around it, and a quote, ``{`` or ``[`` never closed
    (``opened`` is where the parser saw it open). Anything else keeps the parser's words.
    """
    lines = text.splitlines()
    here = lines[line - 1] if 1 <= line <= len(lines) else ""
    nearby = range(max(1, line - 1), min(len(lines), line) + 1)
    for number in nearby:  # the parser may stop on the line after the tab
        current = lines[number - 1]
        lead = current[: len(current) - len(current.lstrip(" \t\u3000"))]
        if "\t" in lead:
            return (
                number,
                lead.index("\t") + 1,
                "a tab in the indentation",
                "YAML indents with spaces only: replace the tab with spaces",
            )
    for number in nearby:
        current = lines[number - 1]
        for char, what in _FULL_WIDTH.items():
            at = current.find(char)
            if at >= 0 and (
                char != "\u3000" or not current[:at].strip() or current[:at].rstrip().endswith(":")
            ):
                return (
                    number,
                    at + 1,
                    f"a {what} (U+{ord(char):04X}) where YAML needs an ASCII one",
                    "typed with a Korean input method? retype it in English input mode",
                )
    stripped = here.lstrip(" ")
    if (
        stripped.startswith("-")
        and len(stripped) > 1
        and stripped[1] not in " -\t"
        and not stripped.startswith("---")
    ):
        return (
            line,
            _indent(here) + 2,
            "a list item needs a space after '-'",
            f"write '- {stripped[1:].strip()}'",
        )
    if problem.startswith("mapping values are not allowed"):
        key, sep, value = here.partition(": ")
        inner = value.find(": ") if sep else -1
        if inner >= 0 and not value.lstrip().startswith(("'", '"', "{", "[")):
            return (
                line,
                len(key) + 2 + inner + 1,
                "a ': ' inside a text reads as a new key",
                f'put the text in quotes: {key.strip()}: "{value.strip()}"',
            )
        previous = next((ln for ln in reversed(lines[: line - 1]) if ln.strip()), "")
        if _indent(here) > _indent(previous) and not previous.rstrip().endswith(":"):
            return (
                line,
                1,
                f"this line is indented more ({_indent(here)} spaces) than the one "
                f"above ({_indent(previous)}), which is not a key that opens a block",
                "indent it like the line above",
            )
    if opened is not None and "quoted scalar" in problem:
        return (
            opened.line,
            opened.col,
            "a quoted text starts here and is never closed",
            "add the closing quote at the end of the text",
        )
    if opened is not None and ("flow mapping" in problem or "flow sequence" in problem):
        bracket, closing = ("{", "}") if "mapping" in problem else ("[", "]")
        return (
            opened.line,
            opened.col,
            f"the '{bracket}' here is never closed by a '{closing}'",
            f"add '{closing}' at the end of line {opened.line}, "
            f"or quote a text that holds ',' or '{closing}'",
        )
    block_problems = (
        "expected '-' indicator",
        "expected <block end>",
        "expected ':'",
        "expected key",
    )
    if any(words in problem for words in block_problems):
        previous_no = next(
            (
                n
                for n in range(line - 1, 0, -1)
                if lines[n - 1].strip() and not lines[n - 1].lstrip().startswith("#")
            ),
            0,
        )
        previous = lines[previous_no - 1] if previous_no else ""
        if previous_no and _indent(here) != _indent(previous) and here.strip():
            return (
                line,
                _indent(here) + 1,
                f"indentation: this line starts at column {_indent(here) + 1}, the line above "
                f"(line {previous_no}) at column {_indent(previous) + 1}",
                "items of one list or mapping must start in the same column; "
                "check which of the two lines is off",
            )
        return (
            line,
            col,
            f"YAML syntax error: {problem}",
            "check the indentation of this line and the one above",
        )
    return line, col, f"YAML syntax error: {problem}", ""


class _Builder:
    """Turns a composed node tree into plain values, recording positions and limits."""

    def __init__(self, name: str, loader: Any, starts: list[int]) -> None:
        self.starts = starts
        self.name = name
        self.loader = loader
        self.positions = Positions()
        self.errors: list[Diagnostic] = []
        self.count = 0
        self.chars = 0

    def error(self, node: yaml.Node, message: str, hint: str = "") -> None:
        at = self.at(node)
        self.errors.append(Diagnostic(self.name, at.line, at.col, message, hint))

    def at(self, node: yaml.Node) -> Position:
        return position(self.starts, node.start_mark.index)

    def build(
        self, node: yaml.Node, path: FieldPath, depth: int = 0, active: frozenset[int] = frozenset()
    ) -> Any:
        self.count += 1
        if self.count > MAX_NODES:
            self.error(
                node,
                f"file expands to more than {MAX_NODES:,} values",
                "do not nest aliases (a 'billion laughs' file)",
            )
            raise BriefError(self.errors)
        if depth > MAX_DEPTH or id(node) in active:
            self.error(node, f"nesting deeper than {MAX_DEPTH} levels (or a recursive alias)")
            raise BriefError(self.errors)
        if node.tag not in _SAFE_TAGS:
            self.error(
                node,
                f"{format_path(path) or 'document'}: tag {node.tag!r} is not allowed",
                "briefs accept plain YAML: remove the '!' tag",
            )
            return None
        self.positions.values.setdefault(path, self.at(node))
        if isinstance(node, yaml.ScalarNode):
            self.chars += len(node.value)
            if self.chars > MAX_CHARS:
                self.error(
                    node,
                    f"file expands to more than {MAX_CHARS:,} characters of text",
                    "do not repeat long values through aliases",
                )
                raise BriefError(self.errors)
            try:
                return self.loader.construct_object(node)
            except (yaml.YAMLError, ValueError) as exc:
                self.error(node, f"{format_path(path)}: cannot read value ({exc})")
                return None
        inner = active | {id(node)}
        if isinstance(node, yaml.SequenceNode):
            return [
                self.build(item, (*path, i), depth + 1, inner) for i, item in enumerate(node.value)
            ]
        assert isinstance(node, yaml.MappingNode)
        result: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            if key_node.tag == "tag:yaml.org,2002:merge":
                self.error(key_node, "merge keys ('<<') are not supported", "write the fields out")
                continue
            if not isinstance(key_node, yaml.ScalarNode):
                self.error(key_node, f"{format_path(path) or 'document'}: keys must be plain text")
                continue
            if key_node.tag not in _SAFE_TAGS:
                self.error(
                    key_node,
                    f"{format_path(path) or 'document'}: tag {key_node.tag!r} is not allowed",
                    "briefs accept plain YAML: remove the '!' tag",
                )
                continue
            # The key's own text, not its YAML 1.1 reading: `no:` stays "no", not False.
            key = str(key_node.value)
            if key in result:
                self.error(
                    key_node,
                    f"{format_path((*path, key))}: duplicate key",
                    f"the first is on line {self.positions.keys[(*path, key)].line}",
                )
                continue
            self.positions.keys[(*path, key)] = self.at(key_node)
            result[key] = self.build(value_node, (*path, key), depth + 1, inner)
        return result
