"""The web console's login, CSRF and review pages (HTTP level; the browser test drives the same
pages in chromium). On SQLite and PostgreSQL."""

from __future__ import annotations

import re
import uuid

from sqlalchemy import create_engine, text

from proctor.access.tokens import Role
from tests.support.helpers import audit_actions, obs, post_batch, running
from tests.support.sealing import sealed_sessions
from tests.support.world import World, issue


def login(world: World, token: str):
    return world.client.post("/console/login", data={"token": token}, follow_redirects=False)


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def state_on(html: str) -> str:
    """The raw state a page shows (people read its label)."""
    return re.search(r'id="(?:state|status)" data-state="([^"]+)"', html).group(1)


def test_login_csrf_logout_and_audit(world: World, migrated: str):
    assert world.client.get("/console/reviews", follow_redirects=False).headers["location"] == (
        "/console/login"
    )
    failed = login(world, "prt_wrong")
    assert failed.headers["location"] == "/console/login?failed=token"
    station = login(world, world.tokens["station"])
    assert station.headers["location"].endswith("failed=token")  # stations have no console

    ok = login(world, world.tokens["proctor"])
    assert ok.status_code == 303
    cookie = ok.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    page = world.client.get("/console/reviews")
    assert page.status_code == 200 and "no-store" in page.headers["cache-control"]
    assert "default-src 'self'" in page.headers["content-security-policy"]

    refused = world.client.post("/console/logout", data={"csrf": "forged"})
    assert refused.status_code == 403 and 'data-code="csrf_invalid"' in refused.text
    assert "Formulir sudah kedaluwarsa" in refused.text  # said to a person, in Indonesian
    out = world.client.post(
        "/console/logout", data={"csrf": csrf_of(page.text)}, follow_redirects=False
    )
    assert out.headers["location"] == "/console/login"
    world.client.cookies.set("proctor_console", cookie.split(";")[0].split("=", 1)[1])
    assert world.client.get("/console/reviews", follow_redirects=False).status_code == 303
    actions = audit_actions(migrated)
    assert actions.count("console.login_failed") == 2
    assert "console.login" in actions and "console.logout" in actions


def test_a_proctor_reviews_an_incident_in_the_console(world: World, migrated: str):
    running(world)
    incident = post_batch(world, [obs(i, 0.1) for i in range(3)]).json()["incident_id"]
    second = issue(
        migrated, Role.PROCTOR, label="Budi Santoso, JKT-01", venue_id=uuid.UUID(world.venue_id)
    )

    login(world, world.tokens["proctor"])
    queue = world.client.get("/console/reviews").text
    assert f"/console/incidents/{incident}" in queue
    page = world.client.get(f"/console/incidents/{incident}")
    assert "<svg" in page.text and 'class="below"' in page.text  # the scores under the line
    assert 'id="pause-mark"' in page.text and "ambang 50" in page.text  # one scale, 50 = line
    assert page.text.count("<circle") == 3 and "sface 0.100" in page.text  # engine's own score
    images = re.findall(r'src="(/console/evidence/[^"]+)"', page.text)
    assert images and world.client.get(images[0]).headers["cache-control"] == "private, no-store"

    def act(**form: str):
        html = world.client.get(f"/console/incidents/{incident}").text
        return world.client.post(
            f"/console/incidents/{incident}/act", data={"csrf": csrf_of(html), **form},
            follow_redirects=False,
        )  # fmt: skip

    assert act(action="start", reason="short").headers["location"].endswith("error=reason_required")
    act(action="start", reason="taking this one up now")
    act(action="decide", decision="confirmed_proxy", reason="both snapshots show another man")
    again = act(action="decide", decision="confirmed_proxy", reason="both snapshots again")
    assert again.headers["location"].endswith("error=second_reviewer_required")

    world.client.cookies.clear()
    login(world, second)
    act(action="decide", decision="confirmed_proxy", reason="I agree: another person")
    final = world.client.get(f"/console/incidents/{incident}").text
    assert 'id="status" data-state="confirmed_proxy">Joki terbukti<' in final
    assert 'data-action="proposed_proxy">Usulan joki' in final
    assert ">Budi Santoso, JKT-01</span>" in final  # the second reviewer by their token's label
    other = world.client.post("/console/login", data={"token": world.tokens["other_proctor"]})
    assert other.status_code == 200
    assert world.client.get(f"/console/incidents/{incident}").status_code == 403


def test_public_pages_and_the_audit_browser(world: World, migrated: str):
    form = {"category": "facilities", "subject": "No water", "description": "The taps are dry.",
            "contact": "siti@example.org"}  # fmt: skip
    filed = world.client.post("/public/complaint", data=form)
    number = re.search(r'id="tracking">([^<]+)<', filed.text).group(1)
    status = world.client.get("/public/status", params={"number": number.lower()})
    assert state_on(status.text) == "received" and "siti@example.org" not in status.text
    assert (
        "Nomor tidak ditemukan"
        in world.client.get("/public/status", params={"number": "PGD-AAAA-BBBB-CCCC"}).text
    )
    bad = world.client.post("/public/complaint", data={**form, "category": "gossip"})
    assert 'class="error"' in bad.text

    receipt_page = world.client.post(
        "/public/wbs", data={"category": "other", "subject": "s", "description": "d"}
    )
    assert receipt_page.headers["cache-control"] == "no-store"
    receipt = re.search(r'id="receipt">([^<]+)<', receipt_page.text).group(1)
    followed = world.client.post("/public/wbs/follow", data={"receipt": receipt})
    assert state_on(followed.text) == "received"

    login(world, world.tokens["proctor"])
    assert world.client.get("/console/audit").status_code == 403
    world.client.cookies.clear()
    login(world, world.tokens["committee"])
    page = world.client.get("/console/audit", params={"action": "complaint."})
    assert "complaint.received" in page.text
    world.client.post("/console/audit/verify", data={"csrf": csrf_of(page.text)})
    page = world.client.get("/console/audit", params={"action": "complaint."})
    assert 'id="chain" class="ok"' in page.text and 'id="checked-at"' in page.text
    csv_text = world.client.get("/console/audit.csv", params={"action": "complaint."}).text
    rows = csv_text.strip().splitlines()
    assert rows[0].startswith("id,at,actor,action") and len(rows) == 2


def test_the_station_grid_shows_each_stations_state(world: World):
    running(world)
    post_batch(world, [obs(1, 0.95), obs(2, 0.97)])
    stream = world.client.get("/console/stations/events", follow_redirects=False)
    assert stream.headers["location"] == "/console/login"  # refused before it streams
    login(world, world.tokens["proctor"])
    polled = world.client.get("/console/stations.json").json()
    rows = polled["rows"]
    assert [(r["code"], r["state"], r["last_score"], r["participant"]) for r in rows] == [
        ("PC-01", "in_progress", 0.97, "2026000001")
    ]
    assert rows[0]["candidate_name"] == "Siti Rahma"
    photo = f"/console/attempts/{world.attempt_id}/photos/{rows[0]['photo_id']}"
    assert world.client.get(photo).headers["content-type"].startswith("image/")
    assert rows[0]["remaining_text"].startswith("1:39:") or rows[0]["remaining_text"] == "1:40:00"
    assert polled["summary"] == {"stations": 1, "flagged": 0, "in_progress": 1}
    assert rows[0]["quiet"] is True  # no heartbeat yet
    assert rows[0]["state_label"] == "Sedang ujian"  # Bahasa Indonesia unless switched
    page = world.client.get("/console/stations")
    assert 'data-station="' in page.text and "/static/grid.js" in page.text
    assert 'data-state="in_progress">Sedang ujian<' in page.text
    world.client.get("/console/lang/en")
    english = world.client.get("/console/stations.json").json()["rows"][0]
    assert english["state_label"] == "In progress" and english["state"] == "in_progress"
    world.client.get("/console/lang/id")
    world.client.cookies.clear()
    login(world, world.tokens["other_proctor"])
    other = world.client.get("/console/stations.json").json()["rows"]
    assert [r["state"] for r in other] == ["idle"]  # their own venue's station only
    world.client.cookies.clear()
    login(world, world.tokens["committee"])
    assert "JKT-01" in world.client.get("/console/stations").text  # a venue list first
    chosen = world.client.get("/console/stations.json", params={"venue_id": world.venue_id})
    assert chosen.json()["rows"][0]["state"] == "in_progress"


def test_officer_and_custodian_pages(world: World, migrated: str, tmp_path):
    from datetime import timedelta

    from fastapi.testclient import TestClient

    from proctor.api.app import create_app
    from proctor.cases import complaints, whistleblowing
    from proctor.cases.complaints import Category, Channel, NewComplaint
    from proctor.cases.deadlines import ComplaintRules
    from proctor.clock import utcnow
    from proctor.store.database import make_engine
    from tests.support.world import FakeReader, service_settings

    private, public = whistleblowing.generate_custodian_keys()
    engine = make_engine(migrated)
    with sealed_sessions(engine)() as s:
        new = NewComplaint(Channel.PHONE, Category.FACILITIES, "No water", "Taps are dry.")
        late = complaints.receive(
            s, new, ComplaintRules(), actor="t", now=utcnow() - timedelta(days=4)
        )
        filed = whistleblowing.file_report(
            s, category=Category.OTHER, subject="Bribe", description="At gate 2.",
            rules=ComplaintRules(), identity="Rudi, 0812", custodian_public_key=public,
        )  # fmt: skip
        s.commit()
        late_id, report_id = late.id, filed.report.id
    engine.dispose()
    officer = issue(migrated, Role.COMPLAINT_OFFICER)
    custodian = issue(migrated, Role.CUSTODIAN)
    app = create_app(
        service_settings(migrated, tmp_path, custodian_public_key=public), reader=FakeReader()
    )
    with TestClient(app) as client:
        client.post("/console/login", data={"token": officer})
        queue = client.get("/console/complaints").text
        assert 'class="overdue"' in queue and str(late_id) in queue

        def act(kind: str, case_id, **form: str):
            html = client.get(f"/console/{kind}/{case_id}").text
            return client.post(
                f"/console/{kind}/{case_id}/act", data={"csrf": csrf_of(html), **form},
                follow_redirects=False,
            )  # fmt: skip

        assert (
            act("complaints", late_id, action="shred")
            .headers["location"]
            .endswith("error=request_invalid")
        )
        assert (
            act("complaints", late_id, action="classify", track="someday")
            .headers["location"]
            .endswith("error=request_invalid")
        )
        page = client.get(f"/console/complaints/{late_id}").text
        assert (
            client.post(
                f"/console/letters/{late_id}/act", data={"csrf": csrf_of(page), "action": "reply"}
            ).status_code
            == 404
        )
        act("complaints", late_id, action="reply", body="We sent a plumber.", public="on")
        assert (
            act("complaints", late_id, action="close")
            .headers["location"]
            .endswith("error=resolution_required")
        )
        act("complaints", late_id, action="resolve", note="The taps work again since 10:00.")
        act("complaints", late_id, action="close")
        page = client.get(f"/console/complaints/{late_id}").text
        assert state_on(page) == "closed" and "We sent a plumber." in page
        wbs_page = client.get(f"/console/wbs/{report_id}").text
        assert "Rudi" not in wbs_page and 'id="reveal-form"' not in wbs_page  # officers cannot

        client.cookies.clear()
        client.post("/console/login", data={"token": custodian})
        html = client.get(f"/console/wbs/{report_id}").text
        form = {"csrf": csrf_of(html), "justification": "court order 12/2026 names a witness"}
        other, _ = whistleblowing.generate_custodian_keys()
        wrong = client.post(f"/console/wbs/{report_id}/reveal", data={**form, "private_key": other},
                            follow_redirects=False)  # fmt: skip
        assert wrong.headers["location"].endswith("error=custodian_key_wrong")
        shown = client.post(
            f"/console/wbs/{report_id}/reveal", data={**form, "private_key": private}
        )
        assert 'id="identity">Rudi, 0812<' in shown.text
        assert shown.headers["cache-control"] == "no-store"
        assert client.get("/console/complaints").status_code == 403
    assert "wbs_report.identity_revealed" in audit_actions(migrated)


def test_statistics_per_venue_and_session(world: World, migrated: str):
    running(world)
    incident = post_batch(world, [obs(i, 0.1) for i in range(3)]).json()["incident_id"]
    from proctor.review import review
    from proctor.review.review import ReviewState
    from proctor.store.database import make_engine
    from proctor.store.evidence import Incident

    engine = make_engine(migrated)
    with sealed_sessions(engine)() as s:
        found = s.get(Incident, uuid.UUID(incident))
        review.start_review(s, found, actor="p:1", reason="taking this one up now")
        review.decide(
            s, found, ReviewState.FALSE_ALARM, actor="p:1", reason="the same man, bad light"
        )
        s.commit()
    engine.dispose()
    login(world, world.tokens["committee"])
    page = world.client.get("/console/stats")
    assert page.status_code == 200 and 'id="stats-chart"' in page.text
    bars = dict(re.findall(r'data-series="([a-z_]+)" data-value="(\d+)"', page.text))
    assert bars == {"checkpoint_failures": "0", "pauses": "1", "confirmed_proxies": "0",
                    "false_alarms": "1"}  # fmt: skip
    assert ">24/11/2026<" in page.text  # the session's day, under its bars
    weekly = page.text[page.text.index('id="weekly-chart"') :]
    assert ">23/11<" in weekly and ">sesi: 1<" in weekly  # its week, from Monday, one session
    for params, kept in (
        ({"venue": "JKT-01"}, True),
        ({"venue": "SBY-01"}, False),
        ({"since": "24/11/2026", "until": "24/11/2026"}, True),
        ({"since": "25/11/2026"}, False),
        ({"until": "23/11/2026"}, False),
    ):
        chosen = world.client.get("/console/stats", params=params).text
        assert ('id="empty"' not in chosen) is kept, params
        exported = world.client.get("/console/stats.csv", params=params).text.strip()
        assert len(exported.splitlines()) == (2 if kept else 1), params
    rows = world.client.get("/console/stats.csv").text.strip().splitlines()
    assert rows[0].startswith("venue,session,attempts,checkpoint_failures,pauses")
    assert rows[1].startswith("JKT-01,S1,1,0,1,0,1,0,")
    world.client.cookies.clear()
    login(world, world.tokens["proctor"])
    assert world.client.get("/console/stats.csv").status_code == 403


def test_the_desk_checks_in_reverifies_and_resumes(world: World):
    from tests.support.helpers import start
    from tests.support.world import BLUE, RED, colour_photo

    login(world, world.tokens["proctor"])
    desk = world.client.get("/console/desk").text
    assert f"/console/attempts/{world.attempt_id}" in desk
    page = world.client.get(f"/console/attempts/{world.attempt_id}").text
    photo_url = re.search(r'src="(/console/attempts/[^"]+/photos/[^"]+)"', page).group(1)
    assert world.client.get(photo_url).headers["cache-control"] == "private, no-store"

    def send_photo(data: bytes, kind: str):
        html = world.client.get(f"/console/attempts/{world.attempt_id}").text
        return world.client.post(
            f"/console/attempts/{world.attempt_id}/photo",
            data={"csrf": csrf_of(html), "kind": kind},
            files={"photo": ("desk.png", data, "image/png")},
            follow_redirects=False,
        )

    # A dark photo of someone else: a retake, and the desk reads what to change.
    retake = send_photo(colour_photo((35, 0, 0)), "check_in").headers["location"]
    assert "result=quality_rejected&checkpoint=" in retake
    page = world.client.get(retake).text
    assert 'data-code="too_dark"' in page and "tambahkan cahaya" in page
    matched = send_photo(colour_photo(RED), "check_in").headers["location"]
    assert "result=match&checkpoint=" in matched
    assert state_on(world.client.get(f"/console/attempts/{world.attempt_id}").text) == "checked_in"
    assert start(world, colour_photo(RED)).json()["attempt"]["state"] == "in_progress"
    post_batch(world, [obs(i, 0.1) for i in range(3)])
    assert "result=no_match&" in send_photo(colour_photo(BLUE), "reverify").headers["location"]
    assert (
        send_photo(b"not an image", "reverify")
        .headers["location"]
        .endswith("error=image_unreadable")
    )
    html = world.client.get(f"/console/attempts/{world.attempt_id}").text
    assert state_on(html) == "paused"
    short = world.client.post(
        f"/console/attempts/{world.attempt_id}/resume",
        data={"csrf": csrf_of(html), "reason": "ok"}, follow_redirects=False,
    )  # fmt: skip
    assert "error=" in short.headers["location"]
    world.client.post(
        f"/console/attempts/{world.attempt_id}/resume",
        data={"csrf": csrf_of(html), "reason": "ID card checked at the desk, same person"},
    )  # fmt: skip
    page = world.client.get(f"/console/attempts/{world.attempt_id}").text
    assert state_on(page) == "in_progress"
    world.client.cookies.clear()
    login(world, world.tokens["other_proctor"])
    assert world.client.get(f"/console/attempts/{world.attempt_id}").status_code == 403


def test_console_errors_are_pages_in_the_readers_language(world: World):
    login(world, world.tokens["proctor"])
    missing = world.client.get(f"/console/incidents/{uuid.uuid4()}")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("text/html")
    assert 'data-code="not_found"' in missing.text and "tidak ditemukan" in missing.text
    assert "default-src 'self'" in missing.headers["content-security-policy"]
    bad_id = world.client.get("/console/incidents/not-an-id")
    assert bad_id.status_code == 422 and 'data-code="request_invalid"' in bad_id.text
    nowhere = world.client.get("/console/nowhere")
    assert nowhere.status_code == 404 and 'data-code="not_found"' in nowhere.text
    assert world.client.get("/public/nowhere").headers["content-type"].startswith("text/html")

    world.client.get("/console/lang/en")
    forbidden = world.client.get("/console/audit")
    assert forbidden.status_code == 403 and "You are not allowed" in forbidden.text

    # What scripts and other programs fetch keeps the API's JSON errors.
    world.client.cookies.clear()
    login(world, world.tokens["committee"])
    needs_venue = world.client.get("/console/stations.json")
    assert needs_venue.status_code == 422 and needs_venue.json()["code"] == "request_invalid"
    api = world.client.get(f"/api/v1/incidents/{uuid.uuid4()}/packet")
    assert api.status_code == 401 and api.json()["code"] == "unauthenticated"


def test_the_audit_page_shows_a_broken_chain_after_a_check(world: World, migrated: str):
    login(world, issue(migrated, Role.COMMITTEE, label="Panitia: Dr. Sari"))
    page = world.client.get("/console/audit").text
    assert re.search(r'class="actor" title="committee:[^"]+">Panitia: Dr. Sari<', page)
    forged = world.client.post("/console/audit/verify", data={"csrf": "forged"})
    assert forged.status_code == 403
    world.client.post("/console/audit/verify", data={"csrf": csrf_of(page)})
    engine = create_engine(migrated)
    with engine.begin() as connection:
        victim = connection.execute(text("SELECT min(id) FROM audit_records")).scalar_one()
        connection.execute(
            text("UPDATE audit_records SET actor = 'admin:x' WHERE id = :id"), {"id": victim}
        )
    engine.dispose()
    # The page shows the service's last check until someone checks again.
    world.client.post("/console/audit/verify", data={"csrf": csrf_of(page)})
    broken = world.client.get("/console/audit").text
    assert 'class="error" data-problem="modified"' in broken
    assert f'data-record="{victim}"' in broken
    history = broken[broken.index('id="checks"') :]
    assert history.count("Panitia: Dr. Sari") >= 2 and f"modified #{victim}" in history


def test_the_grid_reads_the_newest_score_and_costs_the_same_for_any_venue_size(world: World):
    from sqlalchemy import event

    running(world)
    post_batch(world, [obs(3, 0.95), obs(4, None, faces=0), obs(5, 0.91)])
    post_batch(world, [obs(2, 0.4)])  # a late, older batch does not replace the newest score
    login(world, world.tokens["proctor"])
    engine = world.client.app.state.proctor.db
    statements: list[str] = []

    def count(_conn, _cursor, statement: str, *_args) -> None:
        # The service's own audit head round runs meanwhile, on its own schedule.
        if "audit_" not in statement and "advisory" not in statement:
            statements.append("query")

    def polled() -> tuple[list[dict], int]:
        statements.clear()
        event.listen(engine, "before_cursor_execute", count)
        try:
            rows = world.client.get("/console/stations.json").json()["rows"]
        finally:
            event.remove(engine, "before_cursor_execute", count)
        return rows, len(statements)

    rows, one_station = polled()
    assert [(r["last_score"], r["flags"]) for r in rows] == [(0.91, ["mismatch"])]
    admin = world.as_("admin")
    for code in ("PC-02", "PC-03", "PC-04", "PC-05"):
        made = world.client.post(
            f"/api/v1/venues/{world.venue_id}/stations", json={"code": code}, headers=admin
        )
        assert made.status_code == 201
    rows, five_stations = polled()
    assert [r["state"] for r in rows] == ["in_progress", "idle", "idle", "idle", "idle"]
    assert five_stations == one_station  # no query per station
