"""Ids in an edition are briefs's own (issue 14, item 13).

Python-Markdown's attribute lists (``{: #src-src-a }``, ``{: id="main" }``) used to set ids
that collided with the generated ones: a citation then jumped to the author's paragraph
instead of its source, and the page had the same id twice. An attribute list that sets an
id is now a positioned error at the id, and the sanitiser drops any ``id`` that Markdown
would write, so no text can add an id to an edition.
"""

from __future__ import annotations

import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from briefs.cli.main import run
from briefs.text.markdown import convert, to_html

# Each is a way of writing an id with an attribute list, aimed at an id briefs generates.
HIJACKS = {
    "block-hash": ("Paragraph.\n{: #src-src-a }", "#src-src-a"),
    "block-key": ('Paragraph.\n{: id="main" }', 'id="main"'),
    "block-key-unquoted": ("Paragraph.\n{: id=sec-summary }", "id=sec-summary"),
    "block-upper-case": ("Paragraph.\n{: ID=cite-src-a-1 }", "ID=cite-src-a-1"),
    "inline": ("*word*{: #finding-shock } and more.", "#finding-shock"),
    "heading": ("# Heading {: #toc-title }", "#toc-title"),
    "list-item": ("- item\n{: #rec-compute }", "#rec-compute"),
    "with-class": ("Paragraph.\n{: .note #kf-loss lang=en }", "#kf-loss"),
    "footnote": ("Text[^n].\n\n[^n]: *Note*{: #src-src-b } here.", "#src-src-b"),
}


class Ids(HTMLParser):
    """Every id in an HTML document, in order."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [value or "" for name, value in attrs if name == "id"]


def ids_of(html: str) -> list[str]:
    parser = Ids()
    parser.feed(html)
    return parser.ids


def hostile_brief(folder: Path, minimal_text: str, text: str) -> tuple[Path, int]:
    """The fixture brief with ``text`` as its finding's English body, and the body's line."""
    body = "      en: Concern about high-bandwidth memory (HBM) demand grew[@src-b]."
    assert body in minimal_text
    block = "\n".join("        " + line if line else "" for line in text.split("\n"))
    written = minimal_text.replace(body, f"      en: |\n{block}", 1)
    path = folder / "brief.yaml"
    path.write_text(written, encoding="utf-8")
    line = written.splitlines().index("      en: |") + 2
    return path, line


@pytest.mark.parametrize("case", list(HIJACKS))
def test_an_attribute_list_that_sets_an_id_is_a_positioned_error(
    case: str, tmp_path: Path, minimal_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    text, written = HIJACKS[case]
    path, first = hostile_brief(tmp_path, minimal_text, text)
    # The line and column of the id as written, counted from the rules of a literal block.
    lines = text.split("\n")
    row = next(i for i, line in enumerate(lines) if written in line)
    line, col = first + row, 9 + lines[row].index(written)
    for command in ("validate", "build"):
        extra = ["--format", "html", "--out", str(tmp_path / "out")] if command == "build" else []
        code = run([command, str(path), *extra])
        err = capsys.readouterr().err
        assert code == 1, err
        assert "Traceback" not in err, err
        expected = (
            rf"^{re.escape(str(path))}:{line}:{col}: findings\[0\]\.body\.en: "
            r"an attribute list may not set an id"
        )
        assert re.search(expected, err, re.M), err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("case", list(HIJACKS))
def test_markdown_never_writes_an_id(case: str) -> None:
    converted = convert(HIJACKS[case][0])
    for html in (converted.html, *converted.notes):
        assert ids_of(html) == [], html
    assert len(converted.dropped_ids) == 1


def test_other_attributes_still_apply() -> None:
    html = to_html("*영어*{: lang=ko .term }")
    assert html == '<p><em class="term" lang="ko">영어</em></p>'


def test_a_built_edition_has_each_id_once(
    tmp_path: Path, minimal_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run(["build", str(minimal_path), "--format", "html", "--out", str(tmp_path)])
    assert code == 0, capsys.readouterr().err
    editions = sorted(tmp_path.glob("minimal/*.html"))
    assert len(editions) == 8
    for edition in editions:
        ids = ids_of(edition.read_text(encoding="utf-8"))
        assert "src-src-a" in ids and "main" in ids
        twice = [i for i, n in Counter(ids).items() if n > 1]
        assert twice == [], f"{edition.name}: {twice}"


# A second item copied from the fixture's first, under an id that makes one of its anchors.
CLASHES = {
    "finding-title": ("findings", "shock", "shock-title", "finding"),
    "finding-chart": ("findings", "shock", "shock-chart", "finding"),
    "recommendation-title": ("recommendations", "compute", "compute-title", "recommendation"),
}


def item_block(text: str, item_id: str) -> str:
    """The lines of the list item ``- id: item_id`` (up to the next item or section)."""
    start = text.index(f"  - id: {item_id}\n")
    end = re.compile(r"^(  - |\S)", re.M).search(text, start + 1)
    return text[start : end.start() if end else len(text)]


@pytest.mark.parametrize("case", list(CLASHES))
def test_an_item_id_cannot_make_another_items_anchor(
    case: str, tmp_path: Path, minimal_text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    section, old_id, new_id, kind = CLASHES[case]
    block = item_block(minimal_text, old_id)
    copy = block.replace(f"id: {old_id}", f"id: {new_id}", 1)
    text = minimal_text.replace(block, block + copy, 1)
    path = tmp_path / "brief.yaml"
    path.write_text(text, encoding="utf-8")
    line = text.splitlines().index(f"  - id: {new_id}") + 1
    code = run(["validate", str(path)])
    err = capsys.readouterr().err
    assert code == 1, err
    assert re.search(
        rf"^{re.escape(str(path))}:{line}:9: {section}\[1\]\.id: id '{new_id}' makes the "
        rf"anchor '[a-z-]+', which {kind} '{old_id}' has already",
        err,
        re.M,
    ), err
