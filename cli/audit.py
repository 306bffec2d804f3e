"""`proctor audit verify | export | checkpoint | keygen`: the tamper-evident audit trail."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from proctor.cli.service import DatabaseOption, opened_database, settings_for
from proctor.errors import ConfigError

audit_app = typer.Typer(no_args_is_help=True, help="The audit trail: a signed hash chain.")
KeyOption = Annotated[
    str | None,
    typer.Option(
        "--public-key",
        help="Trust only checkpoints signed by this Ed25519 public key (base64).",
    ),
]


def _report(verdict, as_json: bool) -> None:
    from proctor.audit.chain import problem_dict

    if as_json:
        typer.echo(json.dumps(problem_dict(verdict)))
    elif verdict.ok:
        signed = f", up to checkpoint {verdict.checkpoint_id}" if verdict.checkpoint_id else ""
        typer.echo(f"ok: {verdict.records} records chained{signed}")
    else:
        problem = verdict.problem
        typer.echo(f"BROKEN ({problem.kind}): {problem.message}", err=True)
    if not verdict.ok:
        raise typer.Exit(1)


@audit_app.command("verify")
def verify(
    database_url: DatabaseOption = None,
    export: Annotated[
        Path | None, typer.Option(help="Check an export folder instead of the database.")
    ] = None,
    public_key: KeyOption = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Check the whole chain and the latest signed checkpoint; name the first bad record.
    Exit status 1 when the chain is broken."""
    from proctor.audit.chain import verify as verify_db
    from proctor.audit.chain import verify_export

    if export is not None:
        _report(verify_export(export, public_key), as_json)
        return
    from proctor.store.database import make_sessionmaker

    with opened_database(database_url) as (_, engine), make_sessionmaker(engine)() as session:
        verdict = verify_db(session, public_key)
    _report(verdict, as_json)


@audit_app.command("export")
def export(
    out: Annotated[Path, typer.Option(help="Folder for records.jsonl and checkpoint.json.")],
    database_url: DatabaseOption = None,
) -> None:
    """Write every record and the latest signed checkpoint, for the committee to verify
    elsewhere with `proctor audit verify --export FOLDER --public-key KEY`."""
    from proctor.audit.chain import export as export_chain
    from proctor.store.database import make_sessionmaker

    with opened_database(database_url) as (_, engine), make_sessionmaker(engine)() as session:
        count, checkpoint = export_chain(session, out)
    typer.echo(f"{count} records, checkpoint {checkpoint or 'none'} -> {out}")


@audit_app.command("checkpoint")
def checkpoint(database_url: DatabaseOption = None) -> None:
    """Sign the chain's head now (the service also does so every few minutes)."""
    from proctor.audit.chain import sign_checkpoint
    from proctor.keys import audit_signing_key
    from proctor.store.database import make_sessionmaker

    settings = settings_for(database_url)
    key = audit_signing_key(settings)
    if key is None:
        raise ConfigError("set PROCTOR_AUDIT_SIGNING_KEY (see `proctor audit keygen`)")
    with (
        opened_database(database_url, settings) as (_, engine),
        make_sessionmaker(engine)() as session,
    ):
        made = sign_checkpoint(session, key)
        session.commit()
    typer.echo(f"checkpoint {made.id}: record {made.last_record_id}" if made else "nothing new")


@audit_app.command("keygen")
def keygen() -> None:
    """Print a new Ed25519 signing key (for PROCTOR_AUDIT_SIGNING_KEY) and its public key
    (for the committee)."""
    import base64

    from nacl.signing import SigningKey

    key = SigningKey.generate()
    typer.echo(f"PROCTOR_AUDIT_SIGNING_KEY={base64.b64encode(bytes(key)).decode()}")
    typer.echo(f"public key: {base64.b64encode(bytes(key.verify_key)).decode()}")
