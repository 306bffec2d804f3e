"""The Alembic migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import inspect, text

from proctor.store.database import make_engine
from proctor.store.migrate import (
    HEAD,
    alembic_config,
    current_revision,
    head_revision,
    upgrade,
)
from proctor.store.tables import Base
from tests.support.sealing import sealed_sessions


def test_migrations_match_the_models(migrated):
    engine = make_engine(migrated)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
        assert current_revision(engine) == head_revision(engine) == HEAD  # HEAD kept up to date
    finally:
        engine.dispose()


def test_upgrade_is_idempotent_and_downgrade_removes_everything(migrated):
    from alembic import command

    engine = make_engine(migrated)
    try:
        upgrade(engine)  # a second run changes nothing
        assert current_revision(engine) == head_revision(engine)
        command.downgrade(alembic_config(engine), "base")
        assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
        upgrade(engine)
        assert "attempts" in inspect(engine).get_table_names()
    finally:
        engine.dispose()


def stop_service(world) -> None:
    """Ends the world's service (its lifespan, so its head round, which reads the audit tree
    twice a second): a downgrade's DROP INDEX beside it can deadlock on PostgreSQL. The
    fixture's own exit later finds nothing left to close."""
    world.client.__exit__(None, None, None)


def unsealed(engine) -> None:
    """Forgets the data keys, as if the rows were stored before 0020: a downgrade below it
    refuses sealed rows (their keys would be lost), and these tests are about older data."""
    import importlib

    sealed = importlib.import_module("proctor.store.migrations.versions.0020_sealed_biometrics")
    with engine.begin() as connection:
        for table, column in sealed.KEYS.items():
            connection.execute(text(f"UPDATE {table} SET {column} = NULL"))


def test_a_downgrade_below_sealing_refuses_sealed_rows(world, migrated):
    from alembic import command

    engine = make_engine(migrated)
    try:
        stop_service(world)
        with pytest.raises(RuntimeError, match="blobs holds sealed rows"):
            command.downgrade(alembic_config(engine), "0019")
    finally:
        engine.dispose()


def test_sqlite_runs_in_wal_mode_with_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x' / 'p.db'}")
    try:
        with engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()


def test_migrations_down_and_up_keep_the_data_and_its_foreign_keys(world, migrated):
    """From the first revision to the head with rows in every table the exam touches: SQLite's
    table copies (stations, api_tokens) run with referenced rows, and attempts under way get
    their newest score (0006)."""
    from alembic import command

    from tests.support.helpers import obs, post_batch, running

    running(world)
    post_batch(world, [obs(1, 0.95), obs(2, 0.93), obs(3, None, faces=0)])
    engine = make_engine(migrated)
    try:
        stop_service(world)
        unsealed(engine)
        command.downgrade(alembic_config(engine), "0001")
        upgrade(engine)
        with engine.connect() as connection:
            kept = connection.execute(text("SELECT last_score, last_score_seq FROM attempts")).all()
            counts = [
                connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in ("stations", "attempts", "observations", "api_tokens")
            ]
            if engine.dialect.name == "sqlite":
                assert connection.exec_driver_sql("PRAGMA foreign_key_check").all() == []
                assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
        assert [(round(score, 2), seq) for score, seq in kept] == [(0.93, 2)]
        assert counts[:3] == [2, 1, 3] and counts[3] >= 6
    finally:
        engine.dispose()


def test_records_chained_by_the_migration_verify_with_the_live_chain(world, migrated):
    """0004 chains the records written before the chain existed with its own copy of the hash:
    the live checker must accept what it wrote."""
    from alembic import command
    from sqlalchemy import func, select

    from proctor.audit import chain
    from proctor.store.audit import AuditRecord
    from tests.support.helpers import running

    running(world)
    engine = make_engine(migrated)
    try:
        stop_service(world)
        unsealed(engine)
        command.downgrade(alembic_config(engine), "0003")
        upgrade(engine)
        with sealed_sessions(engine)() as session:
            records = session.scalar(select(func.count()).select_from(AuditRecord))
            verdict = chain.verify(session)
    finally:
        engine.dispose()
    assert records >= 6
    assert verdict.ok, verdict.problem
    assert verdict.records == records
