"""Alembic environment: runs on the engine handed over by `proctor.store.migrate`."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from proctor.store.base import UtcDateTime
from proctor.store.tables import Base


def _render_item(kind: str, obj: object, _context: object) -> str | bool:
    # Revisions must not import application code: write the plain column type.
    if kind == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def run_migrations_online() -> None:
    engine = context.config.attributes["engine"]
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode copies a table, drops the old one and renames the copy; while foreign
            # keys are enforced SQLite refuses to drop a table that holds referenced rows. They
            # are checked as a whole before the migration commits instead. (A PRAGMA outside
            # any transaction: the driver begins one only before a write.)
            connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            connection.commit()
        try:
            context.configure(
                connection=connection,
                target_metadata=Base.metadata,
                # SQLite alters tables by copying them; batch mode does that for us.
                render_as_batch=sqlite,
                compare_type=True,
                render_item=_render_item,
            )
            with context.begin_transaction():
                context.run_migrations()
                if sqlite:
                    _check_foreign_keys(connection)
            connection.commit()
        finally:
            if sqlite:
                connection.rollback()
                connection.exec_driver_sql("PRAGMA foreign_keys=ON")
                connection.commit()


def _check_foreign_keys(connection: Connection) -> None:
    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if broken:
        tables = sorted({row[0] for row in broken})
        raise RuntimeError(f"the migration would leave broken foreign keys in {tables}")


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `proctor db upgrade`")
run_migrations_online()
