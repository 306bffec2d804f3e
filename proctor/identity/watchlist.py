"""The watchlist: confirmed proxies and known joki, searched at every checkpoint and in every
face_mismatch incident's snapshots (BKN blacklists caught joki; this is where a face meets it).

An entry is put on by two reviewers confirming a proxy (his incident's live faces, at once) or
by an admin with a photo and a reason. It leaves by removal with a reason, or by expiring:

    active | expired -> removed      (active -> expired is the clock's, not a decision)

The list is small next to the registry (thousands, not millions), so every search compares
against every active face exactly, straight from the database: nothing to keep current.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

import numpy as np
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from proctor.audit import trail
from proctor.blobs import store_blob
from proctor.clock import utcnow
from proctor.errors import ConflictError, ErrorCode, RejectedInputError
from proctor.faces.photos import PhotoReading
from proctor.faces.protocol import FaceEngine
from proctor.reasons import reason_text
from proctor.sealing.columns import INCIDENT_TEMPLATES, WATCHLIST_TEMPLATES
from proctor.store.evidence import Incident
from proctor.store.identity import IncidentFace, WatchlistEntry, WatchlistFace
from proctor.transitions import require_move

MAX_LABEL = 200


class EntryState(StrEnum):
    ACTIVE = "active"
    EXPIRED = "expired"
    REMOVED = "removed"


class EntrySource(StrEnum):
    CONFIRMED_PROXY = "confirmed_proxy"
    ADMIN = "admin"


E = EntryState
TRANSITIONS: dict[EntryState, frozenset[EntryState]] = {
    E.ACTIVE: frozenset({E.REMOVED}),
    E.EXPIRED: frozenset({E.REMOVED}),  # taken off the record early, with its reason
    E.REMOVED: frozenset(),
}


def state(entry: WatchlistEntry, now: datetime) -> EntryState:
    if entry.removed_at is not None:
        return E.REMOVED
    if entry.expires_at is not None and entry.expires_at <= now:
        return E.EXPIRED
    return E.ACTIVE


def _active(now: datetime):
    return (
        WatchlistEntry.removed_at.is_(None),
        or_(WatchlistEntry.expires_at.is_(None), WatchlistEntry.expires_at > now),
    )


def _check_expiry(expires_at: datetime | None) -> None:
    if expires_at is not None and expires_at <= utcnow():
        raise ConflictError("an entry cannot expire in the past", code=ErrorCode.REQUEST_INVALID)


def add_photo(
    session: Session,
    reading: PhotoReading,
    *,
    label: str,
    reason: str,
    actor: str,
    expires_at: datetime | None = None,
) -> WatchlistEntry:
    """An admin lists a known joki from a photo. The photo must show one usable face."""
    if reading.embedding is None or not reading.quality.acceptable:
        raise RejectedInputError(
            "the photo shows no usable face",
            code=ErrorCode.PHOTO_REJECTED,
            reasons=[r.to_dict() for r in reading.quality.reasons],
        )
    _check_expiry(expires_at)
    label = " ".join(label.split())[:MAX_LABEL]
    if not label:
        raise ConflictError("an entry needs a label", code=ErrorCode.REQUEST_INVALID)
    entry = WatchlistEntry(
        source=str(EntrySource.ADMIN),
        label=label,
        reason=reason_text(reason),
        added_by=actor,
        expires_at=expires_at,
    )
    session.add(entry)
    session.flush()
    blob = store_blob(session, reading.data, reading.content_type)
    face_id = uuid.uuid4()
    session.add(
        WatchlistFace(
            id=face_id,
            entry_id=entry.id,
            engine=reading.engine,
            blob_id=blob.id,
            **WATCHLIST_TEMPLATES.seal_template(session, face_id, reading.embedding),
        )
    )
    _audit_added(session, entry, actor=actor, faces=1)
    return entry


def add_confirmed_proxy(
    session: Session, incident: Incident, *, actor: str
) -> WatchlistEntry | None:
    """Put the proxy of a confirmed incident on the list, from the live faces its proxy search
    embedded. None when none is known yet (the search puts him on when it has run) or when he
    is already listed from this incident."""
    faces = list(
        session.scalars(
            select(IncidentFace)
            .where(IncidentFace.incident_id == incident.id)
            .order_by(IncidentFace.position)
        )
    )
    listed = session.scalar(
        select(WatchlistEntry.id).where(WatchlistEntry.incident_id == incident.id)
    )
    if not faces or listed is not None:
        return None
    entry = WatchlistEntry(
        source=str(EntrySource.CONFIRMED_PROXY),
        incident_id=incident.id,
        label=f"proxy confirmed in incident {incident.id}",
        reason="joki terbukti, dikonfirmasi dua peninjau",
        added_by=actor,
    )
    session.add(entry)
    session.flush()
    for face in faces:
        template = INCIDENT_TEMPLATES.open(session, face.id, face.template, face.template_key)
        face_id = uuid.uuid4()  # sealed anew: a sealed value opens on its own row only
        session.add(
            WatchlistFace(
                id=face_id,
                entry_id=entry.id,
                engine=face.engine,
                blob_id=face.blob_id,
                **WATCHLIST_TEMPLATES.seal(session, face_id, template),
            )
        )
    _audit_added(session, entry, actor=actor, faces=len(faces))
    return entry


def withdraw_for_incident(session: Session, incident: Incident, *, actor: str) -> None:
    """The proxy finding was overturned on appeal: his entry from that incident comes off."""
    entry = session.scalar(select(WatchlistEntry).where(WatchlistEntry.incident_id == incident.id))
    if entry is not None and state(entry, utcnow()) is not E.REMOVED:
        remove(session, entry, actor=actor, reason="the proxy finding was overturned on appeal")


def _audit_added(session: Session, entry: WatchlistEntry, *, actor: str, faces: int) -> None:
    trail.record(
        session,
        actor=actor,
        action="watchlist.added",
        subject_type="watchlist_entry",
        subject_id=entry.id,
        source=entry.source,
        incident_id=None if entry.incident_id is None else str(entry.incident_id),
        faces=faces,
        expires_at=None if entry.expires_at is None else entry.expires_at.isoformat(),
        reason=entry.reason,
    )


def remove(session: Session, entry: WatchlistEntry, *, actor: str, reason: str) -> None:
    current = state(entry, utcnow())
    require_move(TRANSITIONS, current, E.REMOVED, what="a watchlist entry")
    entry.removed_at, entry.removed_by = utcnow(), actor
    entry.removed_reason = reason_text(reason)
    trail.record(
        session,
        actor=actor,
        action="watchlist.removed",
        subject_type="watchlist_entry",
        subject_id=entry.id,
        previous=str(current),
        reason=entry.removed_reason,
    )


@dataclass(frozen=True, slots=True)
class WatchMatch:
    entry_id: uuid.UUID
    score: float


class Watchlist:
    """Searches a face against every active entry of one engine at its 1:N threshold."""

    def __init__(self, engine: FaceEngine, threshold: float) -> None:
        self.engine, self.threshold = engine, threshold

    def search(self, session: Session, embedding: np.ndarray) -> list[WatchMatch]:
        rows = session.execute(
            select(
                WatchlistFace.id,
                WatchlistFace.entry_id,
                WatchlistFace.template,
                WatchlistFace.template_key,
            )
            .join(WatchlistEntry, WatchlistEntry.id == WatchlistFace.entry_id)
            .where(WatchlistFace.engine == self.engine.name, *_active(utcnow()))
        ).all()
        if not rows:
            return []
        opened = WATCHLIST_TEMPLATES.open_template
        gallery = np.stack([opened(session, r[0], r[2], r[3]) for r in rows])
        scores = self.engine.compare_many(embedding, gallery)
        best: dict[uuid.UUID, float] = {}
        for (_, entry_id, _, _), score in zip(rows, scores, strict=True):
            if score >= self.threshold and score > best.get(entry_id, float("-inf")):
                best[entry_id] = float(score)
        return [WatchMatch(e, s) for e, s in sorted(best.items(), key=lambda kv: -kv[1])]


def entries(
    session: Session, *, include_inactive: bool = False, limit: int = 500
) -> list[WatchlistEntry]:
    """The list, newest first; active entries only unless asked."""
    query = select(WatchlistEntry).order_by(WatchlistEntry.created_at.desc()).limit(limit)
    if not include_inactive:
        query = query.where(*_active(utcnow()))
    return list(session.scalars(query))


def face_counts(session: Session, entry_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """How many faces each entry holds, in one query (templates are not read)."""
    if not entry_ids:
        return {}
    rows = session.execute(
        select(WatchlistFace.entry_id, func.count())
        .where(WatchlistFace.entry_id.in_(entry_ids))
        .group_by(WatchlistFace.entry_id)
    )
    return {entry_id: count for entry_id, count in rows}


def labels(session: Session, entry_ids: list[uuid.UUID]) -> dict[uuid.UUID, str]:
    if not entry_ids:
        return {}
    rows = session.execute(
        select(WatchlistEntry.id, WatchlistEntry.label).where(WatchlistEntry.id.in_(entry_ids))
    )
    return {entry_id: label for entry_id, label in rows}
