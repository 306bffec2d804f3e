"""Duplicate enrolments over HTTP: the same face under a second number opens a case; the
committee reads it, an admin decides it with a reason, once; a dismissed case stops counting
in an incident's risk."""

from __future__ import annotations

from sqlalchemy import select

from proctor.store.audit import AuditRecord
from proctor.store.database import make_engine
from tests.support.helpers import enrol_candidate, obs, post_batch, running
from tests.support.sealing import sealed_sessions
from tests.support.world import World


def second_registration(world: World) -> str:
    """Enrol the seeded candidate's face (red) under a new participant number."""
    candidate_id, flagged = enrol_candidate(world, "2026000099", (0, 5, 221))
    assert flagged == ["2026000001"]
    return candidate_id


def risk_codes(world: World) -> list[str]:
    (item,) = world.client.get("/api/v1/reviews", headers=world.as_("committee")).json()
    return [f["code"] for f in item["risk_factors"]]


def test_a_duplicate_is_read_by_the_committee_and_decided_once_by_an_admin(world, migrated):
    other_id = second_registration(world)
    running(world)
    paused = post_batch(world, [obs(i, 0.1) for i in range(1, 4)]).json()
    assert paused["incident_id"]
    assert "duplicate_face" in risk_codes(world)  # an open case weighs on the incident
    listed = world.client.get("/api/v1/duplicates", headers=world.as_("committee"))
    assert listed.status_code == 200
    (case,) = listed.json()
    assert case["status"] == "open"
    assert {case["participant_number"], case["other_participant_number"]} == {
        "2026000001",
        "2026000099",
    }
    assert other_id in (case["candidate_id"], case["other_candidate_id"])
    assert world.client.get("/api/v1/duplicates", headers=world.as_("proctor")).status_code == 403

    url = f"/api/v1/duplicates/{case['id']}/decision"
    body = {"verdict": "twins", "reason": "Twin brothers, both seen at the registry desk."}
    assert world.client.post(url, json=body, headers=world.as_("committee")).status_code == 403
    short = world.client.post(url, json={**body, "reason": "twins"}, headers=world.as_("admin"))
    assert short.status_code == 422
    decided = world.client.post(url, json=body, headers=world.as_("admin"))
    assert decided.status_code == 200, decided.text
    assert decided.json()["status"] == "twins" and decided.json()["decided_by"]
    again = world.client.post(
        url, json={**body, "verdict": "same_person"}, headers=world.as_("admin")
    )
    assert again.status_code == 409 and again.json()["code"] == "transition_invalid"
    assert world.client.get("/api/v1/duplicates", headers=world.as_("admin")).json() == []
    assert "duplicate_face" not in risk_codes(world)  # dismissed as twins: no longer
    twins = world.client.get("/api/v1/duplicates?status=twins", headers=world.as_("admin"))
    assert [c["id"] for c in twins.json()] == [case["id"]]
    missing = world.client.post(
        "/api/v1/duplicates/00000000-0000-0000-0000-000000000000/decision",
        json=body,
        headers=world.as_("admin"),
    )
    assert missing.status_code == 404

    engine = make_engine(migrated)
    with sealed_sessions(engine)() as session:
        actions = list(session.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))
    engine.dispose()
    assert actions.count("duplicate_face.twins") == 1 and "candidate.duplicate_face" in actions


def test_a_face_enrolled_by_one_server_process_is_found_by_another(world, migrated, tmp_path):
    """Two service processes on one database (each with its own registry index): a face one
    of them enrols is a duplicate for the other, which looked at the registry before."""
    import time

    from fastapi.testclient import TestClient

    from proctor.api.app import create_app
    from tests.support.world import FakeReader, service_settings

    other_app = create_app(service_settings(migrated, tmp_path / "b"), reader=FakeReader())

    def enrol(client, number: str, bgr: tuple[int, int, int]) -> list[str]:
        return enrol_candidate(world, number, bgr, client)[1]

    with TestClient(other_app) as other:
        assert enrol(other, "P-B1", (220, 0, 0)) == []  # process B has read the registry
        assert enrol(world.client, "P-A1", (0, 220, 0)) == []  # process A enrols a new face
        time.sleep(1.1)  # B reads other processes' new templates at most once a second
        assert enrol(other, "P-B2", (0, 221, 5)) == ["P-A1"]
