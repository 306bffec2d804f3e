"""What checking the audit log finds (`proctor.audit.chain`, `proctor.audit.rotation`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Rotation:
    """A recorded hand-over from one signing key to the next, at a leaf position."""

    position: int
    from_key: str
    to_key: str

    @classmethod
    def of(cls, position: int, details: dict[str, Any]) -> Rotation:
        return cls(position, str(details.get("from_key")), str(details.get("to_key")))


@dataclass(frozen=True)
class Problem:
    record_id: int | None
    # modified, deleted, inserted, reordered, truncated, forked, bad_signature, wrong_key
    kind: str
    message: str
    tree_size: int | None = None  # the size of the head that could not be extended


@dataclass(frozen=True)
class Verdict:
    records: int
    problem: Problem | None
    checkpoint_id: int | None  # the log's latest signed head, if any
    witnessed: int = 0  # witness heads the log was proved to extend

    @property
    def ok(self) -> bool:
        return self.problem is None


@dataclass
class Walked:
    """What reading the records found: how many chained in order, the first problem, the
    hashes of the records asked for, the tree roots at the sizes asked for (and at each key
    hand-over), and the key rotations recorded."""

    count: int = 0
    problem: Problem | None = None
    hashes: dict[int, str] = field(default_factory=dict)
    roots: dict[int, str] = field(default_factory=dict)
    last_hashes: dict[int, str] = field(default_factory=dict)  # at those sizes
    rotations: list[Rotation] = field(default_factory=list)
