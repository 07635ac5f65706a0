"""Field kinds come from the models: a schema change cannot silently skip a field.

The lists below are reviewed by hand. When a model gains a Markdown field, the derived list
changes and this test fails until the list is reviewed (and every walker then sees the field
without further change).
"""

from __future__ import annotations

from pathlib import Path

from briefs.schema import fields
from briefs.schema.base import FILE
from briefs.source import load_yaml_file

ROOT = Path(__file__).resolve().parent.parent

REVIEWED_MARKDOWN = [
    "summary",
    "audience_summary{}",
    "key_figures[].notes{}",
    "context",
    "findings[].notes{}",
    "findings[].body",
    "findings[].evidence[].text",
    "findings[].chart.note",
    "implications[].notes{}",
    "implications[].body",
    "recommendations[].notes{}",
    "recommendations[].body",
    "glossary[].notes{}",
    "figures[].notes{}",
    "figures[].note",
]


def test_markdown_fields_are_the_reviewed_list() -> None:
    assert fields.markdown_paths() == REVIEWED_MARKDOWN


def test_file_fields_are_the_reviewed_list() -> None:
    assert fields.patterns(FILE) == (
        ("findings", "[]", "chart", "csv"),
        ("bibliography", "[]"),
        ("figures", "[]", "csv"),
    )


def test_targeted_sections() -> None:
    assert fields.targeted_sections() == (
        "key_figures", "findings", "implications", "recommendations", "glossary", "figures"
    )  # fmt: skip


def test_values_follow_the_data() -> None:
    data = {
        "summary": "s",
        "findings": [{"body": {"ko": "가", "en": "a"}, "evidence": [{"text": "e"}, "junk"]}],
        "figures": [{"note": "n", "notes": {"public": "p"}}],
        "glossary": "not a list",
    }
    assert list(fields.markdown_values(data)) == [
        (("summary",), "s"),
        (("findings", 0, "body"), {"ko": "가", "en": "a"}),
        (("findings", 0, "evidence", 0, "text"), "e"),
        (("figures", 0, "notes", "public"), "p"),
        (("figures", 0, "note"), "n"),
    ]


def test_every_markdown_value_of_the_flagship_is_found() -> None:
    source = load_yaml_file(ROOT / "inputs" / "deepseek-2025.yaml")
    found = {path for path, _ in fields.markdown_values(source.data)}
    assert ("summary",) in found and ("findings", 0, "body") in found
    assert all(isinstance(path[-1], str | int) for path in found)
