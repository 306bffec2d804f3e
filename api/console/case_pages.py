"""Complaint officers' and the custodian's pages: queues by deadline with overdue cases
highlighted, case pages with their message thread, and the custodian's identity reveal."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from proctor.access.tokens import Role
from proctor.api.console.acts import back, commit_or_back
from proctor.api.console.auth import current_user, form_user, venue_zone
from proctor.api.console.pages import render
from proctor.api.deps import Context, DbSession
from proctor.api.images import slip_image
from proctor.cases import complaints, procedure
from proctor.cases import whistleblowing as wbs
from proctor.cases.procedure import Track
from proctor.clock import utcnow
from proctor.errors import ErrorCode, NotFoundError, ProctorError, RejectedInputError
from proctor.exam import catalog
from proctor.store.complaints import Complaint, WbsReport

router = APIRouter(prefix="/console", include_in_schema=False)
OFFICERS = (Role.COMPLAINT_OFFICER, Role.ADMIN)
CASE_READERS = (*OFFICERS, Role.COMMITTEE)
WBS_READERS = (*OFFICERS, Role.CUSTODIAN)


def _queue(open_cases: Sequence[Complaint | WbsReport]) -> list[tuple[object, str | None]]:
    now = utcnow()
    rows = [(c, (procedure.overdue_step(c, now) or (None,))[0]) for c in open_cases]
    return sorted(rows, key=lambda r: (r[1] is None, r[0].resolution_due))  # overdue first


@router.get("/complaints", response_class=HTMLResponse)
def complaint_queue(request: Request, db: DbSession) -> HTMLResponse:
    user = current_user(request, db)
    user.principal.require(*CASE_READERS)
    rows = _queue(complaints.by_deadline(db))
    return render(request, "cases.html", user, rows=rows, kind="complaints")


@router.get("/complaints/{complaint_id}", response_class=HTMLResponse)
def complaint_page(
    complaint_id: uuid.UUID, request: Request, db: DbSession, error: str | None = None
) -> HTMLResponse:
    user = current_user(request, db)
    user.principal.require(*CASE_READERS)
    case = catalog.get(db, Complaint, complaint_id, "complaint")
    messages = complaints.thread(db, case)
    return render(
        request, "case.html", user, case=case, messages=messages, kind="complaints",
        zone=venue_zone(db, case.venue_id),
        tracks=[str(t) for t in Track], error=error,
        can_act=user.principal.role in OFFICERS,
        overdue=procedure.overdue_step(case, utcnow()),
    )  # fmt: skip


@router.get("/complaints/{complaint_id}/slip")
def slip_photo(complaint_id: uuid.UUID, request: Request, db: DbSession) -> Response:
    user = current_user(request, db)
    user.principal.require(*CASE_READERS)
    return slip_image(db, catalog.get(db, Complaint, complaint_id, "complaint"))


@router.get("/wbs", response_class=HTMLResponse)
def wbs_queue(request: Request, db: DbSession) -> HTMLResponse:
    user = current_user(request, db)
    user.principal.require(*WBS_READERS)
    return render(request, "cases.html", user, rows=_queue(wbs.by_deadline(db)), kind="wbs")


@router.get("/wbs/{report_id}", response_class=HTMLResponse)
def wbs_page(
    report_id: uuid.UUID, request: Request, db: DbSession, error: str | None = None
) -> HTMLResponse:
    user = current_user(request, db)
    user.principal.require(*WBS_READERS)
    report = catalog.get(db, WbsReport, report_id, "report")
    return render(
        request, "case.html", user, case=report, messages=wbs.messages(db, report), kind="wbs",
        tracks=[], error=error, can_act=user.principal.role in OFFICERS,
        can_reveal=user.principal.role is Role.CUSTODIAN and report.identity_sealed is not None,
        overdue=procedure.overdue_step(report, utcnow()),
    )  # fmt: skip


@router.post("/{kind}/{case_id}/act")
async def act(
    kind: str, case_id: uuid.UUID, request: Request, db: DbSession, context: Context
) -> Response:
    user, form = await form_user(request, db)
    user.principal.require(*OFFICERS)
    page = f"/console/{kind}/{case_id}"
    model = {"complaints": Complaint, "wbs": WbsReport}.get(kind)
    if model is None:
        raise NotFoundError(f"no case list {kind!r}", code=ErrorCode.NOT_FOUND)
    actor, action = user.principal.actor, form.get("action")

    def act_on_case() -> None:
        case = catalog.get(db, model, case_id, "case", lock=True)
        if action == "reply":  # a report's replies always reach its reporter
            public = model is WbsReport or form.get("public") == "on"
            procedure.reply(db, case, form.get("body", ""), actor=actor, public=public)
        elif action == "classify":
            procedure.classify(db, case, Track(form.get("track", "")), context.settings.complaints,
                               actor=actor)  # fmt: skip
        elif action == "resolve":
            procedure.resolve(db, case, form.get("note", ""), actor=actor, now=utcnow())
        elif action == "close":
            procedure.close(db, case, actor=actor, now=utcnow())
        else:
            raise RejectedInputError("unknown action", code=ErrorCode.REQUEST_INVALID)

    return commit_or_back(db, page, act_on_case)


@router.post("/wbs/{report_id}/reveal", response_class=HTMLResponse)
async def reveal(
    report_id: uuid.UUID, request: Request, db: DbSession, context: Context
) -> Response:
    """The custodian alone, with their private key and a justification; the identity is shown
    on this response only (not stored in the page's URL, not cached)."""
    user, form = await form_user(request, db)
    user.principal.require(Role.CUSTODIAN)
    report = catalog.get(db, WbsReport, report_id, "report")
    try:
        identity = wbs.reveal_identity(
            db, report, actor=user.principal.actor, justification=form.get("justification", ""),
            private_key=form.get("private_key", "").strip(),
            custodian_public_key=context.settings.custodian_public_key,
        )  # fmt: skip
        db.commit()
    except ProctorError as exc:
        db.rollback()
        return back(f"/console/wbs/{report_id}", exc)
    return render(request, "revealed.html", user, report=report, identity=identity)
