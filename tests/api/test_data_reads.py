"""Every read of a candidate's biometric data is recorded: each image endpoint and console page
that serves a photo, a snapshot or the live picture, names who read what and through which page
(the station's template fetch: tests/api/test_agent_api.py, with a real engine); the committee
lists them per candidate."""

from __future__ import annotations

from tests.api.console.test_console import login
from tests.api.test_sealed_at_rest import jpeg
from tests.support.helpers import obs, post_batch, running

PROXY = (200, 60, 35)


def test_each_read_of_biometric_data_is_recorded_and_listed_for_the_committee(world):
    running(world)
    incident_id = post_batch(
        world, [obs(i, 0.1, snapshot=jpeg(PROXY)) for i in range(1, 4)]
    ).json()["incident_id"]
    admin, proctor, committee = (world.as_(who) for who in ("admin", "proctor", "committee"))
    get = world.client.get
    api = "/api/v1"
    reads = f"{api}/candidates/{world.candidate_id}/data-reads"
    assert get(reads, headers=committee).json() == []

    photo = get(f"{api}/candidates/{world.candidate_id}/photos", headers=admin).json()[0]
    assert get(f"{api}/candidates/{world.candidate_id}/photos/{photo['id']}/image",
               headers=admin).status_code == 200  # fmt: skip
    checkpoint = get(f"{api}/attempts/{world.attempt_id}/checkpoints", headers=proctor).json()[0]
    assert get(f"{api}/attempts/{world.attempt_id}/checkpoints/{checkpoint['id']}/photo",
               headers=proctor).status_code == 200  # fmt: skip
    evidence = get(f"{api}/incidents/{incident_id}", headers=proctor).json()["evidence"]
    snapshot = next(e for e in evidence if e["kind"] == "live_snapshot")
    assert get(f"{api}/incidents/{incident_id}/evidence/{snapshot['id']}",
               headers=proctor).status_code == 200  # fmt: skip

    login(world, world.tokens["proctor"])
    assert get(f"/console/evidence/{incident_id}/{snapshot['id']}").status_code == 200
    assert get(f"/console/attempts/{world.attempt_id}/photos/{photo['id']}").status_code == 200
    assert get(f"/console/attempts/{world.attempt_id}/live").status_code == 200

    assert get(reads, headers=proctor).status_code == 403  # the committee's list, not a proctor's
    listed = get(reads, headers=committee).json()
    seen = [(r["kind"], r["purpose"]) for r in reversed(listed)]
    expected = [
        ("registration_photo", "api: registration photo"),
        ("checkpoint_photo", "api: checkpoint photo"),
        ("evidence_image", "api: incident evidence"),
        ("evidence_image", "console: incident page"),
        ("registration_photo", "console: station desk and grid"),
        ("live_picture", "console: station grid"),
    ]
    assert seen == expected
    actors = {r["purpose"]: r["actor"] for r in listed}
    assert actors["api: registration photo"].startswith("admin")
    assert actors["api: checkpoint photo"].startswith("proctor")
    assert listed[0]["item_id"] and all(r["at"] for r in listed)
    unknown = get(f"{api}/candidates/00000000-0000-0000-0000-000000000000/data-reads",
                  headers=committee)  # fmt: skip
    assert unknown.status_code == 404 and unknown.json()["code"] == "not_found"


def test_a_read_refused_for_scope_leaves_no_record(world):
    running(world)
    checkpoint = world.client.get(
        f"/api/v1/attempts/{world.attempt_id}/checkpoints", headers=world.as_("proctor")
    ).json()[0]
    url = f"/api/v1/attempts/{world.attempt_id}/checkpoints/{checkpoint['id']}/photo"
    assert world.client.get(url, headers=world.as_("other_proctor")).status_code == 403
    reads = f"/api/v1/candidates/{world.candidate_id}/data-reads"
    assert world.client.get(reads, headers=world.as_("committee")).json() == []
