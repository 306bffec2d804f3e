"""Local time and finding people in the console: every time in the venue's zone (WIB, WITA,
WIT) written day first, venues that keep their zone, queues searched by number or name.
On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from tests.api.console.test_console import login
from tests.support.helpers import audit_actions, obs, post_batch, running
from tests.support.world import World

JAYAPURA = ZoneInfo("Asia/Jayapura")


def _admin(world: World) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens['admin']}"}


def _paused_at_a_wit_venue(world: World) -> str:
    moved = world.client.put(
        f"/api/v1/venues/{world.venue_id}/time-zone", json={"time_zone": "Asia/Jayapura"},
        headers=_admin(world),
    )  # fmt: skip
    assert moved.status_code == 200 and moved.json()["time_zone"] == "Asia/Jayapura"
    running(world)
    return post_batch(world, [obs(i, 0.1) for i in range(3)]).json()["incident_id"]


def test_a_venue_keeps_one_of_the_three_zones(world: World, migrated: str):
    venue = world.client.get(f"/api/v1/venues/{world.venue_id}", headers=_admin(world)).json()
    assert venue["time_zone"] == "Asia/Jakarta"  # the default: most venues are on WIB
    made = world.client.post(
        "/api/v1/venues", json={"code": "MKS-01", "name": "Makassar", "time_zone": "Asia/Makassar"},
        headers=_admin(world),
    )  # fmt: skip
    assert made.status_code == 201 and made.json()["time_zone"] == "Asia/Makassar"
    for zone in ("Europe/Amsterdam", "WIB", 7):
        refused = world.client.post(
            "/api/v1/venues", json={"code": "X-01", "name": "X", "time_zone": zone},
            headers=_admin(world),
        )  # fmt: skip
        assert refused.status_code == 422 and refused.json()["code"] == "request_invalid"
    proctor = {"Authorization": f"Bearer {world.tokens['proctor']}"}
    path = f"/api/v1/venues/{world.venue_id}/time-zone"
    assert (
        world.client.put(path, json={"time_zone": "Asia/Jayapura"}, headers=proctor).json()["code"]
        == "forbidden"
    )
    assert (
        world.client.put(path, json={"time_zone": "Asia/Jayapura"}, headers=_admin(world)).json()[
            "time_zone"
        ]
        == "Asia/Jayapura"
    )
    assert audit_actions(migrated).count("venue.time_zone_changed") == 1


def test_the_incident_queue_and_desk_read_in_the_venues_zone(world: World):
    incident = _paused_at_a_wit_venue(world)
    admin = _admin(world)
    packet = world.client.get(f"/api/v1/incidents/{incident}/packet", headers=admin).json()
    opened = datetime.fromisoformat(packet["incident"]["opened_at"]).astimezone(JAYAPURA)
    assert packet["venue"]["time_zone"] == "Asia/Jayapura" and packet["station"] == "PC-01"

    login(world, world.tokens["proctor"])
    queue = world.client.get("/console/reviews").text
    assert opened.strftime("%d/%m/%Y %H:%M WIT") in queue and "UTC" not in queue
    assert 'data-zone="Asia/Jayapura"' in queue and "Siti Rahma" in queue
    page = world.client.get(f"/console/incidents/{incident}").text
    header = re.search(r'<p id="where">(.*?)</p>', page, re.S).group(1)
    assert "PC-01" in header and opened.strftime("%d/%m/%Y %H:%M:%S WIT") in header
    assert "Siti Rahma" in page and "UTC" not in page
    desk = world.client.get(f"/console/attempts/{world.attempt_id}").text
    assert f'href="/console/incidents/{incident}"' in desk  # from the paused attempt to its pause


def test_queues_are_searched_by_number_or_name(world: World):
    incident = _paused_at_a_wit_venue(world)
    login(world, world.tokens["proctor"])

    def queue(q: str) -> str:
        return world.client.get("/console/reviews", params={"q": q}).text

    for found in ("siti", "RAHMA", "2026000001", "0000"):
        assert f"/console/incidents/{incident}" in queue(found), found
    for missing in ("budi", "%", "_iti"):  # LIKE's wildcards are plain characters here
        page = queue(missing)
        assert f"/console/incidents/{incident}" not in page and 'id="empty"' in page, missing
    assert world.client.get("/console/reviews", params={"q": "x" * 101}).status_code == 422
    waiting = world.client.get("/console/desk", params={"q": "rahma"}).text
    assert f"/console/attempts/{world.attempt_id}" in waiting
    nobody = world.client.get("/console/desk", params={"q": "budi"}).text
    assert f"/console/attempts/{world.attempt_id}" not in nobody and 'id="empty"' in nobody


def test_people_without_a_venue_choose_their_zone_and_filter_days_in_it(world: World):
    login(world, world.tokens["committee"])
    assert 'data-zone="Asia/Jakarta"' in world.client.get("/console/audit").text
    world.client.get("/console/zone/WITA")
    page = world.client.get("/console/audit").text
    assert 'data-zone="Asia/Makassar"' in page and "Waktu (WITA)" in page
    world.client.get("/console/zone/PST")  # not a zone here: the choice stays
    assert 'data-zone="Asia/Makassar"' in world.client.get("/console/audit").text

    today = datetime.now(ZoneInfo("Asia/Makassar")).date()
    day = timedelta(days=1)

    def records(**days: object) -> int:
        params = {k: v.strftime("%d/%m/%Y") for k, v in days.items()}
        html = world.client.get("/console/audit", params={"action": "venue.", **params}).text
        return len(re.findall(r'<tr data-action="venue\.created"', html))

    assert records() == 2
    assert records(since=today - day, until=today + day) == 2
    assert records(since=today + day) == 0 and records(until=today - day) == 0
