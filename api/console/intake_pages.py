"""Complaint officers enter what reaches them outside the web form: a complaint told at the
booth, by phone or e-mail, a slip from the complaint box (with its photo), a post on social
media; and exchange files with SP4N-LAPOR! (reports in, our updates out)."""

from __future__ import annotations

import uuid
from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.datastructures import UploadFile

from proctor.api.console.acts import back
from proctor.api.console.auth import current_user, form_user
from proctor.api.console.case_pages import OFFICERS
from proctor.api.console.pages import render
from proctor.api.context import ServiceContext
from proctor.api.deps import Context, DbSession
from proctor.api.downloads import attachment
from proctor.api.routes.complaint_channels import LAPOR_FILE_LIMIT
from proctor.api.uploads import read_capped
from proctor.cases import channel_entries, complaints, lapor
from proctor.cases.channel_entries import BoxSlip, SocialPost
from proctor.cases.complaints import ENTERED_AS_TOLD, Category, Channel, NewComplaint
from proctor.clock import utcnow
from proctor.errors import ErrorCode, ProctorError, RejectedInputError
from proctor.exam import catalog
from proctor.store.complaints import Complaint
from proctor.store.exam import Venue

router = APIRouter(prefix="/console", include_in_schema=False)
PAGE = "/console/intake"
TOLD = [str(c) for c in ENTERED_AS_TOLD if c is not Channel.WEB]


@router.get("/intake", response_class=HTMLResponse)
def intake_page(
    request: Request,
    db: DbSession,
    error: str | None = None,
    imported: int | None = None,
    duplicates: int | None = None,
) -> HTMLResponse:
    user = current_user(request, db)
    user.principal.require(*OFFICERS)
    return render(
        request, "intake.html", user, error=error, imported=imported, duplicates=duplicates,
        categories=[str(c) for c in Category], told=TOLD, venues=catalog.venues(db),
        today=utcnow().date().isoformat(),
    )  # fmt: skip


def _new(db: Session, form: dict[str, str], channel: Channel) -> NewComplaint:
    venue_id = None
    if form.get("venue_id"):
        venue_id = catalog.get(db, Venue, uuid.UUID(form["venue_id"]), "venue").id
    subject, description = form.get("subject", "").strip()[:200], form.get("description", "")
    if len(subject) < 3 or not description.strip():
        raise RejectedInputError(
            "subject and description are required", code=ErrorCode.REQUEST_INVALID
        )
    return NewComplaint(
        channel, Category(form.get("category", "")), subject, description.strip()[:10_000],
        venue_id, form.get("name", "").strip()[:200] or None,
        form.get("contact", "").strip()[:200] or None,
    )  # fmt: skip


@router.post("/intake")
async def enter(request: Request, db: DbSession, context: Context) -> Response:
    user, form = await form_user(request, db)
    user.principal.require(*OFFICERS)
    photo = (await request.form()).get("photo")
    try:
        case = _entered(db, form, photo, user.principal.actor, context)
        db.commit()
    except ProctorError as exc:
        db.rollback()
        return back(PAGE, exc)
    except ValueError:  # a category, channel, venue id or day outside the form's choices
        db.rollback()
        return back(PAGE, RejectedInputError("unknown value", code=ErrorCode.REQUEST_INVALID))
    return RedirectResponse(f"/console/complaints/{case.id}", status_code=303)


def _entered(
    db: Session, form: dict[str, str], photo: object, actor: str, context: ServiceContext
) -> Complaint:
    kind, rules = form.get("kind"), context.settings.complaints
    if kind == "told":
        channel = Channel(form.get("channel", ""))
        if channel not in ENTERED_AS_TOLD:
            raise ValueError(channel)
        return complaints.receive(db, _new(db, form, channel), rules, actor=actor, entered_by=actor)
    if kind == "box":
        if not isinstance(photo, UploadFile):
            raise RejectedInputError(
                "a photo of the slip is needed", code=ErrorCode.REQUEST_INVALID
            )
        slip = BoxSlip(
            date.fromisoformat(form.get("box_opened_on", "")), form.get("box_opened_by", "")[:200],
            read_capped(photo, context.settings.max_upload_bytes),
        )  # fmt: skip
        new = _new(db, form, Channel.COMPLAINT_BOX)
        return channel_entries.enter_box_slip(db, new, slip, rules, actor=actor)
    if kind == "social":
        post = SocialPost(form.get("post_url", "")[:500], form.get("account_name", "")[:200])
        new = _new(db, form, Channel.SOCIAL_MEDIA)
        return channel_entries.enter_social_post(db, new, post, rules, actor=actor)
    raise ValueError(kind)


@router.post("/intake/lapor")
async def lapor_import(request: Request, db: DbSession, context: Context) -> Response:
    user, _ = await form_user(request, db)
    user.principal.require(*OFFICERS)
    upload = (await request.form()).get("file")
    if not isinstance(upload, UploadFile):
        return back(PAGE, RejectedInputError("choose a file", code=ErrorCode.REQUEST_INVALID))
    rules = context.settings.complaints
    try:
        data = read_capped(upload, LAPOR_FILE_LIMIT)
        done = lapor.import_reports(
            db, lapor.parse(data, rules.timezone), rules, actor=user.principal.actor,
            source_digest=lapor.digest(data),
        )  # fmt: skip
        db.commit()
    except ProctorError as exc:
        db.rollback()
        return back(PAGE, exc)
    return back(f"{PAGE}?imported={len(done.new)}&duplicates={done.duplicates}")


@router.get("/intake/lapor-updates")
def lapor_updates(request: Request, db: DbSession, since: str = "") -> Response:
    """Our updates for LAPOR! since a day (dd/mm/yyyy or yyyy-mm-dd, from its start in the
    service's zone), as the JSON file the exchange defines."""
    user = current_user(request, db)
    user.principal.require(*OFFICERS)
    zone = request.app.state.proctor.settings.complaints.timezone
    try:
        when = lapor.since_day(since, zone)
    except ValueError:
        return back(PAGE, RejectedInputError("not a day", code=ErrorCode.REQUEST_INVALID))
    made = lapor.export_file(db, when, utcnow())
    return attachment(made.text, made.media_type, made.name)
