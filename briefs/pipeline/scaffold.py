"""``briefs new`` and ``briefs schema``: a brief to start from, and the JSON Schema of briefs.

The scaffold validates and builds as written, explains each field in a comment, and starts
with the ``yaml-language-server`` line that points editors at the schema, so they complete
field names and flag mistakes while the analyst types.
"""

from __future__ import annotations

import ast
import datetime as dt
import functools
import inspect
import json
import os
import re
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from briefs.check.project import FILE_NAME, Institute, find_project_file, load_project
from briefs.errors import BriefError
from briefs.fs import write_atomic
from briefs.schema.base import LANGUAGES
from briefs.schema.brief import Brief
from briefs.schema.project import ProjectFile

SCHEMA_FILE = Path("schema") / "brief.schema.json"
"""Where a publications repository keeps the schema, relative to its root."""
PROJECT_SCHEMA_FILE = Path("schema") / "project.schema.json"
"""Where it keeps the project file's schema."""


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a brief file, from the models' docstrings."""
    return _model_schema(Brief, "briefs: a policy brief", "brief.schema.json")


def project_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of the project file, ``briefs.toml``."""
    return _model_schema(ProjectFile, "briefs: a project file (briefs.toml)", "project.schema.json")


def _model_schema(model: type[BaseModel], title: str, name: str) -> dict[str, Any]:
    describe_fields(model)
    schema = model.model_json_schema()
    schema["title"] = title
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://briefs.invalid/schema/{name}",
        **schema,
    }


def describe_fields(root: type[BaseModel]) -> None:
    """Give every field of ``root`` and the models it uses its docstring as description.

    The models are built without pydantic's ``use_attribute_docstrings``: reading their source
    at import would cost every build about 15 ms, and only the schema needs the text. This
    reads it here instead, then rebuilds the models (innermost first) so the schema sees it.
    """
    models: list[type[BaseModel]] = []
    seen: set[type[BaseModel]] = set()

    def collect(model: type[BaseModel]) -> None:
        if model in seen:
            return
        seen.add(model)  # before the fields: a model may refer to itself
        for field in model.model_fields.values():
            for inner in _models_in(field.annotation):
                collect(inner)
        models.append(model)

    collect(root)
    changed = False
    for model in models:
        docs: dict[str, str] = {}
        for cls in reversed(model.__mro__):
            if issubclass(cls, BaseModel) and cls.__module__.startswith("briefs."):
                docs.update(_attribute_docs(cls))
        for name, field in model.model_fields.items():
            if field.description is None and name in docs:
                field.description = docs[name]
                changed = True
    if changed:
        for model in models:
            model.model_rebuild(force=True)


def _models_in(annotation: Any) -> list[type[BaseModel]]:
    """The pydantic models named anywhere in a type annotation."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [annotation]
    found: list[type[BaseModel]] = []
    for arg in getattr(annotation, "__args__", ()) + getattr(annotation, "__metadata__", ()):
        found.extend(_models_in(arg))
    origin = getattr(annotation, "__origin__", None)
    if origin is not None and origin is not annotation:
        found.extend(_models_in(origin))
    return found


@functools.cache
def _module_tree(name: str) -> ast.Module | None:
    try:
        return ast.parse(inspect.getsource(sys.modules[name]))
    except (OSError, TypeError):  # installed without sources: no descriptions, like pydantic
        return None


def _attribute_docs(cls: type) -> dict[str, str]:
    """``{field: docstring}`` for the string literals that follow annotated class attributes."""
    tree = _module_tree(cls.__module__)
    for node in tree.body if tree is not None else []:
        if isinstance(node, ast.ClassDef) and node.name == cls.__qualname__:
            docs: dict[str, str] = {}
            for first, second in zip(node.body, node.body[1:], strict=False):
                if (
                    isinstance(first, ast.AnnAssign)
                    and isinstance(first.target, ast.Name)
                    and isinstance(second, ast.Expr)
                    and isinstance(second.value, ast.Constant)
                    and isinstance(second.value.value, str)
                ):
                    docs[first.target.id] = inspect.cleandoc(second.value.value)
            return docs
    return {}


def schema_text(*, project: bool = False) -> str:
    """The schema as the text of ``schema/brief.schema.json`` (with ``project``, of
    ``schema/project.schema.json``)."""
    schema = project_json_schema() if project else json_schema()
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def _text(values: dict[str, str], languages: Sequence[str], indent: int) -> str:
    """A YAML text value: plain for one language, a {ko, en} mapping for several."""
    if len(languages) == 1:
        return json.dumps(values[languages[0]], ensure_ascii=False)
    pad = " " * indent
    return "\n" + "\n".join(
        f"{pad}{lang}: {json.dumps(values[lang], ensure_ascii=False)}" for lang in languages
    )


def _block(values: dict[str, str], languages: Sequence[str], indent: int) -> str:
    """A Markdown value as literal blocks (one per language)."""
    pad = " " * indent
    if len(languages) == 1:
        body = "\n".join(f"{pad}{line}" for line in values[languages[0]].splitlines())
        return f"|\n{body}"
    parts = []
    for lang in languages:
        body = "\n".join(f"{pad}  {line}" for line in values[lang].splitlines())
        parts.append(f"{pad}{lang}: |\n{body}")
    return "\n" + "\n".join(parts)


def scaffold_text(
    brief_id: str,
    languages: Sequence[str],
    schema_ref: str,
    today: dt.date,
    institute: Institute | None = None,
) -> str:
    """The text of a new brief with id ``brief_id`` written in ``languages``; the fields the
    project file of ``institute`` supplies are left to it (a comment says so)."""
    text = _scaffold(brief_id, languages, schema_ref, today)
    if institute is None or institute.source is None:
        return text
    given = set(institute.defaults())
    if list(institute.settings.defaults.languages or []) != list(languages):
        given.discard("languages")  # the brief's own languages, not the project's
    name = FILE_NAME
    for field_name in ("organisation", "licence", "languages", "audiences"):
        if field_name in given:
            text = re.sub(
                rf"^(# [^\n]*\n)?{field_name}:[^\n]*\n(?:  [^\n]*\n)*",
                f"# {field_name}: from {name}\n",
                text,
                count=1,
                flags=re.M,
            )
    if "authors" in given:
        text = re.sub(
            r"^authors:\n(?:  [^\n]*\n)+", f"# authors: from {name}\n", text, count=1, flags=re.M
        )
    if institute.settings.series_pattern is not None:
        pattern = institute.settings.series_pattern
        text = re.sub(
            r"^# Series number[^\n]*\nseries: [^\n]*\n",
            f"# Series number on the cover, matching {pattern} (see {name}).\n# series: \n",
            text,
            count=1,
            flags=re.M,
        )
    return text


def _scaffold(brief_id: str, languages: Sequence[str], schema_ref: str, today: dt.date) -> str:

    def t(ko: str, en: str, indent: int) -> str:
        return _text({"ko": ko, "en": en}, languages, indent)

    def md(ko: str, en: str, indent: int) -> str:
        return _block({"ko": ko, "en": en}, languages, indent)

    lang_list = ", ".join(languages)
    summary = md(
        "- 결론을 먼저 씀[@example-source]\n- 핵심 근거와 제언을 한 줄씩 정리",
        "- State the conclusion first[@example-source]\n"
        "- One line each for the key evidence and the ask",
        2,
    )
    return f"""\
# yaml-language-server: $schema={schema_ref}
# A policy brief for `briefs`. Every text is a plain string in the first language below, or
# a mapping {{ko: …, en: …}}. Markdown fields cite sources inline as [@source-id].
# Check it with `briefs validate {brief_id}.yaml`; build it with `briefs build {brief_id}.yaml`.

# Used in output paths (public/{brief_id}/…): lower-case letters, digits and hyphens.
id: {brief_id}
# Series number on the cover, e.g. IS-186 (optional).
series: "DRAFT-1"
title: {t("제목을 한 문장으로", "The title, in one sentence", 2)}
subtitle: {t("부제", "A subtitle", 2)}
# Publication date (YYYY-MM-DD); also the timestamp written into the outputs.
date: {today.isoformat()}
organisation: {t("발행 기관", "Publishing organisation", 2)}
authors:
  - name: {t("작성자", "Author name", 6)}
# SPDX id or a short phrase.
licence: CC-BY-4.0
tags:
  - {t("정책", "policy", 4)}
# Languages to build; the first is the language of plain strings.
languages: [{lang_list}]
# Audience editions to build: government, industry, startups, public (omit for all).
audiences: [government, industry, startups, public]

# The summary box on page 1: conclusion first, a few bullets.
summary: {summary}

# Numbers for the key-figures strip. `value` is text; `amount` is money, written in each
# language's units (약 5,890억 달러 / about $589 billion).
key_figures:
  - id: example-figure
    amount: {{amount: 589000000000, currency: USD, approx: true}}
    label: {t("지표 설명", "What the figure measures", 6)}
    sources: [example-source]

# Background: why this matters now (Markdown, optional).
context: {md("배경을 설명합니다[@example-source].", "Explain the background[@example-source].", 2)}

# Findings: a claim, its explanation, its evidence (each citing sources) and how sure you
# are (high, medium, low). `audiences: [...]` limits an item to some editions; `notes`
# adds a "what this means for you" note for one audience.
findings:
  - id: first-finding
    title: {t("주요 발견을 한 문장으로", "The finding, in one sentence", 6)}
    body: {md("설명을 씁니다[@example-source].", "Explain it[@example-source].", 6)}
    evidence:
      - text: {t("근거 한 줄", "One line of evidence", 10)}
        sources: [example-source]
    confidence: medium
    notes:
      industry: {t("산업계에 주는 의미", "What this means for industry", 8)}

# What the findings mean (시사점).
implications:
  - id: first-implication
    title: {t("시사점", "Implication", 6)}
    body: {md("시사점을 씁니다.", "Write the implication.", 6)}

# Recommendations in noun form, with who acts (owner), when (immediate, short, medium,
# long) and priority (high, medium, low), and the findings they rest on.
recommendations:
  - id: first-recommendation
    title: {
        t("제언을 명사형으로 (예: 지원 체계 구축)", "The recommendation (e.g. set up support)", 6)
    }
    body: {md("세부 내용 기술 필요", "Details of the recommendation.", 6)}
    owner: {t("과학기술정보통신부", "Ministry of Science and ICT", 6)}
    horizon: short
    priority: high
    based_on: [first-finding]

# How footnotes and the reference list write a source: kr-policy (저자, 「제목」, 발행처,
# 연도), apa (APA 7) or chicago (Chicago notes and bibliography).
citation_style: kr-policy

# Sources kept in a reference manager: BibTeX (.bib) or CSL JSON (.json, Zotero's export)
# files next to this one, cited by their keys ([@kim2024]). They join `sources:` below.
# bibliography: [refs.bib]

# Every source the brief cites: its type (report, article-journal, article-newspaper,
# press-release, legislation, dataset, webpage, book, speech), authors (people
# {{family, given}} or organisations), title in its original language, publisher, date and
# how to find it (url, doi, isbn, number). Cite a page as [@example-source, p. 12].
sources:
  - id: example-source
    type: report
    authors:
      - "Example Institute"   # an organisation; a person is {{family: Kim, given: Minsu}}
    title: "Title of the source"
    publisher: "Publisher"
    number: "Report 2025-01"
    date: {today.isoformat()}
    url: https://example.org/report
    accessed: {today.isoformat()}

# Terms explained for readers (the public edition shows them prominently).
glossary:
  - term: {t("용어", "Term", 6)}
    definition: {t("쉬운 말로 쓴 정의", "A plain-language definition", 6)}
"""


def new_brief(
    brief_id: str,
    *,
    languages: Sequence[str] = (),
    folder: Path = Path("inputs"),
    today: dt.date | None = None,
) -> list[Path]:
    """Write ``folder/<id>.yaml`` (and the schema file when the project has none).

    The brief follows the project file found from ``folder``: its languages (when
    ``languages`` is empty) and the fields it supplies. Refuses to overwrite. Returns the
    files written.
    """
    if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", brief_id) or len(brief_id) > 64:
        raise BriefError(
            f"'{brief_id}' is not a valid id: use lower-case letters, digits and "
            "hyphens (e.g. hbm-export-controls)"
        )
    institute = load_project(find_project_file(folder))
    languages = list(languages or institute.settings.defaults.languages or ("ko", "en"))
    unknown = [lang for lang in languages if lang not in LANGUAGES]
    if unknown or not languages:
        raise BriefError(f"languages must be among {', '.join(LANGUAGES)}")
    target = folder / f"{brief_id}.yaml"
    if target.exists():
        raise BriefError(f"{target} exists already; briefs new never overwrites a brief")
    written: list[Path] = []
    schema = SCHEMA_FILE
    if institute.folder is not None:  # the project's schema folder, wherever briefs new runs
        schema = Path(os.path.relpath(institute.folder / SCHEMA_FILE))
    if not schema.exists():
        write_atomic(schema.resolve(), schema_text().encode("utf-8"))
        written.append(schema)
    reference = Path(os.path.relpath(schema.resolve(), folder.resolve())).as_posix()
    text = scaffold_text(
        brief_id,
        list(dict.fromkeys(languages)),
        reference,
        today or dt.date.today(),
        institute,
    )
    write_atomic(target.resolve(), text.encode("utf-8"))
    written.append(target)
    return written
