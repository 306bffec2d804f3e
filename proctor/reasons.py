"""The reason a person gives for a decision: said in words, not "ok"."""

from __future__ import annotations

from proctor.errors import ErrorCode, RejectedInputError

MIN_REASON = 10


def reason_text(reason: str) -> str:
    """`reason` stripped; refused with `reason_required` when shorter than MIN_REASON."""
    text = reason.strip()
    if len(text) < MIN_REASON:
        raise RejectedInputError(
            f"give a reason of at least {MIN_REASON} characters", code=ErrorCode.REASON_REQUIRED
        )
    return text
