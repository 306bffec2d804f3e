"""The console's 1:N pages: the duplicate-enrolment queue, the watchlist, watchlist hits at the
desk and on the grid, and the committee's rings, in words, through the forms people use."""

from __future__ import annotations

import re

from tests.api.console.test_console import csrf_of, login
from tests.api.test_proxy_search import enrol_proxy, pause_with_the_proxy
from tests.api.test_watchlist import search_incidents
from tests.support.helpers import enrol_candidate, photo_files
from tests.support.world import RED, World, colour_photo


def post(world: World, url: str, **kwargs):
    return world.client.post(url, follow_redirects=False, **kwargs)


def as_(world: World, who: str) -> str:
    """Log in as `who`; returns the console session's CSRF token."""
    login(world, world.tokens[who])
    return csrf_of(world.client.get("/console/desk" if who == "proctor" else "/console/rings").text)


def test_the_registration_authority_decides_duplicates_in_the_queue(world):
    enrol_candidate(world, "2026000009", RED)  # the same face as 2026000001
    login(world, world.tokens["committee"])
    page = world.client.get("/console/duplicates").text
    assert sorted(re.findall(r'class="number">(\d+)<', page)) == ["2026000001", "2026000009"]
    assert "decide-duplicate" not in page  # the committee reads; admins decide
    csrf = as_(world, "admin")
    page = world.client.get("/console/duplicates").text
    case = re.search(r'data-case="([^"]+)"', page).group(1)
    url = f"/console/duplicates/{case}/decision"
    bad = post(world, url, data={"csrf": csrf, "verdict": "maybe", "reason": "x" * 12})
    assert bad.headers["location"].endswith("?error=request_invalid")
    short = post(world, url, data={"csrf": csrf, "verdict": "twins", "reason": "ok"})
    assert "error=" in short.headers["location"]
    done = post(
        world,
        url,
        data={"csrf": csrf, "verdict": "twins", "reason": "twin brothers, birth records seen"},
    )
    assert done.status_code == 303 and "error" not in done.headers["location"]
    page = world.client.get("/console/duplicates").text
    assert 'id="empty"' in page and "Kembar" in page  # decided, in words


def test_a_watchlist_hit_waits_at_the_desk_until_the_proctor_clears_it(world):
    csrf = as_(world, "admin")
    listed = post(world, "/console/watchlist",
        data={"csrf": csrf, "label": "joki caught in 2025", "reason": "named in the BKN blacklist",
              "expires_on": "2099-01-01"},
        files=photo_files(colour_photo(RED)),
    )  # fmt: skip
    assert "error" not in listed.headers["location"], listed.headers["location"]
    page = world.client.get("/console/watchlist").text
    assert "joki caught in 2025" in page and "Aktif" in page

    csrf = as_(world, "proctor")
    checked = post(
        world,
        f"/console/attempts/{world.attempt_id}/photo",
        data={"csrf": csrf, "kind": "check_in"},
        files=photo_files(colour_photo(RED)),
    )
    assert "?result=watchlist_hit&checkpoint=" in checked.headers["location"]
    attempt_page = world.client.get(checked.headers["location"]).text
    assert "Ada di daftar pantau" in attempt_page
    desk = world.client.get("/console/desk").text
    assert 'data-count="1"' in desk and "joki caught in 2025" in desk
    assert 'data-count="1"' in world.client.get("/console/stations").text
    # The open grid learns of it on its next poll (and reloads to show it).
    polled = world.client.get("/console/stations.json")
    assert polled.headers["X-Open-Watchlist-Hits"] == "1"
    hit = re.search(r'data-hit="([^"]+)"', desk).group(1)
    cleared = post(world, f"/console/watchlist-hits/{hit}/decision",
        data={"csrf": csrf, "verdict": "cleared", "reason": "another man: ID card and birth date",
              "page": "https://elsewhere.example/"},
    )  # fmt: skip
    assert cleared.headers["location"] == "/console/desk"  # never an outside address
    again = post(
        world, f"/console/watchlist-hits/{hit}/decision",
        data={"csrf": csrf, "verdict": "confirmed", "reason": "changed my mind about him",
              "page": "/console/stations?venue_id=x\r\nSet-Cookie: a=b"},
    )  # fmt: skip
    assert again.headers["location"] == "/console/stations?error=transition_invalid"
    assert 'data-count="0"' in world.client.get("/console/desk").text
    assert world.client.get("/console/stations.json").headers["X-Open-Watchlist-Hits"] == "0"
    state = world.client.get(f"/api/v1/attempts/{world.attempt_id}", headers=world.as_("admin"))
    assert state.json()["state"] == "checked_in"

    csrf = as_(world, "admin")
    entry = re.search(r'data-entry="([^"]+)"', world.client.get("/console/watchlist").text)
    post(
        world,
        f"/console/watchlist/{entry.group(1)}/removal",
        data={"csrf": csrf, "reason": "withdrawn from the blacklist"},
    )
    assert "Dihapus" in world.client.get("/console/watchlist").text


def test_the_committee_sees_a_ring_with_its_evidence(world, migrated):
    enrol_proxy(world)
    pause_with_the_proxy(world)
    login(world, world.tokens["committee"])
    assert 'id="empty"' in world.client.get("/console/rings").text
    search_incidents(migrated)
    page = world.client.get("/console/rings").text
    ring = re.search(r'<section class="card ring".*?</section>', page, re.S).group(0)
    assert re.findall(r'class="number">(\d+)<', ring) == ["2026000001", "2026000777"]
    images = re.findall(r'<img src="([^"]+)"', ring)
    assert len(images) == 2
    for src in images:
        response = world.client.get(src)
        assert response.status_code == 200 and response.headers["content-type"] == "image/jpeg"
    login(world, world.tokens["proctor"])
    assert world.client.get("/console/rings").status_code == 403
