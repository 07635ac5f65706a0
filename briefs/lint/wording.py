"""Lint rules on a brief's wording: language marks, repeated sentences, running heads.

``hangul-in-english`` finds Korean left in English text, ``duplicate-text`` sentences that
repeat across the items of a brief (and, through :func:`catalog_repeats`, across the briefs
of a catalogue), ``long-title-no-short`` a title too wide for the PDF's running head that has
no ``short_title``. Registered in :data:`briefs.lint.rules.RULES` after the rules there.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from briefs.edition.plan import running_head_over_budget
from briefs.errors import Diagnostic
from briefs.lint.rules import LintContext, at, markdown_fields, rule, texts
from briefs.source import FieldPath, Source, format_path, items, walk
from briefs.text.duplicates import Sentence, repeats
from briefs.text.figures import mask, sentences

# -- Hangul in English text ---------------------------------------------------------------

_HANGUL_RUN = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]+(?:\s+[\uac00-\ud7a3]+)*")
# Korean marked as such in Markdown: *국가인공지능전략위원회*{: lang=ko} (attr_list).
_MARKED = re.compile(
    r"(\*{1,2}|_{1,2})(?=\S)(?:(?!\1).)+?(?<=\S)\1\{:?[^{}\n]*\blang=[\"']?ko\b[^{}\n]*\}"
)


@rule(
    "hangul-in-english",
    "warning",
    "An English text contains Hangul not marked as Korean (`*한국어*{: lang=ko}`).",
)
def _hangul_in_english(ctx: LintContext) -> Iterator[Diagnostic]:
    english_first = ctx.brief.first_language == "en"
    markdown = {path for path, _, _ in markdown_fields(ctx.data)}
    for path, value in walk(ctx.data):
        if not isinstance(value, str) or not path or path[0] == "sources":
            continue
        if not (path[-1] == "en" or (english_first and path[-1] != "ko")):
            continue
        plain = _MARKED.sub(lambda m: " " * len(m[0]), mask(value))
        runs = list(_HANGUL_RUN.finditer(plain))
        if not runs:
            continue
        more = f" (and {len(runs) - 1} more)" if len(runs) > 1 else ""
        hint = (
            "translate it; if the Korean is meant, mark it: *한국어*{: lang=ko}"
            if path in markdown
            else "translate or romanise it (this field is not Markdown, so it cannot be marked)"
        )
        yield at(
            ctx.source, path, runs[0].start(), f"Hangul '{runs[0][0]}'{more} in English text", hint
        )


# -- repeated sentences -------------------------------------------------------------------

# Summaries and the context restate the items by design, and glossary definitions and key
# figures are shared between briefs on purpose, so only the items' sentences are compared.
_ITEM_SECTIONS = ("findings", "implications", "recommendations")


@dataclass(frozen=True)
class Where:
    """A sentence's place: the file, the string and the offset in it."""

    source: Source
    path: FieldPath
    offset: int


def item_sentences(source: Source, group: Hashable | None = None) -> Iterator[Sentence[Where]]:
    """The sentences of every item (finding, implication, recommendation), in file order.

    Each sentence's group is its item, or ``group`` when one is given (a whole brief, for
    comparing the briefs of a catalogue with each other).
    """
    data = source.data if isinstance(source.data, dict) else {}
    for section in _ITEM_SECTIONS:
        for i, item in items(data, section):
            for path, value in _item_texts((section, i), item):
                masked = mask(value)
                for start, end in sentences(masked):
                    where = Where(source, path, start)
                    yield Sentence(group or (section, i), masked[start:end], where)


def _item_texts(base: FieldPath, item: dict[str, Any]) -> Iterator[tuple[FieldPath, str]]:
    """An item's prose: title, body, evidence and notes (not its owner or chart labels)."""
    yield from texts((*base, "title"), item.get("title"))
    yield from texts((*base, "body"), item.get("body"))
    for j, evidence in items(item, "evidence"):
        yield from texts((*base, "evidence", j, "text"), evidence.get("text"))
    notes = item.get("notes")
    for audience, value in notes.items() if isinstance(notes, dict) else ():
        yield from texts((*base, "notes", audience), value)


def repeat_diagnostics(
    pairs: Iterable[tuple[Sentence[Where], Sentence[Where]]],
) -> Iterator[Diagnostic]:
    """One diagnostic per string that repeats an earlier sentence (its first such sentence)."""
    reported: set[tuple[str, FieldPath]] = set()
    for sentence, earlier in pairs:
        here, there = sentence.where, earlier.where
        if (here.source.name, here.path) in reported:
            continue
        reported.add((here.source.name, here.path))
        pos = there.source.locate(there.path, there.offset)
        where = f"{format_path(there.path)} (line {pos.line})"
        if there.source.name != here.source.name:
            where = f"{there.source.name}:{pos.line} ({format_path(there.path)})"
        yield at(
            here.source,
            here.path,
            here.offset,
            f"sentence repeats one in {where}",
            "say it once and refer to it, or say what is specific here",
        )


@rule(
    "duplicate-text",
    "warning",
    "A sentence nearly repeats one in another item of the brief (with `briefs lint DIR`, in "
    "another brief of the folder).",
)
def _duplicate_text(ctx: LintContext) -> Iterator[Diagnostic]:
    return repeat_diagnostics(repeats(item_sentences(ctx.source)))


def catalog_repeats(briefs: Iterable[Source]) -> Iterator[Diagnostic]:
    """Sentences of each brief that repeat a sentence of an earlier brief, in that order."""

    def everything() -> Iterator[Sentence[Where]]:
        for source in briefs:
            yield from item_sentences(source, group=source.name)

    return repeat_diagnostics(repeats(everything()))


# -- running heads ------------------------------------------------------------------------


@rule(
    "long-title-no-short",
    "warning",
    "A title too wide for the PDF's one-line running head (120 mm at 8 pt, measured with the "
    "bundled font as the build does) has no `short_title`, or the short title is too wide.",
)
def _long_title_no_short(ctx: LintContext) -> Iterator[Diagnostic]:
    for lang in ctx.brief.languages:
        if (found := running_head_over_budget(ctx.source, ctx.brief, lang)) is not None:
            yield found
