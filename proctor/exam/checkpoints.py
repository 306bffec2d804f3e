"""The two face checkpoints (venue check-in, station login) and re-verification on resume.

A checkpoint records the live photo, engine, score, threshold and decision (the live-capture
policy, `proctor.exam.live_capture`, judges the photo as a webcam frame). Only a match moves
the attempt on; a failed one leaves it where it was until a proctor overrides it with a reason.
A face found on the watchlist fails the checkpoint whatever its score (`watchlist_hit`): the
venue's proctors decide the hit first; clearing it lets a face that matched pass.
"""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.audit import trail
from proctor.blobs import store_blob
from proctor.clock import utcnow
from proctor.errors import ConflictError, ErrorCode
from proctor.exam import live_capture
from proctor.exam.attempts import AttemptState, show_live, transition
from proctor.faces.enrollment import templates_of
from proctor.faces.photos import PhotoReading, best_score
from proctor.faces.protocol import FaceEngine
from proctor.identity import watch_hits
from proctor.identity.watch_hits import HitPlace, HitState
from proctor.identity.watchlist import Watchlist
from proctor.store.evidence import Checkpoint
from proctor.store.exam import Attempt, Station
from proctor.store.identity import WatchlistHit


class CheckpointKind(StrEnum):
    CHECK_IN = "check_in"
    STATION_LOGIN = "station_login"
    REVERIFY = "reverify"


class Decision(StrEnum):
    MATCH = "match"
    NO_MATCH = "no_match"
    NO_FACE = "no_face"
    QUALITY_REJECTED = "quality_rejected"
    WATCHLIST_HIT = "watchlist_hit"


# Which state a checkpoint is taken in, and where a pass (or an override) moves the attempt.
STEPS: dict[CheckpointKind, tuple[AttemptState, AttemptState]] = {
    CheckpointKind.CHECK_IN: (AttemptState.SCHEDULED, AttemptState.CHECKED_IN),
    CheckpointKind.STATION_LOGIN: (AttemptState.CHECKED_IN, AttemptState.IN_PROGRESS),
    CheckpointKind.REVERIFY: (AttemptState.PAUSED, AttemptState.IN_PROGRESS),
}
MIN_REASON = 10  # an override reason says what was checked, not "ok"


def _require_state(attempt: Attempt, kind: CheckpointKind) -> AttemptState:
    required, target = STEPS[kind]
    if attempt.state != required:
        raise ConflictError(
            f"{kind} is taken when the attempt is {required}; it is {attempt.state}",
            code=ErrorCode.TRANSITION_INVALID,
            state=attempt.state,
        )
    return target


def run_checkpoint(
    session: Session,
    attempt: Attempt,
    kind: CheckpointKind,
    reading: PhotoReading,
    engine: FaceEngine,
    *,
    actor: str,
    watchlist: Watchlist | None = None,
) -> Checkpoint:
    """With a `watchlist` (the service always passes one), the face is also searched on it."""
    target = _require_state(attempt, kind)
    templates = templates_of(session, attempt.candidate_id, engine.name)
    if not templates:
        raise ConflictError(
            f"the candidate has no registration template for engine {engine.name!r}",
            code=ErrorCode.NOT_ENROLLED,
        )
    score = None if reading.embedding is None else best_score(engine, reading.embedding, templates)
    judgement = live_capture.judge(score, engine.threshold, reading.problems)
    decision = Decision(str(judgement.decision))
    listed = (
        watchlist.search(session, reading.embedding)
        if watchlist is not None and reading.embedding is not None
        else []
    )
    if listed:
        decision = Decision.WATCHLIST_HIT
    blob = store_blob(session, reading.data, reading.content_type)
    checkpoint = Checkpoint(
        attempt_id=attempt.id,
        kind=str(kind),
        engine=engine.name,
        score=score,
        threshold=engine.threshold,
        decision=str(decision),
        quality=[r.to_dict() for r in judgement.reasons],
        photo_blob_id=blob.id,
        actor=actor,
    )
    session.add(checkpoint)
    session.flush()
    show_live(attempt, blob.id, checkpoint.created_at)
    trail.record(
        session,
        actor=actor,
        action=f"checkpoint.{kind}",
        subject_type="attempt",
        subject_id=attempt.id,
        checkpoint_id=str(checkpoint.id),
        engine=engine.name,
        score=None if score is None else round(score, 4),
        threshold=round(engine.threshold, 4),
        decision=str(decision),
    )
    if listed:
        watch_hits.raise_hits(
            session,
            listed,
            place=HitPlace(str(kind)),
            attempt=attempt,
            engine=engine.name,
            threshold=watchlist.threshold,  # type: ignore[union-attr]
            checkpoint_id=checkpoint.id,
        )
    if decision is Decision.MATCH:
        _advance(session, attempt, kind, target, actor=actor, reason=f"{kind} matched")
    return checkpoint


def decide_watchlist_hit(
    session: Session, hit: WatchlistHit, verdict: HitState, *, actor: str, reason: str
) -> bool:
    """A proctor decides a hit. Clearing the last open hit of a checkpoint whose face matched
    the candidate passes it, as the match would have; returns whether the attempt moved on."""
    watch_hits.decide(session, hit, verdict, actor=actor, reason=reason)
    if verdict is not HitState.CLEARED or hit.checkpoint_id is None:
        return False
    checkpoint = session.get(Checkpoint, hit.checkpoint_id)
    attempt = session.get(Attempt, hit.attempt_id, with_for_update=True)
    assert checkpoint is not None and attempt is not None  # foreign keys
    # The live-capture policy: a score at the threshold matched, whatever the photo's problems.
    matched = checkpoint.score is not None and checkpoint.score >= checkpoint.threshold
    kind = CheckpointKind(checkpoint.kind)
    if (
        not matched
        or watch_hits.blocking(session, attempt.id)
        or attempt.state != STEPS[kind][0]
        or _latest(session, attempt, kind) != checkpoint.id
    ):
        return False
    _advance(
        session,
        attempt,
        kind,
        STEPS[kind][1],
        actor=actor,
        reason=f"{kind} matched; watchlist hit cleared",
    )
    return True


def _latest(session: Session, attempt: Attempt, kind: CheckpointKind) -> uuid.UUID | None:
    return session.scalar(
        select(Checkpoint.id)
        .where(Checkpoint.attempt_id == attempt.id, Checkpoint.kind == str(kind))
        .order_by(Checkpoint.created_at.desc())
        .limit(1)
    )


def override_checkpoint(
    session: Session, attempt: Attempt, checkpoint: Checkpoint, *, actor: str, reason: str
) -> None:
    """A proctor lets a failed checkpoint pass after checking the ID card by hand."""
    kind = CheckpointKind(checkpoint.kind)
    if checkpoint.attempt_id != attempt.id:
        raise ConflictError(
            "the checkpoint belongs to another attempt", code=ErrorCode.REQUEST_INVALID
        )
    if checkpoint.decision == Decision.MATCH or checkpoint.overridden_at is not None:
        raise ConflictError(
            "only a failed, not yet overridden checkpoint can be overridden",
            code=ErrorCode.CHECKPOINT_NOT_FAILED,
        )
    _refuse_while_listed(session, attempt)
    if _latest(session, attempt, kind) != checkpoint.id:
        raise ConflictError(
            "a newer checkpoint of this kind exists; override that one",
            code=ErrorCode.CHECKPOINT_NOT_FAILED,
        )
    target = _require_state(attempt, kind)
    checkpoint.override_reason = _reason(reason)
    checkpoint.overridden_by = actor
    checkpoint.overridden_at = utcnow()
    trail.record(
        session,
        actor=actor,
        action="checkpoint.overridden",
        subject_type="attempt",
        subject_id=attempt.id,
        checkpoint_id=str(checkpoint.id),
        kind=str(kind),
        decision=checkpoint.decision,
        reason=checkpoint.override_reason,
    )
    _advance(
        session,
        attempt,
        kind,
        target,
        actor=actor,
        reason=checkpoint.override_reason,
        override=True,
    )


def resume_by_override(session: Session, attempt: Attempt, *, actor: str, reason: str) -> None:
    """Resume a paused attempt on a proctor's in-person check, without a matching photo."""
    _require_state(attempt, CheckpointKind.REVERIFY)
    _refuse_while_listed(session, attempt)
    _advance(
        session,
        attempt,
        CheckpointKind.REVERIFY,
        AttemptState.IN_PROGRESS,
        actor=actor,
        reason=_reason(reason),
        override=True,
    )


def _refuse_while_listed(session: Session, attempt: Attempt) -> None:
    if watch_hits.blocking(session, attempt.id):
        raise ConflictError(
            "a watchlist hit on this attempt is open or confirmed: no override lets it on",
            code=ErrorCode.WATCHLIST_HIT_OPEN,
        )


def _reason(reason: str) -> str:
    text = " ".join(reason.split())
    if len(text) < MIN_REASON:
        raise ConflictError(
            f"an override needs a reason of at least {MIN_REASON} characters",
            code=ErrorCode.REQUEST_INVALID,
        )
    return text


def _advance(
    session: Session,
    attempt: Attempt,
    kind: CheckpointKind,
    target: AttemptState,
    *,
    actor: str,
    reason: str,
    override: bool = False,
) -> None:
    if kind is CheckpointKind.REVERIFY:
        # Observations before the resume no longer count towards the next pause.
        station = session.get(Station, attempt.station_id)
        attempt.policy_floor_seq = station.last_seq if station else attempt.policy_floor_seq
        attempt.policy_state = None  # judged afresh from the new floor
    transition(
        session,
        attempt,
        target,
        actor=actor,
        reason=reason,
        checkpoint=str(kind),
        override=override,
    )


def of_attempt(session: Session, attempt_id: uuid.UUID) -> list[Checkpoint]:
    """The attempt's checkpoints, oldest first."""
    query = select(Checkpoint).where(Checkpoint.attempt_id == attempt_id)
    return list(session.scalars(query.order_by(Checkpoint.created_at)))
