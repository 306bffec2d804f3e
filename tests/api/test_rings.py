"""A joki ring end to end over HTTP: one proxy face sits for a candidate in Jakarta and for
another in Surabaya, and is himself enrolled under a third number; the service's own
background search links the two incidents and the enrolled candidate into one ring."""

from __future__ import annotations

import json
import time

from fastapi.testclient import TestClient
from typer.testing import CliRunner

from proctor.api.app import create_app
from proctor.cli.main import app as cli_app
from tests.api.test_proxy_search import pause_with_the_proxy, snapshot
from tests.api.test_watchlist import schedule_elsewhere
from tests.conftest import FakeEngine
from tests.support.helpers import enrol_candidate, obs, photo_files
from tests.support.world import (
    BLUE,
    NIK_KEY,
    FakeReader,
    World,
    build_world,
    colour_photo,
    service_settings,
)

GREEN, YELLOW = (0, 220, 0), (0, 220, 220)


def pause_elsewhere(world: World, attempt_id: str, own: tuple, seen: tuple, seq: int = 1) -> str:
    """Check in and start the attempt at the other venue with the candidate's own face `own`,
    then post three live frames of face `seen`: the pause's incident id."""
    client, url = world.client, f"/api/v1/attempts/{attempt_id}"
    assert client.post(
        f"{url}/check-in", files=photo_files(colour_photo(own)), headers=world.as_("other_proctor")
    ).json()["passed"]
    assert client.post(
        f"{url}/start", files=photo_files(colour_photo(own)), headers=world.as_("other_station")
    ).json()["passed"]
    batch = [obs(i, 0.1, snapshot=snapshot(seen)) for i in range(seq, seq + 3)]
    response = client.post(
        f"/api/v1/stations/{world.other_station_id}/observations",
        json={"attempt_id": attempt_id, "observations": batch},
        headers=world.as_("other_station"),
    )
    assert response.status_code == 200, response.text
    return response.json()["incident_id"]


def wait_for_rings(world: World, searched: set[str]) -> list[dict]:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        done = {
            i
            for i in searched
            if world.client.get(f"/api/v1/incidents/{i}", headers=world.as_("admin")).json()[
                "proxy_search"
            ]
        }
        if done == searched:
            return world.client.get("/api/v1/rings", headers=world.as_("committee")).json()
        time.sleep(0.1)
    raise AssertionError("the service never searched every incident")


def test_one_proxy_face_across_two_venues_and_three_candidates(migrated, tmp_path, monkeypatch):
    settings = service_settings(migrated, tmp_path, proxy_search_seconds=0.2)
    with TestClient(create_app(settings, reader=FakeReader())) as client:
        world = build_world(client, migrated, colour_photo((0, 0, 220)))
        enrol_candidate(world, "2026000777", BLUE)  # the joki, enrolled under his own number
        jakarta = pause_with_the_proxy(world)  # he sits for 2026000001 in Jakarta
        surabaya_attempt = schedule_elsewhere(world, "2026000002", GREEN)
        surabaya = pause_elsewhere(world, surabaya_attempt, GREEN, BLUE)  # and 2026000002
        # A stranger at a third attempt is no ring: one incident, nobody enrolled.
        lone_attempt = schedule_elsewhere(world, "2026000003", (220, 220, 0))
        lone = pause_elsewhere(world, lone_attempt, (220, 220, 0), YELLOW, seq=11)

        rings = wait_for_rings(world, {jakarta, surabaya, lone})
        assert world.client.get("/api/v1/rings", headers=world.as_("proctor")).status_code == 403

    (ring,) = rings
    assert ring["id"] == jakarta  # named after its first incident
    assert [i["incident_id"] for i in ring["incidents"]] == [jakarta, surabaya]
    assert ring["participant_numbers"] == ["2026000001", "2026000002"]
    assert [i["faces"] for i in ring["incidents"]] == [3, 3]  # every snapshot held his face
    assert ring["venues"] == ["JKT-01", "SBY-01"]
    assert [p["participant_number"] for p in ring["enrolled"]] == ["2026000777"]
    assert [(k["incident_id"], k["other_incident_id"]) for k in ring["links"]] in (
        [(jakarta, surabaya)],
        [(surabaya, jakarta)],
    )
    assert ring["links"][0]["score"] >= ring["threshold"]
    assert ring["first_at"] <= ring["last_at"]

    # The committee's command line reads the same ring from the same database.
    monkeypatch.setenv("PROCTOR_DATABASE_URL", migrated)
    monkeypatch.setenv("PROCTOR_NIK_KEY", NIK_KEY)
    monkeypatch.setenv("PROCTOR_DATA_DIR", str(tmp_path))
    monkeypatch.setattr("proctor.models.registry.create_engine", lambda name: FakeEngine())
    monkeypatch.setattr("proctor.models.cards.required_identification_threshold", lambda name: 0.9)
    result = CliRunner().invoke(cli_app, ["rings", "--engine", "fake", "--json"])
    assert result.exit_code == 0, result.output
    (line,) = [json.loads(x) for x in result.stdout.splitlines() if x.strip()]
    assert line["id"] == jakarta and line["venues"] == ["JKT-01", "SBY-01"]
    assert [i["participant_number"] for i in line["incidents"]] == ["2026000001", "2026000002"]
    text = CliRunner().invoke(cli_app, ["rings", "--engine", "fake"])
    assert "2026000001, 2026000002" in text.stdout and "2026000777" in text.stdout
