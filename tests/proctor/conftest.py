from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import create_engine, select
from sqlalchemy.orm import Session

from proctor.store.audit import AuditRecord
from proctor.store.tables import Base


class AuditedSession(Session):
    """A real session on an in-memory database, for domain logic that writes audit records."""

    @property
    def added(self) -> list[AuditRecord]:
        """The audit records written so far, oldest first."""
        return list(self.scalars(select(AuditRecord).order_by(AuditRecord.id)))


@pytest.fixture
def session() -> Iterator[AuditedSession]:
    engine = create_engine("sqlite://")
    Base.metadata.create_all(engine)
    with AuditedSession(engine) as s:
        yield s
    engine.dispose()
