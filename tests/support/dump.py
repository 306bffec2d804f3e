"""What a copy of the database shows: every row as text, and the SQLite file's own bytes."""

from __future__ import annotations

from sqlalchemy import inspect, text


def database_dump(db, url: str) -> str:
    """Every row of every table as text, as a dump would write them; for SQLite also the
    database file's bytes (free pages and the write-ahead log included)."""
    rows = []
    connection = db.connection()
    for table in inspect(connection).get_table_names():
        if connection.dialect.name == "postgresql":
            query = text(f'SELECT t::text FROM "{table}" t')
        else:
            query = text(f'SELECT * FROM "{table}"')
        rows += [repr(tuple(r)) for r in connection.execute(query)]
    dump = "\n".join(rows)
    if url.startswith("sqlite"):
        db.commit()
        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal"):
            try:
                with open(path + suffix, "rb") as f:
                    dump += f.read().decode("latin-1")
            except FileNotFoundError:
                pass
    return dump
