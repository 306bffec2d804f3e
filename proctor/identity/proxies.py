"""Who is the proxy? A `face_mismatch` incident's live snapshots are searched against every
enrolled candidate (the attempt's own left out); when the proxy is himself in the registry, the
incident names him. The same faces are searched on the watchlist (a hit goes to the venue's
proctors) and kept as the incident's faces, which link incidents into rings and put a proxy on
the watchlist once two reviewers confirm him. The service runs this in the background, so
filing the pause stays fast.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.audit import trail
from proctor.blobs import blob_bytes
from proctor.errors import ProctorError
from proctor.exam import catalog
from proctor.faces.photos import PhotoReader
from proctor.identity import watch_hits, watchlist
from proctor.identity.registry import Hit, Registry
from proctor.identity.watch_hits import HitPlace
from proctor.identity.watchlist import Watchlist, WatchMatch
from proctor.review.review import ReviewState
from proctor.sealing.columns import INCIDENT_TEMPLATES
from proctor.store.evidence import Incident, IncidentEvidence, ProxySearch
from proctor.store.exam import Attempt, Blob
from proctor.store.identity import IncidentFace

logger = logging.getLogger(__name__)
SEARCHED_REASONS = ("face_mismatch",)


def pending(session: Session, limit: int = 20) -> list[uuid.UUID]:
    """Incidents of a face mismatch not searched yet, oldest first."""
    query = (
        select(Incident.id)
        .outerjoin(ProxySearch, ProxySearch.incident_id == Incident.id)
        .where(Incident.reason.in_(SEARCHED_REASONS), ProxySearch.id.is_(None))
        .order_by(Incident.opened_at)
        .limit(limit)
    )
    return list(session.scalars(query))


def search_incident(
    session: Session,
    incident: Incident,
    reader: PhotoReader,
    registry: Registry,
    watch: Watchlist | None = None,
) -> ProxySearch:
    """Search each live snapshot's face; keep each enrolled candidate's best score."""
    attempt = catalog.get(session, Attempt, incident.attempt_id, "attempt")
    snapshots = session.execute(
        select(Blob)
        .join(IncidentEvidence, IncidentEvidence.blob_id == Blob.id)
        .where(IncidentEvidence.incident_id == incident.id)
        .where(IncidentEvidence.kind == "live_snapshot")
        .order_by(IncidentEvidence.position)
    )
    best: dict[uuid.UUID, Hit] = {}
    listed: dict[uuid.UUID, WatchMatch] = {}
    faces = 0
    for blob in snapshots.scalars():
        image = blob_bytes(session, blob)  # one that does not open is an error, never skipped
        try:
            reading = reader.read(image)
        except ProctorError:  # an unreadable snapshot is no evidence either way
            continue
        if reading.embedding is None:
            continue
        face_id = uuid.uuid4()
        session.add(
            IncidentFace(
                id=face_id,
                incident_id=incident.id,
                engine=reading.engine,
                position=faces,
                blob_id=blob.id,
                **INCIDENT_TEMPLATES.seal_template(session, face_id, reading.embedding),
            )
        )
        faces += 1
        for hit in registry.search(session, reading.embedding, exclude=attempt.candidate_id):
            if hit.candidate_id not in best or hit.score > best[hit.candidate_id].score:
                best[hit.candidate_id] = hit
        for match in watch.search(session, reading.embedding) if watch else []:
            known = listed.get(match.entry_id)
            if known is None or match.score > known.score:
                listed[match.entry_id] = match
    ranked = sorted(best.values(), key=lambda h: -h.score)
    numbers = catalog.participant_numbers(session, [h.candidate_id for h in ranked])
    found = ProxySearch(
        incident_id=incident.id,
        engine=registry.engine.name,
        threshold=registry.threshold,
        faces=faces,
        hits=[
            {
                "candidate_id": str(h.candidate_id),
                "participant_number": numbers.get(h.candidate_id, ""),
                "score": round(h.score, 6),
            }
            for h in ranked
        ],
    )
    session.add(found)
    session.flush()
    trail.record(
        session,
        actor="service",
        action="incident.proxy_searched",
        subject_type="incident",
        subject_id=incident.id,
        faces=faces,
        candidates=[h["candidate_id"] for h in found.hits],
    )
    if listed and watch is not None:
        watch_hits.raise_hits(
            session,
            sorted(listed.values(), key=lambda m: -m.score),
            place=HitPlace.SNAPSHOT,
            attempt=attempt,
            engine=registry.engine.name,
            threshold=watch.threshold,
            incident_id=incident.id,
        )
    if incident.status == ReviewState.CONFIRMED_PROXY:  # confirmed before the search had run
        watchlist.add_confirmed_proxy(session, incident, actor="service")
    return found


def search_pending(
    session_factory: Callable[[], Session],
    reader: PhotoReader,
    registry_of: Callable[[], Registry],
    watchlist_of: Callable[[], Watchlist] | None = None,
) -> int:
    """One round: search every pending incident, each in its own transaction. Returns how many
    were searched. The registry (and the engine behind it) is loaded only when one waits."""
    done = 0
    with session_factory() as session:
        waiting = pending(session)
    registry = registry_of() if waiting else None
    watch = watchlist_of() if waiting and watchlist_of is not None else None
    for incident_id in waiting:
        with session_factory() as session:
            incident = session.get(Incident, incident_id, with_for_update=True)
            if incident is None or session.scalar(
                select(ProxySearch.id).where(ProxySearch.incident_id == incident_id)
            ):
                continue  # another process took it
            search_incident(session, incident, reader, registry, watch)  # type: ignore[arg-type]
            session.commit()
            done += 1
    return done


def result(session: Session, incident_id: uuid.UUID) -> ProxySearch | None:
    return session.scalar(select(ProxySearch).where(ProxySearch.incident_id == incident_id))
