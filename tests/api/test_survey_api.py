"""The satisfaction survey over HTTP: offered at the station when the exam ends and with the
exam card's code, one answer per candidate per session, anonymous, published per venue and
period with the follow-up for the weakest element. On SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select, text

from proctor.access.tokens import Role
from proctor.store.audit import AuditRecord
from proctor.store.database import make_engine
from proctor.survey.rules import SurveyRules
from tests.support.helpers import running
from tests.support.sealing import sealed_sessions
from tests.support.world import World, issue

CODES = [e.code for e in SurveyRules().elements]
# Per element: 4, 3, 3, 4, 3, 3, 4, 3, 2 -> mean 29/9 = 3.2222, index 80.56 (B).
SCORES = dict(zip(CODES, [4, 3, 3, 4, 3, 3, 4, 3, 2], strict=True))
PERIOD = "2026-S2"  # the world's session starts on 24/11/2026


def api(world: World, method: str, path: str, who: str | None, **kwargs: Any) -> Any:
    headers = world.as_(who) if who else {}
    return world.client.request(method, f"/api/v1{path}", headers=headers, **kwargs)


def finished(world: World) -> None:
    running(world)
    done = api(world, "POST", f"/attempts/{world.attempt_id}/finish", "station")
    assert done.json()["state"] == "finished", done.text


def offer(world: World) -> str | None:
    state = api(world, "GET", f"/stations/{world.station_id}/state", "station").json()
    return state["survey_attempt_id"]


def test_the_questionnaire_in_both_languages(world: World):
    form = api(world, "GET", "/public/survey", None).json()
    assert [e["code"] for e in form["elements"]] == CODES
    cost = form["elements"][3]
    assert (cost["name_id"], cost["name_en"]) == ("Biaya/tarif", "Cost")
    assert cost["answers_id"][-1] == "Gratis" and cost["answers_en"][-1] == "Free"
    assert "s1" in form["educations"] and "female" in form["sexes"]


def test_the_station_offers_the_survey_once_the_exam_is_over(world: World):
    running(world)
    assert offer(world) is None  # not while the exam runs
    early = api(
        world, "POST", f"/stations/{world.station_id}/survey", "station",
        json={"attempt_id": world.attempt_id, "scores": SCORES},
    )  # fmt: skip
    assert (early.status_code, early.json()["code"]) == (409, "survey_closed")
    api(world, "POST", f"/attempts/{world.attempt_id}/finish", "station")
    assert offer(world) == world.attempt_id
    foreign = api(
        world, "POST", f"/stations/{world.station_id}/survey", "other_station",
        json={"attempt_id": world.attempt_id, "scores": SCORES},
    )  # fmt: skip
    assert foreign.status_code == 403
    partial = api(
        world, "POST", f"/stations/{world.station_id}/survey", "station",
        json={"attempt_id": world.attempt_id, "scores": {"cost": 4}},
    )  # fmt: skip
    assert (partial.status_code, partial.json()["code"]) == (422, "request_invalid")
    answered = api(
        world, "POST", f"/stations/{world.station_id}/survey", "station",
        json={"attempt_id": world.attempt_id, "scores": SCORES, "sex": "female",
              "education": "s1", "suggestion": "Ruang tunggu perlu kipas."},
    )  # fmt: skip
    assert answered.status_code == 201, answered.text
    assert offer(world) is None
    # The exam card's code opens the same invitation: one answer per candidate per session.
    codes = api(
        world,
        "GET",
        f"/venues/{world.venue_id}/sessions/{world.session_id}/survey-codes",
        "proctor",
    ).json()
    again = api(
        world, "POST", "/public/survey", None, json={"code": codes[0]["code"], "scores": SCORES}
    )
    assert (again.status_code, again.json()["code"]) == (409, "survey_answered")


def test_an_answer_with_the_exam_card_code(world: World):
    path = f"/venues/{world.venue_id}/sessions/{world.session_id}/survey-codes"
    assert api(world, "GET", path, "other_proctor").status_code == 403
    assert api(world, "GET", path, "committee").status_code == 403
    wrong_venue = f"/venues/{world.other_venue_id}/sessions/{world.session_id}/survey-codes"
    assert api(world, "GET", wrong_venue, "admin").status_code == 404
    codes = api(world, "GET", path, "proctor").json()
    assert codes == api(world, "GET", path, "admin").json()  # printed again, the same code
    (card,) = codes
    assert card["participant_number"] == "2026000001"
    assert card["code"].startswith("SKM-") and len(card["code"]) == 18
    unknown = api(
        world, "POST", "/public/survey", None, json={"code": "SKM-AAAA-BBBB-CCCC", "scores": SCORES}
    )
    assert (unknown.status_code, unknown.json()["code"]) == (404, "survey_code_invalid")
    typed = card["code"].lower()  # as a person may type it
    first = api(world, "POST", "/public/survey", None, json={"code": typed, "scores": SCORES})
    assert first.status_code == 201, first.text
    second = api(
        world, "POST", "/public/survey", None, json={"code": card["code"], "scores": SCORES}
    )
    assert (second.status_code, second.json()["code"]) == (409, "survey_answered")


def test_answers_cannot_be_linked_to_a_candidate(world: World, migrated: str):
    finished(world)
    body = {"attempt_id": world.attempt_id, "scores": SCORES, "age_band": "26-35", "sex": "male"}
    assert (
        api(world, "POST", f"/stations/{world.station_id}/survey", "station", json=body).status_code
        == 201
    )
    engine = make_engine(migrated)
    try:
        with sealed_sessions(engine)() as db:
            rows = db.execute(text("SELECT * FROM survey_answers")).mappings().all()
            candidate = db.execute(
                text("SELECT nik_hash FROM candidates WHERE participant_number = '2026000001'")
            ).scalar_one()
    finally:
        engine.dispose()
    assert len(rows) == 1
    dump = repr([dict(r) for r in rows])
    for secret in (
        world.candidate_id, world.attempt_id, world.station_id, world.session_id,
        "2026000001", "3171234567890123", candidate, "Siti Rahma",
        world.candidate_id.replace("-", ""), world.attempt_id.replace("-", ""),
    ):  # fmt: skip
        assert secret not in dump
    # No moment either: the month of the service only.
    assert set(rows[0]) == {
        "id", "venue_id", "month", "source", "scores", "age_band", "sex", "education",
        "occupation", "suggestion",
    }  # fmt: skip
    assert str(rows[0]["month"]).startswith("2026-11-01")


def test_the_public_results_and_the_follow_up(world: World, migrated: str):
    finished(world)
    body = {"attempt_id": world.attempt_id, "scores": SCORES}
    api(world, "POST", f"/stations/{world.station_id}/survey", "station", json=body)
    venues = api(world, "GET", f"/public/ikm?period={PERIOD}", None).json()
    jakarta = next(v for v in venues if v["venue_id"] == world.venue_id)
    assert (jakarta["index"], jakarta["grade"], jakarta["grade_name_id"]) == ("80.56", "B", "Baik")
    assert (jakarta["respondents"], jakarta["served"], jakarta["minimum_sample"]) == (1, 1, 1)
    assert jakarta["weakest_element"] == "facilities"
    assert jakarta["elements"][0] == {
        "code": "requirements",
        "answers": 1,
        "mean": "4.00",
        "converted": "100.00",
    }
    surabaya = next(v for v in venues if v["venue_id"] == world.other_venue_id)
    assert (surabaya["index"], surabaya["grade"], surabaya["respondents"]) == (None, None, 0)
    earlier = api(world, "GET", f"/public/ikm/{world.venue_id}?period=2026-S1", None).json()
    assert earlier["respondents"] == 0 and earlier["served"] == 0
    bad = api(world, "GET", "/public/ikm?period=2026-S3", None)
    assert (bad.status_code, bad.json()["code"]) == (422, "request_invalid")

    officer = issue(migrated, Role.COMPLAINT_OFFICER)
    world.tokens["officer"] = officer
    follow = {
        "element": "facilities",
        "text": "Kipas angin dipasang di ruang tunggu bulan Januari.",
    }
    path = f"/venues/{world.venue_id}/survey-follow-ups/{PERIOD}"
    assert api(world, "PUT", path, "proctor", json=follow).status_code == 403
    assert (
        api(world, "PUT", path, "officer", json={**follow, "element": "nothing"}).status_code == 422
    )
    published = api(world, "PUT", path, "officer", json=follow)
    assert published.status_code == 200, published.text
    shown = api(world, "GET", f"/public/ikm/{world.venue_id}?period={PERIOD}", None).json()
    assert shown["follow_up"]["text"] == follow["text"]
    engine = make_engine(migrated)
    try:
        with sealed_sessions(engine)() as db:
            actions = db.scalars(
                select(AuditRecord.action).where(
                    AuditRecord.subject_id == str(uuid.UUID(world.venue_id))
                )
            ).all()
    finally:
        engine.dispose()
    assert "survey.follow_up_published" in actions
