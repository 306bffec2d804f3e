"""The exam's reference data: venues, sessions, stations, candidates and their attempts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from proctor.clock import utcnow
from proctor.store.base import Base, CreatedMixin, IdMixin


class Venue(IdMixin, CreatedMixin, Base):
    __tablename__ = "venues"

    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(String(500), default="")
    # IANA name (proctor.local_time.ZONES): the zone every time shown about this venue is read in.
    time_zone: Mapped[str] = mapped_column(String(40), default="Asia/Jakarta")


class ExamSession(IdMixin, CreatedMixin, Base):
    __tablename__ = "exam_sessions"
    __table_args__ = (UniqueConstraint("venue_id", "code"),)

    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    starts_at: Mapped[datetime]
    duration_minutes: Mapped[int]

    venue: Mapped[Venue] = relationship()


class Station(IdMixin, CreatedMixin, Base):
    __tablename__ = "stations"
    __table_args__ = (UniqueConstraint("venue_id", "code"),)

    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    # The highest observation sequence number seen from this station; replays sit at or below.
    last_seq: Mapped[int] = mapped_column(default=-1)
    last_seen_at: Mapped[datetime | None]
    # The agent's last heartbeat and what it reported (camera state, dropped frames, outbox).
    last_heartbeat_at: Mapped[datetime | None]
    agent_status: Mapped[dict[str, Any] | None]

    venue: Mapped[Venue] = relationship()


class Candidate(IdMixin, CreatedMixin, Base):
    __tablename__ = "candidates"

    participant_number: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # HMAC-SHA256 of the NIK under the deployment's key: lets a NIK be matched, never read.
    nik_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    formation: Mapped[str] = mapped_column(String(200), default="")
    # When the retention schedule deleted the registration photos and templates.
    registration_purged_at: Mapped[datetime | None]

    photos: Mapped[list[RegistrationPhoto]] = relationship(
        back_populates="candidate", order_by="RegistrationPhoto.created_at"
    )


class Blob(IdMixin, CreatedMixin, Base):
    """An evidence or registration image. Served only through authorised endpoints; stored
    sealed (`proctor.sealing`): `data` is the ciphertext, `sealed_key` its wrapped data key."""

    __tablename__ = "blobs"

    sha256: Mapped[str] = mapped_column(String(64), index=True)  # of the image, for dedupe
    content_type: Mapped[str] = mapped_column(String(64))
    size: Mapped[int]
    data: Mapped[bytes] = mapped_column(LargeBinary)
    # Null on rows from before sealing, until the service's start seals them, and on purged rows.
    sealed_key: Mapped[bytes | None] = mapped_column(LargeBinary)
    # When the retention schedule deleted the image: the row stays for what refers to it.
    purged_at: Mapped[datetime | None]


class RegistrationPhoto(IdMixin, CreatedMixin, Base):
    """A registration photo that passed the quality gate, with its enrolled template."""

    __tablename__ = "registration_photos"
    __table_args__ = (UniqueConstraint("candidate_id", "source_sha256"),)

    candidate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("candidates.id"), index=True)
    blob_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("blobs.id"))
    # Digest of the uploaded bytes: a re-import of the same file is recognised and skipped.
    source_sha256: Mapped[str] = mapped_column(String(64))
    engine: Mapped[str] = mapped_column(String(32))
    template: Mapped[bytes] = mapped_column(LargeBinary)  # sealed float32, little-endian
    template_key: Mapped[bytes | None] = mapped_column(LargeBinary)  # its wrapped data key
    quality: Mapped[list[Any]]
    # Every process's registry reads what others enrolled since its last look, once a second:
    # without an index that is a scan of the whole registry.
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)

    candidate: Mapped[Candidate] = relationship(back_populates="photos")


class DuplicateFace(IdMixin, CreatedMixin, Base):
    """One face enrolled under two participant numbers: a case for the registration authority
    (`proctor.identity.duplicates`), decided once with a reason."""

    __tablename__ = "duplicate_faces"
    __table_args__ = (UniqueConstraint("candidate_id", "other_candidate_id"),)

    candidate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("candidates.id"), index=True)
    other_candidate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("candidates.id"))
    score: Mapped[float]
    engine: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(
        String(16), default="open", server_default="open", index=True
    )
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)


class Attempt(IdMixin, CreatedMixin, Base):
    """One candidate sitting one session at one station."""

    __tablename__ = "attempts"
    __table_args__ = (UniqueConstraint("candidate_id", "session_id"),)

    candidate_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("candidates.id"), index=True)
    session_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("exam_sessions.id"), index=True)
    station_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stations.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="scheduled", index=True)
    started_at: Mapped[datetime | None]
    paused_at: Mapped[datetime | None]
    paused_seconds: Mapped[float] = mapped_column(default=0.0)
    ended_at: Mapped[datetime | None]
    # Observations at or below this station sequence number predate the last resume and no
    # longer count towards the policy's window.
    policy_floor_seq: Mapped[int] = mapped_column(default=-1)
    # The newest scored observation, kept at ingest so the proctors' live grid reads it from
    # here instead of searching the observations of every station on every poll.
    last_score: Mapped[float | None]
    last_score_seq: Mapped[int | None]
    # The newest live picture of whoever sits there (a checkpoint photo, or the snapshot a
    # station sent with an anomalous observation) and when it was taken, for the grid's tile.
    live_blob_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("blobs.id"))
    live_at: Mapped[datetime | None]
    # The policy's state after the last judged observation (`proctor.exam.policy_state`): a
    # batch is judged from it instead of reloading the observations before it.
    policy_state: Mapped[dict[str, Any] | None]
    # When the retention schedule deleted the live pictures (and a case's evidence).
    live_purged_at: Mapped[datetime | None]

    candidate: Mapped[Candidate] = relationship()
    session: Mapped[ExamSession] = relationship()
    station: Mapped[Station] = relationship()
