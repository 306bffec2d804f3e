"""The survey's public pages: the questionnaire answered with the exam card's code or a closed
complaint's tracking number (a mistake keeps the choices), and the results per venue and
period in both languages, with the CSV. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io

from proctor.access.tokens import Role
from proctor.survey.rules import SurveyRules
from tests.support.world import World, issue

CODES = [e.code for e in SurveyRules().elements]
ALL_THREE = {f"e_{c}": "3" for c in CODES}


def card_code(world: World) -> str:
    path = f"/api/v1/venues/{world.venue_id}/sessions/{world.session_id}/survey-codes"
    return world.client.get(path, headers=world.as_("proctor")).json()[0]["code"]


def test_the_survey_with_the_exam_card_code(world: World):
    form = world.client.get("/public/survey").text
    assert form.count('type="radio"') == 4 * len(CODES)
    assert "Bagaimana pendapat Saudara tentang kewajaran biaya/tarif" in form
    code = card_code(world)
    # One question left out: refused, the other choices and the code kept.
    partial = {k: v for k, v in ALL_THREE.items() if k != "e_cost"}
    refused = world.client.post("/public/survey", data={"code": code, **partial}).text
    assert 'id="refused"' in refused and f'value="{code}"' in refused
    assert refused.count("checked") == len(CODES) - 1
    sent = world.client.post(
        "/public/survey", data={"code": code, **ALL_THREE, "sex": "female", "education": "x"}
    ).text
    assert 'id="survey-thanks"' in sent
    again = world.client.post("/public/survey", data={"code": code, **ALL_THREE}).text
    assert 'data-code="survey_answered"' in again and "sudah diisi" in again
    unknown = world.client.post("/public/survey", data={"code": "SKM-AAAA-BBBB-CCCC", **ALL_THREE})
    assert 'data-code="survey_code_invalid"' in unknown.text


def test_a_closed_complaint_leads_to_the_survey(world: World, migrated: str):
    filed = world.client.post(
        "/api/v1/public/complaints",
        json={"category": "service", "subject": "Antrean", "description": "Lama sekali.",
              "venue_id": world.venue_id},
    ).json()  # fmt: skip
    number = filed["tracking_number"]
    early = world.client.post("/public/survey", data={"code": number, **ALL_THREE}).text
    assert 'data-code="survey_closed"' in early
    officer = {"Authorization": f"Bearer {issue(migrated, Role.COMPLAINT_OFFICER)}"}
    (case,) = world.client.get("/api/v1/complaints", headers=officer).json()
    world.client.post(
        f"/api/v1/complaints/{case['id']}/resolve", json={"note": "Loket kedua dibuka."},
        headers=officer,
    )  # fmt: skip
    world.client.post(f"/api/v1/complaints/{case['id']}/close", headers=officer)
    status = world.client.get("/public/status", params={"number": number}).text
    assert 'id="survey-prompt"' in status and f"/public/survey?code={number}" in status
    assert f'value="{number}"' in world.client.get(f"/public/survey?code={number}").text
    sent = world.client.post("/public/survey", data={"code": number.lower(), **ALL_THREE}).text
    assert 'id="survey-thanks"' in sent
    page = world.client.get("/public/ikm", params={"venue": world.venue_id}).text
    assert 'id="index">75.00<' in page and 'data-grade="C"' in page
    assert 'id="channels"' in page and "Formulir web" in page


def test_the_results_page_in_both_languages_and_its_csv(world: World):
    world.client.post("/public/survey", data={"code": card_code(world), **ALL_THREE})
    page = world.client.get("/public/ikm", params={"period": "2026-S2"}).text
    assert "Indeks Kepuasan Masyarakat" in page and "Semester II 2026" in page
    assert "75.00" in page and "Kurang baik" in page
    world.client.get("/console/lang/en")
    english = world.client.get("/public/ikm", params={"period": "2026-S2"}).text
    assert "Public satisfaction index" in english and "July-December 2026" in english
    assert "Poor" in english
    detail = world.client.get(
        "/public/ikm", params={"period": "2026-S2", "venue": world.venue_id}
    ).text
    assert "Weakest element" in detail and 'id="no-follow-up"' in detail
    assert 'id="sample-short"' not in detail  # 1 respondent of 1 served: the sample is met
    empty = world.client.get("/public/ikm", params={"period": "2026-S1", "venue": world.venue_id})
    assert 'id="no-answers"' in empty.text
    download = world.client.get("/public/ikm.csv", params={"period": "2026-S2"})
    assert download.headers["content-type"].startswith("text/csv")
    assert 'filename="ikm-2026-S2.csv"' in download.headers["content-disposition"]
    rows = list(csv.DictReader(io.StringIO(download.text)))
    jakarta = next(r for r in rows if r["venue_code"] == "JKT-01")
    assert (jakarta["ikm"], jakarta["grade"], jakarta["respondents"]) == ("75.00", "C", "1")
    assert jakarta["mean_cost"] == "3.00"
    nonsense = world.client.get("/public/ikm", params={"period": "abc", "venue": "not-an-id"})
    assert nonsense.status_code == 200  # falls back to this semester and every venue


def test_officers_publish_the_follow_up_in_the_console(world: World, migrated: str):
    from tests.api.console.test_console import csrf_of, login

    world.client.post("/public/survey", data={"code": card_code(world), **ALL_THREE})
    login(world, issue(migrated, Role.COMPLAINT_OFFICER))
    queue = world.client.get("/console/complaints").text
    assert 'id="to-survey-console"' in queue
    page = world.client.get("/console/survey", params={"period": "2026-S2"}).text
    assert 'id="survey-venues"' in page and "75.00" in page
    form = {"csrf": csrf_of(page), "period": "2026-S2", "venue_id": world.venue_id,
            "element": "facilities", "text": "Kipas angin dipasang di ruang tunggu."}  # fmt: skip
    short = world.client.post("/console/survey/follow-up", data={**form, "text": "soon"})
    assert "error=request_invalid" in str(short.url)
    done = world.client.post("/console/survey/follow-up", data=form)
    assert "Kipas angin dipasang di ruang tunggu." in done.text and "error=" not in str(done.url)
    public = world.client.get(
        "/public/ikm", params={"period": "2026-S2", "venue": world.venue_id}
    ).text
    assert 'id="follow-up"' in public and "Kipas angin dipasang" in public
    forged = world.client.post("/console/survey/follow-up", data={**form, "csrf": "x"})
    assert forged.status_code == 403
    world.client.cookies.clear()
    login(world, world.tokens["committee"])
    read_only = world.client.get("/console/survey", params={"period": "2026-S2"}).text
    assert "Kipas angin" in read_only and "follow-up-form" not in read_only
    world.client.cookies.clear()
    login(world, world.tokens["proctor"])
    assert world.client.get("/console/survey").status_code == 403


def test_no_venue_yet_is_said_in_words(client):
    assert 'id="no-venues"' in client.get("/public/ikm").text
