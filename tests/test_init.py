"""``briefs init`` makes a project that validates and builds; ``briefs new`` follows the
project file's defaults."""

from __future__ import annotations

import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

from briefs.cli.main import run
from briefs.pipeline.scaffold import project_json_schema

PRINTED: list[str] = []


@pytest.fixture
def project(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    assert run(["init", "institute"]) == 0
    PRINTED[:] = capsys.readouterr().out.splitlines()
    return tmp_path / "institute"


def test_init_writes_a_project_that_validates_and_builds(project: Path) -> None:
    assert PRINTED == [
        "wrote institute/briefs.toml",
        "wrote institute/schema/brief.schema.json",
        "wrote institute/schema/project.schema.json",
        "wrote institute/.github/workflows/publish.yml",
        "wrote institute/inputs/sample-brief.yaml",
    ]
    settings = tomllib.loads((project / "briefs.toml").read_text("utf-8"))
    jsonschema.validate(settings, project_json_schema())
    assert run(["validate", "institute/inputs/sample-brief.yaml"]) == 0
    out = project / "public"
    assert run(["build", "institute/inputs/sample-brief.yaml", "-f", "html", "-a", "public",
                "--out", str(out)]) == 0  # fmt: skip
    html = (out / "sample-brief" / "public.en.html").read_text("utf-8")
    assert "Publishing organisation" in html  # from the project file
    assert "CC-BY-4.0" in html


def test_init_never_overwrites(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "inputs" / "sample-brief.yaml").write_text("kept", "utf-8")
    (project / "schema" / "project.schema.json").unlink()
    assert run(["init", "institute"]) == 1
    assert capsys.readouterr().err.strip() == (
        "briefs: institute/briefs.toml, institute/schema/brief.schema.json, "
        "institute/inputs/sample-brief.yaml, institute/.github/workflows/publish.yml: "
        "already there; briefs init never overwrites a file"
    )
    assert not (project / "schema" / "project.schema.json").exists()  # nothing written
    assert (project / "inputs" / "sample-brief.yaml").read_text("utf-8") == "kept"


def test_the_workflow_has_timeouts_caches_and_keeps_deployments(project: Path) -> None:
    workflow = yaml.safe_load((project / ".github/workflows/publish.yml").read_text("utf-8"))
    assert workflow["concurrency"]["cancel-in-progress"] is False
    assert all("timeout-minutes" in job for job in workflow["jobs"].values())
    steps = workflow["jobs"]["site"]["steps"]
    setup = next(s for s in steps if s.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["cache"] == "pip"
    # Runtime dependencies only: briefs itself, pinned, no test extra.
    assert any(s.get("run") == 'pip install "$BRIEFS"' for s in steps)
    assert workflow["env"]["BRIEFS"].startswith("briefs==")
    # The base URL comes from the Pages configuration (custom domains too).
    publish = next(s for s in steps if s.get("name") == "Publish")
    assert publish["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    assert workflow["jobs"]["deploy"]["needs"] == "site"


def test_new_leaves_to_the_project_what_it_gives(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "briefs.toml").write_text(
        'series_pattern = "KPI-[0-9]{4}"\n'
        'organisation = { ko = "한국정책연구원", en = "Korea Policy Institute" }\n'
        "[defaults]\n"
        'licence = "CC-BY-SA-4.0"\n'
        'languages = ["en"]\n'
        'authors = [{ name = "Policy team" }]\n',
        "utf-8",
    )
    (tmp_path / "drafts").mkdir()
    monkeypatch.chdir(tmp_path / "drafts")
    assert run(["new", "first-note", "--dir", "."]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "wrote ../schema/brief.schema.json",  # in the project's folder, not here
        "wrote first-note.yaml",
    ]
    text = (tmp_path / "drafts" / "first-note.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../schema/brief.schema.json\n")
    for name in ("organisation", "licence", "languages", "authors"):
        assert f"\n# {name}: from briefs.toml\n" in text
        assert f"\n{name}:" not in text
    assert "\n# series: \n" in text and "KPI-[0-9]{4}" in text
    assert 'title: "The title, in one sentence"' in text  # English only, the project's
    assert run(["validate", "first-note.yaml"]) == 0
