"""What a station sees: its state for polling, its event stream's access rules, its page."""

from __future__ import annotations

import uuid

import httpx2

from proctor.access.tokens import Role, digest, revoke_token
from proctor.api.app import create_app
from proctor.store.access import ApiToken
from proctor.store.database import make_engine
from tests.support.helpers import obs, post_batch, running
from tests.support.live import EventReader, threaded_server
from tests.support.sealing import sealed_sessions
from tests.support.world import FakeReader, World, issue, service_settings


def state(world: World, who: str = "station") -> dict:
    response = world.client.get(
        f"/api/v1/stations/{world.station_id}/state", headers=world.as_(who)
    )
    assert response.status_code == 200, response.text
    return response.json()


def test_the_state_follows_the_attempt_and_carries_the_notice(world: World):
    assert state(world)["attempt"] is None  # scheduled only: nothing to show yet
    running(world)
    current = state(world)["attempt"]
    assert current["id"] == world.attempt_id
    assert (current["state"], current["notice"]) == ("in_progress", None)
    post_batch(world, [obs(i, 0.1) for i in range(1, 4)])
    paused = state(world, who="proctor")["attempt"]
    assert paused["state"] == "paused"
    assert "Soal disembunyikan" in paused["notice"]["id"]
    assert paused["notice"]["en"].startswith("The exam is paused")


def test_the_event_stream_refuses_before_it_starts(world: World):
    url = f"/api/v1/stations/{world.station_id}/events"
    other = world.client.get(url, headers=world.as_("other_station"))
    assert other.status_code == 403
    assert other.headers["content-type"] == "application/json"
    assert world.client.get(url).status_code == 401
    assert world.client.get(url, headers=world.as_("other_proctor")).status_code == 403


def test_the_station_page_is_an_empty_shell(world: World):
    page = world.client.get(f"/station/{world.station_id}")
    assert page.status_code == 200
    assert f'data-station-id="{world.station_id}"' in page.text
    assert "default-src 'self'" in page.headers["content-security-policy"]
    assert "2026000001" not in page.text  # no candidate data without the station's token
    script = world.client.get("/static/station.js")
    assert script.status_code == 200
    assert "Authorization" in script.text
    assert world.client.get("/station/not-a-uuid").status_code == 422


def test_the_openapi_document_lists_the_api(world: World):
    paths = world.client.get("/openapi.json").json()["paths"]
    for path in (
        "/api/v1/venues",
        "/api/v1/candidates/{candidate_id}/photos",
        "/api/v1/attempts/{attempt_id}/check-in",
        "/api/v1/attempts/{attempt_id}/start",
        "/api/v1/stations/{station_id}/observations",
        "/api/v1/stations/{station_id}/events",
        "/api/v1/incidents",
        "/api/v1/attempts/{attempt_id}/resume",
        "/api/v1/attempts/{attempt_id}/terminate",
    ):
        assert path in paths, path


def test_a_stream_ends_when_its_token_is_revoked(migrated, tmp_path):
    app = create_app(service_settings(migrated, tmp_path), reader=FakeReader())
    admin = {"Authorization": f"Bearer {issue(migrated, Role.ADMIN)}"}
    with threaded_server(app) as base:
        venue = httpx2.post(
            f"{base}/api/v1/venues", json={"code": "V", "name": "V"}, headers=admin
        ).json()
        station = httpx2.post(
            f"{base}/api/v1/venues/{venue['id']}/stations", json={"code": "PC"}, headers=admin
        ).json()
        token = issue(migrated, Role.STATION, station_id=uuid.UUID(station["id"]))
        with EventReader(f"{base}/api/v1/stations/{station['id']}/events", token) as stream:
            stream.wait_for(lambda s: s["attempt"] is None)
            engine = make_engine(migrated)
            with sealed_sessions(engine)() as session:
                (token_id,) = session.query(ApiToken.id).filter_by(token_sha256=digest(token)).one()
                revoke_token(session, token_id, actor="test")
                session.commit()
            engine.dispose()
            # The next heartbeat (1 s in tests) finds the token revoked.
            error = stream.wait_for(lambda e: True, event="error", timeout=5)
            assert error["code"] == "unauthenticated"
            assert stream.ended()
