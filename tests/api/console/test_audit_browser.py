"""The committee filters the audit trail in chromium and exports what it sees as CSV
(screenshots at 1366x768 in test-artifacts/)."""

from __future__ import annotations

import csv
import io

from proctor.access.tokens import Role
from proctor.api.app import create_app
from tests.api.console.test_console_browser import PASSWORD, account
from tests.support.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, VIEWPORT, needs_chromium
from tests.support.database import migrate
from tests.support.helpers import running_attempt
from tests.support.live import threaded_server
from tests.support.world import FakeReader, service_settings

pytestmark = needs_chromium


def test_the_committee_filters_the_trail_and_exports_csv(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    running_attempt(url)
    account(url, "sari", "Dr. Sari", Role.COMMITTEE, None)
    app = create_app(service_settings(url, tmp_path), reader=FakeReader())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with threaded_server(app) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=VIEWPORT, accept_downloads=True).new_page()
            page.goto(f"{base}/")  # the first address leads to the console's login
            page.fill("#username", "sari")
            page.fill("#password", PASSWORD)
            page.click("#login-password")
            expect(page.locator("#records")).to_be_visible()  # the committee starts here
            page.screenshot(path=ARTIFACTS / "console-audit.png")
            page.select_option("#f-action", "attempt.")
            page.click("#filter")
            rows = page.locator("#records tbody tr")
            expect(rows.first).to_be_visible()
            actions = {rows.nth(i).get_attribute("data-action") for i in range(rows.count())}
            assert actions and all(a.startswith("attempt.") for a in actions), actions
            expect(page.locator("#records")).to_contain_text("Ujian")
            page.screenshot(path=ARTIFACTS / "console-audit-filtered.png")
            with page.expect_download() as download:
                page.click("#csv")
            text = download.value.path().read_text(encoding="utf-8")
            exported = list(csv.DictReader(io.StringIO(text)))
            assert exported and {r["action"] for r in exported} == actions
        finally:
            browser.close()
