"""The satisfaction survey (IKM) over the API: the questionnaire, answers from the station at
the end of the exam, with an exam card's code or after a closed complaint, the exam cards'
codes for a session, the venues' published follow-ups, and the public results."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field, StringConstraints
from sqlalchemy.orm import Session

from proctor.access.tokens import Role
from proctor.api.context import ServiceContext
from proctor.api.deps import Caller, Context, DbSession
from proctor.api.schemas import Strict
from proctor.api.scoping import station_in_scope
from proctor.cases import complaints
from proctor.clock import utcnow
from proctor.errors import ErrorCode, NotFoundError, RejectedInputError
from proctor.exam import catalog, events
from proctor.store.exam import ExamSession, Venue
from proctor.store.survey import SurveyInvitation
from proctor.survey import answers, results
from proctor.survey.answers import AgeBand, Education, Occupation, Profile, Sex, Source
from proctor.survey.periods import Period
from proctor.survey.results import VenueResults
from proctor.survey.rules import Element, SurveyRules

router = APIRouter(tags=["survey"])
PeriodText = Annotated[str, StringConstraints(pattern=r"^20\d\d(-S[12])?$")]


class AnswerIn(Strict):
    scores: dict[Annotated[str, StringConstraints(max_length=32)], int] = Field(
        max_length=32, description="Each element's code -> 1 (worst) .. 4 (best); all of them."
    )
    age_band: AgeBand | None = None
    sex: Sex | None = None
    education: Education | None = None
    occupation: Occupation | None = None
    suggestion: Annotated[str, StringConstraints(max_length=2000)] = ""

    def profile(self) -> Profile:
        return Profile(self.age_band, self.sex, self.education, self.occupation)


class CardAnswerIn(AnswerIn):
    code: Annotated[str, StringConstraints(min_length=8, max_length=32)] = Field(
        description="The survey code on the exam card, SKM-XXXX-XXXX-XXXX."
    )


class StationAnswerIn(AnswerIn):
    attempt_id: uuid.UUID


class Answered(BaseModel):
    answered: bool = True


class Questionnaire(BaseModel):
    elements: list[Element]
    age_bands: list[AgeBand]
    sexes: list[Sex]
    educations: list[Education]
    occupations: list[Occupation]


class CardCode(BaseModel):
    participant_number: str
    code: str


class FollowUpIn(Strict):
    element: Annotated[str, StringConstraints(max_length=32)]
    text: Annotated[str, StringConstraints(min_length=10, max_length=4000)]


class FollowUpOut(BaseModel):
    element: str
    text: str
    published_at: datetime


class ElementMean(BaseModel):
    code: str
    answers: int
    mean: Decimal | None
    converted: Decimal | None


class ChannelOut(BaseModel):
    channel: str
    received: int
    answered_on_time: int
    closed: int


class VenueIndexOut(BaseModel):
    venue_id: uuid.UUID
    venue_code: str
    venue_name: str
    period: str
    index: Decimal | None
    grade: str | None
    grade_name_id: str | None
    grade_name_en: str | None
    respondents: int
    served: int
    minimum_sample: int
    elements: list[ElementMean]
    weakest_element: str | None
    follow_up: FollowUpOut | None
    complaints: list[ChannelOut]

    @classmethod
    def of(cls, found: VenueResults) -> VenueIndexOut:
        index, grade, weakest = found.index, found.index.grade, found.index.weakest
        follow = found.follow_up
        return cls(
            venue_id=found.venue.id, venue_code=found.venue.code, venue_name=found.venue.name,
            period=str(found.period), index=index.index,
            grade=grade.letter if grade else None,
            grade_name_id=grade.name_id if grade else None,
            grade_name_en=grade.name_en if grade else None,
            respondents=index.respondents, served=found.served, minimum_sample=found.minimum,
            elements=[ElementMean(**e.__dict__) for e in index.elements],
            weakest_element=weakest.code if weakest else None,
            follow_up=FollowUpOut(
                element=follow.element, text=follow.text, published_at=follow.published_at
            ) if follow else None,
            complaints=[ChannelOut(**c.__dict__) for c in found.channels],
        )  # fmt: skip


def questionnaire(rules: SurveyRules) -> Questionnaire:
    return Questionnaire(
        elements=list(rules.elements),
        age_bands=list(AgeBand), sexes=list(Sex), educations=list(Education),
        occupations=list(Occupation),
    )  # fmt: skip


def period_or_current(text: str | None, zone: str) -> Period:
    try:
        return Period.chosen(text, utcnow(), zone)
    except ValueError as exc:
        raise RejectedInputError(str(exc), code=ErrorCode.REQUEST_INVALID) from exc


def _answer(
    db: Session,
    context: ServiceContext,
    invitation: SurveyInvitation,
    body: AnswerIn,
    source: Source,
) -> Answered:
    answers.answer(
        db, invitation, body.scores, context.settings.survey, source=source,
        profile=body.profile(), suggestion=body.suggestion,
        default_zone=context.settings.complaints.timezone,
    )  # fmt: skip
    db.commit()
    return Answered()


@router.get("/public/survey", response_model=Questionnaire)
def get_questionnaire(context: Context) -> Questionnaire:
    """The questions, each element's four answers (worst first) and the optional profile."""
    return questionnaire(context.settings.survey)


@router.post("/public/survey", status_code=201, response_model=Answered)
def answer_with_card(body: CardAnswerIn, db: DbSession, context: Context) -> Answered:
    """An answer with the code on the exam card: one per candidate per session."""
    return _answer(db, context, answers.invitation_for_code(db, body.code), body, Source.CARD)


@router.post(
    "/public/complaints/{tracking_number}/survey", status_code=201, response_model=Answered
)
def answer_after_complaint(
    tracking_number: str, body: AnswerIn, db: DbSession, context: Context
) -> Answered:
    """The complainant's answer, once the complaint is closed: one per complaint."""
    case = complaints.by_tracking_number(db, tracking_number)
    return _answer(db, context, answers.complaint_invitation(db, case), body, Source.COMPLAINT)


@router.post("/stations/{station_id}/survey", status_code=201, response_model=Answered)
def answer_at_station(
    station_id: uuid.UUID, body: StationAnswerIn, db: DbSession, caller: Caller, context: Context
) -> Answered:
    """The candidate's answer at the station, while it offers the survey after the exam."""
    caller.require(Role.STATION)
    station = station_in_scope(db, caller, station_id, write=True)
    rules = context.settings.survey
    invitation = answers.station_invitation(db, station.id, body.attempt_id, rules, utcnow())
    answers.answer(
        db, invitation, body.scores, rules, source=Source.STATION, profile=body.profile(),
        suggestion=body.suggestion,
    )  # fmt: skip
    # The station's page leaves the survey for its waiting screen once this commits.
    events.emit(db, events.StationEvent(station.id, body.attempt_id, "finished", "surveyed"))
    db.commit()
    return Answered()


@router.get("/venues/{venue_id}/sessions/{session_id}/survey-codes", response_model=list[CardCode])
def survey_codes(
    venue_id: uuid.UUID, session_id: uuid.UUID, db: DbSession, caller: Caller, context: Context
) -> list[CardCode]:
    """Each candidate's survey code, to print on the exam cards of a session."""
    caller.require(Role.ADMIN, Role.PROCTOR)
    exam = catalog.get(db, ExamSession, session_id, "session")
    if exam.venue_id != venue_id:
        raise NotFoundError(f"no session {session_id} at this venue", code=ErrorCode.NOT_FOUND)
    caller.check_venue(venue_id, write=True)
    codes = answers.exam_card_codes(db, exam, context.nik_key)
    db.commit()
    return [CardCode(participant_number=n, code=c) for n, c in codes]


@router.put("/venues/{venue_id}/survey-follow-ups/{period}", response_model=VenueIndexOut)
def publish_follow_up(
    venue_id: uuid.UUID,
    period: PeriodText,
    body: FollowUpIn,
    db: DbSession,
    caller: Caller,
    context: Context,
) -> VenueIndexOut:
    """What the venue will do about its weakest element, published with its results."""
    caller.require(Role.ADMIN, Role.COMPLAINT_OFFICER)
    venue = catalog.get(db, Venue, venue_id, "venue")
    chosen, rules = Period.parse(period), context.settings.survey
    results.publish_follow_up(db, venue, chosen, body.element, body.text, rules, actor=caller.actor)
    db.commit()
    return VenueIndexOut.of(results.venue_results(db, venue, chosen, rules))


@router.get("/public/ikm", response_model=list[VenueIndexOut])
def public_results(
    db: DbSession, context: Context, period: Annotated[str | None, Query()] = None
) -> list[VenueIndexOut]:
    """Every venue's index for a period (2026-S1, 2026-S2 or 2026; default: this semester)."""
    chosen = period_or_current(period, context.settings.complaints.timezone)
    return [VenueIndexOut.of(r) for r in results.every_venue(db, chosen, context.settings.survey)]


@router.get("/public/ikm/{venue_id}", response_model=VenueIndexOut)
def public_venue_results(
    venue_id: uuid.UUID,
    db: DbSession,
    context: Context,
    period: Annotated[str | None, Query()] = None,
) -> VenueIndexOut:
    venue = catalog.get(db, Venue, venue_id, "venue")
    chosen = period_or_current(period, venue.time_zone)
    return VenueIndexOut.of(results.venue_results(db, venue, chosen, context.settings.survey))
