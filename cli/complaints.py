"""`proctor complaints overdue`, the SP4N-LAPOR! exchange (`lapor-import`, `lapor-export`)
and `proctor custodian keygen`."""

from __future__ import annotations

import json
import os
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated

import typer

from proctor.cli.service import DatabaseOption, opened_database
from proctor.errors import ErrorCode, InputFileError

complaints_app = typer.Typer(no_args_is_help=True, help="Complaints and whistleblowing reports.")
custodian_app = typer.Typer(no_args_is_help=True, help="The whistleblower identity custodian.")


@complaints_app.command("overdue")
def overdue(
    database_url: DatabaseOption = None,
    escalate: Annotated[
        bool, typer.Option(help="Also escalate (venue head, then committee), as a daily job.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per line.")] = False,
) -> None:
    """List complaints and reports with a step past its deadline; exit status 1 if any."""
    from proctor.cases import procedure
    from proctor.clock import utcnow
    from proctor.store.complaints import Complaint
    from proctor.store.database import make_sessionmaker

    with (
        opened_database(database_url) as (settings, engine),
        make_sessionmaker(engine)() as session,
    ):
        now = utcnow()
        escalated = set()
        if escalate:
            done = procedure.escalate_overdue(session, settings.complaints, now, actor="cli")
            session.commit()
            escalated = {o.case.id for o in done}
        items = procedure.overdue(session, now)
        for item in items:
            case = item.case
            row = {
                "kind": item.kind,
                "reference": case.tracking_number
                if isinstance(case, Complaint)
                else case.lookup_key,
                "step": item.step,
                "due": item.due.isoformat(),
                "days_late": round((now - item.due).total_seconds() / 86400, 1),
                "escalation": case.escalation,
                "escalated_now": case.id in escalated,
            }
            if as_json:
                typer.echo(json.dumps(row))
            else:
                mark = " (escalated now)" if row["escalated_now"] else ""
                typer.echo(
                    f"{row['kind']:<11} {row['reference']:<20} {row['step']:<15} "
                    f"due {row['due'][:16]}  {row['days_late']:>5} days late  "
                    f"-> {row['escalation']}{mark}"
                )
    if not as_json:
        typer.echo(f"{len(items)} overdue", err=True)
    if items:
        raise typer.Exit(1)


@complaints_app.command("lapor-import")
def lapor_import(
    source: Annotated[Path, typer.Argument(help="Reports from SP4N-LAPOR!, JSON or CSV.")],
    database_url: DatabaseOption = None,
) -> None:
    """Import the reports SP4N-LAPOR! handed over: each a complaint on the `lapor` channel; a
    report imported before is counted, not doubled; a file with a wrong row imports nothing."""
    from proctor.cases import lapor
    from proctor.store.database import make_sessionmaker

    try:
        data = source.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read {source}: {exc.strerror}") from exc
    with (
        opened_database(database_url) as (settings, engine),
        make_sessionmaker(engine)() as session,
    ):
        reports = lapor.parse(data, settings.complaints.timezone)
        done = lapor.import_reports(
            session, reports, settings.complaints, actor="cli", source_digest=lapor.digest(data)
        )
        session.commit()
        for case in done.new:
            typer.echo(f"{lapor.tracking_id_of(case)}\t{case.tracking_number}")
    typer.echo(f"{len(done.new)} imported, {done.duplicates} imported before", err=True)


@complaints_app.command("lapor-export")
def lapor_export(
    out: Annotated[Path, typer.Option(help="File to write (not overwritten).")],
    since: Annotated[
        datetime | None, typer.Option(help="Only what happened after this moment (ISO 8601).")
    ] = None,
    csv_format: Annotated[bool, typer.Option("--csv", help="CSV instead of JSON.")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Write our replies and status changes to the complaints from SP4N-LAPOR!, to hand back."""
    from proctor.cases import lapor
    from proctor.clock import utcnow
    from proctor.store.database import make_sessionmaker

    when = since.replace(tzinfo=since.tzinfo or UTC) if since else None
    with (
        opened_database(database_url) as (_settings, engine),
        make_sessionmaker(engine)() as session,
    ):
        made = lapor.export_file(session, when, utcnow(), "csv" if csv_format else "json")
    try:
        with out.open("x", encoding="utf-8") as handle:
            handle.write(made.text)
    except FileExistsError:
        raise InputFileError(f"{out} exists", code=ErrorCode.ALREADY_EXISTS) from None
    typer.echo(f"{made.updates} updates written to {out}", err=True)


@custodian_app.command("keygen")
def keygen(
    out: Annotated[Path, typer.Option(help="File for the private key (created, mode 0600).")],
) -> None:
    """Make the custodian's key pair: the private key goes to OUT for the custodian alone;
    the public key is printed, for PROCTOR_CUSTODIAN_PUBLIC_KEY."""
    from proctor.cases.whistleblowing import generate_custodian_keys

    private, public = generate_custodian_keys()
    try:
        fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise InputFileError(
            f"{out} exists; a custodian key is never overwritten", code=ErrorCode.ALREADY_EXISTS
        ) from None
    with os.fdopen(fd, "w") as handle:
        handle.write(private + "\n")
    typer.echo(f"PROCTOR_CUSTODIAN_PUBLIC_KEY={public}")
