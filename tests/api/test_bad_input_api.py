"""Bad input gets a stable error code and never a 500; nothing is half-written."""

from __future__ import annotations

import uuid

from tests.support.helpers import attempt, check_in, obs, post_batch, running
from tests.support.sealing import sealed_sessions
from tests.support.world import RED, World, colour_photo, jpeg


def test_unknown_ids_are_404(world: World):
    for path in (
        f"/api/v1/attempts/{uuid.uuid4()}",
        f"/api/v1/venues/{uuid.uuid4()}",
        f"/api/v1/incidents/{uuid.uuid4()}",
        f"/api/v1/candidates/{uuid.uuid4()}",
    ):
        response = world.client.get(path, headers=world.as_("admin"))
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"
    malformed = world.client.get("/api/v1/attempts/not-a-uuid", headers=world.as_("admin"))
    assert malformed.status_code == 422
    assert malformed.json()["code"] == "request_invalid"
    assert world.client.get("/api/v1/nowhere").json()["code"] == "not_found"


def test_corrupt_and_non_image_uploads_are_422(world: World):
    truncated = colour_photo(RED)[:40]
    response = check_in(world, truncated)
    assert response.status_code == 422
    assert response.json()["code"].startswith("image_")
    text_file = check_in(world, b"this is not an image")
    assert text_file.status_code == 422
    assert text_file.json()["code"] == "image_unreadable"
    assert attempt(world)["state"] == "scheduled"


def test_an_upload_over_the_cap_is_413(world: World):
    huge = b"\xff\xd8\xff" + b"\0" * (8 * 1024 * 1024 + 10)
    response = check_in(world, huge)
    assert response.status_code == 413
    assert response.json()["code"] == "upload_too_large"


def test_a_body_over_the_request_cap_is_refused_before_parsing(world: World):
    response = world.client.post(
        f"/api/v1/attempts/{world.attempt_id}/check-in",
        content=b"x" * (17 * 1024 * 1024),
        headers={**world.as_("proctor"), "Content-Type": "multipart/form-data; boundary=x"},
    )
    assert response.status_code == 413
    assert response.json()["code"] == "upload_too_large"


def test_a_chunked_body_over_the_cap_is_413_too(world: World):
    """No Content-Length to refuse by: the body is cut off while it streams in."""

    def chunks():
        for _ in range(17):
            yield b" " * (1024 * 1024)

    for path, kind in (("/api/v1/venues", "application/json"),
                       (f"/api/v1/attempts/{world.attempt_id}/check-in",
                        "multipart/form-data; boundary=x")):  # fmt: skip
        response = world.client.post(
            path, content=chunks(), headers={**world.as_("admin"), "Content-Type": kind}
        )
        assert response.status_code == 413, (path, response.text)
        assert response.json()["code"] == "upload_too_large"


def test_json_nested_too_deeply_is_422_request_invalid(world: World):
    for depth in (100_000, 2_000):
        deep = "[" * depth + "]" * depth
        response = world.client.post(
            "/api/v1/venues", content=deep,
            headers={**world.as_("admin"), "Content-Type": "application/json"},
        )  # fmt: skip
        assert response.status_code == 422, (depth, response.text)
        assert response.json()["code"] == "request_invalid"


def test_text_with_a_nul_character_is_422_on_every_database(world: World):
    """PostgreSQL cannot store NUL in text (it was a 500 there, found by the schema fuzz)."""
    body = {"category": "other", "subject": "queue\u0000", "description": "long wait"}
    filed = world.client.post("/api/v1/public/complaints", json=body)  # sent as \u0000
    assert filed.status_code == 422 and filed.json()["code"] == "request_invalid"
    listed = world.client.get("/api/v1/complaints", headers=world.as_("admin")).json()
    assert listed == []  # nothing half-written
    search = world.client.get("/api/v1/reviews", params={"q": "a\x00b"}, headers=world.as_("admin"))
    assert search.status_code == 422 and search.json()["code"] == "request_invalid"


def test_missing_fields_wrong_types_and_unknown_fields_are_422(world: World):
    headers = world.as_("admin")
    missing = world.client.post("/api/v1/venues", json={"code": "A"}, headers=headers)
    assert missing.status_code == 422
    assert missing.json()["code"] == "request_invalid"
    assert missing.json()["errors"][0]["loc"] == ["body", "name"]
    extra = world.client.post(
        "/api/v1/venues", json={"code": "A", "name": "A", "admin": True}, headers=headers
    )
    assert extra.status_code == 422
    not_json = world.client.post(
        "/api/v1/venues",
        content=b"{oops",
        headers={**headers, "Content-Type": "application/json"},
    )
    assert not_json.status_code == 422
    no_photo = world.client.post(
        f"/api/v1/attempts/{world.attempt_id}/check-in", headers=world.as_("proctor")
    )
    assert no_photo.status_code == 422


def test_validation_errors_do_not_echo_personal_data(world: World):
    response = world.client.post(
        "/api/v1/candidates",
        json={"participant_number": "9", "name": "X", "nik": {"raw": "3171234567890123"}},
        headers=world.as_("admin"),
    )
    assert response.status_code == 422
    assert "3171234567890123" not in response.text


def test_the_nik_is_never_returned_or_stored_readably(world: World, migrated):
    from sqlalchemy import select

    from proctor.store.database import make_engine
    from proctor.store.exam import Candidate

    body = world.client.get(
        f"/api/v1/candidates/{world.candidate_id}", headers=world.as_("admin")
    ).json()
    assert body["nik_recorded"] is True
    assert "3171234567890123" not in str(body)
    engine = make_engine(migrated)
    with sealed_sessions(engine)() as session:
        stored = session.scalar(select(Candidate.nik_hash))
    engine.dispose()
    assert stored and "3171234567890123" not in stored and len(stored) == 64
    again = world.client.post(
        "/api/v1/candidates",
        json={"participant_number": "2026000002", "name": "Joki", "nik": "3171-2345-6789-0123"},
        headers=world.as_("admin"),
    )
    assert again.status_code == 409
    assert again.json()["code"] == "already_exists"
    bad = world.client.post(
        "/api/v1/candidates",
        json={"participant_number": "2026000003", "name": "A", "nik": "12345"},
        headers=world.as_("admin"),
    )
    assert bad.status_code == 422


def test_bad_observation_batches(world: World):
    running(world)
    not_jpeg = post_batch(world, [obs(1, snapshot=colour_photo(RED))])
    assert not_jpeg.status_code == 422
    assert not_jpeg.json()["code"] == "image_unsupported"
    broken = post_batch(world, [obs(1, snapshot=jpeg()[:30])])
    assert broken.status_code == 422
    assert broken.json()["code"].startswith("image_")
    nan = post_batch(world, [{**obs(1), "score": "NaN"}])
    assert nan.status_code == 422
    naive = post_batch(world, [{**obs(1), "observed_at": "2026-11-24T01:00:00"}])
    assert naive.status_code == 422
    future = post_batch(world, [{**obs(1), "observed_at": "2099-01-01T00:00:00Z"}])
    assert future.status_code == 422
    assert post_batch(world, []).status_code == 422
    assert post_batch(world, [obs(1)]).json()["accepted"] == 1  # nothing before was stored


def test_registration_photo_rules(world: World):
    url = f"/api/v1/candidates/{world.candidate_id}/photos"
    headers = world.as_("admin")

    def upload(data: bytes):
        return world.client.post(url, files={"photo": ("p.png", data)}, headers=headers)

    dark = upload(colour_photo((0, 0, 30)))
    assert dark.status_code == 422
    assert dark.json()["code"] == "photo_rejected"
    assert dark.json()["reasons"][0]["code"] == "too_dark"
    same = upload(colour_photo(RED))  # the file already enrolled by the fixture
    assert (same.status_code, same.json()["created"]) == (201, False)
    assert upload(colour_photo((0, 10, 220))).json()["created"] is True
    assert upload(colour_photo((0, 20, 220))).json()["created"] is True
    fourth = upload(colour_photo((0, 30, 220)))
    assert fourth.status_code == 409
    assert fourth.json()["code"] == "photo_limit_reached"


def test_one_face_under_two_participant_numbers_is_flagged(world: World):
    headers = world.as_("admin")
    other = world.client.post(
        "/api/v1/candidates",
        json={"participant_number": "2026000099", "name": "B"},
        headers=headers,
    ).json()
    response = world.client.post(
        f"/api/v1/candidates/{other['id']}/photos",
        files={"photo": ("same-face.png", colour_photo((0, 5, 221)))},
        headers=headers,
    ).json()
    assert [d["participant_number"] for d in response["duplicates"]] == ["2026000001"]
