"""`proctor subject export`: a candidate's data for a data-subject request (UU PDP)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from proctor.cli.service import DatabaseOption, opened_database, settings_for

subject_app = typer.Typer(
    no_args_is_help=True, help="A candidate's personal data, for a data-subject request."
)


@subject_app.command("export")
def export(
    participant_number: Annotated[str, typer.Argument(help="The candidate's participant number.")],
    out: Annotated[Path, typer.Option(help="A new folder for the export (never over one).")],
    actor: Annotated[
        str, typer.Option(help="Who answers the request, for the audit record.")
    ] = "admin:cli",
    database_url: DatabaseOption = None,
) -> None:
    """Write every record the service holds about the candidate, with the photos and snapshots
    opened, to a new folder (subject.json, images/, observations CSV); the export is audited."""
    from proctor.exam.subject_export import export_subject
    from proctor.sealing.upkeep import sealing_sessions

    settings = settings_for(database_url)
    with (
        opened_database(database_url, settings) as (_, engine),
        sealing_sessions(engine, settings)() as session,
    ):
        done = export_subject(session, participant_number, out, actor=actor)
    typer.echo(f"{done.records} records and {done.images} images -> {done.folder}")
