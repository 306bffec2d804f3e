"""Finding a candidate in a queue by what the person at the desk has: the participant number
(or part of it) or the name, in any case."""

from __future__ import annotations

from sqlalchemy import ColumnElement, func, or_

from proctor.store.exam import Candidate

MAX_QUERY = 100


def candidate_matches(text: str) -> ColumnElement[bool]:
    """A WHERE clause over `Candidate` (joined by the caller). LIKE's wildcards in the text are
    taken literally."""
    wanted = text.strip()[:MAX_QUERY]
    return or_(
        Candidate.participant_number.contains(wanted, autoescape=True),
        func.lower(Candidate.name).contains(wanted.lower(), autoescape=True),
    )
