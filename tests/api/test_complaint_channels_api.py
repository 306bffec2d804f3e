"""The complaint channels an officer enters with their trace (the complaint box's slip with
its photo, a social media post) and the SP4N-LAPOR! exchange over HTTP: the same procedure,
deadlines and survey as every complaint, each role's rights. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from typing import Any

from proctor.access.tokens import Role
from proctor.store.database import make_engine
from proctor.survey.rules import SurveyRules
from tests.support.dump import database_dump
from tests.support.sealing import sealed_sessions
from tests.support.world import World, issue, jpeg

SLIP = jpeg((30, 140, 200), size=120)
BOX = {
    "category": "facilities", "subject": "AC ruang ujian mati",
    "description": "Ruang 2 panas sekali selama sesi pagi.", "box_opened_on": "2026-11-27",
    "box_opened_by": "Ketua panitia dan saksi",
}  # fmt: skip
POST = {
    "category": "service", "subject": "Antrean parkir",
    "description": "Antrean parkir sampai jalan raya.",
    "post_url": "https://x.com/warga/status/1890001", "account_name": "@warga_jkt",
}  # fmt: skip


def api(world: World, method: str, path: str, who: str | None, **kwargs: Any) -> Any:
    return world.client.request(
        method, f"/api/v1{path}", headers=world.as_(who) if who else {}, **kwargs
    )


def officer(world: World, migrated: str) -> None:
    world.tokens["officer"] = issue(migrated, Role.COMPLAINT_OFFICER)


def box_slip(world: World, photo: bytes = SLIP, **fields: str) -> Any:
    return api(
        world, "POST", "/complaints/box", "officer",
        data={**BOX, "venue_id": world.venue_id, **fields},
        files={"photo": ("slip.jpg", photo, "image/jpeg")},
    )  # fmt: skip


def test_a_slip_from_the_complaint_box(world: World, migrated: str):
    officer(world, migrated)
    entered = box_slip(world)
    assert entered.status_code == 201, entered.text
    case = entered.json()
    assert (case["channel"], case["box_opened_on"], case["box_opened_by"]) == (
        "complaint_box", "2026-11-27", "Ketua panitia dan saksi"
    )  # fmt: skip
    assert case["state"] == "received" and case["tracking_number"].startswith("PGD-")
    slip = api(world, "GET", case["slip_url"].removeprefix("/api/v1"), "officer")
    assert (slip.content, slip.headers["cache-control"]) == (SLIP, "private, no-store")
    assert (
        api(world, "GET", case["slip_url"].removeprefix("/api/v1"), "committee").status_code == 200
    )
    assert api(world, "GET", case["slip_url"].removeprefix("/api/v1"), "proctor").status_code == 403
    # The photo is sealed at rest like every image.
    engine = make_engine(migrated)
    with sealed_sessions(engine)() as db:
        assert SLIP[200:264] not in database_dump(db, migrated).encode("latin-1", "replace")
    engine.dispose()


def test_a_slip_needs_its_photo_and_its_opening(world: World, migrated: str):
    officer(world, migrated)
    tomorrow = (datetime.now(UTC) + timedelta(days=2)).date().isoformat()
    future = box_slip(world, box_opened_on=tomorrow)
    assert (future.status_code, future.json()["code"]) == (422, "request_invalid")
    corrupt = box_slip(world, photo=SLIP[:300])
    assert corrupt.status_code == 422 and corrupt.json()["code"].startswith("image_")
    not_a_picture = box_slip(world, photo=b"%PDF-1.4 minutes of the opening")
    assert (not_a_picture.status_code, not_a_picture.json()["code"]) == (422, "image_unsupported")
    no_photo = api(world, "POST", "/complaints/box", "officer", data=BOX)
    assert no_photo.status_code == 422
    told = {k: BOX[k] for k in ("category", "subject", "description")}
    plain = api(world, "POST", "/complaints", "officer", json={**told, "channel": "complaint_box"})
    assert (plain.status_code, plain.json()["code"]) == (422, "request_invalid")
    assert box_slip(world, photo=SLIP).status_code == 201
    proctor = api(
        world, "POST", "/complaints/box", "proctor", data=BOX,
        files={"photo": ("slip.jpg", SLIP, "image/jpeg")},
    )  # fmt: skip
    assert proctor.status_code == 403
    listed = api(world, "GET", "/complaints", "officer").json()
    assert len(listed) == 1  # the refused ones left nothing behind


def test_a_social_media_post(world: World, migrated: str):
    officer(world, migrated)
    first = api(
        world, "POST", "/complaints/social", "officer", json={**POST, "venue_id": world.venue_id}
    )
    assert first.status_code == 201, first.text
    case = first.json()
    assert (case["channel"], case["post_url"], case["account_name"]) == (
        "social_media", POST["post_url"], "@warga_jkt"
    )  # fmt: skip
    again = api(
        world, "POST", "/complaints/social", "officer", json={**POST, "venue_id": world.venue_id}
    )
    assert again.json()["tracking_number"] == case["tracking_number"]  # the same post
    bad = api(
        world,
        "POST",
        "/complaints/social",
        "officer",
        json={**POST, "post_url": "javascript:alert(1)"},
    )
    assert (bad.status_code, bad.json()["code"]) == (422, "request_invalid")
    assert api(world, "POST", "/complaints/social", "committee", json=POST).status_code == 403
    figures = api(world, "GET", f"/public/ikm/{world.venue_id}", None).json()["complaints"]
    assert {"channel": "social_media", "received": 1, "answered_on_time": 0, "closed": 0} in figures


def test_the_lapor_exchange_over_http(world: World, migrated: str):
    officer(world, migrated)
    reports = [
        {"tracking_id": "7000001", "title": "Lokasi ujian sulit dicari",
         "content": "Tidak ada petunjuk arah di gerbang.", "venue_code": "JKT-01"},
        {"tracking_id": "7000002", "title": "Jadwal berubah", "content": "Tanpa pemberitahuan."},
    ]  # fmt: skip
    file = {"file": ("lapor.json", json.dumps(reports).encode(), "application/json")}
    done = api(world, "POST", "/complaints/lapor/imports", "officer", files=file)
    assert done.status_code == 201, done.text
    assert (done.json()["imported"], done.json()["duplicates"]) == (2, 0)
    repeat = api(world, "POST", "/complaints/lapor/imports", "officer", files=file).json()
    assert (repeat["imported"], repeat["duplicates"]) == (0, 2)
    broken = {"file": ("lapor.csv", b"tracking_id,title\n7000003,x\n", "text/csv")}
    refused = api(world, "POST", "/complaints/lapor/imports", "officer", files=broken)
    assert (refused.status_code, refused.json()["code"]) == (422, "lapor_file_invalid")
    assert refused.json()["rows"][0]["row"] == 1
    assert api(world, "POST", "/complaints/lapor/imports", "proctor", files=file).status_code == 403

    number = done.json()["tracking_numbers"][0]
    (case,) = [
        c
        for c in api(world, "GET", "/complaints", "officer").json()
        if c["tracking_number"] == number
    ]
    detail = api(world, "GET", f"/complaints/{case['id']}", "officer").json()
    assert (detail["channel"], detail["lapor_tracking_id"]) == ("lapor", "7000001")
    api(
        world,
        "POST",
        f"/complaints/{case['id']}/messages",
        "officer",
        json={"body": "Papan arah dipasang."},
    )
    api(
        world,
        "POST",
        f"/complaints/{case['id']}/resolve",
        "officer",
        json={"note": "Papan arah dipasang di gerbang."},
    )
    api(world, "POST", f"/complaints/{case['id']}/close", "officer")
    out = api(world, "GET", "/complaints/lapor/updates", "committee")
    assert out.status_code == 200 and "attachment" in out.headers["content-disposition"]
    updates = out.json()["updates"]
    mine = [u for u in updates if u["lapor_tracking_id"] == "7000001"]
    assert [u["state"] for u in mine if u["kind"] == "status"] == [
        "received", "in_progress", "resolved", "closed"
    ]  # fmt: skip
    as_csv = api(world, "GET", "/complaints/lapor/updates?format=csv", "officer")
    rows = list(csv.DictReader(io.StringIO(as_csv.text)))
    assert [r["kind"] for r in rows] == [u["kind"] for u in updates]
    # The complainant from LAPOR! answers the same survey once the complaint is closed.
    scores = {e.code: 4 for e in SurveyRules().elements}
    survey = api(
        world, "POST", f"/public/complaints/{number}/survey", None, json={"scores": scores}
    )
    assert survey.status_code == 201


def test_the_case_page_shows_where_a_complaint_came_from(world: World, migrated: str):
    from tests.api.console.test_console import login

    officer(world, migrated)
    slip = box_slip(world).json()
    post = api(world, "POST", "/complaints/social", "officer", json=POST).json()
    login(world, world.tokens["officer"])
    page = world.client.get(f"/console/complaints/{slip['id']}").text
    assert 'id="slip"' in page
    assert "Kotak dibuka 27/11/2026 &middot; Ketua panitia dan saksi" in page
    assert world.client.get(f"/console/complaints/{slip['id']}/slip").content == SLIP
    shown = world.client.get(f"/console/complaints/{post['id']}").text
    assert 'rel="noopener noreferrer nofollow"' in shown and "@warga_jkt" in shown
    assert world.client.get(f"/console/complaints/{post['id']}/slip").status_code == 404
    world.client.cookies.clear()
    login(world, world.tokens["proctor"])
    assert world.client.get(f"/console/complaints/{slip['id']}/slip").status_code == 403


def test_officers_enter_every_channel_in_the_console(world: World, migrated: str):
    from tests.api.console.test_console import csrf_of, login

    officer(world, migrated)
    login(world, world.tokens["officer"])
    assert 'id="to-intake"' in world.client.get("/console/complaints").text
    page = world.client.get("/console/intake").text
    assert all(f'for="{kind}-category"' in page for kind in ("told", "box", "social"))
    csrf = csrf_of(page)
    told = {
        "csrf": csrf, "kind": "told", "channel": "phone", "category": "service",
        "subject": "Antrean", "description": "Lama sekali.", "venue_id": world.venue_id,
    }  # fmt: skip
    entered = world.client.post("/console/intake", data=told)
    assert "/console/complaints/" in str(entered.url) and "Telepon" in entered.text
    box = {**told, "kind": "box", "box_opened_on": "2026-11-27", "box_opened_by": "Ketua panitia"}
    no_photo = world.client.post("/console/intake", data=box)
    assert "error=request_invalid" in str(no_photo.url)
    slip = world.client.post(
        "/console/intake", data=box, files={"photo": ("slip.jpg", SLIP, "image/jpeg")}
    )
    assert 'id="slip"' in slip.text
    social = {**told, "kind": "social", "post_url": POST["post_url"], "account_name": "@warga"}
    assert 'id="post"' in world.client.post("/console/intake", data=social).text
    web = world.client.post("/console/intake", data={**told, "channel": "lapor"})
    assert "error=request_invalid" in str(web.url)
    reports = json.dumps([{"tracking_id": "9000001", "title": "Jadwal", "content": "Berubah."}])
    files = {"file": ("lapor.json", reports.encode(), "application/json")}
    imported = world.client.post("/console/intake/lapor", data={"csrf": csrf}, files=files)
    assert 'id="imported"' in imported.text and "1 laporan diimpor, 0" in imported.text
    again = world.client.post("/console/intake/lapor", data={"csrf": csrf}, files=files)
    assert "0 laporan diimpor, 1 sudah" in again.text
    bad = {"file": ("x.csv", b"tracking_id\n1\n", "text/csv")}
    refused = world.client.post("/console/intake/lapor", data={"csrf": csrf}, files=bad)
    assert 'data-code="lapor_file_invalid"' in refused.text
    out = world.client.get("/console/intake/lapor-updates", params={"since": "01/01/2026"})
    assert [u["lapor_tracking_id"] for u in out.json()["updates"]] == ["9000001"]
    channels = {c["channel"] for c in api(world, "GET", "/complaints", "officer").json()}
    assert channels == {"phone", "complaint_box", "social_media", "lapor"}
    world.client.cookies.clear()
    login(world, world.tokens["committee"])
    assert world.client.get("/console/intake").status_code == 403
