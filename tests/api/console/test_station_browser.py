"""The station page in a real browser (Debian's chromium, driven by Playwright): the questions
show while the exam runs, the same open page replaces them with the notice in Bahasa Indonesia
the moment the exam pauses, and asks for the satisfaction survey once the exam is over.
Screenshots go to test-artifacts/."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import httpx2

from proctor.access.tokens import Role
from proctor.api.app import create_app
from tests.support.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, needs_chromium
from tests.support.database import migrate
from tests.support.helpers import post_mismatches, running_attempt
from tests.support.live import threaded_server
from tests.support.world import FakeReader, issue, service_settings

pytestmark = needs_chromium


@dataclass
class Open:
    page: Any
    base: str
    url: str
    station_id: str
    attempt_id: str
    token: str


@contextmanager
def station_page(tmp_path) -> Iterator[Open]:
    """A running exam and its station's page open in chromium, the questions showing."""
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
            yield Open(page, base, url, station_id, attempt_id, token)
        finally:
            browser.close()


def test_the_questions_stop_when_the_exam_pauses(tmp_path):
    from playwright.sync_api import expect

    with station_page(tmp_path) as station:
        page = station.page
        expect(page.locator("#notice")).to_be_hidden()
        assert "#token" not in page.url  # the token leaves the address bar at once
        page.screenshot(path=ARTIFACTS / "station-running.png")

        paused = post_mismatches(
            station.base, station.station_id, station.attempt_id, station.token
        )
        assert paused["state"] == "paused"

        # The same open page, without a reload: the stream delivered the pause.
        expect(page.locator("#exam")).to_be_hidden(timeout=5_000)
        expect(page.locator("#notice")).to_be_visible()
        expect(page.locator("#notice-id")).to_contain_text(
            "Soal disembunyikan sampai pengawas memverifikasi ulang identitas Anda"
        )
        page.screenshot(path=ARTIFACTS / "station-paused.png")


def test_the_station_asks_for_the_survey_when_the_exam_is_over(tmp_path):
    from playwright.sync_api import expect

    with station_page(tmp_path) as station:
        page, base = station.page, station.base
        expect(page.locator("#survey")).to_be_hidden()
        finished = httpx2.post(
            f"{base}/api/v1/attempts/{station.attempt_id}/finish",
            headers={"Authorization": f"Bearer {station.token}"},
        )
        assert finished.json()["state"] == "finished"
        expect(page.locator("#survey")).to_be_visible(timeout=5_000)
        expect(page.locator("#survey fieldset")).to_have_count(9)
        page.click("#survey-send")  # nothing chosen: the browser asks for the answers
        expect(page.locator("#survey-thanks")).to_be_hidden()
        for fieldset in page.locator("#survey fieldset").all():
            fieldset.locator("input").nth(2).check()
        page.screenshot(path=ARTIFACTS / "station-survey.png", full_page=True)
        page.click("#survey-send")
        expect(page.locator("#survey-thanks")).to_be_visible(timeout=5_000)
        expect(page.locator("#survey")).to_be_hidden()
        admin = {"Authorization": f"Bearer {issue(station.url, Role.ADMIN)}"}
        (venue,) = httpx2.get(f"{base}/api/v1/venues", headers=admin).json()
        result = httpx2.get(f"{base}/api/v1/public/ikm/{venue['id']}").json()
        assert (result["respondents"], result["index"]) == (1, "75.00")  # all 3 of 4
