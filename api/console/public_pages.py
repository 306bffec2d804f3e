"""Public pages, no login: the complaint form, status by tracking number, and the
whistleblowing form with its receipt shown once and the follow-up by receipt. The
whistleblowing pages are kept out of the access log (`proctor.api.privacy`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from proctor.api.console.auth import venue_zone
from proctor.api.console.pages import render as render_page
from proctor.api.deps import Context, DbSession
from proctor.cases import complaints
from proctor.cases import whistleblowing as wbs
from proctor.cases.complaints import Category, Channel, NewComplaint
from proctor.errors import ProctorError

router = APIRouter(prefix="/public", include_in_schema=False)
CATEGORIES = [str(c) for c in Category]


def render(request: Request, name: str, **context: Any) -> HTMLResponse:
    """A public page: its own title and brand, the channels' contacts and deadlines, and the
    form as sent (an error keeps what the person typed)."""
    settings = request.app.state.proctor.settings
    context.setdefault("form", {})
    return render_page(
        request, name, public=True, contacts=settings.public_contacts,
        rules=settings.complaints, **context,
    )  # fmt: skip


def _field(form: dict[str, str], name: str, limit: int) -> str:
    return form.get(name, "").strip()[:limit]


@router.get("", response_class=HTMLResponse)
def index(request: Request) -> HTMLResponse:
    return render(request, "public_index.html")


@router.get("/complaint", response_class=HTMLResponse)
def complaint_form(request: Request) -> HTMLResponse:
    return render(request, "public_complaint.html", categories=CATEGORIES)


@router.post("/complaint", response_class=HTMLResponse)
async def file_complaint(request: Request, db: DbSession, context: Context) -> HTMLResponse:
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        category = Category(form.get("category", ""))
        subject, description = _field(form, "subject", 200), _field(form, "description", 10_000)
        if len(subject) < 3 or not description:
            raise ValueError("subject and description are required")
        case = complaints.receive(
            db,
            NewComplaint(
                Channel.WEB, category, subject, description,
                complainant_name=_field(form, "name", 200) or None,
                complainant_contact=_field(form, "contact", 200) or None,
            ),
            context.settings.complaints,
            actor="public:web",
        )  # fmt: skip
        db.commit()
    except (ValueError, ProctorError):
        return render(
            request, "public_complaint.html", categories=CATEGORIES, invalid=True, form=form
        )
    return render(
        request, "public_filed.html", number=case.tracking_number, case=case,
        zone=venue_zone(db, case.venue_id),
    )  # fmt: skip


@router.get("/status", response_class=HTMLResponse)
def status(request: Request, db: DbSession, number: str | None = None) -> HTMLResponse:
    if not number:
        return render(request, "public_status.html", case=None)
    try:
        case = complaints.by_tracking_number(db, number)
    except ProctorError:
        return render(request, "public_status.html", case=None, missing=True)
    replies = complaints.thread(db, case, public_only=True)
    zone = venue_zone(db, case.venue_id)
    return render(request, "public_status.html", case=case, replies=replies, zone=zone)


@router.get("/wbs", response_class=HTMLResponse)
def wbs_form(request: Request) -> HTMLResponse:
    return render(request, "public_wbs.html", categories=CATEGORIES)


@router.post("/wbs", response_class=HTMLResponse)
async def wbs_file(request: Request, db: DbSession, context: Context) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    try:
        filed = wbs.file_report(
            db, category=Category(form.get("category", "")),
            subject=_field(form, "subject", 200) or "-",
            description=_field(form, "description", 10_000) or "-",
            rules=context.settings.complaints, identity=_field(form, "identity", 2000) or None,
            custodian_public_key=context.settings.custodian_public_key,
        )  # fmt: skip
        db.commit()
    except (ValueError, ProctorError) as exc:
        code = getattr(exc, "code", "request_invalid")
        kept = {k: v for k, v in form.items() if k != "identity"}  # never echoed back
        return render(
            request, "public_wbs.html", categories=CATEGORIES, invalid=str(code), form=kept
        )
    # The receipt is on this page only; it is stored nowhere and cannot be shown again.
    return render(request, "public_receipt.html", receipt=filed.receipt)


@router.get("/wbs/follow", response_class=HTMLResponse)
def wbs_follow_form(request: Request) -> HTMLResponse:
    return render(request, "public_follow.html", report=None)


@router.post("/wbs/follow", response_class=HTMLResponse)
async def wbs_follow(request: Request, db: DbSession, context: Context) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    receipt = _field(form, "receipt", 64)
    try:
        report = wbs.check_receipt(db, receipt, context.receipt_limiter)
        message = _field(form, "message", 10_000)
        if message:
            wbs.reporter_message(db, report, message)
        db.commit()
    except ProctorError as exc:
        db.rollback()
        return render(request, "public_follow.html", report=None, refused=str(exc.code))
    return render(
        request, "public_follow.html", report=report, receipt=receipt,
        messages=wbs.messages(db, report),
    )  # fmt: skip


@router.get("/", include_in_schema=False)
def slash() -> RedirectResponse:
    return RedirectResponse("/public", status_code=303)
