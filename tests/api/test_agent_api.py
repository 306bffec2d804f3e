"""What the station agent fetches and reports: templates for matching on the station, and
heartbeats."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np
import pytest
from fastapi.testclient import TestClient

from proctor.api.app import create_app
from proctor.models.face_api import analyse, load_image
from proctor.models.reader import EngineReader
from proctor.models.registry import create_engine
from tests.conftest import needs_dlib
from tests.support.helpers import audit_actions, check_in
from tests.support.world import RED, World, build_world, colour_photo, service_settings

PERSON = "Ricardo_Lagos"


def test_no_templates_before_check_in(world: World):
    url = f"/api/v1/stations/{world.station_id}/templates"
    response = world.client.get(url, headers=world.as_("station"))
    assert response.status_code == 409
    assert response.json()["code"] == "attempt_not_active"


def test_templates_of_another_engine_are_not_served(world: World):
    check_in(world, colour_photo(RED))
    url = f"/api/v1/stations/{world.station_id}/templates"
    response = world.client.get(url, headers=world.as_("station"))
    assert response.status_code == 409  # the fake engine's templates are no use to sface
    assert response.json()["code"] == "not_enrolled"


def test_only_the_station_itself_fetches_templates(world: World):
    check_in(world, colour_photo(RED))
    url = f"/api/v1/stations/{world.station_id}/templates"
    for who in ("other_station", "proctor", "committee"):
        assert world.client.get(url, headers=world.as_(who)).status_code == 403, who


def test_heartbeats_are_recorded_for_proctors_to_see(world: World):
    url = f"/api/v1/stations/{world.station_id}/heartbeat"
    body = {"camera": "ok", "frames_captured": 100, "frames_dropped": 3, "outbox": 0}
    response = world.client.post(url, json=body, headers=world.as_("station"))
    assert response.status_code == 200
    assert world.client.post(url, json=body, headers=world.as_("other_station")).status_code == 403
    bad = world.client.post(url, json={"camera": "melted"}, headers=world.as_("station"))
    assert bad.status_code == 422
    stations = world.client.get(
        f"/api/v1/venues/{world.venue_id}/stations", headers=world.as_("proctor")
    ).json()
    mine = next(s for s in stations if s["id"] == world.station_id)
    assert mine["last_heartbeat_at"] is not None
    assert mine["agent_status"]["frames_dropped"] == 3


@contextlib.contextmanager
def enrolled_world(
    lfw_root, migrated, tmp_path, engine: str
) -> Iterator[tuple[World, list[bytes]]]:
    """A candidate enrolled from a real photo with `engine`, checked in with another."""
    photos = [p.read_bytes() for p in sorted((lfw_root / "images" / PERSON).glob("*.jpg"))[:3]]
    settings = service_settings(migrated, tmp_path, engine=engine, policy={})
    app = create_app(settings, reader=EngineReader(create_engine(engine)))
    with TestClient(app) as client:
        world = build_world(client, migrated, photos[0])
        assert check_in(world, photos[2]).json()["passed"] is True
        yield world, photos


@pytest.mark.lfw
@pytest.mark.parametrize(
    "engine", ["sface", pytest.param("fused", marks=needs_dlib())], ids=["sface", "fused"]
)
def test_the_station_gets_sface_templates_whatever_the_server_enrolled(
    lfw_root, migrated, tmp_path, engine
):
    with enrolled_world(lfw_root, migrated, tmp_path, engine) as (world, photos):
        response = world.client.get(
            f"/api/v1/stations/{world.station_id}/templates", headers=world.as_("station")
        )
        assert response.status_code == 200, response.text
        assert response.headers["cache-control"] == "no-store"
        body = response.json()
        assert (body["engine"], body["participant_number"]) == ("sface", "2026000001")
        assert body["threshold"] == pytest.approx(0.3591, abs=1e-4)
        (template,) = body["templates"]
        # Exactly what the station's own sface engine makes of the registration photo.
        sface = create_engine("sface")
        expected = analyse(sface, load_image(photos[0])).embedding
        assert np.allclose(template, expected, atol=1e-5)
        assert "biometric.read" in audit_actions(migrated)
        reads = f"/api/v1/candidates/{world.candidate_id}/data-reads"
        (read,) = world.client.get(reads, headers=world.as_("committee")).json()
        assert (read["kind"], read["purpose"]) == ("templates", "station: exam watch")
        assert read["actor"].startswith("station")
