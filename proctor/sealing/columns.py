"""Every stored column that holds biometric data, with the column beside it that holds its
wrapped data key: what is sealed at write, opened at read, sealed on upgrade and re-wrapped on
rotation."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

import numpy as np
from sqlalchemy.orm import Session

from proctor.faces.photos import template_array, template_bytes
from proctor.sealing.values import open_value, seal_value
from proctor.store.exam import Blob, RegistrationPhoto
from proctor.store.identity import IncidentFace, WatchlistFace


@dataclass(frozen=True)
class SealedColumn:
    model: Any
    value: str
    key: str

    @property
    def table(self) -> str:
        return self.model.__tablename__

    def seal(self, session: Session, row_id: uuid.UUID, plain: bytes) -> dict[str, bytes]:
        """The two column values of `plain` stored on row `row_id`."""
        sealed = seal_value(session, self.table, row_id, plain)
        return {self.value: sealed.data, self.key: sealed.key}

    def open(self, session: Session, row_id: uuid.UUID, data: bytes, key: bytes | None) -> bytes:
        return open_value(session, self.table, row_id, data, key)

    def seal_template(
        self, session: Session, row_id: uuid.UUID, embedding: np.ndarray
    ) -> dict[str, bytes]:
        return self.seal(session, row_id, template_bytes(embedding))

    def open_template(
        self, session: Session, row_id: uuid.UUID, data: bytes, key: bytes | None
    ) -> np.ndarray:
        return template_array(self.open(session, row_id, data, key))


IMAGES = SealedColumn(Blob, "data", "sealed_key")
REGISTRATION_TEMPLATES = SealedColumn(RegistrationPhoto, "template", "template_key")
WATCHLIST_TEMPLATES = SealedColumn(WatchlistFace, "template", "template_key")
INCIDENT_TEMPLATES = SealedColumn(IncidentFace, "template", "template_key")
ALL = (IMAGES, REGISTRATION_TEMPLATES, WATCHLIST_TEMPLATES, INCIDENT_TEMPLATES)
