"""The complaint channels that carry a trace of their own, for complaint officers: a slip from
the venue's complaint box (with its photo), a post on social media, and the file exchange with
SP4N-LAPOR! (reports in, our replies and status changes out)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Literal

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import Response
from pydantic import BaseModel, StringConstraints

from proctor.api.deps import Caller, Context, DbSession
from proctor.api.downloads import attachment
from proctor.api.images import slip_image
from proctor.api.routes.complaints import (
    OFFICERS,
    READERS,
    ComplaintDetail,
    Contact,
    Subject,
    Text,
    detail,
)
from proctor.api.schemas import Name, Strict
from proctor.api.uploads import PhotoUpload, read_capped
from proctor.cases import channel_entries, lapor
from proctor.cases.channel_entries import BoxSlip, SocialPost
from proctor.cases.complaints import Category, Channel, NewComplaint
from proctor.cases.procedure import Track
from proctor.clock import utcnow
from proctor.exam import catalog
from proctor.store.complaints import Complaint
from proctor.store.exam import Venue

router = APIRouter(tags=["complaints"])
LAPOR_FILE_LIMIT = 10 * 1024 * 1024


class SocialPostIn(Strict):
    category: Category
    subject: Subject
    description: Text
    post_url: Annotated[str, StringConstraints(min_length=8, max_length=500, strip_whitespace=True)]
    account_name: Name
    venue_id: uuid.UUID | None = None
    complainant_contact: Contact | None = None
    track: Track = Track.SIMPLE


class LaporImported(BaseModel):
    imported: int
    duplicates: int
    tracking_numbers: list[str]


def _venue(db: DbSession, venue_id: uuid.UUID | None) -> None:
    if venue_id is not None:
        catalog.get(db, Venue, venue_id, "venue")


@router.post("/complaints/box", status_code=201, response_model=ComplaintDetail)
def enter_box_slip(
    photo: PhotoUpload,
    category: Annotated[Category, Form()],
    subject: Annotated[Subject, Form()],
    description: Annotated[Text, Form()],
    box_opened_on: Annotated[date, Form(description="The day the box was opened.")],
    box_opened_by: Annotated[str, Form(min_length=3, max_length=200, description="Who opened it.")],
    db: DbSession,
    caller: Caller,
    context: Context,
    venue_id: Annotated[uuid.UUID | None, Form()] = None,
    complainant_name: Annotated[Name | None, Form()] = None,
    complainant_contact: Annotated[Contact | None, Form()] = None,
    track: Annotated[Track, Form()] = Track.SIMPLE,
) -> ComplaintDetail:
    """A slip from the venue's complaint box, with a photo of it (JPEG or PNG)."""
    caller.require(*OFFICERS)
    _venue(db, venue_id)
    slip = BoxSlip(
        box_opened_on, box_opened_by, read_capped(photo, context.settings.max_upload_bytes)
    )
    new = NewComplaint(
        Channel.COMPLAINT_BOX, category, subject, description, venue_id, complainant_name,
        complainant_contact, track,
    )  # fmt: skip
    case = channel_entries.enter_box_slip(
        db, new, slip, context.settings.complaints, actor=caller.actor
    )
    db.commit()
    return detail(db, case)


@router.post("/complaints/social", status_code=201, response_model=ComplaintDetail)
def enter_social_post(
    body: SocialPostIn, db: DbSession, caller: Caller, context: Context
) -> ComplaintDetail:
    """A complaint posted on social media; the same post entered again is the same complaint."""
    caller.require(*OFFICERS)
    _venue(db, body.venue_id)
    new = NewComplaint(
        Channel.SOCIAL_MEDIA, body.category, body.subject, body.description, body.venue_id,
        None, body.complainant_contact, body.track,
    )  # fmt: skip
    post = SocialPost(body.post_url, body.account_name)
    case = channel_entries.enter_social_post(
        db, new, post, context.settings.complaints, actor=caller.actor
    )
    db.commit()
    return detail(db, case)


@router.get("/complaints/{complaint_id}/slip", response_class=Response)
def slip_photo(complaint_id: uuid.UUID, db: DbSession, caller: Caller) -> Response:
    """The photo of a complaint box slip, for complaint officers and the committee."""
    caller.require(*READERS)
    return slip_image(db, catalog.get(db, Complaint, complaint_id, "complaint"))


@router.post("/complaints/lapor/imports", status_code=201, response_model=LaporImported)
def import_lapor(
    file: Annotated[UploadFile, File(description="LAPOR! reports, JSON or CSV (README).")],
    db: DbSession,
    caller: Caller,
    context: Context,
) -> LaporImported:
    """Reports handed over by SP4N-LAPOR!; a report imported before is counted, not doubled."""
    caller.require(*OFFICERS)
    data = read_capped(file, LAPOR_FILE_LIMIT)
    rules = context.settings.complaints
    done = lapor.import_reports(
        db, lapor.parse(data, rules.timezone), rules, actor=caller.actor,
        source_digest=lapor.digest(data),
    )  # fmt: skip
    db.commit()
    return LaporImported(
        imported=len(done.new), duplicates=done.duplicates,
        tracking_numbers=[c.tracking_number for c in done.new],
    )  # fmt: skip


@router.get("/complaints/lapor/updates", response_class=Response)
def export_lapor(
    db: DbSession,
    caller: Caller,
    since: datetime | None = None,
    format: Literal["json", "csv"] = "json",
) -> Response:
    """Our replies and status changes to the complaints from LAPOR!, after `since`, to hand
    back to LAPOR! (README: "SP4N-LAPOR! exchange")."""
    caller.require(*READERS)
    made = lapor.export_file(db, since, utcnow(), format)
    return attachment(made.text, made.media_type, made.name)
