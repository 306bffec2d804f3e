"""Whistleblowing: anonymous reports and their follow-up by receipt; officers' handling; the
custodian's identity reveal. No address or user agent is read, stored or logged here (the
access log skips these paths: `proctor.api.privacy`); receipts travel in bodies, never URLs."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import BaseModel, Field, StringConstraints

from proctor.access.tokens import Role
from proctor.api.deps import Caller, Context, DbSession
from proctor.api.routes.complaints import Subject, Text
from proctor.api.schemas import Reason, Strict
from proctor.cases import procedure
from proctor.cases import whistleblowing as wbs
from proctor.cases.complaints import Category
from proctor.cases.procedure import CaseState
from proctor.clock import utcnow
from proctor.exam import catalog
from proctor.store.complaints import WbsReport
from proctor.store.exam import Venue

router = APIRouter(prefix="/wbs", tags=["whistleblowing"])
HANDLERS = (Role.COMPLAINT_OFFICER, Role.ADMIN)
NO_STORE = {"Cache-Control": "no-store"}
Receipt = Annotated[str, StringConstraints(min_length=10, max_length=64, strip_whitespace=True)]


class ReportIn(Strict):
    category: Category
    subject: Subject
    description: Text
    venue_id: uuid.UUID | None = None
    identity: Annotated[str, StringConstraints(max_length=2000)] | None = Field(
        None, description="Optional: who you are. Sealed to the custodian's key; never shown."
    )


class Filed(BaseModel):
    receipt: str = Field(description="Shown once: keep it to read replies and add messages.")
    first_response_due: datetime


class ReceiptIn(Strict):
    receipt: Receipt


class ReporterMessageIn(Strict):
    receipt: Receipt
    body: Text


class MessagePublic(BaseModel):
    at: datetime
    author: str
    body: str


class ReportForReporter(BaseModel):
    category: str
    subject: str
    state: str
    received_at: datetime
    resolution_note: str | None
    messages: list[MessagePublic]


class ReportForOfficer(BaseModel):
    id: uuid.UUID
    reference: str
    category: str
    subject: str
    description: str
    state: str
    venue_id: uuid.UUID | None
    has_identity: bool
    received_at: datetime
    first_response_due: datetime
    resolution_due: datetime
    escalation: str
    resolution_note: str | None
    messages: list[MessagePublic]


class ReplyIn(Strict):
    body: Text


class NoteIn(Strict):
    note: Reason


class RevealIn(Strict):
    justification: Annotated[str, StringConstraints(min_length=1, max_length=2000)]
    private_key: Annotated[str, StringConstraints(min_length=1, max_length=200)] = Field(
        description="The custodian's private key (base64), used in memory for this request only."
    )


class Revealed(BaseModel):
    identity: str


def _messages(db: DbSession, report: WbsReport) -> list[MessagePublic]:
    return [MessagePublic(at=m.at, author=m.author, body=m.body) for m in wbs.messages(db, report)]


def _for_reporter(db: DbSession, report: WbsReport) -> ReportForReporter:
    return ReportForReporter(
        category=report.category, subject=report.subject, state=report.state,
        received_at=report.received_at, resolution_note=report.resolution_note,
        messages=_messages(db, report),
    )  # fmt: skip


def _for_officer(db: DbSession, report: WbsReport) -> ReportForOfficer:
    return ReportForOfficer(
        id=report.id, reference=report.lookup_key, category=report.category,
        subject=report.subject, description=report.description, state=report.state,
        venue_id=report.venue_id, has_identity=report.identity_sealed is not None,
        received_at=report.received_at, first_response_due=report.first_response_due,
        resolution_due=report.resolution_due, escalation=report.escalation,
        resolution_note=report.resolution_note, messages=_messages(db, report),
    )  # fmt: skip


@router.post("/reports", status_code=201, response_model=Filed)
def file_report(body: ReportIn, db: DbSession, context: Context, response: Response) -> Filed:
    if body.venue_id is not None:
        catalog.get(db, Venue, body.venue_id, "venue")
    filed = wbs.file_report(
        db, category=body.category, subject=body.subject, description=body.description,
        rules=context.settings.complaints, venue_id=body.venue_id, identity=body.identity,
        custodian_public_key=context.settings.custodian_public_key,
    )  # fmt: skip
    db.commit()
    response.headers.update(NO_STORE)
    return Filed(receipt=filed.receipt, first_response_due=filed.report.first_response_due)


@router.post("/follow", response_model=ReportForReporter)
def follow(
    body: ReceiptIn, db: DbSession, context: Context, response: Response
) -> ReportForReporter:
    """The report's state and messages, for the holder of its receipt."""
    report = wbs.check_receipt(db, body.receipt, context.receipt_limiter)
    db.commit()
    response.headers.update(NO_STORE)
    return _for_reporter(db, report)


@router.post("/messages", response_model=ReportForReporter)
def reporter_message(
    body: ReporterMessageIn, db: DbSession, context: Context, response: Response
) -> ReportForReporter:
    report = wbs.check_receipt(db, body.receipt, context.receipt_limiter)
    wbs.reporter_message(db, report, body.body)
    db.commit()
    response.headers.update(NO_STORE)
    return _for_reporter(db, report)


@router.get("/reports", response_model=list[ReportForOfficer])
def list_reports(
    db: DbSession, caller: Caller, state: CaseState | None = None
) -> list[ReportForOfficer]:
    caller.require(*HANDLERS, Role.CUSTODIAN)
    return [_for_officer(db, r) for r in wbs.by_deadline(db, state=state, limit=500)]


def _report(db: DbSession, report_id: uuid.UUID, *, write: bool) -> WbsReport:
    return catalog.get(db, WbsReport, report_id, "report", lock=write)


@router.get("/reports/{report_id}", response_model=ReportForOfficer)
def get_report(report_id: uuid.UUID, db: DbSession, caller: Caller) -> ReportForOfficer:
    caller.require(*HANDLERS, Role.CUSTODIAN)
    return _for_officer(db, _report(db, report_id, write=False))


@router.post("/reports/{report_id}/messages", response_model=ReportForOfficer)
def officer_reply(
    report_id: uuid.UUID, body: ReplyIn, db: DbSession, caller: Caller
) -> ReportForOfficer:
    caller.require(*HANDLERS)
    report = _report(db, report_id, write=True)
    procedure.reply(db, report, body.body, actor=caller.actor)
    db.commit()
    return _for_officer(db, report)


@router.post("/reports/{report_id}/resolve", response_model=ReportForOfficer)
def resolve(report_id: uuid.UUID, body: NoteIn, db: DbSession, caller: Caller) -> ReportForOfficer:
    caller.require(*HANDLERS)
    report = _report(db, report_id, write=True)
    procedure.resolve(db, report, body.note, actor=caller.actor, now=utcnow())
    db.commit()
    return _for_officer(db, report)


@router.post("/reports/{report_id}/close", response_model=ReportForOfficer)
def close(report_id: uuid.UUID, db: DbSession, caller: Caller) -> ReportForOfficer:
    caller.require(*HANDLERS)
    report = _report(db, report_id, write=True)
    procedure.close(db, report, actor=caller.actor, now=utcnow())
    db.commit()
    return _for_officer(db, report)


@router.post("/reports/{report_id}/reveal", response_model=Revealed)
def reveal(
    report_id: uuid.UUID,
    body: RevealIn,
    db: DbSession,
    caller: Caller,
    context: Context,
    response: Response,
) -> Revealed:
    """The custodian alone, with their private key and a justification (audited)."""
    caller.require(Role.CUSTODIAN)
    report = _report(db, report_id, write=False)
    identity = wbs.reveal_identity(
        db, report, actor=caller.actor, justification=body.justification,
        private_key=body.private_key, custodian_public_key=context.settings.custodian_public_key,
    )  # fmt: skip
    db.commit()
    response.headers.update(NO_STORE)
    return Revealed(identity=identity)
