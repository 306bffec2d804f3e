"""A pause files an incident with its evidence, in the transaction that pauses the attempt."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.audit import trail
from proctor.exam.attempts import AttemptState, transition
from proctor.exam.observation_rows import Stored
from proctor.exam.policy import ObservationPolicy, PauseReason
from proctor.store.evidence import Checkpoint, Incident, IncidentEvidence
from proctor.store.exam import Attempt, Blob, RegistrationPhoto, Station

TIMELINE_LENGTH = 30  # observations kept in the incident's score timeline
SNAPSHOTS = 5  # most recent anomalous snapshots attached


def pause_with_incident(
    session: Session,
    attempt: Attempt,
    reason: PauseReason,
    *,
    trigger: Stored,
    window: Sequence[Stored],
    threshold: float,
    policy: ObservationPolicy,
    actor: str = "policy",
) -> Incident:
    """Stop the exam clock and file the incident, with registration photos, live snapshots,
    the checkpoints and the score timeline as evidence."""
    transition(
        session,
        attempt,
        AttemptState.PAUSED,
        actor=actor,
        reason=str(reason),
        observation_seq=trigger.seq,
    )
    recent = list(window)[-TIMELINE_LENGTH:]
    incident = Incident(
        attempt_id=attempt.id,
        reason=str(reason),
        details={
            "trigger_seq": trigger.seq,
            "threshold": threshold,
            "policy": policy.model_dump(mode="json"),
            "timeline": [
                {
                    "seq": o.seq,
                    "observed_at": o.observed_at.isoformat(),
                    "face_count": o.face_count,
                    "score": o.score,
                    "camera": o.camera,
                    "liveness_flags": list(o.liveness_flags),
                    "face_problems": list(o.face_problems or ()),
                }
                for o in recent
            ],
        },
    )
    session.add(incident)
    session.flush()
    evidence: list[IncidentEvidence] = []
    photos = session.scalars(
        select(RegistrationPhoto)
        .where(RegistrationPhoto.candidate_id == attempt.candidate_id)
        .order_by(RegistrationPhoto.created_at)
    )
    for photo in photos:
        evidence.append(IncidentEvidence(kind="registration_photo", blob_id=photo.blob_id))
    checkpoints = session.scalars(
        select(Checkpoint)
        .where(Checkpoint.attempt_id == attempt.id)
        .order_by(Checkpoint.created_at)
    )
    for checkpoint in checkpoints:
        evidence.append(
            IncidentEvidence(
                kind="checkpoint_photo",
                blob_id=checkpoint.photo_blob_id,
                checkpoint_id=checkpoint.id,
            )
        )
    snapshots = [o for o in recent if o.snapshot_blob_id is not None][-SNAPSHOTS:]
    for o in snapshots:
        evidence.append(
            IncidentEvidence(kind="live_snapshot", blob_id=o.snapshot_blob_id, observation_id=o.id)
        )
    for position, item in enumerate(evidence):
        item.incident_id, item.position = incident.id, position
        session.add(item)
    trail.record(
        session,
        actor=actor,
        action="incident.filed",
        subject_type="incident",
        subject_id=incident.id,
        attempt_id=str(attempt.id),
        reason=str(reason),
        evidence=len(evidence),
        snapshots=len(snapshots),
    )
    return incident


# -- reads ----------------------------------------------------------------------------------
def find(
    session: Session,
    *,
    venue_id: uuid.UUID | None = None,
    status: str | None = None,
    limit: int = 200,
) -> list[tuple[Incident, Attempt]]:
    """Incidents with their attempts, newest first, narrowed to a venue or a review status."""
    query = (
        select(Incident, Attempt)
        .join(Attempt, Attempt.id == Incident.attempt_id)
        .join(Station, Station.id == Attempt.station_id)
    )
    if venue_id is not None:
        query = query.where(Station.venue_id == venue_id)
    if status is not None:
        query = query.where(Incident.status == status)
    rows = session.execute(query.order_by(Incident.opened_at.desc()).limit(limit)).all()
    return [(incident, attempt) for incident, attempt in rows]


def evidence_content_types(session: Session, incident: Incident) -> dict[uuid.UUID, str]:
    """blob id -> content type of the incident's evidence (one query)."""
    ids = [e.blob_id for e in incident.evidence]
    rows = session.execute(select(Blob.id, Blob.content_type).where(Blob.id.in_(ids))).all()
    return dict(rows)
