"""What a venue publishes for a period: its satisfaction index and grade, each element's mean,
how many answered against the minimum sample for the people it served, the follow-up it
publishes for its weakest element, and its complaint figures per channel."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from proctor.audit import trail
from proctor.cases.procedure import CaseState
from proctor.clock import utcnow
from proctor.errors import ErrorCode, RejectedInputError
from proctor.exam.attempts import AttemptState
from proctor.store.complaints import Complaint
from proctor.store.exam import Attempt, ExamSession, Venue
from proctor.store.survey import SurveyAnswer, SurveyFollowUp
from proctor.survey.index import IndexResult, compute
from proctor.survey.periods import Period
from proctor.survey.rules import SurveyRules
from proctor.survey.sample import minimum_sample


@dataclass(frozen=True)
class ChannelFigures:
    channel: str
    received: int
    answered_on_time: int  # first response by its deadline
    closed: int


@dataclass(frozen=True)
class VenueResults:
    venue: Venue
    period: Period
    index: IndexResult
    served: int  # candidates served and complaints received in the period: the population
    minimum: int  # respondents the guideline asks for, given `served`
    follow_up: SurveyFollowUp | None
    channels: tuple[ChannelFigures, ...]

    @property
    def sample_met(self) -> bool:
        return self.index.respondents >= self.minimum


def _scores(session: Session, venue_id: uuid.UUID, period: Period) -> list[dict[str, int]]:
    return list(
        session.scalars(
            select(SurveyAnswer.scores).where(
                SurveyAnswer.venue_id == venue_id,
                SurveyAnswer.month >= period.first_month,
                SurveyAnswer.month < period.after_last_month,
            )
        )
    )


def _served(session: Session, venue: Venue, period: Period) -> int:
    start, end = period.bounds(venue.time_zone)
    candidates = session.scalar(
        select(func.count(Attempt.id))
        .join(ExamSession, Attempt.session_id == ExamSession.id)
        .where(
            ExamSession.venue_id == venue.id,
            ExamSession.starts_at >= start,
            ExamSession.starts_at < end,
            Attempt.state != str(AttemptState.SCHEDULED),  # never came: not served
        )
    )
    complainants = session.scalar(
        select(func.count(Complaint.id)).where(
            Complaint.venue_id == venue.id,
            Complaint.received_at >= start,
            Complaint.received_at < end,
        )
    )
    return (candidates or 0) + (complainants or 0)


def channel_figures(session: Session, venue: Venue, period: Period) -> tuple[ChannelFigures, ...]:
    start, end = period.bounds(venue.time_zone)
    rows = session.execute(
        select(
            Complaint.channel, Complaint.state, Complaint.first_responded_at,
            Complaint.first_response_due,
        ).where(
            Complaint.venue_id == venue.id,
            Complaint.received_at >= start,
            Complaint.received_at < end,
        )
    ).all()  # fmt: skip
    received, on_time, closed = Counter(), Counter(), Counter()
    for channel, state, responded, due in rows:
        received[channel] += 1
        on_time[channel] += responded is not None and responded <= due
        closed[channel] += state == str(CaseState.CLOSED)
    return tuple(ChannelFigures(c, received[c], on_time[c], closed[c]) for c in sorted(received))


def follow_up(session: Session, venue_id: uuid.UUID, period: Period) -> SurveyFollowUp | None:
    return session.scalar(
        select(SurveyFollowUp).where(
            SurveyFollowUp.venue_id == venue_id, SurveyFollowUp.period == str(period)
        )
    )


def venue_results(
    session: Session, venue: Venue, period: Period, rules: SurveyRules
) -> VenueResults:
    served = _served(session, venue, period)
    return VenueResults(
        venue=venue,
        period=period,
        index=compute(_scores(session, venue.id, period), rules),
        served=served,
        minimum=minimum_sample(served),
        follow_up=follow_up(session, venue.id, period),
        channels=channel_figures(session, venue, period),
    )


def every_venue(session: Session, period: Period, rules: SurveyRules) -> list[VenueResults]:
    venues = session.scalars(select(Venue).order_by(Venue.code)).all()
    return [venue_results(session, venue, period, rules) for venue in venues]


def publish_follow_up(
    session: Session,
    venue: Venue,
    period: Period,
    element: str,
    text: str,
    rules: SurveyRules,
    *,
    actor: str,
) -> SurveyFollowUp:
    """The venue's published follow-up for `element` in `period` (a second one replaces the
    first: the audit trail keeps both)."""
    if rules.element(element) is None:
        raise RejectedInputError(f"no survey element {element!r}", code=ErrorCode.REQUEST_INVALID)
    text = text.strip()
    if len(text) < 10:
        raise RejectedInputError(
            "say what the venue will do, in a sentence at least", code=ErrorCode.REQUEST_INVALID
        )
    row = follow_up(session, venue.id, period)
    if row is None:
        row = SurveyFollowUp(venue_id=venue.id, period=str(period))
        session.add(row)
    row.element, row.text, row.published_by, row.published_at = element, text, actor, utcnow()
    session.flush()
    trail.record(
        session,
        actor=actor,
        action="survey.follow_up_published",
        subject_type="venue",
        subject_id=venue.id,
        period=str(period),
        element=element,
        text=text,
    )
    return row
