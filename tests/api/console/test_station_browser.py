"""The station page in a real browser (Debian's chromium, driven by Playwright): the questions
show while the exam runs, and the same open page replaces them with the notice in Bahasa
Indonesia the moment the exam pauses. Screenshots go to test-artifacts/."""

from __future__ import annotations

import uuid

from proctor.access.tokens import Role
from proctor.api.app import create_app
from tests.support.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium
from tests.support.database import migrate
from tests.support.helpers import post_mismatches, running_attempt
from tests.support.live import threaded_server
from tests.support.world import FakeReader, issue, service_settings

pytestmark = needs_chromium


def test_the_questions_stop_when_the_exam_pauses(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    station_id, attempt_id = running_attempt(url)
    token = issue(url, Role.STATION, station_id=uuid.UUID(station_id))
    app = create_app(service_settings(url, tmp_path), reader=FakeReader())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with threaded_server(app) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1366, "height": 768})
            page.goto(f"{base}/station/{station_id}#token={token}")
            expect(page.locator("#exam")).to_be_visible(timeout=10_000)
            expect(page.locator("#notice")).to_be_hidden()
            assert "#token" not in page.url  # the token leaves the address bar at once
            page.screenshot(path=ARTIFACTS / "station-running.png")

            assert post_mismatches(base, station_id, attempt_id, token)["state"] == "paused"

            # The same open page, without a reload: the stream delivered the pause.
            expect(page.locator("#exam")).to_be_hidden(timeout=5_000)
            expect(page.locator("#notice")).to_be_visible()
            expect(page.locator("#notice-id")).to_contain_text(
                "Soal disembunyikan sampai pengawas memverifikasi ulang identitas Anda"
            )
            page.screenshot(path=ARTIFACTS / "station-paused.png")
        finally:
            browser.close()
