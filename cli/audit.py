"""`proctor audit verify | export | witness | checkpoint | keygen | public-key | rotate-key`:
the tamper-evident audit log."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from proctor.cli.service import DatabaseOption, opened_database, settings_for
from proctor.errors import ConfigError

audit_app = typer.Typer(
    no_args_is_help=True,
    help="The audit log: a hash chain and a Merkle tree, with signed heads witnesses keep.",
)
KeyOption = Annotated[
    str | None,
    typer.Option(
        "--public-key",
        help="Trust only heads signed by this Ed25519 public key (base64), or by keys it "
        "handed over to in a recorded rotation.",
    ),
]
AgainstOption = Annotated[
    Path | None,
    typer.Option(
        "--against",
        help="Heads the log must extend: a witness's store, a station's kept heads, or an "
        "export folder.",
    ),
]


def _report(verdict, as_json: bool) -> None:
    from proctor.audit.chain import problem_dict

    if as_json:
        typer.echo(json.dumps(problem_dict(verdict)))
    elif verdict.ok:
        signed = f", up to signed head {verdict.checkpoint_id}" if verdict.checkpoint_id else ""
        witnessed = f"; extends all {verdict.witnessed} witness heads" if verdict.witnessed else ""
        typer.echo(f"ok: {verdict.records} records chained{signed}{witnessed}")
    else:
        problem = verdict.problem
        typer.echo(f"BROKEN ({problem.kind}): {problem.message}", err=True)
    if not verdict.ok:
        raise typer.Exit(1)


def _against(path: Path | None) -> list[dict] | None:
    from proctor.audit.witness import load_heads

    return None if path is None else load_heads(path)


@audit_app.command("verify")
def verify(
    database_url: DatabaseOption = None,
    export: Annotated[
        Path | None, typer.Option(help="Check an export folder instead of the database.")
    ] = None,
    public_key: KeyOption = None,
    against: AgainstOption = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Check the whole chain, the latest signed head, and every head in --against; name the
    first bad record or the first head the log cannot extend. Exit status 1 when broken."""
    from proctor.audit.chain import verify as verify_db
    from proctor.audit.export import verify_export

    heads = _against(against)
    if export is not None:
        _report(verify_export(export, public_key, heads), as_json)
        return
    from proctor.store.database import make_sessionmaker

    with opened_database(database_url) as (_, engine), make_sessionmaker(engine)() as session:
        verdict = verify_db(session, public_key, heads)
    _report(verdict, as_json)


@audit_app.command("export")
def export(
    out: Annotated[Path, typer.Option(help="Folder for the records, heads and proofs.")],
    database_url: DatabaseOption = None,
    against: AgainstOption = None,
) -> None:
    """Write every record, the latest signed head, the key hand-overs and (with --against)
    the consistency proofs from a witness's heads, for the committee to verify elsewhere with
    `proctor audit verify --export FOLDER --public-key KEY [--against HEADS]`."""
    from proctor.audit.export import export as export_log
    from proctor.store.database import make_sessionmaker

    heads = _against(against)
    with opened_database(database_url) as (_, engine), make_sessionmaker(engine)() as session:
        count, head = export_log(session, out, heads)
    typer.echo(f"{count} records, signed head {head or 'none'} -> {out}")


@audit_app.command("witness")
def witness(
    server: Annotated[str, typer.Option(help="The service's address, e.g. https://host:8000.")],
    store: Annotated[Path, typer.Option(help="The JSON file of the heads seen so far.")],
    token: Annotated[
        str | None,
        typer.Option(envvar="PROCTOR_TOKEN", help="A committee token (or PROCTOR_TOKEN)."),
    ] = None,
    every: Annotated[float, typer.Option(min=0, help="Seconds between pulls; 0: pull once.")] = 0,
) -> None:
    """Pull the latest signed head, keep it when the server proves it extends the heads in
    --store, and exit 1 at once when it does not (a cut or rebuilt log)."""
    import time

    import httpx2

    from proctor.audit.witness import witness as witness_once

    base = server.rstrip("/") + "/api/v1"
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with httpx2.Client(headers=headers, timeout=30) as client:

        def fetch(path: str) -> dict:
            response = client.get(base + path)
            if response.status_code >= 400:
                typer.echo(f"{server} answered {response.status_code}: {response.text}", err=True)
                raise typer.Exit(2)
            return response.json()

        while True:
            try:
                seen = witness_once(store, fetch)
            except httpx2.HTTPError as exc:
                typer.echo(f"{server}: {type(exc).__name__}: {exc}", err=True)
                raise typer.Exit(2) from exc
            typer.echo(("ok: " if seen.ok else "NOT EXTENDED: ") + seen.message,
                       err=not seen.ok)  # fmt: skip
            if not seen.ok:
                raise typer.Exit(1)
            if every <= 0:
                return
            time.sleep(every)


@audit_app.command("station-heads")
def station_heads(
    outbox: Annotated[Path, typer.Option(help="The station agent's outbox file.")],
    out: Annotated[Path, typer.Option(help="The witness file to write.")],
) -> None:
    """Write the signed heads a station's agent kept, as a witness file for
    `proctor audit verify --against`."""
    from proctor.audit.witness import save_heads
    from proctor.errors import ErrorCode, InputFileError

    if not outbox.is_file():
        raise InputFileError(f"{outbox}: no such file", code=ErrorCode.FILE_NOT_FOUND,
                             path=str(outbox))  # fmt: skip
    from proctor.cameras.outbox import Outbox

    kept = Outbox(outbox)
    try:
        heads = kept.heads()
    finally:
        kept.close()
    save_heads(out, heads)
    typer.echo(f"{len(heads)} signed heads -> {out}")


@audit_app.command("checkpoint")
def checkpoint(database_url: DatabaseOption = None) -> None:
    """Sign a head over the log now (the service signs one within a second of any change)."""
    from proctor.audit.heads import sign_head
    from proctor.keys import audit_signing_key
    from proctor.store.database import make_sessionmaker

    settings = settings_for(database_url)
    key = audit_signing_key(settings)
    with (
        opened_database(database_url, settings) as (_, engine),
        make_sessionmaker(engine)() as session,
    ):
        made = sign_head(session, key)
        session.commit()
    typer.echo(f"signed head {made.id}: {made.tree_size} records" if made else "nothing new")


@audit_app.command("keygen")
def keygen(
    out: Annotated[
        Path | None,
        typer.Option(help="Write the key to this file (mode 600) instead of printing it."),
    ] = None,
) -> None:
    """Make an Ed25519 signing key: print it for PROCTOR_AUDIT_SIGNING_KEY, or write it to
    a key file (PROCTOR_AUDIT_SIGNING_KEY_FILE); print its public key for the committee to
    pin (`verify --public-key`)."""
    import base64

    from nacl.signing import SigningKey

    from proctor.audit.heads import public_key_of
    from proctor.cli.key_files import hand_out
    from proctor.keys import write_key_file

    key = SigningKey.generate()
    encoded = base64.b64encode(bytes(key)).decode()
    hand_out(out, "PROCTOR_AUDIT_SIGNING_KEY", encoded, lambda path: write_key_file(path, key))
    typer.echo(f"public key: {public_key_of(key)}")


@audit_app.command("public-key")
def public_key_command(database_url: DatabaseOption = None) -> None:
    """Print the public key of the key this deployment signs with, for the committee to pin."""
    from proctor.audit.heads import public_key_of
    from proctor.keys import audit_signing_key

    typer.echo(public_key_of(audit_signing_key(settings_for(database_url))))


@audit_app.command("rotate-key")
def rotate_key(
    new_key_file: Annotated[
        Path, typer.Option(help="The new key (from `keygen --out`); stop the servers first.")
    ],
    database_url: DatabaseOption = None,
) -> None:
    """Hand signing over to a new key: a recorded event, signed by the old key and the new.
    A key file in use is replaced by the new one; a key set in PROCTOR_AUDIT_SIGNING_KEY is
    replaced by hand. Heads the old key signs after the hand-over are refused by
    `verify --public-key`."""
    from proctor.audit.heads import public_key_of
    from proctor.audit.rotation import rotate
    from proctor.keys import audit_key_file, audit_signing_key, read_key_file
    from proctor.store.database import make_sessionmaker

    settings = settings_for(database_url)
    old = audit_signing_key(settings)
    new = read_key_file(new_key_file)
    if public_key_of(new) == public_key_of(old):
        raise ConfigError("the new key is the key in use")
    with (
        opened_database(database_url, settings) as (_, engine),
        make_sessionmaker(engine)() as session,
    ):
        rotate(session, old, new, actor="admin:cli")
        session.commit()
    typer.echo(f"handed over from {public_key_of(old)} to {public_key_of(new)}")
    if settings.audit_signing_key is None:  # the old key's file takes the new key's place
        new_key_file.replace(audit_key_file(settings))
        typer.echo(f"the new key is now {audit_key_file(settings)}; the old one is gone")
    else:
        typer.echo("now set PROCTOR_AUDIT_SIGNING_KEY to the new key before starting")
