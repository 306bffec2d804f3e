"""The watchlist over HTTP: a proxy confirmed by two reviewers is refused at his next check-in
under another name at another venue, until that venue's proctors decide the hit; admins list
and remove known joki with reasons."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from proctor.access.tokens import Role
from proctor.identity.proxies import search_pending
from proctor.identity.registry import Registry
from proctor.identity.watchlist import Watchlist
from proctor.store.audit import AuditRecord
from proctor.store.database import make_engine
from tests.api.test_proxy_search import pause_with_the_proxy
from tests.conftest import FakeEngine
from tests.support.helpers import check_in, enrol_candidate, photo_files, start
from tests.support.sealing import sealed_sessions
from tests.support.world import BLUE, RED, FakeReader, World, colour_photo, issue

WHY = "the live face is clearly another person than the registration photos"


def search_incidents(database_url: str) -> list[str]:
    """One round of the service's background search; returns the audit actions after it."""
    engine = make_engine(database_url)
    sessions = sealed_sessions(engine)
    found = search_pending(
        sessions,
        FakeReader(),
        lambda: Registry(FakeEngine(), 0.9),
        lambda: Watchlist(FakeEngine(), 0.9),
    )
    with sessions() as session:
        actions = list(session.scalars(select(AuditRecord.action)))
    engine.dispose()
    assert found >= 1
    return actions


def confirm_proxy(world: World, database_url: str, incident_id: str) -> None:
    world.tokens["proctor2"] = issue(database_url, Role.PROCTOR, venue_id=uuid.UUID(world.venue_id))
    base = f"/api/v1/incidents/{incident_id}/review"
    start_body = {"reason": "taking this one up now"}
    decision = {"decision": "confirmed_proxy", "reason": WHY}
    assert world.client.post(
        f"{base}/start", json=start_body, headers=world.as_("proctor")
    ).is_success
    for who in ("proctor", "proctor2"):
        response = world.client.post(f"{base}/decision", json=decision, headers=world.as_(who))
        assert response.status_code == 200, response.text
    assert response.json()["status"] == "confirmed_proxy"


def schedule_elsewhere(world: World, number: str, bgr: tuple[int, int, int]) -> str:
    """A candidate (registered with face `bgr`) scheduled at the other venue."""
    admin = world.as_("admin")
    candidate_id, _ = enrol_candidate(world, number, bgr)
    exam = world.client.post(
        f"/api/v1/venues/{world.other_venue_id}/sessions",
        json={"code": f"S-{number}", "starts_at": "2026-11-25T01:00:00Z", "duration_minutes": 100},
        headers=admin,
    ).json()
    attempt = world.client.post(
        "/api/v1/attempts",
        json={
            "candidate_id": candidate_id,
            "session_id": exam["id"],
            "station_id": world.other_station_id,
        },
        headers=admin,
    )
    assert attempt.status_code == 201, attempt.text
    return attempt.json()["id"]


def test_a_confirmed_proxy_is_refused_at_his_next_check_in(world, migrated):
    incident_id = pause_with_the_proxy(world)  # the blue joki sits for the red candidate
    search_incidents(migrated)
    assert world.client.get("/api/v1/watchlist", headers=world.as_("committee")).json() == []
    confirm_proxy(world, migrated, incident_id)

    listed = world.client.get("/api/v1/watchlist", headers=world.as_("committee")).json()
    assert [(e["source"], e["incident_id"], e["state"], e["faces"]) for e in listed] == [
        ("confirmed_proxy", incident_id, "active", 3)
    ]
    assert world.client.get("/api/v1/watchlist", headers=world.as_("proctor")).status_code == 403

    # Next session, another venue: he registered his own face under a client's number.
    attempt_id = schedule_elsewhere(world, "2026000555", BLUE)
    url = f"/api/v1/attempts/{attempt_id}"
    refused = world.client.post(
        f"{url}/check-in", files=photo_files(colour_photo(BLUE)), headers=world.as_("other_proctor")
    ).json()
    assert refused["passed"] is False
    assert refused["checkpoint"]["decision"] == "watchlist_hit"
    assert refused["attempt"]["state"] == "scheduled"

    hits = world.client.get("/api/v1/watchlist-hits", headers=world.as_("other_proctor")).json()
    assert [(h["place"], h["participant_number"], h["entry_id"]) for h in hits] == [
        ("check_in", "2026000555", listed[0]["id"])
    ]
    assert world.client.get("/api/v1/watchlist-hits", headers=world.as_("proctor")).json() == []

    checkpoint_id = refused["checkpoint"]["id"]
    override = world.client.post(
        f"{url}/checkpoints/{checkpoint_id}/override",
        json={"reason": "checked the identity card by hand"},
        headers=world.as_("other_proctor"),
    )
    assert (override.status_code, override.json()["code"]) == (409, "watchlist_hit_open")
    decide = f"/api/v1/watchlist-hits/{hits[0]['id']}/decision"
    body = {"verdict": "confirmed", "reason": "the same man as the confirmed proxy, side by side"}
    assert world.client.post(decide, json=body, headers=world.as_("proctor")).status_code == 403
    decided = world.client.post(decide, json=body, headers=world.as_("other_proctor")).json()
    assert decided["hit"]["status"] == "confirmed" and decided["attempt_moved_on"] is False
    again = world.client.post(decide, json=body, headers=world.as_("other_proctor"))
    assert (again.status_code, again.json()["code"]) == (409, "transition_invalid")
    still = world.client.post(
        f"{url}/checkpoints/{checkpoint_id}/override",
        json={"reason": "checked the identity card by hand"},
        headers=world.as_("other_proctor"),
    )
    assert still.status_code == 409  # a confirmed joki is not waved through
    assert world.client.get(url, headers=world.as_("admin")).json()["state"] == "scheduled"


def test_a_cleared_hit_lets_a_matching_face_pass_and_removal_ends_the_hits(world, migrated):
    admin = world.as_("admin")
    form = {"label": "joki caught in 2025", "reason": "named in the 2025 BKN blacklist"}
    no_face = world.client.post(
        "/api/v1/watchlist", data=form, files=photo_files(colour_photo((0, 0, 0))), headers=admin
    )
    assert (no_face.status_code, no_face.json()["code"]) == (422, "photo_rejected")
    past = {**form, "expires_at": (datetime.now(UTC) - timedelta(days=1)).isoformat()}
    expired = world.client.post(
        "/api/v1/watchlist", data=past, files=photo_files(colour_photo(RED)), headers=admin
    )
    assert expired.status_code in (409, 422)
    short = {**form, "reason": "bad"}
    bad = world.client.post(
        "/api/v1/watchlist", data=short, files=photo_files(colour_photo(RED)), headers=admin
    )
    assert bad.status_code == 422
    made = world.client.post(
        "/api/v1/watchlist", data=form, files=photo_files(colour_photo(RED)), headers=admin
    )
    assert made.status_code == 201, made.text
    entry = made.json()
    assert (entry["source"], entry["state"], entry["faces"]) == ("admin", "active", 1)
    assert (
        world.client.post(
            "/api/v1/watchlist",
            data=form,
            files=photo_files(colour_photo(RED)),
            headers=world.as_("proctor"),
        ).status_code
        == 403
    )

    # The candidate looks like the listed man: the check-in waits for the proctor.
    refused = check_in(world, colour_photo(RED)).json()
    assert refused["checkpoint"]["decision"] == "watchlist_hit"
    (hit,) = world.client.get("/api/v1/watchlist-hits", headers=world.as_("proctor")).json()
    cleared = world.client.post(
        f"/api/v1/watchlist-hits/{hit['id']}/decision",
        json={"verdict": "cleared", "reason": "a different man: checked ID card and birth date"},
        headers=world.as_("proctor"),
    ).json()
    assert cleared["attempt_moved_on"] is True
    assert (
        world.client.get(f"/api/v1/attempts/{world.attempt_id}", headers=admin).json()["state"]
        == "checked_in"
    )

    removal = world.client.post(
        f"/api/v1/watchlist/{entry['id']}/removal",
        json={"reason": "the blacklist entry was withdrawn by BKN"},
        headers=admin,
    ).json()
    assert removal["state"] == "removed"
    assert world.client.get("/api/v1/watchlist", headers=admin).json() == []
    every = world.client.get("/api/v1/watchlist?include_inactive=true", headers=admin).json()
    assert [e["state"] for e in every] == ["removed"]
    assert start(world, colour_photo(RED)).json()["attempt"]["state"] == "in_progress"
    unknown = world.client.post(
        f"/api/v1/watchlist/{uuid.uuid4()}/removal",
        json={"reason": "no such entry at all"},
        headers=admin,
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")


def list_known_joki(world: World, bgr: tuple[int, int, int], label: str, reason: str) -> dict:
    """An admin lists a known joki from a photo of colour `bgr`; returns the new entry."""
    form = {"label": label, "reason": reason}
    listed = world.client.post(
        "/api/v1/watchlist", data=form, files=photo_files(colour_photo(bgr)),
        headers=world.as_("admin"),
    )  # fmt: skip
    assert listed.status_code == 201, listed.text
    return listed.json()


def test_a_listed_face_in_the_exam_snapshots_blocks_a_resume_until_cleared(world, migrated):
    list_known_joki(world, BLUE, "known joki, Medan 2025", "named in the BKN blacklist of 2025")
    pause_with_the_proxy(world)  # the blue man sits; the exam pauses
    actions = search_incidents(migrated)
    assert "watchlist.hit" in actions
    (hit,) = world.client.get("/api/v1/watchlist-hits", headers=world.as_("proctor")).json()
    assert (hit["place"], hit["incident_id"] is not None) == ("snapshot", True)

    resume = f"/api/v1/attempts/{world.attempt_id}/resume"
    body = {"reason": "checked the identity card in person"}
    refused = world.client.post(resume, json=body, headers=world.as_("proctor"))
    assert (refused.status_code, refused.json()["code"]) == (409, "watchlist_hit_open")
    cleared = world.client.post(
        f"/api/v1/watchlist-hits/{hit['id']}/decision",
        json={"verdict": "cleared", "reason": "a different man: ID card and birth date"},
        headers=world.as_("proctor"),
    ).json()
    assert cleared["attempt_moved_on"] is False  # a snapshot's hit moves nothing by itself
    resumed = world.client.post(resume, json=body, headers=world.as_("proctor"))
    assert resumed.status_code == 200 and resumed.json()["state"] == "in_progress"
