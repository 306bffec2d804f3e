"""Review of the incidents that pauses file: was it a proxy test-taker (joki)?

    new -> under_review -> confirmed_proxy | false_alarm | other_violation -> closed
    confirmed_proxy | other_violation -> appealed -> under_review

Every act is a row of `incident_decisions` with its reason, and an audit record, written in
the caller's transaction. Confirming a proxy takes two different reviewers: the first one's
`confirmed_proxy` is a proposal, the second one's makes it so, terminates the attempt, opens
a complaint case and puts the proxy's live face on the watchlist. After an appeal, nobody
who decided the appealed finding may decide again.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.audit import trail
from proctor.cases.complaints import open_for_incident
from proctor.cases.deadlines import ComplaintRules
from proctor.errors import AccessError, ConflictError, ErrorCode, RejectedInputError
from proctor.exam.attempts import AttemptState, transition
from proctor.exam.candidate_search import candidate_matches
from proctor.identity.watchlist import add_confirmed_proxy, withdraw_for_incident
from proctor.reasons import reason_text
from proctor.store.complaints import IncidentDecision
from proctor.store.evidence import Incident
from proctor.store.exam import Attempt, Candidate, Station
from proctor.transitions import require_move


class ReviewState(StrEnum):
    NEW = "new"
    UNDER_REVIEW = "under_review"
    CONFIRMED_PROXY = "confirmed_proxy"
    FALSE_ALARM = "false_alarm"
    OTHER_VIOLATION = "other_violation"
    APPEALED = "appealed"
    CLOSED = "closed"


R = ReviewState
WAITING = (R.NEW, R.UNDER_REVIEW, R.APPEALED)  # a decision is due
TRANSITIONS: dict[ReviewState, frozenset[ReviewState]] = {
    R.NEW: frozenset({R.UNDER_REVIEW}),
    R.UNDER_REVIEW: frozenset({R.CONFIRMED_PROXY, R.FALSE_ALARM, R.OTHER_VIOLATION}),
    R.CONFIRMED_PROXY: frozenset({R.APPEALED, R.CLOSED}),
    R.OTHER_VIOLATION: frozenset({R.APPEALED, R.CLOSED}),
    R.FALSE_ALARM: frozenset({R.CLOSED}),
    R.APPEALED: frozenset({R.UNDER_REVIEW}),
    R.CLOSED: frozenset(),
}
DECISIONS = (R.CONFIRMED_PROXY, R.FALSE_ALARM, R.OTHER_VIOLATION)
PROPOSAL = "proposed_proxy"  # a first reviewer's confirmation, waiting for a second


def _move(
    session: Session,
    incident: Incident,
    target: ReviewState,
    *,
    actor: str,
    action: str,
    reason: str,
) -> None:
    current = ReviewState(incident.status)
    require_move(TRANSITIONS, current, target, what="an incident")
    incident.status = str(target)
    _note(session, incident, actor=actor, action=action, reason=reason)
    trail.record(
        session,
        actor=actor,
        action=f"incident.{action}",
        subject_type="incident",
        subject_id=incident.id,
        previous=str(current),
        state=str(target),
        round=incident.review_round,
        reason=reason,
    )


def _note(session: Session, incident: Incident, *, actor: str, action: str, reason: str) -> None:
    session.add(
        IncidentDecision(
            incident_id=incident.id,
            round=incident.review_round,
            actor=actor,
            action=action,
            reason=reason,
        )
    )


def decisions(session: Session, incident: Incident) -> list[IncidentDecision]:
    return list(
        session.scalars(
            select(IncidentDecision)
            .where(IncidentDecision.incident_id == incident.id)
            .order_by(IncidentDecision.at, IncidentDecision.id)
        )
    )


def start_review(session: Session, incident: Incident, *, actor: str, reason: str) -> None:
    """A reviewer takes up a new or appealed incident."""
    reason = reason_text(reason)
    if ReviewState(incident.status) is R.APPEALED:
        _refuse_own_decision(session, incident, actor)
    _move(session, incident, R.UNDER_REVIEW, actor=actor, action="review_started", reason=reason)


def decide(
    session: Session,
    incident: Incident,
    decision: ReviewState,
    *,
    actor: str,
    reason: str,
    rules: ComplaintRules | None = None,
) -> ReviewState:
    """Record a reviewer's decision; returns the incident's state afterwards."""
    reason = reason_text(reason)
    if decision not in DECISIONS:
        raise RejectedInputError(
            f"decide one of {', '.join(DECISIONS)}", code=ErrorCode.REQUEST_INVALID
        )
    if ReviewState(incident.status) is not R.UNDER_REVIEW:
        raise ConflictError(
            f"an incident that is {incident.status} is not under review",
            code=ErrorCode.TRANSITION_INVALID,
        )
    if incident.review_round > 0:
        _refuse_own_decision(session, incident, actor)
    if decision is R.CONFIRMED_PROXY:
        proposers = {
            d.actor
            for d in decisions(session, incident)
            if d.round == incident.review_round and d.action == PROPOSAL
        }
        if not proposers:
            _note(session, incident, actor=actor, action=PROPOSAL, reason=reason)
            trail.record(
                session,
                actor=actor,
                action="incident.proxy_proposed",
                subject_type="incident",
                subject_id=incident.id,
                round=incident.review_round,
                reason=reason,
            )
            return R.UNDER_REVIEW
        if proposers == {actor}:
            raise ConflictError(
                "confirming a proxy takes a second, different reviewer",
                code=ErrorCode.SECOND_REVIEWER_REQUIRED,
            )
    _move(session, incident, decision, actor=actor, action=str(decision), reason=reason)
    if decision is not R.CONFIRMED_PROXY and incident.review_round > 0:
        withdraw_for_incident(session, incident, actor=actor)
    if decision is R.CONFIRMED_PROXY:
        attempt = session.get(Attempt, incident.attempt_id)
        assert attempt is not None  # a foreign key
        if attempt.state not in (AttemptState.TERMINATED, AttemptState.FINISHED):
            transition(
                session,
                attempt,
                AttemptState.TERMINATED,
                actor=actor,
                reason="joki terbukti, dikonfirmasi dua peninjau",
                incident_id=str(incident.id),
            )
        open_for_incident(session, incident, actor=actor, rules=rules)  # same transaction
        add_confirmed_proxy(session, incident, actor=actor)  # his face goes on the watchlist
    return decision


def appeal(session: Session, incident: Incident, *, actor: str, reason: str) -> None:
    """The candidate appeals a finding (filed for them by an officer); a new round begins."""
    reason = reason_text(reason)
    _move(session, incident, R.APPEALED, actor=actor, action="appealed", reason=reason)
    incident.review_round += 1


def close(session: Session, incident: Incident, *, actor: str, reason: str) -> None:
    _move(session, incident, R.CLOSED, actor=actor, action="closed", reason=reason_text(reason))


def _refuse_own_decision(session: Session, incident: Incident, actor: str) -> None:
    """After an appeal: the reviewers of the appealed finding may not review it again."""
    earlier = {
        d.actor
        for d in decisions(session, incident)
        if d.round < incident.review_round and d.action in {*map(str, DECISIONS), PROPOSAL}
    }
    if actor in earlier:
        raise AccessError(
            "you decided the finding under appeal; another reviewer must review it",
            code=ErrorCode.OWN_DECISION,
        )


def waiting(
    session: Session, *, venue_id: uuid.UUID | None, search: str | None = None
) -> list[tuple[Incident, Attempt, uuid.UUID]]:
    """Incidents waiting for a decision (new, under review, appealed) with their attempts and
    venues; `search` narrows them to candidates by participant number or name."""
    query = (
        select(Incident, Attempt, Station.venue_id)
        .join(Attempt, Attempt.id == Incident.attempt_id)
        .join(Station, Station.id == Attempt.station_id)
        .where(Incident.status.in_([str(s) for s in WAITING]))
    )
    if venue_id is not None:
        query = query.where(Station.venue_id == venue_id)
    if search and search.strip():
        query = query.join(Candidate, Candidate.id == Attempt.candidate_id).where(
            candidate_matches(search)
        )
    return [(incident, attempt, venue) for incident, attempt, venue in session.execute(query)]
