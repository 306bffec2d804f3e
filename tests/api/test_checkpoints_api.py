"""Double face recognition through the API: check-in, station login, overrides."""

from __future__ import annotations

from tests.support.helpers import attempt, audit_actions, check_in, start
from tests.support.world import BLUE, RED, World, colour_photo

DARK_BLUE = (35, 0, 0)  # another face, as dark
DARK_RED = (0, 0, 30)  # the same hue, too dark for the quality gate


def test_check_in_passes_for_the_candidate_and_records_the_evidence(world: World, migrated):
    response = check_in(world, colour_photo(RED))
    assert response.status_code == 200
    body = response.json()
    assert body["passed"] is True
    assert body["checkpoint"]["decision"] == "match"
    assert body["checkpoint"]["engine"] == "fake"
    assert body["checkpoint"]["score"] >= body["checkpoint"]["threshold"]
    assert body["attempt"]["state"] == "checked_in"
    assert "checkpoint.check_in" in audit_actions(migrated)
    assert "attempt.checked_in" in audit_actions(migrated)


def test_a_failed_check_in_never_moves_the_attempt(world: World):
    body = check_in(world, colour_photo(BLUE)).json()
    assert body["passed"] is False
    assert body["checkpoint"]["decision"] == "no_match"
    assert body["attempt"]["state"] == "scheduled"
    # ...so the station login is refused: the attempt was never checked in.
    response = start(world, colour_photo(RED))
    assert response.status_code == 409
    assert response.json()["code"] == "transition_invalid"
    assert attempt(world)["state"] == "scheduled"


def test_a_dark_photo_of_someone_else_asks_for_a_retake_with_its_reason(world: World):
    no_face = check_in(world, colour_photo((0, 0, 0))).json()
    assert (no_face["passed"], no_face["checkpoint"]["decision"]) == (False, "no_face")
    assert no_face["checkpoint"]["score"] is None
    # A low score on a face too dark to read is not a verdict on who it is: a retake.
    dark = check_in(world, colour_photo(DARK_BLUE)).json()
    assert (dark["passed"], dark["checkpoint"]["decision"]) == (False, "quality_rejected")
    reasons = dark["checkpoint"]["quality"]
    assert [q["code"] for q in reasons] == ["too_dark"] and reasons[0]["message_id"]
    assert attempt(world)["state"] == "scheduled"


def test_a_confident_match_on_a_dark_photo_passes_with_its_problem_noted(world: World):
    dark = check_in(world, colour_photo(DARK_RED)).json()  # the candidate's face, in poor light
    assert (dark["passed"], dark["checkpoint"]["decision"]) == (True, "match")
    assert [q["code"] for q in dark["checkpoint"]["quality"]] == ["too_dark"]
    assert attempt(world)["state"] == "checked_in"


def test_proctor_override_after_id_check_is_recorded(world: World, migrated):
    failed = check_in(world, colour_photo(BLUE)).json()["checkpoint"]
    url = f"/api/v1/attempts/{world.attempt_id}/checkpoints/{failed['id']}/override"
    short = world.client.post(url, json={"reason": "ok"}, headers=world.as_("proctor"))
    assert short.status_code == 422
    reason = "KTP checked by hand; photo taken before a haircut"
    response = world.client.post(url, json={"reason": reason}, headers=world.as_("proctor"))
    assert response.status_code == 200, response.text
    assert response.json()["state"] == "checked_in"
    again = world.client.post(url, json={"reason": reason}, headers=world.as_("proctor"))
    assert again.status_code == 409
    assert again.json()["code"] == "checkpoint_not_failed"
    listed = world.client.get(
        f"/api/v1/attempts/{world.attempt_id}/checkpoints", headers=world.as_("committee")
    ).json()
    assert listed[0]["override_reason"] == reason
    assert listed[0]["overridden_by"].startswith("proctor:")
    assert "checkpoint.overridden" in audit_actions(migrated)


def test_a_passed_checkpoint_cannot_be_overridden(world: World):
    passed = check_in(world, colour_photo(RED)).json()["checkpoint"]
    response = world.client.post(
        f"/api/v1/attempts/{world.attempt_id}/checkpoints/{passed['id']}/override",
        json={"reason": "no reason to override a match"},
        headers=world.as_("proctor"),
    )
    assert response.status_code == 409
    assert response.json()["code"] == "checkpoint_not_failed"


def test_station_login_with_another_face_does_not_start_the_exam(world: World):
    check_in(world, colour_photo(RED))
    body = start(world, colour_photo(BLUE)).json()
    assert body["passed"] is False
    assert body["attempt"]["state"] == "checked_in"
    body = start(world, colour_photo(RED)).json()
    assert body["attempt"]["state"] == "in_progress"
    assert body["attempt"]["started_at"] is not None
    assert body["attempt"]["remaining_seconds"] > 100 * 60 - 5


def test_a_candidate_without_registration_photos_cannot_check_in(client, migrated):
    from tests.support.world import build_world

    world = build_world(client, migrated, reader_photo=None)
    response = check_in(world, colour_photo(RED))
    assert response.status_code == 409
    assert response.json()["code"] == "not_enrolled"
