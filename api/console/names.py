"""Who an audit actor is, for people reading the console: audit records name a caller by its
token (`role:token-id`); the token's label, given when the token was issued, says who held it."""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy.orm import Session

from proctor.access.tokens import labels


def token_labels(session: Session, actors: Iterable[str]) -> dict[str, str]:
    """actor -> label, for the actors that name a labelled token (one query)."""
    by_id: dict[uuid.UUID, str] = {}
    for actor in set(actors):
        _, _, ident = actor.partition(":")
        try:
            by_id[uuid.UUID(ident)] = actor
        except ValueError:  # "admin", "seed", "system": not a token
            continue
    return {by_id[token_id]: label for token_id, label in labels(session, by_id).items()}
