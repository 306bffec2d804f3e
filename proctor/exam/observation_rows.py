"""Observations as ingest stores and judges them: plain rows, not ORM objects. A batch is
inserted in one statement and an incident's timeline read as rows; building, flushing and
reloading ORM objects for each was the costliest part of a batch (a profile put 62 % of its
time in the insert)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from proctor.store.evidence import Observation


@dataclass(frozen=True, slots=True)
class Stored:
    """What the policy, the flags and an incident read of one stored observation."""

    id: uuid.UUID
    seq: int
    observed_at: datetime
    face_count: int
    score: float | None
    camera: str
    liveness_flags: list[Any]
    face_problems: list[Any]
    snapshot_blob_id: uuid.UUID | None


COLUMNS = (
    Observation.id, Observation.seq, Observation.observed_at, Observation.face_count,
    Observation.score, Observation.camera, Observation.liveness_flags, Observation.face_problems,
    Observation.snapshot_blob_id,
)  # fmt: skip
