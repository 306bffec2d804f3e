"""Complaints (pengaduan) from every channel: received, followed up to deadline, resolved with
a note and closed, when the complainant is offered the satisfaction survey (`proctor.survey`).
Also the case a confirmed proxy opens.

The tracking number is the complainant's key to the case's status and public replies: 60
random bits, so it cannot be guessed, though it is short enough to read over the phone.
"""

from __future__ import annotations

import re
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.audit import trail
from proctor.cases import notify, procedure
from proctor.cases.codes import random_code
from proctor.cases.deadlines import ComplaintRules
from proctor.cases.procedure import CaseState, Track
from proctor.clock import utcnow
from proctor.errors import ConflictError, ErrorCode, NotFoundError
from proctor.store.complaints import Complaint, ComplaintMessage, ComplaintSurvey
from proctor.store.evidence import Incident
from proctor.store.exam import Attempt, Station


class Channel(StrEnum):
    BOOTH = "booth"  # entered by an officer at the venue's complaint booth
    WHATSAPP = "whatsapp"
    WEB = "web"
    EMAIL = "email"
    PHONE = "phone"
    COMPLAINT_BOX = "complaint_box"  # a slip from the venue's box, entered with its photo
    SOCIAL_MEDIA = "social_media"  # a post, entered with its address and account
    LAPOR = "lapor"  # imported from SP4N-LAPOR! (proctor.cases.lapor)
    INCIDENT = "incident"  # opened by a confirmed proxy finding


# What an officer enters as it came (the others carry what proves where they came from).
ENTERED_AS_TOLD = (Channel.BOOTH, Channel.PHONE, Channel.EMAIL, Channel.WEB, Channel.WHATSAPP)


class Category(StrEnum):
    PROXY_TEST_TAKER = "proxy_test_taker"
    LEAKED_QUESTIONS = "leaked_questions"
    STAFF_MISCONDUCT = "staff_misconduct"
    FACILITIES = "facilities"
    SERVICE = "service"
    OTHER = "other"


# A tracking number as people quote it (in a WhatsApp message, in the survey's code field).
TRACKING = re.compile(r"PGD-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}")


def new_tracking_number() -> str:
    chars = random_code(12)  # 60 bits
    return f"PGD-{chars[:4]}-{chars[4:8]}-{chars[8:]}"


@dataclass(frozen=True)
class NewComplaint:
    channel: Channel
    category: Category
    subject: str
    description: str
    venue_id: uuid.UUID | None = None
    complainant_name: str | None = None
    complainant_contact: str | None = None
    track: Track = Track.SIMPLE
    external_ref: str | None = None  # the channel's own message id: a resend is not a new case


def receive(
    session: Session,
    new: NewComplaint,
    rules: ComplaintRules,
    *,
    actor: str,
    entered_by: str | None = None,
    now: datetime | None = None,
    incident_id: uuid.UUID | None = None,
) -> Complaint:
    now = now or utcnow()
    if new.external_ref is not None:
        existing = session.scalar(
            select(Complaint).where(Complaint.external_ref == new.external_ref)
        )
        if existing is not None:
            return existing
    complaint = Complaint(
        id=uuid.uuid4(),
        tracking_number=new_tracking_number(),
        channel=str(new.channel),
        category=str(new.category),
        state=str(CaseState.RECEIVED),
        venue_id=new.venue_id,
        incident_id=incident_id,
        subject=new.subject.strip(),
        description=new.description.strip(),
        complainant_name=new.complainant_name,
        complainant_contact=new.complainant_contact,
        entered_by=entered_by,
        external_ref=new.external_ref,
    )
    procedure.start_clock(complaint, rules, now, new.track)
    session.add(complaint)
    trail.record(
        session,
        actor=actor,
        action="complaint.received",
        subject_type="complaint",
        subject_id=complaint.id,
        channel=complaint.channel,
        category=complaint.category,
        track=complaint.track,
        first_response_due=complaint.first_response_due.isoformat(),
        resolution_due=complaint.resolution_due.isoformat(),
    )
    notify.queue(
        session,
        notify.Notification("complaint.received", "complaint", str(complaint.id), "officer"),
    )
    if new.complainant_contact:
        notify.queue(
            session,
            notify.Notification(
                "complaint.acknowledged", "complaint", str(complaint.id), "complainant"
            ),
        )
    return complaint


def by_tracking_number(session: Session, number: str) -> Complaint:
    complaint = session.scalar(
        select(Complaint).where(Complaint.tracking_number == number.strip().upper())
    )
    if complaint is None:
        raise NotFoundError("no complaint has this tracking number", code=ErrorCode.NOT_FOUND)
    return complaint


def thread(
    session: Session, complaint: Complaint, *, public_only: bool = False
) -> list[ComplaintMessage]:
    """The complaint's messages, oldest first; `public_only` leaves out internal notes."""
    query = select(ComplaintMessage).where(ComplaintMessage.complaint_id == complaint.id)
    if public_only:
        query = query.where(ComplaintMessage.public.is_(True))
    return list(session.scalars(query.order_by(ComplaintMessage.at)))


def complainant_message(
    session: Session,
    complaint: Complaint,
    body: str,
    *,
    now: datetime | None = None,
    external_ref: str | None = None,
) -> ComplaintMessage:
    if external_ref is not None:
        existing = session.scalar(
            select(ComplaintMessage).where(ComplaintMessage.external_ref == external_ref)
        )
        if existing is not None:
            return existing
    if CaseState(complaint.state) is CaseState.CLOSED:
        raise ConflictError(
            "the complaint is closed; file a new one", code=ErrorCode.TRANSITION_INVALID
        )
    message = ComplaintMessage(
        complaint_id=complaint.id,
        at=now or utcnow(),
        author="complainant",
        body=procedure.message_text(body),
        public=True,
        external_ref=external_ref,
    )
    session.add(message)
    notify.queue(
        session,
        notify.Notification("complaint.message", "complaint", str(complaint.id), "officer"),
    )
    return message


@dataclass(frozen=True)
class Satisfaction:
    group: str  # venue id (or "none") or channel
    answers: int
    mean: float
    counts: dict[int, int]


def satisfaction(session: Session) -> dict[str, list[Satisfaction]]:
    """The 1-5 ratings complainants gave before the satisfaction survey (IKM,
    `proctor.survey`) took their place, per venue and per channel: kept for the record."""
    rows = session.execute(
        select(Complaint.venue_id, Complaint.channel, ComplaintSurvey.rating).join(
            ComplaintSurvey, ComplaintSurvey.complaint_id == Complaint.id
        )
    ).all()
    out: dict[str, list[Satisfaction]] = {}
    for label, key in (("venue", 0), ("channel", 1)):
        groups: dict[str, list[int]] = defaultdict(list)
        for row in rows:
            groups[str(row[key]) if row[key] is not None else "none"].append(row[2])
        out[label] = [
            Satisfaction(
                group, len(r), round(sum(r) / len(r), 2), {i: r.count(i) for i in range(1, 6)}
            )
            for group, r in sorted(groups.items())
        ]
    return out


def open_for_incident(
    session: Session, incident: Incident, *, actor: str, rules: ComplaintRules | None = None
) -> Complaint:
    """The complaint case a confirmed proxy opens, linked to its incident."""
    attempt = session.get(Attempt, incident.attempt_id)
    station = session.get(Station, attempt.station_id) if attempt else None
    number = attempt.candidate.participant_number if attempt else "?"
    return receive(
        session,
        NewComplaint(
            Channel.INCIDENT,
            Category.PROXY_TEST_TAKER,
            # Read by officers and, through its tracking number, the public: in Indonesian.
            subject=f"Joki terbukti untuk peserta {number}",
            description=f"Dua peninjau mengonfirmasi joki pada insiden {incident.id}.",
            venue_id=station.venue_id if station else None,
            track=Track.INVESTIGATION,
            external_ref=f"incident:{incident.id}",
        ),
        rules or ComplaintRules(),
        actor=actor,
        incident_id=incident.id,
    )


def by_deadline(
    session: Session,
    *,
    state: CaseState | None = None,
    venue_id: uuid.UUID | None = None,
    limit: int | None = None,
) -> list[Complaint]:
    """Complaints in `state` (else every one not closed), the nearest resolution deadline first."""
    query = select(Complaint)
    if state is not None:
        query = query.where(Complaint.state == str(state))
    else:
        query = query.where(Complaint.state != str(CaseState.CLOSED))
    if venue_id is not None:
        query = query.where(Complaint.venue_id == venue_id)
    return list(session.scalars(query.order_by(Complaint.resolution_due).limit(limit)))
