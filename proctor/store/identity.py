"""1:N identity: the watchlist of known proxies, its hits, and the live faces of incidents."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from proctor.store import evidence, exam  # noqa: F401 - the tables its foreign keys name
from proctor.store.base import Base, CreatedMixin, IdMixin


class WatchlistEntry(IdMixin, CreatedMixin, Base):
    """One person on the watchlist: a proxy confirmed by two reviewers (his incident's live
    faces), or a known joki an admin listed with a photo. Removed with a reason, or expires."""

    __tablename__ = "watchlist_entries"

    source: Mapped[str] = mapped_column(String(24))  # confirmed_proxy | admin
    incident_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("incidents.id"), unique=True)
    label: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str] = mapped_column(Text)
    added_by: Mapped[str] = mapped_column(String(80))
    expires_at: Mapped[datetime | None] = mapped_column(index=True)
    removed_at: Mapped[datetime | None]
    removed_by: Mapped[str | None] = mapped_column(String(80))
    removed_reason: Mapped[str | None] = mapped_column(Text)


class WatchlistFace(IdMixin, Base):
    """A face template of a watchlist entry; its photo is a private blob."""

    __tablename__ = "watchlist_faces"

    entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("watchlist_entries.id"), index=True)
    engine: Mapped[str] = mapped_column(String(32), index=True)
    template: Mapped[bytes] = mapped_column(LargeBinary)  # sealed float32, little-endian
    template_key: Mapped[bytes | None] = mapped_column(LargeBinary)  # its wrapped data key
    blob_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("blobs.id"))


class WatchlistHit(IdMixin, CreatedMixin, Base):
    """A face that matched a watchlist entry at a checkpoint or in an incident's snapshots;
    raised to the venue's proctors, who decide it (cleared or confirmed) with a reason."""

    __tablename__ = "watchlist_hits"

    entry_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("watchlist_entries.id"), index=True)
    place: Mapped[str] = mapped_column(String(16))  # check_in | station_login | reverify | snapshot
    engine: Mapped[str] = mapped_column(String(32))
    score: Mapped[float]
    threshold: Mapped[float]
    attempt_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("attempts.id"), index=True)
    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"), index=True)
    checkpoint_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("checkpoints.id"))
    incident_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("incidents.id"))
    status: Mapped[str] = mapped_column(
        String(16), default="open", server_default="open", index=True
    )
    decided_by: Mapped[str | None] = mapped_column(String(80))
    decided_at: Mapped[datetime | None]
    reason: Mapped[str | None] = mapped_column(Text)


class IncidentFace(IdMixin, Base):
    """A live face of a face_mismatch incident (the proxy's), embedded once by the proxy
    search: what links incidents into rings and puts a confirmed proxy on the watchlist."""

    __tablename__ = "incident_faces"

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)
    engine: Mapped[str] = mapped_column(String(32))
    position: Mapped[int]
    template: Mapped[bytes] = mapped_column(LargeBinary)  # sealed float32, little-endian
    template_key: Mapped[bytes | None] = mapped_column(LargeBinary)  # its wrapped data key
    blob_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("blobs.id"))
