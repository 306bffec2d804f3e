"""What was seen and decided: checkpoints, observations, flags and incidents with evidence."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from proctor.clock import utcnow
from proctor.store import exam  # noqa: F401 - the tables its foreign keys name
from proctor.store.base import Base, CreatedMixin, IdMixin


class Checkpoint(IdMixin, CreatedMixin, Base):
    """A live photo matched to the registration templates (check-in, station login,
    re-verification), and any manual override of its result."""

    __tablename__ = "checkpoints"

    attempt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attempts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(16))
    engine: Mapped[str] = mapped_column(String(32))
    score: Mapped[float | None]
    threshold: Mapped[float]
    decision: Mapped[str] = mapped_column(String(24))
    quality: Mapped[list[Any]]
    photo_blob_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("blobs.id"))
    actor: Mapped[str] = mapped_column(String(80))
    override_reason: Mapped[str | None] = mapped_column(Text)
    overridden_by: Mapped[str | None] = mapped_column(String(80))
    overridden_at: Mapped[datetime | None]


class Observation(IdMixin, Base):
    __tablename__ = "observations"
    __table_args__ = (UniqueConstraint("station_id", "seq"),)

    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"))
    seq: Mapped[int]
    attempt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attempts.id"), index=True)
    observed_at: Mapped[datetime]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    face_count: Mapped[int]
    score: Mapped[float | None]
    camera: Mapped[str] = mapped_column(String(16))
    liveness_flags: Mapped[list[Any]]
    # What the station found hard about the face (turned, hidden, dark...): an uncertain score.
    face_problems: Mapped[list[Any]] = mapped_column(default=list, server_default="[]")
    snapshot_blob_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("blobs.id"))
    # Digest of the observation as sent: a replay with other content is refused, not merged.
    payload_sha256: Mapped[str] = mapped_column(String(64))


class AttemptFlag(IdMixin, Base):
    """A condition the policy noticed (absence, several faces...) that proctors should see."""

    __tablename__ = "attempt_flags"

    attempt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attempts.id"), index=True)
    kind: Mapped[str] = mapped_column(String(24))
    raised_at: Mapped[datetime] = mapped_column(default=utcnow)
    observation_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("observations.id"))


class Incident(IdMixin, Base):
    """Filed by a pause, with its evidence; reviewed by proctors (a later workflow)."""

    __tablename__ = "incidents"

    attempt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attempts.id"), index=True)
    reason: Mapped[str] = mapped_column(String(24))
    status: Mapped[str] = mapped_column(String(24), default="new", index=True)
    review_round: Mapped[int] = mapped_column(default=0, server_default="0")
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Scores timeline, threshold and policy at the time of the pause.
    details: Mapped[dict[str, Any]]

    evidence: Mapped[list[IncidentEvidence]] = relationship(
        back_populates="incident", order_by="IncidentEvidence.position"
    )


class IncidentEvidence(IdMixin, Base):
    __tablename__ = "incident_evidence"

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)
    position: Mapped[int]
    kind: Mapped[str] = mapped_column(String(24))
    blob_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("blobs.id"))
    observation_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("observations.id"))
    checkpoint_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("checkpoints.id"))

    incident: Mapped[Incident] = relationship(back_populates="evidence")


class ProxySearch(IdMixin, CreatedMixin, Base):
    """Who the proxy of a `face_mismatch` incident is, if he is himself enrolled: its live
    snapshots searched against every enrolled candidate (the incident's own left out)."""

    __tablename__ = "proxy_searches"

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), unique=True)
    engine: Mapped[str] = mapped_column(String(32))
    threshold: Mapped[float]
    faces: Mapped[int]  # snapshots in which a face was found and searched
    # [{"candidate_id", "participant_number", "score"}], best first: ids and scores only.
    hits: Mapped[list[Any]]
