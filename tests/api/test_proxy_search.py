"""Who is the proxy? When the face at the station belongs to another enrolled candidate, the
service searches the incident's live snapshots and the incident names him."""

from __future__ import annotations

import re
import time

import cv2
import numpy as np
from fastapi.testclient import TestClient
from sqlalchemy import select

from proctor.api.app import create_app
from proctor.identity.proxies import search_pending
from proctor.identity.registry import Registry
from proctor.store.audit import AuditRecord
from proctor.store.database import make_engine
from tests.api.console.test_console import login
from tests.conftest import FakeEngine
from tests.support.helpers import enrol_candidate, obs, post_batch, running
from tests.support.sealing import sealed_sessions
from tests.support.world import BLUE, FakeReader, World, build_world, colour_photo, service_settings


def snapshot(bgr: tuple[int, int, int]) -> bytes:
    ok, data = cv2.imencode(".jpg", np.full((96, 96, 3), bgr, np.uint8))
    assert ok
    return data.tobytes()


def enrol_proxy(world: World) -> str:
    """The proxy is himself a candidate (blue), enrolled under his own number."""
    return enrol_candidate(world, "2026000777", BLUE)[0]


def pause_with_the_proxy(world: World) -> str:
    running(world)
    batch = [obs(i, 0.1, snapshot=snapshot(BLUE)) for i in range(1, 4)]
    incident_id = post_batch(world, batch).json()["incident_id"]
    assert incident_id
    return incident_id


def test_the_incident_names_a_proxy_who_is_enrolled(world, migrated):
    proxy_id = enrol_proxy(world)
    incident_id = pause_with_the_proxy(world)
    url = f"/api/v1/incidents/{incident_id}"
    assert world.client.get(url, headers=world.as_("proctor")).json()["proxy_search"] is None
    login(world, world.tokens["proctor"])
    page = f"/console/incidents/{incident_id}"
    assert 'id="proxy-pending"' in world.client.get(page).text

    engine = make_engine(migrated)
    sessions = sealed_sessions(engine)
    registry = Registry(FakeEngine(), 0.9)
    assert search_pending(sessions, FakeReader(), lambda: registry) == 1
    assert search_pending(sessions, FakeReader(), lambda: registry) == 0  # searched once
    with sessions() as session:
        actions = list(session.scalars(select(AuditRecord.action)))
    engine.dispose()

    found = world.client.get(url, headers=world.as_("proctor")).json()["proxy_search"]
    assert found["faces"] == 3 and found["threshold"] == 0.9
    assert [(c["candidate_id"], c["participant_number"]) for c in found["candidates"]] == [
        (proxy_id, "2026000777")
    ]  # the candidate who sat for himself is never named
    assert actions.count("incident.proxy_searched") == 1
    named = re.search(r'id="proxy-candidates">(.*?)</table>', world.client.get(page).text, re.S)
    assert named and re.findall(r'class="number">([^<]+)<', named.group(1)) == ["2026000777"]


def test_the_service_searches_new_incidents_by_itself(migrated, tmp_path):
    settings = service_settings(migrated, tmp_path, proxy_search_seconds=0.2)
    with TestClient(create_app(settings, reader=FakeReader())) as client:
        world = build_world(client, migrated, colour_photo((0, 0, 220)))
        enrol_proxy(world)
        incident_id = pause_with_the_proxy(world)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            found = client.get(f"/api/v1/incidents/{incident_id}", headers=world.as_("admin"))
            if found.json()["proxy_search"] is not None:
                break
            time.sleep(0.1)
        searched = found.json()["proxy_search"]
        assert searched is not None, "the service never searched the incident"
        names = [c["participant_number"] for c in searched["candidates"]]
    assert names == ["2026000777"]


def test_a_snapshot_that_does_not_open_stops_the_search_instead_of_passing_as_faceless(
    world, migrated
):
    import pytest
    from sqlalchemy import update

    from proctor.sealing.envelope import SealError
    from proctor.store.evidence import IncidentEvidence
    from proctor.store.exam import Blob

    enrol_proxy(world)
    incident_id = pause_with_the_proxy(world)
    engine = make_engine(migrated)
    sessions = sealed_sessions(engine)
    with sessions() as session:
        shot = session.scalars(
            select(IncidentEvidence.blob_id).where(IncidentEvidence.kind == "live_snapshot")
        ).first()
        other = session.scalars(select(Blob.sealed_key).where(Blob.id != shot)).first()
        session.execute(update(Blob).where(Blob.id == shot).values(sealed_key=other))
        session.commit()
    registry = Registry(FakeEngine(), 0.9)
    with pytest.raises(SealError, match="does not open"):
        search_pending(sessions, FakeReader(), lambda: registry)
    engine.dispose()
    url = f"/api/v1/incidents/{incident_id}"
    assert world.client.get(url, headers=world.as_("proctor")).json()["proxy_search"] is None
