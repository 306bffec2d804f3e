"""Database fixtures for every test: each test gets an empty, migrated database on SQLite and
on PostgreSQL (a schema of its own, dropped afterwards)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from proctor.store.database import make_engine
from proctor.store.migrate import upgrade
from tests.support.sealing import sealed_sessions
from tests.support.seed import postgres_schema

POSTGRES_ENV = "PROCTOR_TEST_POSTGRES_URL"


def postgres_admin_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        pytest.skip(
            f"{POSTGRES_ENV} is not set; scripts/test.sh sets it to the local PostgreSQL "
            "(postgresql+psycopg://postgres@127.0.0.1:5432/test)"
        )
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'proctor.db'}"
        return
    with postgres_schema(postgres_admin_url()) as url:
        yield url


def migrate(url: str) -> str:
    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()
    return url


@pytest.fixture
def postgres_migrated() -> Iterator[str]:
    with postgres_schema(postgres_admin_url()) as url:
        yield migrate(url)


@pytest.fixture
def migrated(database_url: str) -> str:
    return migrate(database_url)


@pytest.fixture
def db(migrated: str) -> Iterator[Session]:
    engine = make_engine(migrated)
    with sealed_sessions(engine)() as session:
        yield session
    engine.dispose()
