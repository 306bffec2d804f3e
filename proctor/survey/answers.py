"""Offering the survey and taking answers: one answer per candidate per exam session (at the
station when the exam ends, or with the code on the exam card) and one per closed complaint.

Anonymity: the answer is stored with its venue and month only; the invitation it used is marked
answered in the same transaction and keeps nothing else of it (`proctor.store.survey`). The
exam card's code is derived from the attempt with a keyed hash, so it can be printed again
without being stored; only its SHA-256 is kept, to find the invitation it opens.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from proctor import local_time
from proctor.cases.codes import ALPHABET
from proctor.cases.procedure import CaseState
from proctor.clock import utcnow
from proctor.errors import ConflictError, ErrorCode, NotFoundError, RejectedInputError
from proctor.exam.attempts import AttemptState
from proctor.store.complaints import Complaint
from proctor.store.exam import Attempt, Candidate, ExamSession, Venue
from proctor.store.survey import SurveyAnswer, SurveyInvitation
from proctor.survey.rules import SCALE, SurveyRules

CODE_LABEL = b"proctor survey code\0"  # keeps these codes apart from the key's other use


class Source(StrEnum):
    STATION = "station"  # at the station, when the exam is finished
    CARD = "card"  # with the code on the exam card
    COMPLAINT = "complaint"  # a complainant, after the complaint was closed


class AgeBand(StrEnum):
    UNDER_26 = "17-25"
    FROM_26 = "26-35"
    FROM_36 = "36-45"
    FROM_46 = "46-55"
    FROM_56 = "56+"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"


class Education(StrEnum):
    """The guideline's respondent profile: schooling completed."""

    PRIMARY = "sd"
    JUNIOR = "smp"
    SENIOR = "sma"
    DIPLOMA = "diploma"  # D1-D4
    BACHELOR = "s1"
    MASTER = "s2"
    DOCTORATE = "s3"


class Occupation(StrEnum):
    CIVIL_SERVANT = "civil_servant"  # PNS
    MILITARY_POLICE = "military_police"  # TNI/Polri
    PRIVATE = "private"  # pegawai swasta
    SELF_EMPLOYED = "self_employed"  # wirausaha
    STUDENT = "student"  # pelajar/mahasiswa
    OTHER = "other"


@dataclass(frozen=True)
class Profile:
    """Optional, as the guideline asks it: each may be left out."""

    age_band: AgeBand | None = None
    sex: Sex | None = None
    education: Education | None = None
    occupation: Occupation | None = None


def exam_card_code(key: bytes, attempt_id: uuid.UUID) -> str:
    """The survey code printed on an exam card: 60 bits of HMAC-SHA256 over the attempt,
    SKM-XXXX-XXXX-XXXX in the alphabet of tracking numbers."""
    mac = hmac.new(key, CODE_LABEL + attempt_id.bytes, hashlib.sha256).digest()
    bits = int.from_bytes(mac[:8], "big") >> 4
    chars = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in reversed(range(12)))
    return f"SKM-{chars[:4]}-{chars[4:8]}-{chars[8:]}"


def _code_digest(code: str) -> str:
    return hashlib.sha256(code.strip().upper().encode()).hexdigest()


def _invitation(session: Session, **service: uuid.UUID) -> SurveyInvitation:
    """The invitation of one attempt or complaint, made the first time it is needed."""
    ((column, value),) = service.items()
    found = session.scalar(
        select(SurveyInvitation).where(getattr(SurveyInvitation, column) == value)
    )
    if found is None:
        found = SurveyInvitation(**service)
        session.add(found)
        session.flush()
    return found


def exam_card_codes(
    session: Session, exam_session: ExamSession, key: bytes
) -> list[tuple[str, str]]:
    """(participant number, survey code) for every attempt of an exam session, for printing
    on the exam cards; each attempt's invitation holds its code's digest from then on."""
    attempts = session.execute(
        select(Attempt.id, Candidate.participant_number)
        .join(Candidate, Attempt.candidate_id == Candidate.id)
        .where(Attempt.session_id == exam_session.id)
    ).all()
    invited = {
        i.attempt_id: i
        for i in session.scalars(
            select(SurveyInvitation).where(
                SurveyInvitation.attempt_id.in_([a for a, _ in attempts])
            )
        )
    }
    out = []
    for attempt_id, number in attempts:
        code = exam_card_code(key, attempt_id)
        invitation = invited.get(attempt_id)
        if invitation is None:
            invitation = SurveyInvitation(attempt_id=attempt_id)
            session.add(invitation)
        invitation.code_sha256 = _code_digest(code)
        out.append((number, code))
    session.flush()
    return sorted(out)


def invitation_for_code(session: Session, code: str) -> SurveyInvitation:
    invitation = session.scalar(
        select(SurveyInvitation).where(SurveyInvitation.code_sha256 == _code_digest(code))
    )
    if invitation is None:
        raise NotFoundError("no survey has this code", code=ErrorCode.SURVEY_CODE_INVALID)
    return invitation


def station_offer(
    session: Session, station_id: uuid.UUID, rules: SurveyRules, now: datetime
) -> Attempt | None:
    """The attempt a station offers the survey for: the last one it served, finished within
    `rules.station_minutes`, not yet answered (one query: every idle station's state asks)."""
    found = session.execute(
        select(Attempt, SurveyInvitation.answered)
        .outerjoin(SurveyInvitation, SurveyInvitation.attempt_id == Attempt.id)
        .where(
            Attempt.station_id == station_id,
            Attempt.state == str(AttemptState.FINISHED),
            Attempt.ended_at >= now - timedelta(minutes=rules.station_minutes),
        )
        .order_by(Attempt.ended_at.desc())
        .limit(1)
    ).first()
    if found is None or found.answered:
        return None
    return found.Attempt


def station_invitation(
    session: Session,
    station_id: uuid.UUID,
    attempt_id: uuid.UUID,
    rules: SurveyRules,
    now: datetime,
) -> SurveyInvitation:
    offered = station_offer(session, station_id, rules, now)
    if offered is None or offered.id != attempt_id:
        raise ConflictError(
            "this station offers no survey for that attempt now", code=ErrorCode.SURVEY_CLOSED
        )
    return _invitation(session, attempt_id=attempt_id)


def complaint_invitation(session: Session, complaint: Complaint) -> SurveyInvitation:
    if CaseState(complaint.state) is not CaseState.CLOSED:
        raise ConflictError(
            "the survey opens once the complaint is closed", code=ErrorCode.SURVEY_CLOSED
        )
    return _invitation(session, complaint_id=complaint.id)


def _service_place(
    session: Session, invitation: SurveyInvitation, now: datetime, default_zone: str
) -> tuple[uuid.UUID | None, date]:
    """The venue the answer rates and the month of the service, in the venue's zone."""
    if invitation.attempt_id is not None:
        attempt = session.get(Attempt, invitation.attempt_id)
        when, venue = attempt.session.starts_at, attempt.session.venue
        return venue.id, local_time.local(when, venue.time_zone).date().replace(day=1)
    complaint = session.get(Complaint, invitation.complaint_id)
    venue = session.get(Venue, complaint.venue_id) if complaint.venue_id else None
    zone = venue.time_zone if venue is not None else default_zone
    return complaint.venue_id, local_time.local(now, zone).date().replace(day=1)


def answer(
    session: Session,
    invitation: SurveyInvitation,
    scores: dict[str, int],
    rules: SurveyRules,
    *,
    source: Source,
    profile: Profile = Profile(),
    suggestion: str = "",
    now: datetime | None = None,
    default_zone: str = local_time.DEFAULT_ZONE,
) -> SurveyAnswer:
    """Store one answer; every element of the rules must be answered on the 1-4 scale. The
    invitation is marked in one conditional UPDATE, so two answers sent at once (two servers)
    store one."""
    codes = [e.code for e in rules.elements]
    if set(scores) != set(codes) or any(scores[c] not in SCALE for c in codes):
        raise RejectedInputError(
            f"answer each of {', '.join(codes)} from 1 to 4", code=ErrorCode.REQUEST_INVALID
        )
    marked = session.execute(
        update(SurveyInvitation)
        .where(SurveyInvitation.id == invitation.id, SurveyInvitation.answered.is_(False))
        .values(answered=True)
        .execution_options(synchronize_session=False)
    )
    if marked.rowcount != 1:
        raise ConflictError("this survey was answered already", code=ErrorCode.SURVEY_ANSWERED)
    venue_id, month = _service_place(session, invitation, now or utcnow(), default_zone)
    row = SurveyAnswer(
        id=uuid.uuid4(),
        venue_id=venue_id,
        month=month,
        source=str(source),
        scores={c: scores[c] for c in codes},
        age_band=_text(profile.age_band),
        sex=_text(profile.sex),
        education=_text(profile.education),
        occupation=_text(profile.occupation),
        suggestion=suggestion.strip()[:2000] or None,
    )
    session.add(row)
    session.flush()
    return row


def _text(value: StrEnum | None) -> str | None:
    return str(value) if value is not None else None
