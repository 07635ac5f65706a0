"""The repository's own promises: CI, Makefile and README agree with each other."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from briefs.cli.main import cli

ROOT = Path(__file__).resolve().parent.parent


def _targets() -> set[str]:
    makefile = (ROOT / "Makefile").read_text("utf-8")
    return set(re.findall(r"^([\w./-]+):", makefile, re.M))


def test_ci_runs_the_readme_test_command() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text("utf-8")
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "make test" in readme and "make brief" in readme
    assert {"test", "brief"} <= _targets()


def test_workflow_uses_existing_make_targets_and_commands() -> None:
    runs = []
    for path in sorted((ROOT / ".github" / "workflows").glob("*.yml")):
        jobs = yaml.safe_load(path.read_text("utf-8"))["jobs"]
        runs += [s["run"] for job in jobs.values() for s in job.get("steps", []) if "run" in s]
    workflow = re.sub(r"\$\{\{.*?\}\}", "X", "\n".join(runs))
    # The tests run as the README says; the site is published with runtime dependencies
    # only (`make publish` would install the test extra).
    assert "make test" in workflow and "briefs publish inputs" in workflow
    for line in re.findall(r"\bmake (.+)", workflow):
        for name in line.split():
            if "=" not in name and not name.startswith("-"):
                assert name in _targets(), f"workflow runs `make {name}`, not in the Makefile"
    for command in set(re.findall(r"briefs (\w+)", workflow)):
        assert command in cli.commands, f"workflow runs `briefs {command}`"


def test_every_command_is_documented_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    for name in cli.commands:
        assert f"briefs {name}" in readme, f"README does not mention `briefs {name}`"


def _commands() -> list[tuple[str, object]]:
    import click

    found: list[tuple[str, object]] = []
    for name, command in cli.commands.items():
        found.append((name, command))
        if isinstance(command, click.Group):
            found += [(f"{name} {sub}", c) for sub, c in command.commands.items()]
    return found


def test_every_command_has_help_with_an_example() -> None:
    for name, command in _commands():
        text = getattr(command, "help", None) or ""
        assert text.strip(), f"`briefs {name}` has no help"
        assert "Example" in text, f"`briefs {name} --help` has no example"


def test_the_docker_image_installs_the_runtime_libraries_a_build_needs() -> None:
    """The Dockerfile's Debian packages are the runtime ones of scripts/system-deps.sh (the
    image is built and run by .github/workflows/docker.yml; there is no Docker daemon here)."""
    script = (ROOT / "scripts" / "system-deps.sh").read_text("utf-8")
    wanted = re.search(r"^wanted=\(([^)]*)\)", script, re.M)
    assert wanted is not None
    runtime = set(wanted[1].split()) - {"poppler-utils"}  # poppler is for the tests
    dockerfile = (ROOT / "Dockerfile").read_text("utf-8")
    installed = re.search(r"apt-get install -y --no-install-recommends ([^\\&\n]+)", dockerfile)
    assert installed is not None
    assert set(installed[1].split()) == runtime
    assert "USER briefs" in dockerfile  # not root
    workflow = (ROOT / ".github" / "workflows" / "docker.yml").read_text("utf-8")
    assert "docker build" in workflow and "briefs:ci" in workflow
