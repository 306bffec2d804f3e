"""Complaints an officer enters from the channels that leave a trace of their own: a slip from
the venue's complaint box (with its photo, the day the box was opened and who opened it) and a
post on social media (its address and the account). They follow the same procedure, deadlines,
escalation and survey as every complaint (`proctor.cases.complaints.receive`)."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.orm import Session

from proctor.blobs import store_blob
from proctor.cases import complaints
from proctor.cases.complaints import Channel, NewComplaint
from proctor.cases.deadlines import ComplaintRules
from proctor.clock import utcnow
from proctor.errors import ErrorCode, InputImageError, RejectedInputError
from proctor.faces.photos import sniff_content_type
from proctor.models.imaging import decode_image
from proctor.store.complaints import Complaint

URL = re.compile(r"^https?://[^\s/$.?#][^\s]*$", re.IGNORECASE)
SLIP_TYPES = ("image/jpeg", "image/png")


@dataclass(frozen=True)
class BoxSlip:
    opened_on: date  # the day the box was opened, on the venue's calendar
    opened_by: str  # who opened it (names, as the box's opening record says)
    photo: bytes


@dataclass(frozen=True)
class SocialPost:
    url: str
    account: str


def _checked_slip(slip: BoxSlip, now: datetime, zone_today: date) -> None:
    if slip.opened_on > zone_today:
        raise RejectedInputError(
            "the box cannot have been opened after today", code=ErrorCode.REQUEST_INVALID
        )
    if len(slip.opened_by.strip()) < 3:
        raise RejectedInputError("say who opened the box", code=ErrorCode.REQUEST_INVALID)
    if sniff_content_type(slip.photo) not in SLIP_TYPES:
        raise InputImageError(
            "the slip's photo must be a JPEG or PNG", code=ErrorCode.IMAGE_UNSUPPORTED
        )
    decode_image(slip.photo)  # a truncated or corrupt picture is refused with its image_* code


def enter_box_slip(
    session: Session,
    new: NewComplaint,
    slip: BoxSlip,
    rules: ComplaintRules,
    *,
    actor: str,
    now: datetime | None = None,
) -> Complaint:
    """A slip from the complaint box, entered by the officer who reads it."""
    now = now or utcnow()
    if new.channel is not Channel.COMPLAINT_BOX:
        raise RejectedInputError("not a complaint box slip", code=ErrorCode.REQUEST_INVALID)
    _checked_slip(slip, now, now.astimezone(rules.zone()).date())
    case = complaints.receive(session, new, rules, actor=actor, entered_by=actor, now=now)
    case.slip_blob_id = store_blob(session, slip.photo).id
    case.box_opened_on, case.box_opened_by = slip.opened_on, slip.opened_by.strip()
    session.flush()
    return case


def enter_social_post(
    session: Session,
    new: NewComplaint,
    post: SocialPost,
    rules: ComplaintRules,
    *,
    actor: str,
    now: datetime | None = None,
) -> Complaint:
    """A complaint posted on social media, entered by the officer who found it. The post's
    address is its identity: entering the same post again returns the complaint it opened."""
    if new.channel is not Channel.SOCIAL_MEDIA:
        raise RejectedInputError("not a social media post", code=ErrorCode.REQUEST_INVALID)
    url, account = post.url.strip(), post.account.strip()
    if not URL.match(url) or len(url) > 500:
        raise RejectedInputError(
            "the post's address must be an http(s) link", code=ErrorCode.REQUEST_INVALID
        )
    if not account:
        raise RejectedInputError("name the account that posted", code=ErrorCode.REQUEST_INVALID)
    digest = hashlib.sha256(url.encode()).hexdigest()
    keyed = NewComplaint(**{**new.__dict__, "external_ref": f"post:{digest}"})
    case = complaints.receive(session, keyed, rules, actor=actor, entered_by=actor, now=now)
    case.post_url, case.account_name = url, account
    session.flush()
    return case
