"""Stage 3: Markdown fields → safe HTML fragments, with numbered source citations.

Python-Markdown has no safe mode, so we (1) turn off its raw-HTML handling, so HTML typed into
a brief is shown as text, (2) demote headings so a body cannot break the page's outline,
(3) move table alignment from ``style`` attributes into classes, and (4) pass the result
through nh3 with an allow-list that keeps what tables, footnotes and citation links need and
nothing that can run or fetch: no scripts, no event handlers, no ``style``, no absolute image
addresses.

The conversion does not depend on the edition, so it is cached per text: a citation and a
footnote call (``[^x]``) become placeholders that :class:`MarkdownRenderer` numbers for its
edition afterwards; a footnote's definition is converted on its own and set by the edition
(on its call's page in the PDF, under the text in the HTML), numbered apart from sources.
Output is therefore the same whatever was rendered before in the process (one Markdown
instance is reused, reset before each text).
"""

from __future__ import annotations

import functools
import hashlib
import re
import xml.etree.ElementTree as etree
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Protocol

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

from briefs.text import citations
from briefs.text.blocks import nest_lists, protect_dates

_MARKUP = re.compile(r"[\\`*_\[\]<>&|!~\n]|^\s*(?:[-+#=>]|\d+[.)])|\s$|https?://|www\.")
"""Anything Markdown could turn into markup; text without it is plain prose."""

SHORT_TABLE = 6
"""Body rows of a table short enough to keep on one page (``table.short`` in pdf.css): a
three-row table split two and one reads as two tables."""
HEADING_OFFSET = 3
"""A ``#`` heading in a body becomes ``<h4>``: sections are h2 and items h3."""

_TAGS = {
    "a",
    "abbr",
    "blockquote",
    "br",
    "code",
    "del",
    "div",
    "em",
    "hr",
    "img",
    "li",
    "ol",
    "p",
    "pre",
    "span",
    "strong",
    "sub",
    "sup",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
    "h4",
    "h5",
    "h6",
    "dl",
    "dt",
    "dd",
    "kbd",
    "mark",
    "s",
    "small",
}
_ATTRIBUTES = {
    # No "id": every id of an edition is briefs's own (an attribute list's is dropped).
    "*": {"class", "lang", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "abbr": {"title"},
}
_RELATIVE_ASSET = re.compile(r"^(?![a-zA-Z][a-zA-Z0-9+.-]*:)(?!/)(?!\\)[^?#]*$")


def _filter_attribute(tag: str, attribute: str, value: str) -> str | None:
    # Images may only point at files next to the brief (checked again when inlined); links
    # only at the web, mail, or anchors inside the page.
    if tag == "img" and attribute == "src":
        return value if _RELATIVE_ASSET.match(value) and ".." not in value else None
    if tag == "a" and attribute == "href":
        # A brief travels alone: a relative link would point into the author's folders.
        return value if re.match(r"(https?:|mailto:|#)", value, re.IGNORECASE) else None
    if attribute == "class":
        return " ".join(c for c in value.split() if re.fullmatch(r"[\w-]+", c)) or None
    return value


def sanitize(html: str) -> str:
    """Reduce an HTML fragment to the tags and attributes a brief's text may use."""
    return nh3.clean(
        html,
        tags=_TAGS,
        attributes=_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        attribute_filter=_filter_attribute,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


@dataclass
class Citations:
    """Numbers sources in order of first citation within one edition."""

    known: set[str]
    """Source ids that exist (unknown ones were rejected at validation)."""
    order: list[str] = field(default_factory=list)
    """Cited source ids, in order of first citation."""
    anchors: dict[str, list[str]] = field(default_factory=dict)
    """Ids of the in-text citation anchors of each source, for back-links."""

    def number(self, source_id: str) -> int:
        """The source's number in this edition, assigned on first use."""
        if source_id not in self.order:
            self.order.append(source_id)
        return self.order.index(source_id) + 1

    def anchor(self, source_id: str) -> str:
        """A fresh anchor id for one citation of ``source_id``."""
        ids = self.anchors.setdefault(source_id, [])
        ids.append(f"cite-{source_id}-{len(ids) + 1}")
        return ids[-1]


_OPEN, _CLOSE = "\ue000", "\ue001"
"""Private-use characters bracketing a citation placeholder (removed from input first)."""
LOCATOR_MARK = "\ue006"
"""Private-use character between a cited id and its locator in a placeholder: the marks a
:class:`MarkdownRenderer` hands on are ``id`` or ``id`` + this + locator."""
NBSP = "\u00a0"
"""A locator's spaces in a placeholder (``p.`` and ``12`` stay on one line)."""


class _CitationPattern(InlineProcessor):
    """``[@a; @b]`` → a placeholder carrying the ids, numbered later per edition."""

    def __init__(self) -> None:
        super().__init__(citations.PATTERN)

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[str, int, int]:
        cites = [
            sid if locator is None else f"{sid}{LOCATOR_MARK}{locator.replace(' ', NBSP)}"
            for sid, locator in citations.cites_of(m)
        ]
        return f"{_OPEN}{' '.join(cites)}{_CLOSE}", m.start(0), m.end(0)


class _Blocks(Preprocessor):
    """Lists nested as CommonMark nests them, and dates kept from becoming lists."""

    def run(self, lines: list[str]) -> list[str]:
        return protect_dates(nest_lists(lines))


class _Tidy(Treeprocessor):
    """Demote headings, turn table alignment styles into classes, and take out the ids
    that attribute lists set (kept in ``md.dropped_ids`` for :func:`convert`)."""

    def run(self, root: etree.Element) -> None:
        dropped: list[str] = []
        setattr(self.md, "dropped_ids", dropped)  # noqa: B010 (Markdown has no such field)
        for element in root.iter():
            for name in [n for n in element.attrib if n.lower() == "id"]:
                dropped.append(element.attrib.pop(name))
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(6, int(element.tag[1]) + HEADING_OFFSET)}"
            style = element.attrib.pop("style", "")
            if match := re.search(r"text-align:\s*(left|right|center)", style):
                element.set("class", f"align-{match[1]}")
            if element.tag == "th" and "scope" not in element.attrib:
                element.set("scope", "col")
            if element.tag == "table" and len(element.findall("./tbody/tr")) <= SHORT_TABLE:
                element.set("class", " ".join([*element.get("class", "").split(), "short"]))


class _BriefExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.preprocessors.register(_Blocks(md), "brief_blocks", 25)
        md.inlinePatterns.deregister("html")
        # Before 'reference' so [@id] is not read as a link reference.
        md.inlinePatterns.register(_CitationPattern(), "citation", 185)
        md.treeprocessors.register(_Tidy(md), "brief_tidy", 1)


@functools.cache
def _markdown() -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "attr_list", "sane_lists", _BriefExtension()],
        output_format="html",
    )


_NOTE_OPEN, _NOTE_CLOSE = "\ue002", "\ue003"
"""Private-use characters bracketing a note call placeholder (the note's index)."""
_HELD_OPEN, _HELD_CLOSE = "\ue004", "\ue005"
"""Private-use characters standing for brackets held out of Markdown's way (put back after)."""
_PRIVATE = re.compile("[\ue000-\ue006]")
MAX_BRACKET_DEPTH = 8
"""Deepest nesting of ``[`` that Markdown sees; deeper brackets are text."""


def hold_brackets(text: str) -> str:
    """``text`` with every ``[`` that cannot open a link (no matching ``]``, or nested
    deeper than :data:`MAX_BRACKET_DEPTH`) and its ``]`` replaced by placeholders.

    Python-Markdown scans from every ``[`` to its match one character at a time, which is
    quadratic on ``[[[[…`` or ``![![…``; the placeholders come back as brackets afterwards,
    so the output is the same. Linear.
    """
    held: list[int] = []
    stack: list[int] = []
    escaped = False
    for i, char in enumerate(text):
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "[":
            stack.append(i)
        elif char == "]" and stack:
            opening = stack.pop()
            if len(stack) >= MAX_BRACKET_DEPTH:
                held += [opening, i]
    held += stack
    if not held:
        return text
    chars = list(text)
    for i in held:
        chars[i] = _HELD_OPEN if chars[i] == "[" else _HELD_CLOSE
    return "".join(chars)


def _put_back(html: str) -> str:
    return html.replace(_HELD_OPEN, "[").replace(_HELD_CLOSE, "]")


_NOTE_DEFINITION = re.compile(r"^ {0,3}\[\^([^\]\s]+)\]:[ \t]?(.*)$")
NOTE_CALL = re.compile(r"\[\^([^\]\s\[]{1,100})\](?!:)")
"""A Markdown footnote call, ``[^label]``."""
_TOKEN = rf"{_OPEN}[^{_CLOSE}]+{_CLOSE}|{_NOTE_OPEN}\d+{_NOTE_CLOSE}"
_RUN = re.compile(rf"[ \t\n]*((?:(?:{_TOKEN})[ \t\n]*)*(?:{_TOKEN}))([ \t\n]*)(?=(.?))", re.S)
_CLOSING = set(".,;:!?)]}»」』〉》”’…")
"""Punctuation a mark is set against: no space between them."""


def _scan_notes(lines: list[str]) -> tuple[list[int], list[tuple[str, int, str]]]:
    """The indices of the body's lines, and each footnote definition (label, index of its
    first line, its text) in order, duplicates included."""
    body: list[int] = []
    found: list[tuple[str, int, str]] = []
    note: list[str] | None = None  # [label, text] of the definition being read
    for number, line in enumerate(lines):
        if m := _NOTE_DEFINITION.match(line):
            found.append((m.group(1), number, m.group(2)))
            note = [m.group(1), m.group(2)]
            continue
        if note is not None:
            following = next((nxt for nxt in lines[number + 1 :] if nxt.strip()), "")
            indented = line.startswith(("    ", "\t"))
            if line.strip() and (indented or not note[1].endswith("\n\n")):
                note[1] += "\n" + (line[4:] if line.startswith("    ") else line.strip())
                found[-1] = (found[-1][0], found[-1][1], note[1])
                continue
            if not line.strip() and following.startswith(("    ", "\t")):
                note[1] += "\n"
                found[-1] = (found[-1][0], found[-1][1], note[1])
                continue
            note = None
        body.append(number)
    return body, found


def split_notes(text: str) -> tuple[str, dict[str, str]]:
    """``text`` without its footnote definitions (``[^x]: …`` and their indented lines),
    and the definitions by label (the last one, where a label is defined twice)."""
    lines = text.split("\n")
    body, found = _scan_notes(lines)
    return "\n".join(lines[i] for i in body), {label: v.strip() for label, _, v in found}


@dataclass(frozen=True)
class NoteProblem:
    """A footnote that cannot be set: a call with no definition, or a definition unused."""

    offset: int
    """Where in the text it is (the call, or the start of the definition)."""
    message: str
    """What is wrong."""
    hint: str
    """What to write instead."""


def note_problems(text: str) -> Iterator[NoteProblem]:
    """Every footnote call in ``text`` with no definition, every definition never called,
    every label defined twice and every call inside a definition, in text order."""
    if "[^" not in text:
        return
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    body, found = _scan_notes(lines)
    defined = {label for label, _, _ in found}
    called: set[str] = set()
    problems: list[NoteProblem] = []
    instead = "or cite a source with [@id]"
    for index in body:
        for m in NOTE_CALL.finditer(lines[index]):
            called.add(m.group(1))
            if m.group(1) not in defined:
                problems.append(
                    NoteProblem(
                        starts[index] + m.start(),
                        f"footnote [^{m.group(1)}] has no definition",
                        f"add a line '[^{m.group(1)}]: …' to the same text, {instead}",
                    )
                )
    body_lines = set(body)
    seen: set[str] = set()
    for label, first, _ in found:
        offset = starts[first] + lines[first].index("[^")
        if label in seen:
            problems.append(
                NoteProblem(
                    offset,
                    f"footnote [^{label}] is defined twice",
                    "give each note its own label, or delete one definition",
                )
            )
        elif label not in called:
            problems.append(
                NoteProblem(
                    offset,
                    f"footnote [^{label}] is defined but never called",
                    f"put [^{label}] where the note belongs, or delete the definition",
                )
            )
        seen.add(label)
    for index, line in enumerate(lines):
        if index in body_lines:
            continue
        # The definition's own label is followed by ':', so it is not a call.
        for m in NOTE_CALL.finditer(line):
            problems.append(
                NoteProblem(
                    starts[index] + m.start(),
                    f"footnote [^{m.group(1)}] is called inside another footnote",
                    f"notes do not nest: write it into the note, call it from the text, {instead}",
                )
            )
    yield from sorted(problems, key=lambda p: p.offset)


@dataclass(frozen=True)
class Converted:
    """A Markdown text as HTML, marks left as placeholders for the edition to number."""

    html: str
    """The sanitised fragment."""
    notes: tuple[str, ...]
    """The HTML of each footnote the text calls, in order of first call (inline content)."""
    dropped_ids: tuple[str, ...] = ()
    """Ids that attribute lists in the text (its notes included) tried to set, left out:
    validation refuses them (:mod:`briefs.check.texts`)."""


@functools.lru_cache(maxsize=8192)
def convert(text: str) -> Converted:
    """Sanitised HTML for Markdown ``text``; citations and note calls left as placeholders.

    Footnote definitions (``[^x]: …``) are taken out of the text and converted on their own,
    so that the edition can set each one as a footnote on its call's page and number it
    apart from the sources.
    """
    text = _PRIVATE.sub("", text)
    notes: tuple[str, ...] = ()
    if "[^" in text:
        text, definitions = split_notes(text)
        order: list[str] = []

        def call(m: re.Match[str]) -> str:
            if m.group(1) not in definitions:
                return m.group(0)
            if m.group(1) not in order:
                order.append(m.group(1))
            return f"{_NOTE_OPEN}{order.index(m.group(1))}{_NOTE_CLOSE}"

        text = NOTE_CALL.sub(call, text)
        converted = [convert(definitions[label]) for label in order]
        notes = tuple(_inline(c.html) for c in converted)
        dropped = tuple(i for c in converted for i in c.dropped_ids)
    else:
        dropped = ()
    if not _MARKUP.search(text):
        # Plain prose (most evidence lines and labels): what Markdown would produce,
        # without its ~0.3 ms per call.
        return Converted(f"<p>{escape(text.strip())}</p>", notes, dropped)
    md = _markdown()
    md.reset()
    html = _put_back(sanitize(md.convert(hold_brackets(text))))
    return Converted(html, notes, (*getattr(md, "dropped_ids", ()), *dropped))


def _inline(html: str) -> str:
    """A note's HTML as phrasing content: paragraphs and list items become line breaks."""
    html = re.sub(r"\s*</(?:p|li|h[4-6]|blockquote)>\s*", "<br>", html.strip())
    html = re.sub(r"\s*<(?:/?(?:p|ol|ul|blockquote|h[4-6])|li)(?:\s[^>]*)?>\s*", "", html)
    return re.sub(r"(?:<br>)+$", "", html)


def cited(text: str) -> Iterator[str]:
    """Every id cited in ``text`` in reading order: a footnote's citations at its call."""
    if "[^" not in text:
        yield from citations.cited(text)
        return
    body, definitions = split_notes(text)
    called: set[str] = set()
    calls = re.compile(f"{citations.PATTERN}|{NOTE_CALL.pattern}")
    for m in calls.finditer(body):
        if m.group(1) is not None:
            yield from citations.ids_of(m)
        elif (label := m.group(3)) in definitions and label not in called:
            called.add(label)
            yield from citations.cited(definitions[label])


def to_html(text: str) -> str:
    """Sanitised HTML for Markdown ``text``, citations and note calls left as placeholders."""
    return convert(text).html


def note_key(text: str, index: int) -> str:
    """A key naming note ``index`` of ``text``, the same wherever the text is rendered."""
    return f"{hashlib.sha1(text.encode()).hexdigest()[:8]}-{index}"


class Marks(Protocol):
    """What the edition does with a run of adjacent marks."""

    def __call__(self, source_ids: list[str], notes: list[tuple[str, Markup]]) -> tuple[str, str]:
        """The marks for cited ``ids`` and ``notes`` (key, body) as one superscript, and the
        footnotes they bring (set after the marks: in the PDF they float to the page foot,
        in the HTML they are gathered under the text)."""
        ...


class MarkdownRenderer:
    """Renders the Markdown fields of one edition; ``marks`` numbers citations and notes.

    A run of adjacent marks (``[@a] [@b][^n]``) becomes one superscript, its numbers
    separated by commas, with no space before it (so it never starts a line) nor between it
    and the punctuation after it.
    """

    def __init__(self, marks: Marks, *, notes_below: bool = False) -> None:
        self.marks = marks
        self.notes_below = notes_below
        """Whether footnotes are gathered under the text (HTML) instead of set at the mark."""

    def render(self, text: str, *, inline: bool = False) -> Markup:
        """``text`` as a sanitised HTML fragment; ``inline`` drops the outer paragraph."""
        converted = convert(text)
        html = converted.html
        if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        below: list[str] = []
        body = self._resolve(html, text, converted.notes, below, collect=self.notes_below)
        if below:
            tag = "span" if inline else "div"
            body += f'<{tag} class="md-notes">{"".join(below)}</{tag}>'
        return Markup(body)

    def _resolve(
        self, html: str, text: str, notes: tuple[str, ...], below: list[str], *, collect: bool
    ) -> str:
        def run(m: re.Match[str]) -> str:
            ids: list[str] = []
            called: list[tuple[str, Markup]] = []
            extra: list[str] = []
            for token in re.findall(_TOKEN, m.group(1)):
                if token[0] == _OPEN:
                    ids += token[1:-1].split(" ")
                else:
                    index = int(token[1:-1])
                    # A note's own citations: marks in the note, their footnotes beside it.
                    inner: list[str] = []
                    note = self._resolve(notes[index], notes[index], (), inner, collect=True)
                    called.append((note_key(text, index), Markup(note)))
                    extra += inner
            marks, floats = self.marks(ids, called)
            after = "" if m.group(3) in _CLOSING else m.group(2)
            floats += "".join(extra)
            if collect:
                if floats:
                    below.append(floats)
                return marks + after
            return marks + floats + after

        return _RUN.sub(run, html)
