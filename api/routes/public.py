"""What the public reaches without a token: the complaint form, status by tracking number
(public replies only, never contact details or internal notes), and the webhook a
WhatsApp gateway posts messages to."""

from __future__ import annotations

import hmac
import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Header
from pydantic import BaseModel, Field, StringConstraints

from proctor.api.deps import Context, DbSession
from proctor.api.routes.complaints import Contact, Subject, Text
from proctor.api.schemas import Name, Strict
from proctor.cases import complaints
from proctor.cases.complaints import TRACKING, Category, Channel, NewComplaint
from proctor.errors import AccessError, ErrorCode
from proctor.exam import catalog
from proctor.store.exam import Venue

router = APIRouter(tags=["public"])


class PublicComplaintIn(Strict):
    category: Category
    subject: Subject
    description: Text
    venue_id: uuid.UUID | None = None
    name: Name | None = None
    contact: Contact | None = Field(None, description="Phone or e-mail for replies (optional).")


class Receipt(BaseModel):
    tracking_number: str
    first_response_due: datetime
    resolution_due: datetime


class PublicReply(BaseModel):
    at: datetime
    author: str
    body: str


class PublicStatus(BaseModel):
    tracking_number: str
    category: str
    state: str
    received_at: datetime
    first_response_due: datetime
    resolution_due: datetime
    resolved_at: datetime | None
    resolution_note: str | None
    messages: list[PublicReply]
    survey_open: bool


class MessageIn(Strict):
    body: Text


class WhatsAppMessage(Strict):
    """A generic inbound message; a gateway maps its vendor's payload to this."""

    message_id: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    sender: Annotated[str, StringConstraints(min_length=3, max_length=40)] = Field(
        description="The sender's WhatsApp number."
    )
    text: Text


class WhatsAppResult(BaseModel):
    tracking_number: str
    new_complaint: bool


@router.post("/public/complaints", status_code=201, response_model=Receipt)
def file_complaint(body: PublicComplaintIn, db: DbSession, context: Context) -> Receipt:
    if body.venue_id is not None:
        catalog.get(db, Venue, body.venue_id, "venue")
    case = complaints.receive(
        db,
        NewComplaint(
            Channel.WEB, body.category, body.subject, body.description, body.venue_id,
            body.name, body.contact,
        ),
        context.settings.complaints,
        actor="public:web",
    )  # fmt: skip
    db.commit()
    return Receipt(
        tracking_number=case.tracking_number,
        first_response_due=case.first_response_due,
        resolution_due=case.resolution_due,
    )


@router.get("/public/complaints/{tracking_number}", response_model=PublicStatus)
def status(tracking_number: str, db: DbSession) -> PublicStatus:
    case = complaints.by_tracking_number(db, tracking_number)
    replies = complaints.thread(db, case, public_only=True)
    return PublicStatus(
        tracking_number=case.tracking_number,
        category=case.category,
        state=case.state,
        received_at=case.received_at,
        first_response_due=case.first_response_due,
        resolution_due=case.resolution_due,
        resolved_at=case.resolved_at,
        resolution_note=case.resolution_note,
        messages=[PublicReply(at=m.at, author=m.author, body=m.body) for m in replies],
        survey_open=case.state == "closed",
    )


@router.post("/public/complaints/{tracking_number}/messages", response_model=PublicStatus)
def add_message(tracking_number: str, body: MessageIn, db: DbSession) -> PublicStatus:
    case = complaints.by_tracking_number(db, tracking_number)
    complaints.complainant_message(db, case, body.body)
    db.commit()
    return status(case.tracking_number, db)


@router.post("/webhooks/whatsapp", response_model=WhatsAppResult)
def whatsapp(
    body: WhatsAppMessage,
    db: DbSession,
    context: Context,
    x_webhook_secret: Annotated[str | None, Header()] = None,
) -> WhatsAppResult:
    """A message naming a tracking number joins that complaint; any other opens a new one
    (category `other`, for an officer to classify). A resent message id changes nothing."""
    secret = context.settings.whatsapp_webhook_secret
    if secret is None or not hmac.compare_digest(
        (x_webhook_secret or "").encode(), secret.get_secret_value().encode()
    ):
        raise AccessError("unknown webhook sender", code=ErrorCode.WEBHOOK_UNAUTHORISED)
    ref = f"wa:{body.message_id}"
    named = TRACKING.search(body.text.upper())
    if named is not None:
        case = complaints.by_tracking_number(db, named.group(0))
        complaints.complainant_message(db, case, body.text, external_ref=ref)
        db.commit()
        return WhatsAppResult(tracking_number=case.tracking_number, new_complaint=False)
    first_line = body.text.splitlines()[0][:200]
    subject = first_line if len(first_line) >= 3 else "WhatsApp message"
    case = complaints.receive(
        db,
        NewComplaint(
            Channel.WHATSAPP, Category.OTHER, subject, body.text,
            complainant_contact=body.sender, external_ref=ref,
        ),
        context.settings.complaints,
        actor="public:whatsapp",
    )  # fmt: skip
    db.commit()
    return WhatsAppResult(tracking_number=case.tracking_number, new_complaint=True)
