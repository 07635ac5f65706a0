"""``briefs templates list`` and ``briefs templates eject``: the template search path."""

from __future__ import annotations

from pathlib import Path

import click

from briefs.cli.console import output_options, say
from briefs.cli.options import templates_option
from briefs.errors import display_path


@click.group()
@output_options
def templates() -> None:
    """List the templates, styles, labels and audience profiles in use; eject one to edit.

    \b
    Example:
      briefs templates list
      briefs templates eject audiences/government.html.j2
    """


@templates.command("list")
@templates_option
def templates_list(templates: Path | None) -> None:
    """Show every template and profile, where it comes from, and which copy wins.

    \b
    Example:
      briefs templates list --templates my-templates
    """
    from briefs.edition.audiences import load_profiles
    from briefs.render.catalog import entries
    from briefs.resources import search_path

    folders = search_path(templates)
    click.echo("search path (first match wins): " + " → ".join(display_path(f) for f in folders))
    profiles = load_profiles(folders)
    click.secho("\naudiences", bold=True)
    for name, profile in profiles.items():
        labels = f"{profile.text(profile.label, 'ko')} / {profile.text(profile.label, 'en')}"
        click.echo(
            f"  {name:<18} {labels} — template {profile.template}; "
            f"sections: {', '.join(profile.sections)}"
        )
    click.secho("\nfiles", bold=True)
    for entry in entries(folders):
        origin = "built-in" if entry.builtin else display_path(entry.winner)
        note = "  (overrides built-in)" if entry.shadowed else ""
        click.echo(f"  {entry.name:<40} {entry.kind:<9} {origin}{note}")


@templates.command("eject")
@click.argument("name")
@click.option(
    "--templates",
    "-t",
    "user_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("templates"),
    show_default=True,
    help="Your templates folder, created if needed.",
)
def templates_eject(name: str, user_dir: Path) -> None:
    """Copy the built-in NAME into your templates folder to start from.

    NAME is a path as `briefs templates list` shows it, or an audience name (which ejects
    its profile and its template).

    \b
    Example:
      briefs templates eject partials/cover.html.j2
      briefs templates eject government --templates my-templates
    """
    from briefs.render.catalog import eject

    for path in eject(name, user_dir):
        say(f"wrote {display_path(path)}")
