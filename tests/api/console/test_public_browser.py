"""The public complaint and whistleblowing forms in Debian's chromium, as a candidate uses them
(screenshots of each page at 1366x768 in test-artifacts/)."""

from __future__ import annotations

from proctor.api.app import create_app
from tests.support.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, VIEWPORT, needs_chromium
from tests.support.database import migrate
from tests.support.live import threaded_server
from tests.support.world import FakeReader, service_settings

pytestmark = needs_chromium


def test_a_complaint_and_a_whistleblowing_report_from_the_browser(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    settings = service_settings(url, tmp_path, public_contacts={"whatsapp": "0811-1234-5678"})
    app = create_app(settings, reader=FakeReader())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with threaded_server(app) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.goto(f"{base}/public")
            page.screenshot(path=ARTIFACTS / "public-index.png", full_page=True)
            page.click("#to-complaint")
            page.fill("#subject", "Antrean terlalu panjang")
            page.fill("#description", "Kami menunggu dua jam di luar gedung.")
            page.click("#send")
            # No category chosen: the browser keeps the form (nothing is filed as proxying).
            assert page.url.endswith("/public/complaint")
            assert page.locator("#category").evaluate("s => s.validity.valueMissing")
            page.select_option("#category", "service")
            page.screenshot(path=ARTIFACTS / "public-complaint.png", full_page=True)
            page.click("#send")
            number = page.locator("#tracking").inner_text()
            assert number.startswith("PGD-")
            page.screenshot(path=ARTIFACTS / "public-filed.png", full_page=True)
            page.click(f'a[href="/public/status?number={number}"]')
            expect(page.locator("#state")).to_have_attribute("data-state", "received")
            expect(page.locator("#no-replies")).to_be_visible()
            page.screenshot(path=ARTIFACTS / "public-status.png", full_page=True)

            page.goto(f"{base}/public/wbs")
            page.select_option("#category", "proxy_test_taker")
            page.fill("#subject", "Joki di sesi pagi")
            page.fill("#description", "Orang yang sama duduk untuk dua peserta.")
            page.screenshot(path=ARTIFACTS / "public-wbs.png", full_page=True)
            page.click("#send")
            receipt = page.locator("#receipt").inner_text()
            page.screenshot(path=ARTIFACTS / "public-receipt.png", full_page=True)
            page.goto(f"{base}/public/wbs/follow")
            page.fill("#receipt", receipt)
            page.click("#send")
            expect(page.locator("#state")).to_have_attribute("data-state", "received")
            page.screenshot(path=ARTIFACTS / "public-follow.png", full_page=True)
        finally:
            browser.close()
