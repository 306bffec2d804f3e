"""Incident review, complaints, the WhatsApp webhook and whistleblowing over the HTTP API, with
each role's rights. On SQLite and PostgreSQL."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx2
import pytest
from fastapi.testclient import TestClient

from proctor.access.tokens import Role
from proctor.api.app import create_app
from proctor.cases import whistleblowing
from proctor.cases.notify import MemoryNotifier
from proctor.survey.rules import SurveyRules
from tests.support.helpers import obs, post_batch, running
from tests.support.live import threaded_server
from tests.support.world import FakeReader, World, issue, service_settings

PRIVATE, PUBLIC = whistleblowing.generate_custodian_keys()
HOOK = "hook-secret-of-the-gateway"
WHY = "both snapshots show another person"
ANSWER = {"scores": {e.code: 4 for e in SurveyRules().elements}}


@pytest.fixture
def notifier() -> MemoryNotifier:
    return MemoryNotifier()


def settings(migrated: str, tmp_path: Path):
    return service_settings(
        migrated, tmp_path, whatsapp_webhook_secret=HOOK, custodian_public_key=PUBLIC
    )


@pytest.fixture
def client(migrated: str, tmp_path: Path, notifier: MemoryNotifier) -> Iterator[TestClient]:
    app = create_app(settings(migrated, tmp_path), reader=FakeReader(), notifier=notifier)
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def paused(world: World, migrated: str) -> str:
    """The world's attempt paused by three mismatches; returns its incident id."""
    running(world)
    result = post_batch(world, [obs(i, 0.1) for i in range(3)]).json()
    assert result["state"] == "paused"
    world.tokens["proctor2"] = issue(migrated, Role.PROCTOR, venue_id=uuid.UUID(world.venue_id))
    world.tokens["officer"] = issue(migrated, Role.COMPLAINT_OFFICER)
    world.tokens["custodian"] = issue(migrated, Role.CUSTODIAN)
    return result["incident_id"]


def call(world: World, method: str, path: str, who: str | None, **kwargs):
    headers = world.as_(who) if who else None
    return world.client.request(method, f"/api/v1{path}", headers=headers, **kwargs)


def test_two_proctors_confirm_a_proxy_and_a_case_opens(world, paused):
    queue = call(world, "GET", "/reviews", "proctor").json()
    assert [q["id"] for q in queue] == [paused] and queue[0]["risk"] > 0
    assert call(world, "GET", "/reviews", "other_proctor").json() == []
    packet = call(world, "GET", f"/incidents/{paused}/packet", "committee").json()
    assert packet["threshold"] == 0.9 and len(packet["timeline"]) == 3
    assert {c["kind"] for c in packet["checkpoints"]} == {"check_in", "station_login"}
    assert any(i["kind"] == "registration_photo" for i in packet["images"])
    image = call(world, "GET", packet["images"][0]["url"].removeprefix("/api/v1"), "proctor")
    assert image.status_code == 200 and image.headers["cache-control"] == "private, no-store"

    start = {"reason": "taking this one up now"}
    decision = {"decision": "confirmed_proxy", "reason": WHY}
    assert (
        call(
            world, "POST", f"/incidents/{paused}/review/start", "committee", json=start
        ).status_code
        == 403
    )
    assert (
        call(
            world, "POST", f"/incidents/{paused}/review/start", "other_proctor", json=start
        ).status_code
        == 403
    )
    assert (
        call(world, "POST", f"/incidents/{paused}/review/start", "proctor", json=start).status_code
        == 200
    )
    first = call(world, "POST", f"/incidents/{paused}/review/decision", "proctor", json=decision)
    assert first.json()["status"] == "under_review"
    again = call(world, "POST", f"/incidents/{paused}/review/decision", "proctor", json=decision)
    assert (again.status_code, again.json()["code"]) == (409, "second_reviewer_required")
    second = call(world, "POST", f"/incidents/{paused}/review/decision", "proctor2", json=decision)
    assert second.json()["status"] == "confirmed_proxy"
    assert (
        call(world, "GET", f"/attempts/{world.attempt_id}", "admin").json()["state"] == "terminated"
    )

    cases = call(world, "GET", "/complaints", "officer").json()
    assert len(cases) == 1 and cases[0]["incident_id"] == paused
    assert cases[0]["category"] == "proxy_test_taker" and cases[0]["venue_id"] == world.venue_id

    appeal = {"reason": "the candidate says it was really him"}
    assert (
        call(world, "POST", f"/incidents/{paused}/appeal", "proctor", json=appeal).status_code
        == 403
    )
    assert (
        call(world, "POST", f"/incidents/{paused}/appeal", "officer", json=appeal).json()["status"]
        == "appealed"
    )
    own = call(world, "POST", f"/incidents/{paused}/review/start", "proctor2", json=start)
    assert (own.status_code, own.json()["code"]) == (403, "own_decision")
    short = call(world, "POST", f"/incidents/{paused}/close", "proctor", json={"reason": "done"})
    assert short.status_code == 422


def test_a_public_complaint_is_answered_resolved_closed_and_rated(world, paused, notifier):
    filed = call(world, "POST", "/public/complaints", None, json={
        "category": "service", "subject": "Long queue", "description": "Two hours outside.",
        "venue_id": world.venue_id, "name": "Budi", "contact": "budi@example.org",
    })  # fmt: skip
    assert filed.status_code == 201
    number = filed.json()["tracking_number"]
    case_id = call(world, "GET", "/complaints", "officer").json()
    case_id = next(c["id"] for c in case_id if c["tracking_number"] == number)
    assert call(world, "GET", "/complaints", "proctor").status_code == 403

    call(
        world,
        "POST",
        f"/complaints/{case_id}/messages",
        "officer",
        json={"body": "Check the venue log", "public": False},
    )
    call(
        world, "POST", f"/complaints/{case_id}/messages", "officer", json={"body": "We are on it."}
    )
    status = call(world, "GET", f"/public/complaints/{number}", None).json()
    assert [m["body"] for m in status["messages"]] == ["We are on it."]
    assert status["state"] == "in_progress" and "budi" not in str(status).lower()
    call(world, "POST", f"/public/complaints/{number}/messages", None, json={"body": "Thanks!"})

    closed = call(world, "POST", f"/complaints/{case_id}/close", "officer")
    assert (closed.status_code, closed.json()["code"]) == (409, "resolution_required")
    survey = call(world, "POST", f"/public/complaints/{number}/survey", None, json=ANSWER)
    assert (survey.status_code, survey.json()["code"]) == (409, "survey_closed")
    resolved = call(
        world,
        "POST",
        f"/complaints/{case_id}/resolve",
        "officer",
        json={"note": "A second lane opens at 06:30."},
    )
    assert resolved.json()["state"] == "resolved"
    assert (
        call(world, "POST", f"/complaints/{case_id}/close", "officer").json()["state"] == "closed"
    )
    url = f"/public/complaints/{number}/survey"
    assert call(world, "POST", url, None, json=ANSWER).status_code == 201
    again = call(world, "POST", url, None, json=ANSWER)
    assert (again.status_code, again.json()["code"]) == (409, "survey_answered")
    wrong = call(world, "POST", url, None, json={**ANSWER, "scores": {"cost": 5}})
    assert (wrong.status_code, wrong.json()["code"]) == (422, "request_invalid")
    # The ratings given before the survey are kept for the record; none were given here.
    older = call(world, "GET", "/complaints/satisfaction", "committee").json()
    assert older == {"venue": [], "channel": []}
    assert call(world, "GET", "/public/complaints/PGD-AAAA-BBBB-CCCC", None).status_code == 404
    kinds = [(n.kind, n.audience) for n in notifier.sent]
    assert ("complaint.received", "officer") in kinds and (
        "complaint.replied",
        "complainant",
    ) in kinds


def test_whatsapp_messages_open_or_join_a_complaint(world, paused):
    def hook(message_id: str, text: str, secret: str | None = HOOK):
        headers = {"X-Webhook-Secret": secret} if secret else {}
        body = {"message_id": message_id, "sender": "+6281255501234", "text": text}
        return world.client.post("/api/v1/webhooks/whatsapp", json=body, headers=headers)

    assert hook("m1", "hello", secret="wrong").status_code == 401
    assert hook("m1", "hello", secret=None).status_code == 401
    first = hook("m1", "Pengawas datang terlambat\nSesi 2 mulai telat").json()
    assert first["new_complaint"] is True
    assert hook("m1", "Pengawas datang terlambat\nSesi 2 mulai telat").json() == first  # resent
    joined = hook("m2", f"Update for {first['tracking_number'].lower()}: still waiting").json()
    assert joined == {"tracking_number": first["tracking_number"], "new_complaint": False}
    assert hook("m2", f"Update for {first['tracking_number']}: still waiting").json() == joined
    status = call(world, "GET", f"/public/complaints/{first['tracking_number']}", None).json()
    assert len(status["messages"]) == 1
    case = next(
        c for c in call(world, "GET", "/complaints", "officer").json() if c["channel"] == "whatsapp"
    )
    assert (
        call(world, "GET", f"/complaints/{case['id']}", "officer").json()["complainant_contact"]
        == "+6281255501234"
    )


def test_whistleblowing_over_http(world, paused):
    filed = call(world, "POST", "/wbs/reports", None, json={
        "category": "leaked_questions", "subject": "Answers sold", "description": "On Telegram.",
        "identity": "Andi, staff of the venue, 0812 000",
    })  # fmt: skip
    assert filed.status_code == 201 and filed.headers["cache-control"] == "no-store"
    receipt = filed.json()["receipt"]
    follow = call(world, "POST", "/wbs/follow", None, json={"receipt": receipt})
    assert follow.json()["state"] == "received"
    wrong = call(world, "POST", "/wbs/follow", None, json={"receipt": receipt[:-4] + "AAAA"})
    assert (wrong.status_code, wrong.json()["code"]) == (403, "receipt_invalid")

    reports = call(world, "GET", "/wbs/reports", "officer").json()
    assert len(reports) == 1 and reports[0]["has_identity"] is True
    assert "Andi" not in str(reports)
    report_id = reports[0]["id"]
    call(
        world,
        "POST",
        f"/wbs/reports/{report_id}/messages",
        "officer",
        json={"body": "Which channel?"},
    )
    call(world, "POST", "/wbs/messages", None, json={"receipt": receipt, "body": "@soal_cpns"})
    thread = call(world, "POST", "/wbs/follow", None, json={"receipt": receipt}).json()
    assert [m["author"] for m in thread["messages"]] == ["officer", "reporter"]

    body = {"justification": "police request no. 17/XI/2026 for a witness", "private_key": PRIVATE}
    for who in ("officer", "admin", "committee"):
        assert (
            call(world, "POST", f"/wbs/reports/{report_id}/reveal", who, json=body).status_code
            == 403
        )
    other, _ = whistleblowing.generate_custodian_keys()
    bad = call(
        world,
        "POST",
        f"/wbs/reports/{report_id}/reveal",
        "custodian",
        json={**body, "private_key": other},
    )
    assert bad.json()["code"] == "custodian_key_wrong"
    revealed = call(world, "POST", f"/wbs/reports/{report_id}/reveal", "custodian", json=body)
    assert revealed.json() == {"identity": "Andi, staff of the venue, 0812 000"}


class Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def test_whistleblowing_requests_leave_no_address_in_the_access_log(migrated, tmp_path):
    app = create_app(settings(migrated, tmp_path), reader=FakeReader())
    collected = Collect()
    with threaded_server(app) as base:
        # uvicorn's access logger does not propagate: listen to it directly.
        access = logging.getLogger("uvicorn.access")
        access.setLevel(logging.INFO)
        access.addHandler(collected)
        try:
            report = {"category": "other", "subject": "Something", "description": "Details."}
            assert httpx2.post(f"{base}/api/v1/wbs/reports", json=report).status_code == 201
            wrong = {"receipt": "WBS-XXXXXXXX-" + "A" * 20}
            assert httpx2.post(f"{base}/api/v1/wbs/follow", json=wrong).status_code == 403
            assert httpx2.post(f"{base}/public/wbs/follow", data=wrong).status_code == 200
            assert httpx2.get(f"{base}/api/v1/health").status_code == 200
        finally:
            access.removeHandler(collected)
    # Logging works (the health check is there, with its address); whistleblowing is not.
    assert any("/api/v1/health" in line and "127.0.0.1" in line for line in collected.lines)
    assert not any("/wbs" in line for line in collected.lines)


def test_bad_input_gets_a_code_never_a_500(world, paused):
    form = {"category": "service", "subject": "Long queue", "description": "Two hours."}
    P, R = "/public/complaints", "request_invalid"  # noqa: N806
    cases = [
        ("POST", P, None, {**form, "category": "gossip"}, 422, R),
        ("POST", P, None, {"subject": "x"}, 422, R),
        ("POST", P, None, {**form, "description": "x" * 10_001}, 422, R),
        ("POST", P, None, {**form, "venue_id": str(uuid.uuid4())}, 404, "not_found"),
        ("POST", P, None, {**form, "extra": 1}, 422, R),
        ("GET", "/public/complaints/not-a-number", None, None, 404, "not_found"),
        ("GET", f"/complaints/{uuid.uuid4()}", "officer", None, 404, "not_found"),
        ("GET", "/complaints/not-a-uuid", "officer", None, 422, "request_invalid"),
        ("POST", "/wbs/follow", None, {"receipt": 12}, 422, "request_invalid"),
        ("POST", "/wbs/follow", None, {"receipt": "WBS-NOSUCH-KEY"}, 403, "receipt_invalid"),
        ("POST", f"/incidents/{paused}/review/decision", "proctor",
         {"decision": "maybe", "reason": "x" * 20}, 422, "request_invalid"),
        ("POST", f"/incidents/{uuid.uuid4()}/review/start", "proctor",
         {"reason": "x" * 20}, 404, "not_found"),
    ]  # fmt: skip
    for method, path, who, body, status, code in cases:
        response = call(world, method, path, who, json=body)
        assert (response.status_code, response.json()["code"]) == (status, code), (path, body)
    too_long = call(
        world, "POST", "/public/complaints", None, json={**form, "description": "x" * 10_001}
    )
    assert "x" * 100 not in too_long.text  # the input is not echoed back
