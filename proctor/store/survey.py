"""The satisfaction survey (IKM): who was invited and has answered, apart from the answers.

Nothing in `survey_answers` names a person, an attempt, a complaint or a moment: the venue, the
month of the service and the answers only. Who has answered is kept in `survey_invitations`,
which holds no answer and no time of answering, so an answer cannot be linked back to whoever
gave it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from proctor.clock import utcnow
from proctor.store import complaints, exam  # noqa: F401 - the tables its foreign keys name
from proctor.store.base import Base, IdMixin


class SurveyAnswer(IdMixin, Base):
    __tablename__ = "survey_answers"

    venue_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("venues.id"), index=True)
    month: Mapped[date] = mapped_column(Date, index=True)  # first day, in the venue's zone
    source: Mapped[str] = mapped_column(String(16))  # station, card, complaint
    scores: Mapped[dict[str, Any]]  # element code -> 1..4
    age_band: Mapped[str | None] = mapped_column(String(16))
    sex: Mapped[str | None] = mapped_column(String(16))
    education: Mapped[str | None] = mapped_column(String(16))
    occupation: Mapped[str | None] = mapped_column(String(16))
    suggestion: Mapped[str | None] = mapped_column(Text)


class SurveyInvitation(IdMixin, Base):
    """One per attempt (a candidate in one exam session) or per complaint; `answered` is all
    it keeps of the answer."""

    __tablename__ = "survey_invitations"
    __table_args__ = (
        CheckConstraint("(attempt_id IS NULL) != (complaint_id IS NULL)", name="one_service_used"),
    )

    attempt_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("attempts.id"), unique=True)
    complaint_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("complaints.id"), unique=True)
    # SHA-256 of the exam card's survey code; the code itself is derived, never stored.
    code_sha256: Mapped[str | None] = mapped_column(String(64), unique=True)
    answered: Mapped[bool] = mapped_column(default=False)


class SurveyFollowUp(IdMixin, Base):
    """What a venue publishes it will do about its weakest element in a period."""

    __tablename__ = "survey_follow_ups"
    __table_args__ = (UniqueConstraint("venue_id", "period"),)

    venue_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("venues.id"))
    period: Mapped[str] = mapped_column(String(8))  # 2026-S1, 2026-S2 or 2026
    element: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text)
    published_by: Mapped[str] = mapped_column(String(80))
    published_at: Mapped[datetime] = mapped_column(default=utcnow)
