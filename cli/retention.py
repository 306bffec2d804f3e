"""`proctor retention run`: apply the biometric data retention schedule now."""

from __future__ import annotations

from typing import Annotated

import typer

from proctor.cli.service import DatabaseOption, opened_database, settings_for

retention_app = typer.Typer(
    no_args_is_help=True, help="The retention schedule of biometric data (UU PDP)."
)


@retention_app.command("run")
def run(
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Print what is due; delete nothing.")
    ] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Delete the photos, snapshots and templates past their period (PROCTOR_RETENTION), except
    what an open case holds; print each deletion (no data)."""
    from proctor.clock import utcnow
    from proctor.exam import retention
    from proctor.sealing.upkeep import sealing_sessions

    settings = settings_for(database_url)
    verb = "would delete" if dry_run else "deleted"

    def say(p: retention.Purge) -> None:
        who = f" (participant {p.participant_number})" if p.participant_number else ""
        typer.echo(
            f"{p.subject_type} {p.subject_id}{who}: {verb} "
            f"{p.images} images and {p.templates} templates ({p.kind})"
        )

    with opened_database(database_url, settings) as (_, engine):
        done = retention.run(
            sealing_sessions(engine, settings), settings.retention, utcnow(), dry_run=dry_run,
            report=say,
        )  # fmt: skip
    typer.echo(f"{len(done)} due; {verb} {sum(p.images for p in done)} images and "
               f"{sum(p.templates for p in done)} templates", err=True)  # fmt: skip
