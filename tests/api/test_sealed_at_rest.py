"""Biometric data at rest: after the whole chain has run (enrolment, check-in, a pause with the
station's snapshots, the proxy search, a confirmed proxy on the watchlist), a copy of the
database holds no image and no template in the clear, on SQLite (file bytes included) and on
PostgreSQL; the service still serves every image intact to those allowed to see it."""

from __future__ import annotations

import cv2
import numpy as np
from sqlalchemy import func, select

from proctor.faces.photos import template_bytes
from proctor.store.database import make_engine
from proctor.store.exam import Blob, RegistrationPhoto
from proctor.store.identity import IncidentFace, WatchlistFace
from tests.api.test_watchlist import confirm_proxy, search_incidents
from tests.support.dump import database_dump
from tests.support.helpers import enrol_candidate, obs, post_batch, running
from tests.support.sealing import sealed_sessions
from tests.support.world import RED, FakeReader, colour_photo

PROXY = (200, 60, 35)  # colours whose templates are distinctive bytes, not 0.0 and 1.0


def jpeg(bgr: tuple[int, int, int]) -> bytes:
    ok, data = cv2.imencode(".jpg", np.full((96, 96, 3), bgr, np.uint8))
    assert ok
    return data.tobytes()


def shown(dump: str, plain: bytes) -> bool:
    """Whether the dump shows `plain`'s first bytes as raw bytes, a Python bytes literal or
    PostgreSQL's hex form of bytea."""
    head = plain[:16]
    return any(form in dump for form in (head.decode("latin-1"), repr(head)[2:-1], head.hex()))


def test_a_database_copy_shows_no_face_and_no_template(world, migrated):
    proxy_id, _ = enrol_candidate(world, "2026000777", PROXY)
    running(world)
    snapshot = jpeg(PROXY)
    incident_id = post_batch(world, [obs(i, 0.1, snapshot=snapshot) for i in range(1, 4)]).json()[
        "incident_id"
    ]
    assert incident_id
    search_incidents(migrated)
    confirm_proxy(world, migrated, incident_id)

    reader = FakeReader()
    images = [colour_photo(PROXY), colour_photo(RED), snapshot]
    templates = [template_bytes(reader.read(image).embedding) for image in images[::2]]
    engine = make_engine(migrated)
    try:
        with sealed_sessions(engine)() as db:
            counts = [
                db.scalar(select(func.count()).select_from(model))
                for model in (Blob, RegistrationPhoto, IncidentFace, WatchlistFace)
            ]
            assert all(counts) and counts[0] >= 5, counts  # the chain stored every kind
            dump = database_dump(db, migrated)
    finally:
        engine.dispose()
    assert "2026000777" in dump  # the dump does hold the records
    for plain in images + templates:
        assert not shown(dump, plain)
    for image in images:  # the positive control: unsealed, the same check finds them
        assert shown(dump + image.decode("latin-1"), image)

    admin = world.as_("admin")
    photos = world.client.get(f"/api/v1/candidates/{proxy_id}/photos", headers=admin).json()
    served = world.client.get(
        f"/api/v1/candidates/{proxy_id}/photos/{photos[0]['id']}/image", headers=admin
    )
    assert served.status_code == 200 and served.content == colour_photo(PROXY)
    assert served.headers["cache-control"] == "private, no-store"
