"""Observations posted by a station: stored once per (station, sequence number), judged by the
policy, and turned into flags or a pause."""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from proctor.audit import trail
from proctor.blobs import store_blob
from proctor.clock import utcnow
from proctor.errors import AccessError, ConflictError, ErrorCode
from proctor.exam import policy_state
from proctor.exam.attempts import ACCEPTS_OBSERVATIONS, AttemptState
from proctor.exam.incidents import pause_with_incident
from proctor.exam.observation_rows import COLUMNS, Stored
from proctor.exam.policy import CameraState, Flag, Judged, ObservationPolicy, Sample, advance
from proctor.store.evidence import AttemptFlag, Observation
from proctor.store.exam import Attempt, Station

HISTORY = 240  # observations an incident shows and the policy's state is rebuilt from


@dataclass(frozen=True)
class ObservationIn:
    seq: int
    observed_at: datetime
    face_count: int
    score: float | None
    camera: CameraState = CameraState.OK
    liveness_flags: tuple[str, ...] = ()
    snapshot: bytes | None = None
    face_problems: tuple[str, ...] = ()

    def digest(self) -> str:
        """Identifies the content: a replay must carry exactly this."""
        payload = {
            "seq": self.seq,
            "observed_at": self.observed_at.isoformat(),
            "face_count": self.face_count,
            "score": None if self.score is None else round(self.score, 6),
            "camera": str(self.camera),
            "liveness_flags": sorted(self.liveness_flags),
            "snapshot": hashlib.sha256(self.snapshot).hexdigest() if self.snapshot else None,
        }
        if self.face_problems:  # absent from agents before it, whose replays must still match
            payload["face_problems"] = sorted(self.face_problems)
        return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


@dataclass
class IngestResult:
    accepted: int = 0
    duplicates: int = 0
    flags: list[str] = field(default_factory=list)
    incident_id: uuid.UUID | None = None


def ingest(
    session: Session,
    station: Station,
    attempt: Attempt,
    batch: Sequence[ObservationIn],
    *,
    policy: ObservationPolicy,
    threshold: float,
    fault_floor: float | None,
    actor: str,
) -> IngestResult:
    """Store a batch and apply the policy. All or nothing: a conflicting replay refuses the
    whole batch before anything is written. `fault_floor`: see `policy.evaluate`."""
    if attempt.station_id != station.id:
        raise AccessError("this attempt is not at this station", code=ErrorCode.FORBIDDEN)
    if AttemptState(attempt.state) not in ACCEPTS_OBSERVATIONS:
        raise ConflictError(
            f"the attempt is {attempt.state}; observations start with the exam",
            code=ErrorCode.ATTEMPT_NOT_ACTIVE,
            state=attempt.state,
        )
    ordered = sorted(batch, key=lambda o: o.seq)
    digests: dict[int, str] = {}
    for item in ordered:
        if digests.setdefault(item.seq, item.digest()) != item.digest():
            raise ConflictError(
                f"sequence number {item.seq} appears twice with different content",
                code=ErrorCode.IDEMPOTENCY_CONFLICT,
                seq=item.seq,
            )
    known = dict(
        session.execute(
            select(Observation.seq, Observation.payload_sha256).where(
                Observation.station_id == station.id, Observation.seq.in_(list(digests))
            )
        ).all()
    )
    for seq, digest in known.items():
        if digest != digests[seq]:
            raise ConflictError(
                f"sequence number {seq} was already received with different content",
                code=ErrorCode.IDEMPOTENCY_CONFLICT,
                seq=seq,
            )
    result = IngestResult(duplicates=len(batch) - len({s for s in digests if s not in known}))
    now, rows, fresh = utcnow(), [], []
    seen: set[int] = set()
    for item in ordered:
        if item.seq in known or item.seq in seen:
            continue
        seen.add(item.seq)
        row = _row(session, station, attempt, item, digests[item.seq], now)
        rows.append(row)
        fresh.append(Stored(**{k: row[k] for k in Stored.__slots__}))
    if rows:  # one statement for the batch, on the table: the ORM's bulk path costs more
        session.execute(insert(Observation.__table__), rows)
    result.accepted = len(fresh)
    _write_through(
        session,
        station,
        last_seen_at=now,
        **({"last_seq": max(station.last_seq, fresh[-1].seq)} if fresh else {}),
    )
    changes = {**_last_score(attempt, fresh), **_live_picture(attempt, fresh, now)}
    if fresh and attempt.state == AttemptState.IN_PROGRESS:
        changes.update(
            _judge(session, attempt, fresh, result, policy=policy, threshold=threshold,
                   fault_floor=fault_floor, actor=actor)
        )  # fmt: skip
    if changes:
        _write_through(session, attempt, **changes)
    return result


def _write_through(session: Session, row: Station | Attempt, **values: Any) -> None:
    """One UPDATE of the columns a batch changes on its station or attempt, and the loaded
    object told it holds them: the ORM's flush of the same two rows (change tracking for every
    object in the session) was a fifth of a batch's time under load."""
    table = type(row).__table__  # the table, not the class: no ORM sync of the session's objects
    session.execute(update(table).where(table.c.id == row.id).values(**values))
    for name, value in values.items():
        set_committed_value(row, name, value)


def _last_score(attempt: Attempt, fresh: list[Stored]) -> dict[str, Any]:
    scored = [o for o in fresh if o.score is not None]
    if scored and scored[-1].seq > (
        attempt.last_score_seq if attempt.last_score_seq is not None else -1
    ):
        return {"last_score": scored[-1].score, "last_score_seq": scored[-1].seq}
    return {}


def _live_picture(attempt: Attempt, fresh: list[Stored], now: datetime) -> dict[str, Any]:
    """The newest snapshot of the batch as the attempt's live picture, unless a newer one is
    kept already (as `attempts.show_live`; a fast station clock never wins)."""
    shots = [(min(o.observed_at, now), o.snapshot_blob_id) for o in fresh if o.snapshot_blob_id]
    if not shots:
        return {}
    taken_at, blob_id = max(reversed(shots), key=lambda shot: shot[0])  # a tie: the later
    if attempt.live_at is not None and taken_at < attempt.live_at:
        return {}
    return {"live_blob_id": blob_id, "live_at": taken_at}


def _row(
    session: Session,
    station: Station,
    attempt: Attempt,
    item: ObservationIn,
    digest: str,
    now: datetime,
) -> dict[str, Any]:
    blob = store_blob(session, item.snapshot) if item.snapshot else None
    return {
        "id": uuid.uuid4(),
        "station_id": station.id,
        "seq": item.seq,
        "attempt_id": attempt.id,
        "observed_at": item.observed_at,
        "received_at": now,
        "face_count": item.face_count,
        "score": item.score,
        "camera": str(item.camera),
        "liveness_flags": list(item.liveness_flags),
        "face_problems": list(item.face_problems),
        "snapshot_blob_id": blob.id if blob else None,
        "payload_sha256": digest,
    }


def _judge(
    session: Session,
    attempt: Attempt,
    fresh: list[Stored],
    result: IngestResult,
    *,
    policy: ObservationPolicy,
    threshold: float,
    fault_floor: float | None,
    actor: str,
) -> dict[str, Any]:
    """Flags and a pause from the fresh observations; returns the attempt's new policy state."""
    # Late observations below the floor (from before the last resume) are kept, not judged.
    fresh = [o for o in fresh if o.seq > attempt.policy_floor_seq]
    if not fresh:
        return {}
    digest = policy_state.settings_digest(policy, threshold, fault_floor)
    kept = policy_state.load(attempt.policy_state, digest)
    if kept is not None and kept[1] < fresh[0].seq:
        state = kept[0]
    else:  # none yet, other settings, or older observations than it covers: from the stored
        state = Judged()
        for stored in _history(session, attempt, below=fresh[0].seq):
            state, _ = advance(state, _sample(stored), policy, threshold, fault_floor=fault_floor)
    for obs in fresh:
        previous = state.flags
        state, verdict = advance(state, _sample(obs), policy, threshold, fault_floor=fault_floor)
        for flag in sorted(verdict.flags - previous):
            _raise_flag(session, attempt, obs, flag, actor=actor)
            result.flags.append(str(flag))
        if verdict.pause is not None:
            incident = pause_with_incident(
                session,
                attempt,
                verdict.pause,
                trigger=obs,
                window=_history(session, attempt, below=obs.seq + 1),
                threshold=threshold,
                policy=policy,
                actor=actor,
            )
            result.incident_id = incident.id
            # The resume starts a new window. Later observations in the batch are stored; the
            # exam is already stopped.
            return {"policy_state": None}
    return {"policy_state": policy_state.dump(state, fresh[-1].seq, digest)}


def _history(session: Session, attempt: Attempt, *, below: int) -> list[Stored]:
    """The attempt's latest judged observations before sequence number `below`, oldest first:
    what the policy's state is rebuilt from, and an incident's timeline."""
    rows = session.execute(
        select(*COLUMNS)
        .where(
            Observation.attempt_id == attempt.id,
            Observation.seq > attempt.policy_floor_seq,
            Observation.seq < below,
        )
        .order_by(Observation.seq.desc())
        .limit(HISTORY)
    )
    return [Stored(*row) for row in rows][::-1]


def _raise_flag(session: Session, attempt: Attempt, obs: Stored, flag: Flag, *, actor: str) -> None:
    session.add(AttemptFlag(attempt_id=attempt.id, kind=str(flag), observation_id=obs.id))
    trail.record(
        session,
        actor=actor,
        action="attempt.flag_raised",
        subject_type="attempt",
        subject_id=attempt.id,
        flag=str(flag),
        observation_seq=obs.seq,
    )


def _sample(o: Stored) -> Sample:
    return Sample(
        observed_at=o.observed_at,
        face_count=o.face_count,
        score=o.score,
        camera=CameraState(o.camera),
        liveness_flags=tuple(o.liveness_flags),
        face_problems=tuple(o.face_problems or ()),
    )
