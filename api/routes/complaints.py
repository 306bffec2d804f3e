"""Complaint officers' work: enter complaints from the booth, phone or e-mail (the complaint
box, social media and SP4N-LAPOR! in `complaint_channels`), reply, classify, resolve with a
note, close; the overdue list with escalation; the ratings given before the survey."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import APIRouter
from pydantic import BaseModel, Field, StringConstraints

from proctor.access.tokens import Role
from proctor.api.deps import Caller, Context, DbSession
from proctor.api.schemas import Name, Reason, Strict
from proctor.cases import complaints, lapor, procedure
from proctor.cases.complaints import ENTERED_AS_TOLD, Category, Channel, NewComplaint
from proctor.cases.procedure import CaseState, Track
from proctor.clock import utcnow
from proctor.errors import ErrorCode, RejectedInputError
from proctor.exam import catalog
from proctor.store.complaints import Complaint
from proctor.store.exam import Venue

router = APIRouter(tags=["complaints"])
OFFICERS = (Role.COMPLAINT_OFFICER, Role.ADMIN)
READERS = (Role.COMPLAINT_OFFICER, Role.ADMIN, Role.COMMITTEE)
Text = Annotated[str, StringConstraints(min_length=1, max_length=10_000, strip_whitespace=True)]
Subject = Annotated[str, StringConstraints(min_length=3, max_length=200, strip_whitespace=True)]
Contact = Annotated[str, StringConstraints(min_length=3, max_length=200, strip_whitespace=True)]


class ComplaintIn(Strict):
    channel: Channel = Field(
        description="booth, phone, email, web or whatsapp (the complaint box, social media and "
        "SP4N-LAPOR! have endpoints of their own, with what shows where the complaint came from)."
    )
    category: Category
    subject: Subject
    description: Text
    venue_id: uuid.UUID | None = None
    complainant_name: Name | None = None
    complainant_contact: Contact | None = None
    track: Track = Track.SIMPLE


class MessageIn(Strict):
    body: Text
    public: bool = Field(True, description="False: an internal note the complainant never sees.")


class TrackIn(Strict):
    track: Track


class NoteIn(Strict):
    note: Reason


class ReasonIn(Strict):
    reason: Reason


class MessagePublic(BaseModel):
    at: datetime
    author: str
    body: str
    public: bool


class ComplaintPublic(BaseModel):
    id: uuid.UUID
    tracking_number: str
    channel: str
    category: str
    track: str
    state: str
    venue_id: uuid.UUID | None
    incident_id: uuid.UUID | None
    subject: str
    received_at: datetime
    first_response_due: datetime
    first_responded_at: datetime | None
    resolution_due: datetime
    resolved_at: datetime | None
    closed_at: datetime | None
    escalation: str
    overdue_step: str | None


class ComplaintDetail(ComplaintPublic):
    description: str
    complainant_name: str | None
    complainant_contact: str | None
    resolution_note: str | None
    messages: list[MessagePublic]
    # Where it came from, by channel: the box's slip (its photo at `slip_url`), the post, or
    # LAPOR!'s own tracking number.
    slip_url: str | None = None
    box_opened_on: date | None = None
    box_opened_by: str | None = None
    post_url: str | None = None
    account_name: str | None = None
    lapor_tracking_id: str | None = None


class OverdueItem(BaseModel):
    kind: str  # complaint or wbs_report
    id: uuid.UUID
    reference: str  # tracking number, or the report's lookup key
    step: str
    due: datetime
    escalation: str


def view(case: Complaint) -> ComplaintPublic:
    step = procedure.overdue_step(case, utcnow())
    return ComplaintPublic.model_validate(
        {**{k: getattr(case, k) for k in ComplaintPublic.model_fields if k != "overdue_step"},
         "overdue_step": step[0] if step else None}
    )  # fmt: skip


def detail(db: DbSession, case: Complaint) -> ComplaintDetail:
    messages = complaints.thread(db, case)
    return ComplaintDetail(
        **view(case).model_dump(),
        description=case.description,
        complainant_name=case.complainant_name,
        complainant_contact=case.complainant_contact,
        resolution_note=case.resolution_note,
        messages=[MessagePublic.model_validate(m, from_attributes=True) for m in messages],
        slip_url=f"/api/v1/complaints/{case.id}/slip" if case.slip_blob_id else None,
        box_opened_on=case.box_opened_on, box_opened_by=case.box_opened_by,
        post_url=case.post_url, account_name=case.account_name,
        lapor_tracking_id=lapor.tracking_id_of(case),
    )  # fmt: skip


def _case(db: DbSession, complaint_id: uuid.UUID, *, write: bool) -> Complaint:
    return catalog.get(db, Complaint, complaint_id, "complaint", lock=write)


@router.post("/complaints", status_code=201, response_model=ComplaintDetail)
def enter(body: ComplaintIn, db: DbSession, caller: Caller, context: Context) -> ComplaintDetail:
    """A complaint received at the booth, by phone, e-mail or another channel, entered by an
    officer for the complainant; they get the tracking number."""
    caller.require(*OFFICERS)
    if body.channel not in ENTERED_AS_TOLD:
        raise RejectedInputError(
            f"a complaint from {body.channel} is entered at its own endpoint",
            code=ErrorCode.REQUEST_INVALID,
        )
    if body.venue_id is not None:
        catalog.get(db, Venue, body.venue_id, "venue")
    new = NewComplaint(
        body.channel, body.category, body.subject, body.description, body.venue_id,
        body.complainant_name, body.complainant_contact, body.track,
    )  # fmt: skip
    case = complaints.receive(
        db, new, context.settings.complaints, actor=caller.actor, entered_by=caller.actor
    )
    db.commit()
    return detail(db, case)


@router.get("/complaints", response_model=list[ComplaintPublic])
def list_complaints(
    db: DbSession,
    caller: Caller,
    state: CaseState | None = None,
    venue_id: uuid.UUID | None = None,
    limit: int = 200,
) -> list[ComplaintPublic]:
    """Open complaints by deadline, the most urgent first (or those in `state`)."""
    caller.require(*READERS)
    found = complaints.by_deadline(
        db, state=state, venue_id=venue_id, limit=min(max(limit, 1), 1000)
    )
    return [view(c) for c in found]


@router.get("/complaints/overdue", response_model=list[OverdueItem])
def overdue(db: DbSession, caller: Caller) -> list[OverdueItem]:
    """Every complaint and whistleblowing report with a step past its deadline."""
    caller.require(*READERS)
    return [_overdue(o) for o in procedure.overdue(db, utcnow())]


@router.post("/complaints/escalations", response_model=list[OverdueItem])
def escalate(db: DbSession, caller: Caller, context: Context) -> list[OverdueItem]:
    """Escalate what is overdue now (the same as `proctor complaints overdue --escalate`)."""
    caller.require(*OFFICERS)
    done = procedure.escalate_overdue(db, context.settings.complaints, utcnow(), actor=caller.actor)
    db.commit()
    return [_overdue(o) for o in done]


def _overdue(item: procedure.Overdue) -> OverdueItem:
    case = item.case
    reference = case.tracking_number if isinstance(case, Complaint) else case.lookup_key
    return OverdueItem(
        kind=item.kind, id=case.id, reference=reference, step=item.step, due=item.due,
        escalation=case.escalation,
    )  # fmt: skip


@router.get("/complaints/satisfaction")
def satisfaction(db: DbSession, caller: Caller) -> dict[str, list[dict]]:
    """The 1-5 ratings given before the satisfaction survey (IKM, `/public/ikm`) replaced
    them, per venue and per channel: count, mean, and answers per rating."""
    caller.require(*READERS)
    return {
        group: [s.__dict__ for s in rows] for group, rows in complaints.satisfaction(db).items()
    }


@router.get("/complaints/{complaint_id}", response_model=ComplaintDetail)
def get_complaint(complaint_id: uuid.UUID, db: DbSession, caller: Caller) -> ComplaintDetail:
    caller.require(*READERS)
    return detail(db, _case(db, complaint_id, write=False))


@router.post("/complaints/{complaint_id}/messages", response_model=ComplaintDetail)
def reply(
    complaint_id: uuid.UUID, body: MessageIn, db: DbSession, caller: Caller
) -> ComplaintDetail:
    caller.require(*OFFICERS)
    case = _case(db, complaint_id, write=True)
    procedure.reply(db, case, body.body, actor=caller.actor, public=body.public)
    db.commit()
    return detail(db, case)


@router.post("/complaints/{complaint_id}/classify", response_model=ComplaintDetail)
def classify(
    complaint_id: uuid.UUID, body: TrackIn, db: DbSession, caller: Caller, context: Context
) -> ComplaintDetail:
    """Set the track, which sets the resolution deadline (counted from receipt)."""
    caller.require(*OFFICERS)
    case = _case(db, complaint_id, write=True)
    procedure.classify(db, case, body.track, context.settings.complaints, actor=caller.actor)
    db.commit()
    return detail(db, case)


@router.post("/complaints/{complaint_id}/resolve", response_model=ComplaintDetail)
def resolve(
    complaint_id: uuid.UUID, body: NoteIn, db: DbSession, caller: Caller
) -> ComplaintDetail:
    caller.require(*OFFICERS)
    case = _case(db, complaint_id, write=True)
    procedure.resolve(db, case, body.note, actor=caller.actor, now=utcnow())
    db.commit()
    return detail(db, case)


@router.post("/complaints/{complaint_id}/reopen", response_model=ComplaintDetail)
def reopen(
    complaint_id: uuid.UUID, body: ReasonIn, db: DbSession, caller: Caller
) -> ComplaintDetail:
    caller.require(*OFFICERS)
    case = _case(db, complaint_id, write=True)
    procedure.reopen(db, case, body.reason, actor=caller.actor)
    db.commit()
    return detail(db, case)


@router.post("/complaints/{complaint_id}/close", response_model=ComplaintDetail)
def close(complaint_id: uuid.UUID, db: DbSession, caller: Caller) -> ComplaintDetail:
    """Only a resolved complaint, with its resolution note, closes; the survey opens then."""
    caller.require(*OFFICERS)
    case = _case(db, complaint_id, write=True)
    procedure.close(db, case, actor=caller.actor, now=utcnow())
    db.commit()
    return detail(db, case)
