"""Which signing keys a check trusts, and a key's recorded hand-over to the next.

The committee pins one public key. Rotating (`proctor audit rotate-key`) writes a
`audit.key_rotated` record naming the old and the new key, and the old key signs the head
that covers it: from that head on, only the new key is trusted. Without a pinned key any
valid signature counts (the chain and the witnesses still hold).
"""

from __future__ import annotations

import base64
from collections.abc import Callable
from datetime import datetime
from typing import Any

from nacl.exceptions import BadSignatureError, CryptoError
from nacl.signing import SigningKey, VerifyKey
from sqlalchemy.orm import Session

from proctor.audit import trail
from proctor.audit.findings import Problem, Walked
from proctor.audit.hashing import checkpoint_message, head_message
from proctor.audit.heads import public_key_of, sign_head

KEY_ROTATED = "audit.key_rotated"


class Keys:
    """The keys trusted for a head of each size: (first size, key) epochs, each trusted up to
    and including the next one's first size (the hand-over head is signed by both)."""

    def __init__(self, epochs: list[tuple[int, str]] | None) -> None:
        self.epochs = epochs

    @classmethod
    def pinned(
        cls,
        key: str | None,
        walked: Walked,
        handover: Callable[[int, str], dict[str, Any] | None],
    ) -> Keys:
        if key is None:
            return cls(None)
        epochs = [(0, key)]
        for rotation in walked.rotations:
            current = epochs[-1][1]
            if rotation.from_key != current:
                continue  # a hand-over from a key not in force introduces nothing
            size = rotation.position + 1
            head = handover(size, current)
            if head is not None and check_head(head, walked, cls(epochs)) is None:
                epochs.append((size, rotation.to_key))
        return cls(epochs)

    def allows(self, key: str, size: int) -> bool:
        if self.epochs is None:
            return True
        for i, (first, trusted) in enumerate(self.epochs):
            last = self.epochs[i + 1][0] if i + 1 < len(self.epochs) else None
            if trusted == key and first <= size and (last is None or size <= last):
                return True
        return False


def signed_by(head: dict[str, Any]) -> bool:
    key = VerifyKey(base64.b64decode(head["public_key"]))
    at = datetime.fromisoformat(head["at"])
    if head.get("root_hash") is not None:
        message = head_message(
            tree_size=int(head["tree_size"]), root_hash=head["root_hash"],
            last_record_id=int(head["last_record_id"]), last_hash=head["last_hash"], at=at,
        )  # fmt: skip
    else:  # a checkpoint signed before the tree
        message = checkpoint_message(
            int(head["last_record_id"]), head["last_hash"], int(head["records"]), at
        )
    key.verify(message, base64.b64decode(head["signature"]))
    return True


def check_head(
    head: dict[str, Any], walked: Walked, keys: Keys, *, witness: bool = False
) -> Problem | None:
    """Whether the walked log is the log `head` signed, or extends it."""
    whose = "a witness's head" if witness else "the latest signed head"
    try:
        size = int(head["tree_size"] if head.get("root_hash") is not None else head["records"])
        signed_by(head)
        last = int(head["last_record_id"])
    except (BadSignatureError, CryptoError, ValueError, KeyError, TypeError):
        return Problem(None, "bad_signature", f"{whose}'s signature does not verify")
    described = f"{whose} ({size} records, signed {head['at']})"
    if not keys.allows(head["public_key"], size):
        return Problem(None, "wrong_key", f"{described} is signed by another key", size)
    if size > walked.count:
        return Problem(
            last, "truncated",
            f"{described} covers record {last}; the log now holds {walked.count} records",
            size,
        )  # fmt: skip
    root = head.get("root_hash")
    if root is not None and walked.roots.get(size) != root:
        return Problem(
            None, "forked",
            f"the log does not extend {described}: its first {size} records are not the ones "
            "signed then",
            size,
        )  # fmt: skip
    signed = walked.last_hashes.get(size) if root is not None else walked.hashes.get(last)
    if signed != head["last_hash"]:
        return Problem(
            last, "truncated", f"record {last}, signed in {described}, is missing or changed",
            size,
        )  # fmt: skip
    return None


def rotate(session: Session, old: SigningKey, new: SigningKey, *, actor: str) -> None:
    """Record the hand-over from `old` to `new` and sign its head with both (the caller
    commits): the old key vouches for the new one."""
    trail.record(
        session, actor=actor, action=KEY_ROTATED, subject_type="audit_key",
        subject_id=public_key_of(new), from_key=public_key_of(old), to_key=public_key_of(new),
    )  # fmt: skip
    session.flush()
    handed = sign_head(session, old, force=True)
    if handed is None:  # another process is signing right now: its head may not cover ours
        raise RuntimeError("another server is signing the audit log; try again")
    sign_head(session, new, at=handed.at, force=True)


def handover_from(heads: list[dict[str, Any]]) -> Callable[[int, str], dict[str, Any] | None]:
    """A hand-over lookup over heads held in memory (an export's)."""

    def find(size: int, key: str) -> dict[str, Any] | None:
        return next(
            (h for h in heads if h.get("tree_size") == size and h.get("public_key") == key),
            None,
        )

    return find
