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
