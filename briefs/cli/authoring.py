"""``briefs init``, ``briefs new`` and ``briefs schema``: a project and a brief to start
from, and the schemas editors use."""

from __future__ import annotations

from pathlib import Path

import click

from briefs.cli.console import output_options, say
from briefs.errors import display_path


@click.command()
@output_options
@click.argument("brief_id", metavar="ID")
@click.option(
    "--lang",
    "languages",
    default="",
    help="Languages of the brief, comma-separated; the first is the main one "
    "(default: the project file's, else ko,en).",
)
@click.option(
    "--dir",
    "folder",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("inputs"),
    show_default=True,
    help="Folder to write the brief into.",
)
def new(brief_id: str, languages: str, folder: Path) -> None:
    """Write a brief to start from, ID.yaml, that validates and builds as it is.

    Each field has a short comment; the first line points editors at the JSON Schema
    (schema/brief.schema.json, written too when the project has none). Never overwrites.

    \b
    Example:
      briefs new hbm-export-controls --lang ko,en --dir inputs
    """
    from briefs.pipeline.scaffold import new_brief

    langs = [lang.strip() for lang in languages.split(",") if lang.strip()]
    for path in new_brief(brief_id, languages=langs, folder=folder):
        say(f"wrote {display_path(path)}")


@click.command()
@output_options
@click.option("--project", is_flag=True, help="The schema of the project file, briefs.toml.")
def schema(project: bool) -> None:
    """Print the JSON Schema of a brief (or of the project file), for editors and tools.

    \b
    Example:
      briefs schema > schema/brief.schema.json
      briefs schema --project > schema/project.schema.json
    """
    from briefs.pipeline.scaffold import schema_text

    click.echo(schema_text(project=project), nl=False)


@click.command()
@output_options
@click.argument(
    "folder", required=False, default=Path("."), type=click.Path(path_type=Path, file_okay=False)
)
def init(folder: Path) -> None:
    """Start a briefs project in FOLDER (default: here).

    Writes briefs.toml (the project file), schema/ (for editors), inputs/ with a sample
    brief, and .github/workflows/publish.yml (check, preview, publish to GitHub Pages).
    Never overwrites.

    \b
    Example:
      briefs init my-institute && cd my-institute && briefs publish
    """
    from briefs.pipeline.init import init_project

    for path in init_project(folder):
        say(f"wrote {display_path(path)}")
