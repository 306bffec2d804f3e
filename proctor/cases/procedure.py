"""The written procedure every complaint and whistleblowing report follows.

    received -> in_progress -> resolved -> closed      (resolved -> in_progress: reopened)

Two steps have deadlines: the first response, and the resolution, whose deadline depends on
the case's track. An overdue step is escalated to the venue head, and if it stays overdue, to
the committee. Nothing closes without a resolution note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.audit import trail
from proctor.cases import notify
from proctor.cases.deadlines import ComplaintRules, add_days, add_working_days, working_days_between
from proctor.clock import utcnow
from proctor.errors import ConflictError, ErrorCode, RejectedInputError
from proctor.store.complaints import (
    Complaint,
    ComplaintMessage,
    ProcedureMixin,
    WbsMessage,
    WbsReport,
)
from proctor.transitions import require_move

MIN_NOTE = 10


class CaseState(StrEnum):
    RECEIVED = "received"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    CLOSED = "closed"


class Track(StrEnum):
    INFORMATION = "information"  # a request for information
    SIMPLE = "simple"  # a complaint settled without investigation
    INVESTIGATION = "investigation"  # needs investigation, without field inspection
    FIELD_INSPECTION = "field_inspection"


class Escalation(StrEnum):
    NONE = "none"
    VENUE_HEAD = "venue_head"
    COMMITTEE = "committee"


C = CaseState
TRANSITIONS: dict[CaseState, frozenset[CaseState]] = {
    C.RECEIVED: frozenset({C.IN_PROGRESS, C.RESOLVED}),
    C.IN_PROGRESS: frozenset({C.RESOLVED}),
    C.RESOLVED: frozenset({C.CLOSED, C.IN_PROGRESS}),
    C.CLOSED: frozenset(),
}


def message_text(body: str) -> str:
    text = body.strip()
    if not text:
        raise RejectedInputError("the message is empty", code=ErrorCode.REQUEST_INVALID)
    return text


def resolution_due(rules: ComplaintRules, received_at: datetime, track: Track) -> datetime:
    if track in (Track.INFORMATION, Track.SIMPLE):
        return add_working_days(
            received_at, rules.simple_working_days, rules.holidays, rules.zone()
        )
    if track is Track.INVESTIGATION:
        return add_days(received_at, rules.investigation_days)
    return add_days(received_at, rules.field_inspection_days)


def start_clock(
    case: ProcedureMixin, rules: ComplaintRules, received_at: datetime, track: Track
) -> None:
    case.received_at = received_at
    case.track = str(track)
    case.first_response_due = add_days(received_at, rules.first_response_days)
    case.resolution_due = resolution_due(rules, received_at, track)
    case.escalation = str(Escalation.NONE)


def subject_type(case: ProcedureMixin) -> str:
    return "wbs_report" if isinstance(case, WbsReport) else "complaint"


def move(
    session: Session, case: Complaint | WbsReport, target: CaseState, *, actor: str, **details
) -> None:
    current = CaseState(case.state)
    require_move(TRANSITIONS, current, target, what="a case")
    case.state = str(target)
    trail.record(
        session,
        actor=actor,
        action=f"{subject_type(case)}.{target}",
        subject_type=subject_type(case),
        subject_id=case.id,
        previous=str(current),
        **details,
    )


def responded(session: Session, case: Complaint | WbsReport, *, actor: str, now: datetime) -> None:
    """A reply the complainant or reporter can read: the first one answers the first step."""
    if case.first_responded_at is None:
        case.first_responded_at = now
        if CaseState(case.state) is C.RECEIVED:
            move(session, case, C.IN_PROGRESS, actor=actor, step="first_response")


def reply(
    session: Session,
    case: Complaint | WbsReport,
    body: str,
    *,
    actor: str,
    public: bool = True,
    now: datetime | None = None,
) -> ComplaintMessage | WbsMessage:
    """An officer's message on a complaint or a whistleblowing report. A public reply reaches
    the complainant or reporter (and answers the first step); an internal note, which only
    complaints have, does not."""
    now = now or utcnow()
    kind = subject_type(case)
    if CaseState(case.state) is C.CLOSED:
        noun = "report" if kind == "wbs_report" else "complaint"
        raise ConflictError(f"the {noun} is closed", code=ErrorCode.TRANSITION_INVALID)
    text, details = message_text(body), {}
    if isinstance(case, WbsReport):
        if not public:
            raise RejectedInputError(
                "a whistleblowing report has no internal notes", code=ErrorCode.REQUEST_INVALID
            )
        message: ComplaintMessage | WbsMessage = WbsMessage(
            report_id=case.id, at=now, author="officer", actor=actor, body=text
        )
    else:
        message = ComplaintMessage(
            complaint_id=case.id, at=now, author="officer", actor=actor, body=text, public=public
        )
        details["public"] = public
    session.add(message)
    if public:
        responded(session, case, actor=actor, now=now)
    if public and isinstance(case, Complaint):
        notify.queue(
            session,
            notify.Notification("complaint.replied", "complaint", str(case.id), "complainant"),
        )
    trail.record(
        session, actor=actor, action=f"{kind}.message", subject_type=kind, subject_id=case.id,
        **details,
    )  # fmt: skip
    return message


def classify(
    session: Session,
    case: Complaint | WbsReport,
    track: Track,
    rules: ComplaintRules,
    *,
    actor: str,
) -> None:
    if CaseState(case.state) in (C.RESOLVED, C.CLOSED):
        raise ConflictError("a resolved case keeps its track", code=ErrorCode.TRANSITION_INVALID)
    previous = case.track
    case.track = str(track)
    case.resolution_due = resolution_due(rules, case.received_at, track)
    trail.record(
        session,
        actor=actor,
        action=f"{subject_type(case)}.classified",
        subject_type=subject_type(case),
        subject_id=case.id,
        previous=previous,
        track=str(track),
        resolution_due=case.resolution_due.isoformat(),
    )


def resolve(
    session: Session, case: Complaint | WbsReport, note: str, *, actor: str, now: datetime
) -> None:
    text = note.strip()
    if len(text) < MIN_NOTE:
        raise RejectedInputError(
            f"a resolution note of at least {MIN_NOTE} characters is required",
            code=ErrorCode.RESOLUTION_REQUIRED,
        )
    if case.first_responded_at is None:
        case.first_responded_at = now  # the resolution is the first response
    move(session, case, C.RESOLVED, actor=actor)
    case.resolution_note, case.resolved_at = text, now


def reopen(session: Session, case: Complaint | WbsReport, reason: str, *, actor: str) -> None:
    move(session, case, C.IN_PROGRESS, actor=actor, reason=reason.strip()[:500])
    case.resolved_at = None


def close(session: Session, case: Complaint | WbsReport, *, actor: str, now: datetime) -> None:
    if not case.resolution_note:
        raise ConflictError(
            "nothing closes without a resolution note", code=ErrorCode.RESOLUTION_REQUIRED
        )
    move(session, case, C.CLOSED, actor=actor)
    case.closed_at = now


# -- deadlines and escalation ------------------------------------------------------------------
@dataclass(frozen=True)
class Overdue:
    case: Complaint | WbsReport
    step: str  # first_response or resolution
    due: datetime

    @property
    def kind(self) -> str:
        return subject_type(self.case)


def overdue_step(case: ProcedureMixin, now: datetime) -> tuple[str, datetime] | None:
    if case.closed_at is not None:
        return None
    if case.first_responded_at is None and now > case.first_response_due:
        return "first_response", case.first_response_due
    if case.resolved_at is None and now > case.resolution_due:
        return "resolution", case.resolution_due
    return None


def overdue(session: Session, now: datetime) -> list[Overdue]:
    """Every open complaint and report with a step past its deadline, the oldest first."""
    found = []
    for model in (Complaint, WbsReport):
        open_cases = session.scalars(select(model).where(model.state != str(C.CLOSED)))
        for case in open_cases:
            step = overdue_step(case, now)
            if step is not None:
                found.append(Overdue(case, *step))
    return sorted(found, key=lambda o: o.due)


def escalate_overdue(
    session: Session, rules: ComplaintRules, now: datetime, *, actor: str = "procedure"
) -> list[Overdue]:
    """Escalate overdue steps: to the venue head at once, to the committee once the step has
    stayed overdue `committee_after_working_days`. Returns the cases escalated now."""
    escalated = []
    for item in overdue(session, now):
        case, level = item.case, Escalation(item.case.escalation)
        late = working_days_between(item.due, now, rules.holidays, rules.zone())
        target = None
        if level is Escalation.NONE:
            target = Escalation.VENUE_HEAD
        elif level is Escalation.VENUE_HEAD and late >= rules.committee_after_working_days:
            target = Escalation.COMMITTEE
        if target is None:
            continue
        case.escalation, case.escalated_at = str(target), now
        trail.record(
            session,
            actor=actor,
            action=f"{item.kind}.escalated",
            subject_type=item.kind,
            subject_id=case.id,
            step=item.step,
            due=item.due.isoformat(),
            to=str(target),
        )
        notify.queue(
            session,
            notify.Notification(
                f"{item.kind}.escalated", item.kind, str(case.id), str(target), {"step": item.step}
            ),
        )
        escalated.append(item)
    return escalated
