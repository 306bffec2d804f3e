"""Incident review: the state table, the two-reviewer rule, appeals reviewed by others, and the
complaint case a confirmed proxy opens. On SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from proctor.errors import ProctorError
from proctor.review import review
from proctor.review.review import ReviewState
from proctor.store.audit import AuditRecord
from proctor.store.complaints import Complaint
from proctor.store.exam import Attempt
from tests.support.seed import paused_incidents
from tests.support.world import NIK_KEY

A, B, C = "proctor:aaaa", "proctor:bbbb", "proctor:cccc"
WHY = "the live face is clearly another person"


def code_of(call) -> str:
    with pytest.raises(ProctorError) as failure:
        call()
    return str(failure.value.code)


@pytest.fixture
def incident(db):
    found = paused_incidents(db, 1, NIK_KEY.encode())[0]
    db.commit()
    return found


def test_confirming_a_proxy_takes_two_reviewers_and_opens_a_case(db, incident):
    assert (
        code_of(lambda: review.decide(db, incident, ReviewState.FALSE_ALARM, actor=A, reason=WHY))
        == "transition_invalid"
    )
    review.start_review(db, incident, actor=A, reason="taking this one up now")
    assert (
        review.decide(db, incident, ReviewState.CONFIRMED_PROXY, actor=A, reason=WHY)
        is ReviewState.UNDER_REVIEW
    )
    assert (
        code_of(
            lambda: review.decide(db, incident, ReviewState.CONFIRMED_PROXY, actor=A, reason=WHY)
        )
        == "second_reviewer_required"
    )
    assert (
        review.decide(db, incident, ReviewState.CONFIRMED_PROXY, actor=B, reason=WHY)
        is ReviewState.CONFIRMED_PROXY
    )
    db.commit()

    assert incident.status == "confirmed_proxy"
    assert db.get(Attempt, incident.attempt_id).state == "terminated"
    case = db.scalar(select(Complaint).where(Complaint.incident_id == incident.id))
    assert (case.channel, case.category, case.track, case.state) == (
        "incident", "proxy_test_taker", "investigation", "received",
    )  # fmt: skip
    actions = db.scalars(select(AuditRecord.action).order_by(AuditRecord.id)).all()
    assert actions[-5:] == [
        "incident.review_started",
        "incident.proxy_proposed",
        "incident.confirmed_proxy",
        "attempt.terminated",
        "complaint.received",
    ]
    assert [d.action for d in review.decisions(db, incident)] == [
        "review_started", "proposed_proxy", "confirmed_proxy",
    ]  # fmt: skip


def test_an_appeal_is_reviewed_by_someone_else(db, incident):
    review.start_review(db, incident, actor=A, reason="taking this one up now")
    review.decide(db, incident, ReviewState.CONFIRMED_PROXY, actor=A, reason=WHY)
    review.decide(db, incident, ReviewState.CONFIRMED_PROXY, actor=B, reason=WHY)
    review.appeal(db, incident, actor="complaint_officer:x", reason="the candidate says it was him")
    assert (incident.status, incident.review_round) == ("appealed", 1)
    assert (
        code_of(lambda: review.start_review(db, incident, actor=A, reason="I will look again"))
        == "own_decision"
    )
    review.start_review(db, incident, actor=C, reason="independent review of the appeal")
    assert (
        code_of(lambda: review.decide(db, incident, ReviewState.FALSE_ALARM, actor=B, reason=WHY))
        == "own_decision"
    )
    review.decide(
        db, incident, ReviewState.FALSE_ALARM, actor=C, reason="the photos show the same man"
    )
    review.close(db, incident, actor=C, reason="appeal upheld, candidate informed")
    db.commit()
    assert incident.status == "closed"
    assert (
        code_of(lambda: review.appeal(db, incident, actor=C, reason="once more, please"))
        == "transition_invalid"
    )


def test_one_reviewer_may_clear_or_find_another_violation(db):
    cleared, other = paused_incidents(db, 2, NIK_KEY.encode())
    for incident, decision in (
        (cleared, ReviewState.FALSE_ALARM),
        (other, ReviewState.OTHER_VIOLATION),
    ):
        review.start_review(db, incident, actor=A, reason="taking this one up now")
        assert review.decide(db, incident, decision, actor=A, reason=WHY) is decision
    db.commit()
    assert db.get(Attempt, cleared.attempt_id).state == "paused"  # resumed by re-verification
    assert db.scalars(select(Complaint)).all() == []
    assert (
        code_of(lambda: review.appeal(db, cleared, actor=A, reason="nothing to appeal"))
        == "transition_invalid"
    )
    review.appeal(db, other, actor="complaint_officer:x", reason="the candidate disputes it")


def test_every_act_needs_a_reason_and_the_table_is_kept(db, incident):
    assert (
        code_of(lambda: review.start_review(db, incident, actor=A, reason="ok"))
        == "reason_required"
    )
    assert (
        code_of(lambda: review.close(db, incident, actor=A, reason="not reviewed yet"))
        == "transition_invalid"
    )
    assert code_of(
        lambda: review.decide(db, incident, ReviewState.CLOSED, actor=A, reason=WHY)
    ) in ("request_invalid",)
    for state, allowed in review.TRANSITIONS.items():
        assert state not in allowed  # no state moves to itself
    reachable = set().union(*review.TRANSITIONS.values())
    assert reachable | {ReviewState.NEW} == set(ReviewState)
