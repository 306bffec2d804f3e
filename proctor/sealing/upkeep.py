"""What the service does with sealed data at start, and `proctor data-key` on demand: check that
the configured master key opens what is stored, seal rows stored before sealing existed, and
re-wrap every data key under a new master key."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import Engine, select, text, update
from sqlalchemy.orm import Session, sessionmaker

from proctor.audit import trail
from proctor.errors import ConfigError
from proctor.sealing.columns import ALL, SealedColumn
from proctor.sealing.envelope import Keyring, SealError, place, rewrap, unwrap, wrapped_by
from proctor.sealing.master_key import data_keyring
from proctor.sealing.values import bind, keyring_of
from proctor.settings import Settings
from proctor.store.database import make_sessionmaker

logger = logging.getLogger(__name__)

BATCH = 500  # rows a transaction seals or re-wraps: short write turns beside live stations
ACTOR = "system:sealing"
T = TypeVar("T")


def check_keyring(session: Session) -> None:
    """Refuses a master key that does not open what is stored (the oldest and the newest sealed
    row of each kind): a wrong key stops the service at start, never at the first photo."""
    keyring = keyring_of(session)
    for column in ALL:
        model, key = column.model, getattr(column.model, column.key)
        for order in (model.id.asc(), model.id.desc()):
            row = session.execute(
                select(model.id, key).where(key.is_not(None)).order_by(order).limit(1)
            ).first()
            if row is None:
                break
            try:
                unwrap(keyring, row[1], place(column.table, row[0]))
            except SealError as exc:
                raise ConfigError(
                    f"the configured data master key ({keyring.current_id.hex()}) does not open "
                    f"the data stored in {column.table} (sealed with "
                    f"{(wrapped_by(row[1]) or b'').hex()}): {exc.message}"
                ) from exc


@dataclass
class Pass:
    """What one pass over the sealed columns changed, per table."""

    counts: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())


def seal_plain_rows(sessions: sessionmaker[Session]) -> Pass:
    """Seals the rows stored before sealing existed (their key column is null), in batches, each
    its own transaction: no image or template stays in the clear after a start."""
    counts = {}
    for column in ALL:
        done = 0
        while changed := _in_turn(sessions, lambda s, c=column: _seal_plain(s, c)):
            done += changed
        _audit_pass(sessions, "data.sealed", column, done)
        counts[column.table] = done
    if any(counts.values()):
        drop_old_copies(sessions)
    return Pass(counts)


def drop_old_copies(sessions: sessionmaker[Session]) -> None:
    """After sealing or deleting. SQLite: the replaced bytes are zeroed in the database file
    (secure_delete), but their old pages stay in the write-ahead log until it is checkpointed
    and cut. PostgreSQL keeps the old row versions as dead tuples until VACUUM reuses their
    space; VACUUM FULL of the sealed tables drops them (an operator's step: it locks them)."""
    with sessions() as session:
        if session.get_bind().dialect.name == "sqlite":
            session.execute(text("PRAGMA wal_checkpoint(TRUNCATE)"))


def rewrap_all(sessions: sessionmaker[Session]) -> Pass:
    """Wraps every data key that another master key wrapped under the keyring's current one, a
    page of rows at a time in the order of their ids; the sealed images and templates
    themselves are not touched."""
    counts = {}
    for column in ALL:
        done, after = 0, None
        while True:
            page = _in_turn(sessions, lambda s, c=column, a=after: _rewrap_page(s, c, a))
            if page is None:
                break
            changed, after = page
            done += changed
        _audit_pass(sessions, "data.key_rewrapped", column, done)
        counts[column.table] = done
    return Pass(counts)


def _in_turn(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    with sessions() as session:
        result = work(session)
        session.commit()
    return result


def _audit_pass(
    sessions: sessionmaker[Session], action: str, column: SealedColumn, rows: int
) -> None:
    if not rows:
        return
    with sessions() as session:
        trail.record(session, actor=ACTOR, action=action, subject_type="table",
                     subject_id=column.table, rows=rows,
                     key_id=keyring_of(session).current_id.hex())  # fmt: skip
        session.commit()
    logger.info("%s: %d rows of %s", action, rows, column.table)


def _seal_plain(session: Session, column: SealedColumn) -> int:
    table = column.model.__table__
    key = table.c[column.key]
    unsealed = [key.is_(None)]
    if "purged_at" in table.c:  # a purged image has no key and no bytes: nothing to seal
        unsealed.append(table.c.purged_at.is_(None))
    rows = session.execute(
        select(table.c.id, table.c[column.value]).where(*unsealed).limit(BATCH)
    ).all()
    for row_id, value in rows:
        # Another server may seal the same rows at its start: only a still-plain row changes.
        session.execute(
            update(table)
            .where(table.c.id == row_id, *unsealed)
            .values(**column.seal(session, row_id, value))
        )
    return len(rows)


def _rewrap_page(
    session: Session, column: SealedColumn, after: uuid.UUID | None
) -> tuple[int, uuid.UUID] | None:
    """Re-wraps the stale keys among the next page of rows; None past the last row."""
    keyring: Keyring = keyring_of(session)
    table = column.model.__table__
    key = table.c[column.key]
    query = select(table.c.id, key).where(key.is_not(None)).order_by(table.c.id).limit(BATCH)
    if after is not None:
        query = query.where(table.c.id > after)
    page = session.execute(query).all()
    if not page:
        return None
    changed = 0
    for row_id, wrapped in page:
        if wrapped_by(wrapped) == keyring.current_id:
            continue
        session.execute(
            update(table)
            .where(table.c.id == row_id, key == wrapped)
            .values({column.key: rewrap(keyring, wrapped, place(column.table, row_id))})
        )
        changed += 1
    return changed, page[-1][0]


def sealing_sessions(engine: Engine, settings: Settings) -> sessionmaker[Session]:
    """Sessions that seal and open with the deployment's master key, once it is known to open
    what is stored: a command with a wrong key stops before it seals anything under it."""
    factory = bind(make_sessionmaker(engine), data_keyring(settings))
    with factory() as session:
        check_keyring(session)
    return factory
