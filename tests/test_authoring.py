"""Authoring: `briefs new` scaffolds, the JSON Schema and its copy in the repository."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml
from pydantic import BaseModel

from briefs.cli.main import run
from briefs.pipeline.scaffold import describe_fields, json_schema, schema_text

ROOT = Path(__file__).resolve().parent.parent
INPUTS = sorted((ROOT / "inputs").glob("*.yaml"))


def _as_json(text: str) -> object:
    """YAML as an editor's schema validator sees it: dates are strings."""
    return json.loads(json.dumps(yaml.safe_load(text), default=str))


def test_schema_file_is_in_sync() -> None:
    committed = (ROOT / "schema" / "brief.schema.json").read_text("utf-8")
    assert committed == schema_text(), "run `briefs schema > schema/brief.schema.json`"


def test_every_field_in_the_schema_has_its_docstring() -> None:
    schema = json_schema()
    models = [("Brief", schema), *schema["$defs"].items()]
    fields = [(m, f, p) for m, d in models for f, p in d.get("properties", {}).items()]
    assert len(fields) > 100
    assert [f"{m}.{f}" for m, f, p in fields if not p.get("description")] == []
    assert json_schema() == schema  # a second call, models already rebuilt, gives the same


class _Node(BaseModel):
    children: list[_Node] = []
    """Nodes below this one."""


def test_field_docstrings_of_a_model_that_refers_to_itself() -> None:
    describe_fields(_Node)  # must not recurse forever; not a briefs model, so no text
    assert _Node.model_fields["children"].description is None


def test_schema_command_prints_the_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert printed == json_schema()
    # field docstrings travel into the schema, for editors' hover help
    assert printed["properties"]["summary"]["description"].startswith("The summary box")
    jsonschema.Draft202012Validator.check_schema(printed)


@pytest.mark.parametrize("path", INPUTS, ids=[p.stem for p in INPUTS])
def test_inputs_point_editors_at_the_schema_and_satisfy_it(path: Path) -> None:
    text = path.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/brief.schema.json\n")
    jsonschema.validate(_as_json(text), json_schema())


@pytest.mark.parametrize("langs", ["ko,en", "ko", "en", "en,ko"])
def test_new_validate_build_round_trip(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    langs: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["new", "hbm-controls", "--lang", langs]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "wrote schema/brief.schema.json",
        "wrote inputs/hbm-controls.yaml",
    ]
    brief = tmp_path / "inputs" / "hbm-controls.yaml"
    text = brief.read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/brief.schema.json\n")
    assert (tmp_path / "schema" / "brief.schema.json").read_text("utf-8") == schema_text()
    jsonschema.validate(_as_json(text), json_schema())
    assert run(["validate", str(brief)]) == 0
    assert run(["build", str(brief), "-f", "html", "--out", "site", "--strict"]) == 0
    written = sorted(p.name for p in (tmp_path / "site" / "hbm-controls").iterdir())
    expected_langs = langs.split(",")
    assert written == sorted(
        f"{a}.{lang}.html"
        for a in ("government", "industry", "startups", "public")
        for lang in expected_langs
    )


def test_new_refuses_to_overwrite_and_bad_ids(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["new", "one"]) == 0
    before = (tmp_path / "inputs" / "one.yaml").read_bytes()
    capsys.readouterr()
    assert run(["new", "one"]) == 1
    assert "exists already" in capsys.readouterr().err
    assert (tmp_path / "inputs" / "one.yaml").read_bytes() == before
    assert run(["new", "Bad_ID"]) == 1
    assert "not a valid id" in capsys.readouterr().err
    assert run(["new", "x", "--lang", "ja"]) == 1


def test_new_in_another_folder_points_at_the_project_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run(["new", "deep", "--dir", "briefs/2026"]) == 0
    text = (tmp_path / "briefs" / "2026" / "deep.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../schema/brief.schema.json\n")
