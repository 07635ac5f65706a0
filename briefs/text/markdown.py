"""Stage 3: Markdown fields → safe HTML fragments, with numbered source citations.

Python-Markdown has no safe mode, so we (1) turn off its raw-HTML handling, so HTML typed into
a brief is shown as text, (2) demote headings so a body cannot break the page's outline,
(3) move table alignment from ``style`` attributes into classes, and (4) pass the result
through nh3 with an allow-list that keeps what tables, footnotes and citation links need and
nothing that can run or fetch: no scripts, no event handlers, no ``style``, no absolute image
addresses.

The conversion does not depend on the edition, so it is cached per text: a citation becomes
a placeholder that :class:`MarkdownRenderer` numbers for its edition afterwards, and
footnote ids are derived from the text itself. Output is therefore the same whatever was
rendered before in the process (one Markdown instance is reused, reset before each text).
"""

from __future__ import annotations

import functools
import hashlib
import re
import xml.etree.ElementTree as etree
from collections.abc import Callable
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.extensions import Extension
from markdown.inlinepatterns import InlineProcessor
from markdown.preprocessors import Preprocessor
from markdown.treeprocessors import Treeprocessor
from markupsafe import Markup, escape

from briefs.text import citations

_MARKUP = re.compile(r"[\\`*_\[\]<>&|!~\n]|^\s*(?:[-+#=>]|\d+[.)])|\s$|https?://|www\.")
"""Anything Markdown could turn into markup; text without it is plain prose."""

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
    "*": {"id", "class", "lang", "title"},
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
_PLACEHOLDER = re.compile(f"{_OPEN}([^{_CLOSE}]+){_CLOSE}")


class _CitationPattern(InlineProcessor):
    """``[@a; @b]`` → a placeholder carrying the ids, numbered later per edition."""

    def __init__(self) -> None:
        super().__init__(citations.PATTERN)

    def handleMatch(  # type: ignore[override]
        self, m: re.Match[str], data: str
    ) -> tuple[str, int, int]:
        ids = citations.ids_of(m)
        return f"{_OPEN}{' '.join(ids)}{_CLOSE}", m.start(0), m.end(0)


_KOREAN_DATE_AT_START = re.compile(r"^(\s*(?:[-*+]\s+)?)(\d{4})\.(\s+\d{1,2})\.")


class _KoreanDates(Preprocessor):
    """Keep a Korean date at the start of a line (``2025. 1. 27. …``) from becoming a list.

    Markdown reads ``2025.`` followed by a space as an ordered-list marker, which would turn
    a bullet that starts with a date into a nested numbered list.
    """

    def run(self, lines: list[str]) -> list[str]:
        return [_KOREAN_DATE_AT_START.sub(r"\1\2\\.\3\\.", line) for line in lines]


class _Tidy(Treeprocessor):
    """Demote headings and turn table alignment styles into classes."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if len(element.tag) == 2 and element.tag[0] == "h" and element.tag[1].isdigit():
                element.tag = f"h{min(6, int(element.tag[1]) + HEADING_OFFSET)}"
            style = element.attrib.pop("style", "")
            if match := re.search(r"text-align:\s*(left|right|center)", style):
                element.set("class", f"align-{match[1]}")
            if element.tag == "th" and "scope" not in element.attrib:
                element.set("scope", "col")


class _BriefExtension(Extension):
    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.preprocessors.deregister("html_block")
        md.preprocessors.register(_KoreanDates(md), "korean_dates", 25)
        md.inlinePatterns.deregister("html")
        # Before 'reference' so [@id] is not read as a link reference.
        md.inlinePatterns.register(_CitationPattern(), "citation", 185)
        md.treeprocessors.register(_Tidy(md), "brief_tidy", 1)


@functools.cache
def _markdown(backlink_title: str) -> markdown.Markdown:
    return markdown.Markdown(
        extensions=["tables", "attr_list", "sane_lists", "footnotes", _BriefExtension()],
        extension_configs={"footnotes": {"BACKLINK_TITLE": backlink_title}},
        output_format="html",
    )


@functools.lru_cache(maxsize=8192)
def to_html(text: str, backlink_title: str = "↩") -> str:
    """Sanitised HTML for Markdown ``text``, citations left as placeholders."""
    text = text.replace(_OPEN, "").replace(_CLOSE, "")
    if not _MARKUP.search(text):
        # Plain prose (most evidence lines and labels): what Markdown would produce,
        # without its ~0.3 ms per call.
        return f"<p>{escape(text.strip())}</p>"
    md = _markdown(backlink_title)
    md.reset()
    html = md.convert(text)
    if "fnref:" in html or "fn:" in html:
        # Footnote ids from the text itself: stable, and distinct between texts.
        tag = hashlib.sha1(text.encode()).hexdigest()[:8]
        html = html.replace('"#fn:', f'"#fn-{tag}-').replace('"fn:', f'"fn-{tag}-')
        html = html.replace('"#fnref:', f'"#fnref-{tag}-').replace('"fnref:', f'"fnref-{tag}-')
    return sanitize(html)


class MarkdownRenderer:
    """Renders the Markdown fields of one edition; ``cite`` turns cited ids into marks."""

    def __init__(self, cite: Callable[[list[str]], str], *, backlink_title: str = "↩") -> None:
        self.cite = cite
        self.backlink_title = backlink_title

    def render(self, text: str, *, inline: bool = False) -> Markup:
        """``text`` as a sanitised HTML fragment; ``inline`` drops the outer paragraph."""
        html = to_html(text, self.backlink_title)
        if inline and html.startswith("<p>") and html.endswith("</p>") and html.count("<p>") == 1:
            html = html[3:-4]
        return Markup(_PLACEHOLDER.sub(lambda m: self.cite(m[1].split()), html))
