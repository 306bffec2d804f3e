"""The public pages as a candidate or a member of the public meets them: their own titles, what
each channel is for, no category chosen for them, what they typed kept after a mistake, and
plain words where nothing has happened yet. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
import uuid

from fastapi.testclient import TestClient

from proctor.access.tokens import Role
from proctor.api.app import create_app
from tests.api.console.test_console import csrf_of, login
from tests.support.helpers import obs, post_batch, running
from tests.support.world import FakeReader, World, issue, service_settings


def _title(html: str) -> str:
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1)


def test_each_page_has_its_title_and_the_channels_are_introduced(client: TestClient):
    index = client.get("/public").text
    assert "Konsol Proctor" not in _title(index) and "Layanan Pengaduan" in _title(index)
    for path in ("/public/complaint", "/public/status", "/public/wbs", "/public/wbs/follow"):
        assert _title(client.get(path).text) != _title(index), path
    for channel in ("complaint", "status", "wbs", "follow"):
        assert f'id="channel-{channel}"' in index
    assert "Meja pengaduan" in index and 'id="contact-whatsapp"' not in index  # none configured
    assert 'id="zone"' not in index and 'href="/console"' not in index  # not the staff's bar


def test_configured_contacts_are_shown(migrated: str, tmp_path):
    settings = service_settings(
        migrated, tmp_path, public_contacts={"whatsapp": "0811-1234-5678", "email": "aduan@x.id"}
    )
    with TestClient(create_app(settings, reader=FakeReader())) as client:
        index = client.get("/public").text
    assert "0811-1234-5678" in index and "aduan@x.id" in index and 'id="contact-phone"' not in index


def test_no_category_is_chosen_and_a_mistake_keeps_what_was_typed(client: TestClient):
    form = client.get("/public/complaint").text
    selected = re.findall(r'<option value="([^"]*)"[^>]*selected', form)
    assert selected == [""]  # only the "choose a category" prompt, which cannot be sent
    assert form.count('for="category"') == 1
    typed = {"subject": "Antrean panjang", "description": "Dua jam di luar.", "name": "Ani"}
    refused = client.post("/public/complaint", data=typed)  # no category chosen
    assert 'id="invalid"' in refused.text and "Antrean panjang" in refused.text
    assert "Dua jam di luar." in refused.text and 'value="Ani"' in refused.text
    wbs = client.post("/public/wbs", data={"subject": "Suap", "description": "d",
                                          "identity": "Budi 0812"})  # fmt: skip
    assert 'id="receipt"' not in wbs.text and "Suap" in wbs.text
    assert "Budi 0812" not in wbs.text  # an identity is never written back into a page


def test_a_new_complaint_says_it_has_no_answer_yet(client: TestClient):
    filed = client.post("/public/complaint", data={"category": "service", "subject": "Antrean",
                                                   "description": "Lama sekali."})  # fmt: skip
    number = re.search(r'id="tracking">([^<]+)<', filed.text).group(1)
    status = client.get("/public/status", params={"number": number}).text
    assert 'id="no-replies"' in status and "Belum ada jawaban" in status


def test_the_complaint_a_confirmed_proxy_opens_is_in_indonesian(world: World, migrated: str):
    running(world)
    incident = post_batch(world, [obs(i, 0.1) for i in range(3)]).json()["incident_id"]
    second = issue(migrated, Role.PROCTOR, venue_id=uuid.UUID(world.venue_id))
    for token, steps in ((world.tokens["proctor"], ("start", "decide")), (second, ("decide",))):
        world.client.cookies.clear()
        login(world, token)
        for action in steps:
            html = world.client.get(f"/console/incidents/{incident}").text
            world.client.post(
                f"/console/incidents/{incident}/act",
                data={"csrf": csrf_of(html), "action": action, "decision": "confirmed_proxy",
                      "reason": "another person on both snapshots"},
            )  # fmt: skip
    admin = {"Authorization": f"Bearer {world.tokens['admin']}"}
    opened = world.client.get("/api/v1/complaints", headers=admin).json()
    assert [c["subject"] for c in opened] == ["Joki terbukti untuk peserta 2026000001"]
