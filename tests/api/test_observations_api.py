"""Continuous verification: observations, idempotent replays, the pause and its incident."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from proctor.store.database import make_engine
from proctor.store.evidence import Observation
from tests.support.helpers import T0, attempt, audit_actions, obs, post_batch, running
from tests.support.sealing import sealed_sessions
from tests.support.world import BLUE, RED, World, colour_photo, jpeg


def count_observations(database_url: str) -> int:
    engine = make_engine(database_url)
    try:
        with sealed_sessions(engine)() as session:
            return session.scalar(select(func.count()).select_from(Observation)) or 0
    finally:
        engine.dispose()


def test_observations_before_the_exam_starts_are_refused(world: World):
    response = post_batch(world, [obs(1)])
    assert response.status_code == 409
    assert response.json()["code"] == "attempt_not_active"


def test_matching_observations_keep_the_exam_running(world: World):
    running(world)
    response = post_batch(world, [obs(i) for i in range(1, 11)])
    assert response.status_code == 200, response.text
    assert response.json() == {
        "accepted": 10,
        "duplicates": 0,
        "state": "in_progress",
        "flags": [],
        "incident_id": None,
    }


def test_a_replayed_batch_is_accepted_and_counted_once(world: World, migrated):
    running(world)
    batch = [obs(i) for i in range(1, 6)]
    assert post_batch(world, batch).json()["accepted"] == 5
    replay = post_batch(world, [*batch, obs(6)]).json()
    assert (replay["accepted"], replay["duplicates"]) == (1, 5)
    assert count_observations(migrated) == 6


def test_a_replay_with_other_content_is_refused_whole(world: World, migrated):
    running(world)
    post_batch(world, [obs(1)])
    response = post_batch(world, [obs(2), obs(1, score=0.1)])
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert response.json()["seq"] == 1
    assert count_observations(migrated) == 1  # seq 2 was not half-written either


def test_a_sustained_mismatch_pauses_and_files_an_incident_with_evidence(world: World, migrated):
    running(world)
    post_batch(world, [obs(i) for i in range(1, 5)])
    snapshot = jpeg()
    # Two mismatches are not yet sustained (k=3 of n=5)...
    first = post_batch(world, [obs(5, 0.2, snapshot=snapshot), obs(6, 0.95), obs(7, 0.3)])
    assert first.json()["state"] == "in_progress"
    assert first.json()["flags"] == ["mismatch"]
    # ...the third within the window is.
    second = post_batch(world, [obs(8, 0.25, snapshot=snapshot), obs(9, 0.1)]).json()
    assert second["state"] == "paused"
    incident_id = second["incident_id"]
    assert incident_id

    state = attempt(world, "proctor")
    assert state["state"] == "paused"
    assert state["open_incident"]["id"] == incident_id
    assert state["open_incident"]["reason"] == "face_mismatch"
    assert state["notice"]["id"].startswith("Ujian dihentikan sementara")

    detail = world.client.get(
        f"/api/v1/incidents/{incident_id}", headers=world.as_("proctor")
    ).json()
    kinds = [e["kind"] for e in detail["evidence"]]
    assert kinds.count("registration_photo") == 1
    assert kinds.count("checkpoint_photo") == 2  # check-in and station login
    assert kinds.count("live_snapshot") == 2
    assert detail["details"]["trigger_seq"] == 8
    assert [p["seq"] for p in detail["details"]["timeline"]] == list(range(1, 9))
    snap = next(e for e in detail["evidence"] if e["kind"] == "live_snapshot")
    image = world.client.get(
        f"/api/v1/incidents/{incident_id}/evidence/{snap['id']}", headers=world.as_("proctor")
    )
    assert image.status_code == 200
    assert image.content == snapshot
    assert image.headers["cache-control"] == "private, no-store"
    # Observation 9 came after the pause: stored, but it did not pause twice.
    assert count_observations(migrated) == 9
    actions = audit_actions(migrated)
    assert actions.count("attempt.paused") == 1
    assert actions.index("attempt.paused") < actions.index("incident.filed")


def test_low_scores_of_a_face_the_station_could_not_read_do_not_pause(world: World, migrated):
    running(world)
    post_batch(world, [obs(i) for i in range(1, 5)])
    looking_down = [{**obs(i, 0.2), "face_problems": ["pose_pitch", "face_hidden"]}
                    for i in range(5, 12)]  # fmt: skip
    answer = post_batch(world, looking_down).json()
    assert (answer["state"], answer["flags"]) == ("in_progress", [])
    engine = make_engine(migrated)
    with sealed_sessions(engine)() as session:
        stored = session.scalar(select(Observation).where(Observation.seq == 5))
        assert stored.face_problems == ["pose_pitch", "face_hidden"]
    engine.dispose()
    # The same frames seen clearly are a mismatch; a replay must carry the problems it had.
    assert post_batch(world, [obs(5, 0.2)]).json()["code"] == "idempotency_conflict"
    assert post_batch(world, [obs(i, 0.2) for i in range(12, 15)]).json()["state"] == "paused"


def test_a_blurred_face_scoring_far_below_the_threshold_is_a_mismatch(world: World):
    """Faults of the picture excuse a score down to the policy's level only (30 of 100: 0.575
    on the scale of this world's threshold 0.9 over sface's impostor mean 0.086); a pose or a
    hidden face excuses any score."""
    running(world)
    post_batch(world, [obs(i) for i in range(1, 5)])
    blurred = [{**obs(i, 0.7), "face_problems": ["blurry", "low_contrast"]} for i in range(5, 9)]
    assert post_batch(world, blurred).json()["state"] == "in_progress"
    bowed = [{**obs(i, 0.05), "face_problems": ["pose_pitch", "blurry"]} for i in range(9, 13)]
    assert post_batch(world, bowed).json()["state"] == "in_progress"
    proxy = [{**obs(i, 0.3), "face_problems": ["blurry"]} for i in range(13, 16)]
    answer = post_batch(world, proxy).json()
    assert (answer["state"], answer["flags"]) == ("paused", ["mismatch"])


def test_a_face_problem_that_is_not_one_of_a_live_face_is_refused(world: World, migrated):
    running(world)
    for problems in (["multiple_faces"], ["sunburn"], "pose_yaw"):
        response = post_batch(world, [{**obs(1, 0.2), "face_problems": problems}])
        assert response.status_code == 422, response.text
        assert response.json()["code"] == "request_invalid"
    assert count_observations(migrated) == 0


def test_a_covered_camera_pauses(world: World):
    running(world)
    response = post_batch(
        world,
        [obs(1), obs(2, None, faces=0, camera="covered"), obs(3, None, faces=0, camera="covered")],
    )
    body = response.json()
    assert body["state"] == "paused"
    assert "camera" in body["flags"]
    incident = world.client.get(
        f"/api/v1/incidents/{body['incident_id']}", headers=world.as_("admin")
    ).json()
    assert incident["reason"] == "camera_blocked"


def test_absence_and_several_faces_flag_without_pausing_by_default(world: World):
    running(world)
    away = [obs(i, None, faces=0, at=T0 + timedelta(seconds=2 * i)) for i in range(1, 8)]
    body = post_batch(world, [obs(0, at=T0), *away]).json()
    assert body["state"] == "in_progress"
    assert body["flags"] == ["face_absent"]
    two = [obs(i, 0.95, faces=2, at=T0 + timedelta(seconds=20 + i)) for i in range(8, 10)]
    body = post_batch(world, two).json()
    assert body["state"] == "in_progress"
    assert body["flags"] == ["multiple_faces"]


def test_resume_after_reverification_adds_the_lost_time_back(world: World, migrated):
    running(world)
    paused = post_batch(world, [obs(i, 0.1) for i in range(1, 4)]).json()
    assert paused["state"] == "paused"
    before = attempt(world)
    # The wrong face does not resume...
    url = f"/api/v1/attempts/{world.attempt_id}/reverify"
    wrong = world.client.post(
        url, files={"photo": ("p.png", colour_photo(BLUE))}, headers=world.as_("proctor")
    ).json()
    assert (wrong["passed"], wrong["attempt"]["state"]) == (False, "paused")
    # ...the candidate's does.
    right = world.client.post(
        url, files={"photo": ("p.png", colour_photo(RED))}, headers=world.as_("proctor")
    ).json()
    assert right["passed"] is True
    resumed = right["attempt"]
    assert resumed["state"] == "in_progress"
    assert resumed["paused_seconds"] > 0
    # The clock stood still while paused.
    assert abs(resumed["remaining_seconds"] - before["remaining_seconds"]) < 2
    # Old mismatches no longer count: one more is not a sustained mismatch.
    assert post_batch(world, [obs(4, 0.1)]).json()["state"] == "in_progress"
    assert "attempt.in_progress" in audit_actions(migrated)


def test_resume_by_manual_override_needs_a_reason(world: World):
    running(world)
    post_batch(world, [obs(i, 0.1) for i in range(1, 4)])
    url = f"/api/v1/attempts/{world.attempt_id}/resume"
    assert world.client.post(url, json={}, headers=world.as_("proctor")).status_code == 422
    response = world.client.post(
        url, json={"reason": "identity confirmed in person with KTP"}, headers=world.as_("proctor")
    )
    assert response.json()["state"] == "in_progress"


def test_terminate_and_finish_are_final(world: World):
    running(world)
    url = f"/api/v1/attempts/{world.attempt_id}"
    done = world.client.post(f"{url}/finish", headers=world.as_("station"))
    assert done.json()["state"] == "finished"
    again = world.client.post(
        f"{url}/terminate", json={"reason": "too late to terminate"}, headers=world.as_("proctor")
    )
    assert again.status_code == 409
    assert again.json()["code"] == "transition_invalid"
    # A late observation from an offline station is still kept.
    assert post_batch(world, [obs(1)]).json()["accepted"] == 1


def test_flags_and_checkpoint_photos_are_listed_for_staff(world: World):
    running(world)
    post_batch(world, [obs(1, 0.95, faces=2), obs(2, 0.95, faces=2)])
    url = f"/api/v1/attempts/{world.attempt_id}"
    flags = world.client.get(f"{url}/flags", headers=world.as_("proctor")).json()
    assert [f["kind"] for f in flags] == ["multiple_faces"]
    checkpoints = world.client.get(f"{url}/checkpoints", headers=world.as_("proctor")).json()
    photo_url = f"{url}/checkpoints/{checkpoints[0]['id']}/photo"
    photo = world.client.get(photo_url, headers=world.as_("proctor"))
    assert photo.status_code == 200
    assert photo.content == colour_photo(RED)
    assert world.client.get(photo_url, headers=world.as_("station")).status_code == 403
    assert world.client.get(photo_url, headers=world.as_("other_proctor")).status_code == 403
    assert world.client.get(f"{url}/flags", headers=world.as_("other_proctor")).status_code == 403
