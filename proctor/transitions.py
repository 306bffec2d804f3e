"""The one check every state machine makes: is this move in its transition table?"""

from __future__ import annotations

from collections.abc import Mapping, Set
from enum import StrEnum
from typing import TypeVar

from proctor.errors import ConflictError, ErrorCode

S = TypeVar("S", bound=StrEnum)


def require_move(table: Mapping[S, Set[S]], current: S, target: S, *, what: str) -> None:
    """Raise `transition_invalid` (409) unless `table` lets `what` go from `current` to
    `target`; the error names both states."""
    if target not in table[current]:
        raise ConflictError(
            f"{what} that is {current} cannot become {target}",
            code=ErrorCode.TRANSITION_INVALID,
            state=str(current),
            target=str(target),
        )
