"""Text with a NUL character is refused before any statement runs, on every database and in
every shape SQLAlchemy sends parameters (one row, executemany, batched inserts)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from proctor.errors import ErrorCode, RejectedInputError
from proctor.store.database import make_engine
from proctor.store.exam import Venue
from tests.support.sealing import sealed_sessions


def test_nul_is_refused_in_single_and_batched_inserts(migrated: str):
    engine = make_engine(migrated)
    try:
        with sealed_sessions(engine)() as session:
            session.add_all([Venue(code=f"V-{i}", name=f"Venue {i}") for i in range(5)])
            session.commit()  # a batched insert without NUL goes through
            session.add_all([Venue(code="A-1", name="fine"), Venue(code="A-2", name="bad\x00")])
            with pytest.raises(RejectedInputError) as refused:
                session.commit()
            assert refused.value.code == ErrorCode.REQUEST_INVALID
            session.rollback()
            with pytest.raises(RejectedInputError):
                session.scalar(select(Venue).where(Venue.name == "x\x00"))
            session.rollback()
            assert session.scalar(select(func.count()).select_from(Venue)) == 5  # nothing more
    finally:
        engine.dispose()
