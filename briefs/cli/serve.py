"""``briefs serve``: the live preview of one brief, with its builds reported on the terminal."""

from __future__ import annotations

from pathlib import Path

import click

from briefs.cli.console import fail, output_options, say, warn
from briefs.cli.options import templates_option


@click.command()
@output_options
@click.argument("brief", type=click.Path(path_type=Path, dir_okay=False))
@click.option(
    "--port",
    "-p",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port on 127.0.0.1 (0 picks a free one).",
)
@templates_option
def serve(brief: Path, port: int, templates: Path | None) -> None:
    """Preview the HTML editions of BRIEF on localhost; rebuilt and reloaded on every change.

    Watches the brief, the files next to it and the templates; an open page reloads by
    itself, and an invalid brief shows its errors in the page until it is fixed.

    \b
    Example:
      briefs serve inputs/deepseek-2025.yaml --port 8000
    """
    from briefs.serve.server import Snapshot
    from briefs.serve.server import serve as serve_preview

    def built(snapshot: Snapshot) -> None:
        if snapshot.error is not None:
            fail(snapshot.error)
        else:
            warn(snapshot.warnings)
            say(f"built {len(snapshot.editions)} editions")

    serve_preview(
        brief,
        port=port,
        templates=templates,
        on_build=built,
        ready=lambda url: click.echo(f"serving {url} (Ctrl-C to stop)"),
    )
