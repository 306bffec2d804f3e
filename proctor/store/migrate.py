"""Apply the Alembic migrations that ship inside the package (`proctor db upgrade`).

Every command that opens the database upgrades it first; when nothing is pending (nearly always)
that is one read of `alembic_version`, and Alembic itself is not even imported, so the commands
people run often start fast."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text

if TYPE_CHECKING:
    from alembic.config import Config

# The newest migration. `tests/proctor/store/test_migrations.py` checks it is Alembic's head.
HEAD = "0023"


def alembic_config(engine: Engine) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "proctor.store:migrations")
    # Passed as an object, not a URL string: no password or ConfigParser interpolation issues.
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    if revision == "head" and current_revision(engine) == HEAD:
        return
    from alembic import command

    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        if not inspect(connection).has_table("alembic_version"):
            return None
        return connection.scalar(text("SELECT version_num FROM alembic_version"))


def head_revision(engine: Engine) -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
