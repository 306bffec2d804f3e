"""Database engines and sessions: SQLite in WAL mode by default, PostgreSQL when configured."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

from proctor.errors import ConfigError, ErrorCode, RejectedInputError


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for `url`. For SQLite the folder is created and every connection gets WAL,
    foreign keys and a busy timeout, so the threads of one server can share the file."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(
            url, connect_args={"check_same_thread": False, "timeout": 30}, **kwargs
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "before_cursor_execute", _refuse_nul)
        return engine
    if backend == "postgresql":
        if parsed.get_driver_name() != "psycopg":
            raise ConfigError(
                "PostgreSQL URLs must name the psycopg driver: postgresql+psycopg://..."
            )
        engine = create_engine(url, pool_pre_ping=True, **kwargs)
        event.listen(engine, "before_cursor_execute", _refuse_nul)
        return engine
    raise ConfigError(f"unsupported database {backend!r}: use sqlite or postgresql+psycopg")


def _refuse_nul(
    _conn: Any, _cursor: Any, _statement: str, parameters: Any, _context: Any, _many: bool
) -> None:
    """Text with a NUL character is refused as invalid input before it reaches the database:
    PostgreSQL cannot store it (a server error there), SQLite would, so both refuse it alike,
    whatever field, form or query string it came in."""
    if _holds_nul(parameters):
        raise RejectedInputError(
            "text may not contain NUL characters", code=ErrorCode.REQUEST_INVALID
        )


def _holds_nul(value: Any) -> bool:
    # Parameters come as a dict, a row, or rows of either (executemany, batched inserts).
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(v) for v in value.values())
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Freed content is overwritten with zeros: an image sealed or deleted leaves no old copy in
    # the file's free pages.
    cursor.execute("PRAGMA secure_delete=ON")
    cursor.close()


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    # expire_on_commit=False: responses are built from objects after their commit.
    return sessionmaker(engine, expire_on_commit=False)
