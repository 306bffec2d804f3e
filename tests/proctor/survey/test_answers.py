"""Offering the survey: a station offers it for the attempt it just finished, for a while; one
answer per invitation, whichever way it comes. On SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from proctor import local_time
from proctor.errors import ProctorError
from proctor.store.exam import Attempt
from proctor.store.survey import SurveyAnswer
from proctor.survey import answers
from proctor.survey.answers import Source
from proctor.survey.rules import SurveyRules
from tests.support.seed import running_attempts
from tests.support.world import NIK_KEY

RULES = SurveyRules(station_minutes=20)
SCORES = {e.code: 3 for e in RULES.elements}


@pytest.fixture
def finished(db, migrated: str) -> Attempt:
    ((_, attempt_id),) = running_attempts(migrated, 1, NIK_KEY.encode())
    attempt = db.get(Attempt, uuid.UUID(attempt_id))
    attempt.state, attempt.ended_at = "finished", datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
    db.commit()
    return attempt


def test_the_station_offers_the_survey_for_a_while(db, finished: Attempt):
    ended = finished.ended_at
    offer = answers.station_offer(db, finished.station_id, RULES, ended + timedelta(minutes=19))
    assert offer is not None and offer.id == finished.id
    assert (
        answers.station_offer(db, finished.station_id, RULES, ended + timedelta(minutes=21)) is None
    )
    with pytest.raises(ProctorError) as late:
        answers.station_invitation(
            db, finished.station_id, finished.id, RULES, ended + timedelta(minutes=21)
        )
    assert late.value.code == "survey_closed"
    with pytest.raises(ProctorError) as other:
        answers.station_invitation(db, finished.station_id, uuid.uuid4(), RULES, ended)
    assert other.value.code == "survey_closed"


def test_one_answer_whichever_way_it_comes(db, finished: Attempt):
    invitation = answers.station_invitation(
        db, finished.station_id, finished.id, RULES, finished.ended_at
    )
    answers.answer(db, invitation, SCORES, RULES, source=Source.STATION)
    db.commit()
    # The station no longer offers it, and the exam card's code opens the same invitation.
    assert answers.station_offer(db, finished.station_id, RULES, finished.ended_at) is None
    ((_, code),) = answers.exam_card_codes(db, finished.session, NIK_KEY.encode())
    assert answers.invitation_for_code(db, code).id == invitation.id
    with pytest.raises(ProctorError) as twice:
        answers.answer(db, answers.invitation_for_code(db, code), SCORES, RULES, source=Source.CARD)
    assert twice.value.code == "survey_answered"
    db.rollback()
    assert db.scalar(select(func.count(SurveyAnswer.id))) == 1
    stored = db.scalar(select(SurveyAnswer))
    # The month of the session, on the venue's calendar.
    local = local_time.local(finished.session.starts_at, finished.session.venue.time_zone)
    assert stored.month == local.date().replace(day=1)


def test_answers_are_checked_whole(db, finished: Attempt):
    invitation = answers.station_invitation(
        db, finished.station_id, finished.id, RULES, finished.ended_at
    )
    for wrong in ({**SCORES, "cost": 5}, {**SCORES, "cost": 0}, {k: 3 for k in list(SCORES)[1:]},
                  {**SCORES, "extra": 3}):  # fmt: skip
        with pytest.raises(ProctorError) as refused:
            answers.answer(db, invitation, wrong, RULES, source=Source.STATION)
        assert refused.value.code == "request_invalid"
    assert answers.station_offer(db, finished.station_id, RULES, finished.ended_at) is not None


def test_the_exam_card_code_is_keyed_and_stable():
    attempt = uuid.UUID(int=7)
    code = answers.exam_card_code(b"k" * 40, attempt)
    assert code == answers.exam_card_code(b"k" * 40, attempt)
    assert code != answers.exam_card_code(b"j" * 40, attempt)
    assert code != answers.exam_card_code(b"k" * 40, uuid.UUID(int=8))
    assert len(code) == 18 and code[:4] == "SKM-"
