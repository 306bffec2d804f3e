"""Alembic environment: runs on the engine handed over by `proctor.store.migrate`."""

from __future__ import annotations

from alembic import context

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
        context.configure(
            connection=connection,
            target_metadata=Base.metadata,
            # SQLite alters tables by copying them; batch mode does that for us.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            render_item=_render_item,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; run `proctor db upgrade`")
run_migrations_online()
