"""Complaints (pengaduan) from every channel, whistleblowing reports, their message threads,
satisfaction surveys, and the decisions of incident reviews."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from proctor.clock import utcnow
from proctor.store import evidence, exam  # noqa: F401 - the tables its foreign keys name
from proctor.store.base import Base, IdMixin


class ProcedureMixin:
    """The written procedure's clock: both steps' deadlines, and how far it was escalated."""

    received_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    track: Mapped[str] = mapped_column(String(24))  # which resolution deadline applies
    first_response_due: Mapped[datetime]
    first_responded_at: Mapped[datetime | None]
    resolution_due: Mapped[datetime] = mapped_column(index=True)
    resolved_at: Mapped[datetime | None]
    resolution_note: Mapped[str | None] = mapped_column(Text)
    closed_at: Mapped[datetime | None]
    escalation: Mapped[str] = mapped_column(String(16), default="none")
    escalated_at: Mapped[datetime | None]


class Complaint(IdMixin, ProcedureMixin, Base):
    __tablename__ = "complaints"

    tracking_number: Mapped[str] = mapped_column(String(24), unique=True)
    channel: Mapped[str] = mapped_column(String(16))
    category: Mapped[str] = mapped_column(String(24))
    state: Mapped[str] = mapped_column(String(16), index=True)
    venue_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("venues.id"), index=True)
    incident_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("incidents.id"))
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    # Contact details for replies; personal data: never logged, never shown publicly.
    complainant_name: Mapped[str | None] = mapped_column(String(200))
    complainant_contact: Mapped[str | None] = mapped_column(String(200))
    entered_by: Mapped[str | None] = mapped_column(String(80))  # officer, for booth and phone
    external_ref: Mapped[str | None] = mapped_column(String(120), unique=True)
    # The complaint box: the slip's photo (sealed like every image), when and by whom the box
    # was opened. Social media: the post's address and the account that posted it.
    slip_blob_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("blobs.id"))
    box_opened_on: Mapped[date | None] = mapped_column(Date)
    box_opened_by: Mapped[str | None] = mapped_column(String(200))
    post_url: Mapped[str | None] = mapped_column(String(500))
    account_name: Mapped[str | None] = mapped_column(String(200))


class ComplaintMessage(IdMixin, Base):
    __tablename__ = "complaint_messages"

    complaint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("complaints.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    author: Mapped[str] = mapped_column(String(16))  # complainant, officer, system
    actor: Mapped[str | None] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)
    public: Mapped[bool]  # shown to the complainant with the tracking number
    external_ref: Mapped[str | None] = mapped_column(String(120), unique=True)


class ComplaintSurvey(IdMixin, Base):
    __tablename__ = "complaint_surveys"

    complaint_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("complaints.id"), unique=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    rating: Mapped[int] = mapped_column(Integer)
    comment: Mapped[str] = mapped_column(Text, default="")


class WbsReport(IdMixin, ProcedureMixin, Base):
    """A whistleblowing report. Nothing here says who filed it or from where; the optional
    identity is sealed to the custodian's public key and unreadable without their key."""

    __tablename__ = "wbs_reports"

    lookup_key: Mapped[str] = mapped_column(String(16), unique=True)
    receipt_hash: Mapped[str] = mapped_column(String(200))  # Argon2id of the receipt's secret
    category: Mapped[str] = mapped_column(String(24))
    state: Mapped[str] = mapped_column(String(16), index=True)
    venue_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("venues.id"))
    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text)
    identity_sealed: Mapped[bytes | None] = mapped_column(LargeBinary)
    failed_receipts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]


class WbsMessage(IdMixin, Base):
    __tablename__ = "wbs_messages"

    report_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("wbs_reports.id"), index=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    author: Mapped[str] = mapped_column(String(16))  # reporter, officer
    actor: Mapped[str | None] = mapped_column(String(80))
    body: Mapped[str] = mapped_column(Text)


class IncidentDecision(IdMixin, Base):
    """One reviewer's act on an incident: taking it up, a decision with its reason, an appeal."""

    __tablename__ = "incident_decisions"

    incident_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("incidents.id"), index=True)
    round: Mapped[int] = mapped_column(Integer)  # 0, then one more per appeal
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(80))
    action: Mapped[str] = mapped_column(String(24))
    reason: Mapped[str] = mapped_column(Text)


class ReceiptFailure(IdMixin, Base):
    """A wrong whistleblowing receipt, kept a few minutes so every server process counts the
    service's failures together. No address, no receipt: only when it happened."""

    __tablename__ = "receipt_failures"

    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
