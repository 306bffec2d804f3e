"""Every console page as an admin sees it, in chromium at 1366x768: each opens without an error
page, its bar fits the width, and its screenshot is kept in test-artifacts/ for people to look
at (the README's standard: look at your pages)."""

from __future__ import annotations

from proctor.access.tokens import Role
from proctor.api.app import create_app
from tests.api.console.test_console_browser import PASSWORD, account
from tests.support.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, VIEWPORT, needs_chromium
from tests.support.database import migrate
from tests.support.helpers import post_mismatches, running_attempt
from tests.support.live import threaded_server
from tests.support.world import FakeReader, colour_photo, issue, jpeg, service_settings

pytestmark = needs_chromium


def test_every_console_page_opens_and_is_photographed(tmp_path):
    import uuid

    from playwright.sync_api import sync_playwright

    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    station_id, attempt_id = running_attempt(url)
    station_token = issue(url, Role.STATION, station_id=uuid.UUID(station_id))
    account(url, "admin1", "Admin Pusat", Role.ADMIN, None)
    app = create_app(service_settings(url, tmp_path), reader=FakeReader())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with threaded_server(app) as base, sync_playwright() as playwright:
        venue_id = _with_registration_photo(base, url, attempt_id)
        stranger = jpeg((60, 90, 200), size=160)
        incident = post_mismatches(base, station_id, attempt_id, station_token, stranger)[
            "incident_id"
        ]
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.goto(f"{base}/console/login")
            page.screenshot(path=ARTIFACTS / "page-login.png")
            page.fill("#username", "admin1")
            page.fill("#password", PASSWORD)
            page.click("#login-password")
            pages = {
                "stations": "/console/stations", "grid": f"/console/stations?venue_id={venue_id}",
                "desk": "/console/desk",
                "attempt": f"/console/attempts/{attempt_id}", "reviews": "/console/reviews",
                "incident": f"/console/incidents/{incident}", "complaints": "/console/complaints",
                "wbs-reports": "/console/wbs", "rings": "/console/rings",
                "survey-console": "/console/survey", "intake": "/console/intake",
                "duplicates": "/console/duplicates", "watchlist": "/console/watchlist",
                "audit": "/console/audit", "stats": "/console/stats",
                "password": "/console/password", "public": "/public",
                "public-complaint": "/public/complaint", "public-status": "/public/status",
                "public-wbs": "/public/wbs", "public-follow": "/public/wbs/follow",
                "public-survey": "/public/survey", "public-ikm": "/public/ikm",
                "public-ikm-venue": f"/public/ikm?venue={venue_id}",
            }  # fmt: skip
            for name, path in pages.items():
                answer = page.goto(f"{base}{path}")
                assert answer is not None and answer.status == 200, (path, answer)
                assert page.locator("#to-console").count() == 0, path  # not the error page
                bar = page.locator("header.bar").bounding_box()
                assert bar is not None and bar["width"] <= VIEWPORT["width"], path
                assert bar["height"] < 50, path  # an admin's every link on one line
                page.screenshot(path=ARTIFACTS / f"page-{name}.png", full_page=True)
            page.goto(f"{base}/console/lang/en")  # and the main pages in English
            for name in ("grid", "reviews", "incident", "audit", "stats", "public", "public-ikm"):
                page.goto(f"{base}{pages[name]}")
                assert page.locator("html").get_attribute("lang") == "en", name
                assert page.locator("header.bar").bounding_box()["height"] < 50, name
                page.screenshot(path=ARTIFACTS / f"page-{name}-en.png", full_page=True)
        finally:
            browser.close()


def _with_registration_photo(base: str, url: str, attempt_id: str) -> str:
    """Enrol a registration photo for the attempt's candidate (the grid shows it beside the
    live picture); returns the venue's id."""
    import httpx2

    admin = {"Authorization": f"Bearer {issue(url, Role.ADMIN)}"}
    attempt = httpx2.get(f"{base}/api/v1/attempts/{attempt_id}", headers=admin).json()
    enrolled = httpx2.post(
        f"{base}/api/v1/candidates/{attempt['candidate_id']}/photos",
        files={"photo": ("reg.png", colour_photo((40, 160, 90), size=160), "image/png")},
        headers=admin,
    )
    assert enrolled.status_code == 201, enrolled.text
    (venue,) = httpx2.get(f"{base}/api/v1/venues", headers=admin).json()  # the seed's one
    return venue["id"]
