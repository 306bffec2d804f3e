"""`proctor serve`, `proctor db ...` and `proctor token ...`."""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer

from proctor.errors import ConfigError, ErrorCode, ProctorError

if TYPE_CHECKING:
    from sqlalchemy import Engine
    from sqlalchemy.orm import Session

    from proctor.settings import Settings

DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="PROCTOR_DATABASE_URL",
        help="SQLAlchemy URL; default: SQLite in PROCTOR_DATA_DIR (./proctor-data).",
    ),
]


def settings_for(database_url: str | None) -> Settings:
    from proctor.settings import Settings  # pydantic-settings: only for commands that need it

    return Settings(database_url=database_url) if database_url else Settings()


@contextlib.contextmanager
def opened_database(
    database_url: str | None, settings: Settings | None = None
) -> Iterator[tuple[Settings, Engine]]:
    """The settings, read once, and an engine on the database brought to the newest revision
    (nearly always one read of its revision), disposed of afterwards."""
    from proctor.store.database import make_engine
    from proctor.store.migrate import upgrade

    settings = settings or settings_for(database_url)
    engine = make_engine(settings.resolved_database_url())
    try:
        upgrade(engine)
        yield settings, engine
    finally:
        engine.dispose()


def migrate_database(database_url: str | None) -> str:
    from proctor.store.migrate import current_revision

    with opened_database(database_url) as (_, engine):
        return current_revision(engine) or "none"


def serve(
    database_url: DatabaseOption = None,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
) -> None:
    """Apply the database migrations and run the service (FastAPI under uvicorn)."""
    import uvicorn

    settings = settings_for(database_url)
    if settings.is_sqlite and workers > 1:
        raise ConfigError(
            "several workers need PostgreSQL: with SQLite, pauses are delivered in one process"
        )
    from proctor.keys import nik_key

    nik_key(settings)  # fail before binding the port, and create the key file once
    revision = migrate_database(database_url)
    typer.echo(f"database {settings.resolved_database_url().split('@')[-1]} at revision {revision}")
    if database_url:
        os.environ["PROCTOR_DATABASE_URL"] = database_url  # the workers read the same settings
    uvicorn.run(
        "proctor.api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level="info",
        # Event streams end on SIGINT/SIGTERM (proctor.api.stopping); this bounds the rest.
        timeout_graceful_shutdown=5,
    )


db_app = typer.Typer(no_args_is_help=True, help="Database schema.")


@db_app.command("upgrade")
def db_upgrade(database_url: DatabaseOption = None) -> None:
    """Apply every pending migration."""
    typer.echo(f"at revision {migrate_database(database_url)}")


token_app = typer.Typer(no_args_is_help=True, help="API tokens.")


def _resolve(session: Session, model: type, value: str, what: str) -> uuid.UUID:
    """A venue or station by id, or by code (station codes as VENUE/STATION)."""
    from sqlalchemy import select

    from proctor.store.exam import Station, Venue

    try:
        key = uuid.UUID(value)
    except ValueError:
        key = None
    if key is not None and session.get(model, key) is not None:
        return key
    if model is Venue:
        found = session.scalar(select(Venue.id).where(Venue.code == value))
    else:
        venue_code, _, station_code = value.rpartition("/")
        found = session.scalar(
            select(Station.id)
            .join(Venue, Venue.id == Station.venue_id)
            .where(Venue.code == venue_code, Station.code == station_code)
        )
    if found is None:
        raise ProctorError(f"no {what} {value!r}", code=ErrorCode.NOT_FOUND)
    return found


@token_app.command("create")
def token_create(
    role: Annotated[
        str,
        typer.Option(help="admin, proctor, committee, station, complaint_officer or custodian."),
    ],
    venue: Annotated[str | None, typer.Option(help="Venue id or code (proctor).")] = None,
    station: Annotated[
        str | None, typer.Option(help="Station id or VENUE_CODE/STATION_CODE (station).")
    ] = None,
    label: Annotated[str, typer.Option(help="Who or what holds it.")] = "",
    database_url: DatabaseOption = None,
) -> None:
    """Issue a token and print it once; only its digest is stored."""
    from proctor.access.tokens import Role, issue_token
    from proctor.store.database import make_sessionmaker
    from proctor.store.exam import Station, Venue

    try:
        chosen = Role(role)
    except ValueError:
        raise ProctorError(
            f"unknown role {role!r}; choose one of {', '.join(Role)}",
            code=ErrorCode.REQUEST_INVALID,
        ) from None
    with opened_database(database_url) as (_, engine), make_sessionmaker(engine)() as session:
        venue_id = _resolve(session, Venue, venue, "venue") if venue else None
        station_id = _resolve(session, Station, station, "station") if station else None
        token, secret = issue_token(
            session, chosen, actor="cli", venue_id=venue_id, station_id=station_id, label=label
        )
        session.commit()
    typer.echo(secret)
    typer.echo(f"token {token.id} ({chosen}); shown once, keep it secret", err=True)


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id (printed at creation).")],
    database_url: DatabaseOption = None,
) -> None:
    """Revoke a token at once."""
    from proctor.access.tokens import revoke_token
    from proctor.store.database import make_engine, make_sessionmaker

    try:
        key = uuid.UUID(token_id)
    except ValueError:
        raise ProctorError(f"{token_id!r} is not a token id", code=ErrorCode.NOT_FOUND) from None
    engine = make_engine(settings_for(database_url).resolved_database_url())
    try:
        with make_sessionmaker(engine)() as session:
            revoke_token(session, key, actor="cli")
            session.commit()
    finally:
        engine.dispose()
    typer.echo(f"revoked {key}")
