"""`proctor data-key create | rotate`: the master key that seals every stored image and face
template."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from proctor.cli.service import DatabaseOption, opened_database, settings_for
from proctor.errors import ConfigError

data_key_app = typer.Typer(
    no_args_is_help=True,
    help="The data master key: every stored image and template is sealed under it.",
)


@data_key_app.command("create")
def create(
    out: Annotated[
        Path | None,
        typer.Option(help="Write the key to this file (mode 600, never over another file)."),
    ] = None,
) -> None:
    """Make a data master key: print it for PROCTOR_DATA_KEY, or write it to a key file
    (PROCTOR_DATA_KEY_FILE) outside the data folder."""
    from proctor.cli.key_files import hand_out
    from proctor.sealing.envelope import key_id
    from proctor.sealing.master_key import encode, new_key, write_key_file

    key = new_key()
    hand_out(out, "PROCTOR_DATA_KEY", encode(key), lambda path: write_key_file(path, key))
    typer.echo(f"key id: {key_id(key).hex()}")


@data_key_app.command("rotate")
def rotate(
    new_key_file: Annotated[
        Path | None,
        typer.Option(
            help="The new key (from `create --out`), with the servers stopped. Without it: "
            "re-wrap under the configured key, the servers running with the new key as "
            "PROCTOR_DATA_KEY(_FILE) and the old as PROCTOR_DATA_PREVIOUS_KEY_FILE."
        ),
    ] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Re-wrap the data key of every stored image and template under the new master key; the
    images and templates themselves are not rewritten. A key file in use is replaced by the
    new one; a key set in PROCTOR_DATA_KEY is replaced by hand."""
    from proctor.sealing.envelope import Keyring
    from proctor.sealing.master_key import data_keyring, key_file, read_key_file
    from proctor.sealing.upkeep import check_keyring, rewrap_all
    from proctor.sealing.values import bind
    from proctor.store.database import make_sessionmaker

    settings = settings_for(database_url)
    keyring = data_keyring(settings)
    if new_key_file is not None:
        new = read_key_file(new_key_file)
        if new == keyring.current:
            raise ConfigError("the new key is the key in use")
        keyring = Keyring(new, (keyring.current, *keyring.older))
    with opened_database(database_url, settings) as (_, engine):
        sessions = bind(make_sessionmaker(engine), keyring)
        with sessions() as session:
            check_keyring(session)
        done = rewrap_all(sessions)
    for table, rows in done.counts.items():
        typer.echo(f"{table}: {rows} data keys re-wrapped")
    typer.echo(f"every data key is now wrapped by {keyring.current_id.hex()}")
    if new_key_file is None:
        typer.echo("the previous key is no longer needed: unset PROCTOR_DATA_PREVIOUS_KEY_FILE")
    elif settings.data_key is None:  # the old key's file takes the new key's place
        new_key_file.replace(key_file(settings))
        typer.echo(f"the new key is now {key_file(settings)}; the old one is gone")
    else:
        typer.echo("now set PROCTOR_DATA_KEY to the new key before starting")
