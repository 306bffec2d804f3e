"""The policy's kept state (`policy.Judged`) on the attempt row, so that a batch is judged
without reloading the observations before it. It holds a few samples and two times, with the
sequence number it covers and a digest of the settings it was judged under: under other
settings, or for observations older than it covers, ingest rebuilds it from the stored ones."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from proctor.exam.policy import CameraState, Flag, Judged, ObservationPolicy, Sample


def settings_digest(policy: ObservationPolicy, threshold: float, fault_floor: float | None) -> str:
    content = {"policy": policy.model_dump(mode="json"), "threshold": threshold,
               "fault_floor": fault_floor}  # fmt: skip
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()[:16]


def dump(state: Judged, last_seq: int, digest: str) -> dict[str, Any]:
    return {
        "seq": last_seq,
        "settings": digest,
        "recent": [_sample_row(s) for s in state.recent],
        "absent_since": _when(state.absent_since),
        "unclear_since": _when(state.unclear_since),
        "flags": sorted(str(f) for f in state.flags),
    }


def load(data: dict[str, Any] | None, digest: str) -> tuple[Judged, int] | None:
    """The state and the last sequence number it covers; None when there is none, it was
    judged under other settings, or it cannot be read (then it is rebuilt, never a failure)."""
    if not isinstance(data, dict) or data.get("settings") != digest:
        return None
    try:
        recent = tuple(
            Sample(datetime.fromisoformat(at), faces, score, CameraState(camera), tuple(live),
                   tuple(problems))
            for at, faces, score, camera, live, problems in data["recent"]
        )  # fmt: skip
        state = Judged(
            recent,
            _time(data["absent_since"]),
            _time(data["unclear_since"]),
            frozenset(Flag(f) for f in data["flags"]),
        )
        return state, int(data["seq"])
    except (KeyError, TypeError, ValueError):
        return None


def _sample_row(s: Sample) -> list[Any]:
    return [s.observed_at.isoformat(), s.face_count, s.score, str(s.camera),
            list(s.liveness_flags), list(s.face_problems)]  # fmt: skip


def _when(at: datetime | None) -> str | None:
    return None if at is None else at.isoformat()


def _time(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)
