"""The addresses people type first: `/` leads to the console, and `/docs` works at a venue
without internet (Swagger UI served from the installed package, never a CDN)."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from proctor.api.app import create_app
from tests.support.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, VIEWPORT, needs_chromium
from tests.support.database import migrate
from tests.support.live import threaded_server
from tests.support.world import FakeReader, service_settings


def test_the_root_leads_to_the_console_and_docs_need_no_internet(client: TestClient):
    root = client.get("/", follow_redirects=False)
    assert root.status_code == 303 and root.headers["location"] == "/console"
    assert client.get("/").url.path == "/console/login"  # nobody signed in yet
    docs = client.get("/docs")
    assert docs.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert assets and all(a.startswith("/") for a in assets), assets  # nothing from elsewhere
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


@needs_chromium
def test_the_docs_page_draws_the_operations_offline(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app(service_settings(url, tmp_path), reader=FakeReader())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with threaded_server(app) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=VIEWPORT).new_page()
            outside: list[str] = []
            page.on("request", lambda r: None if r.url.startswith(base) else outside.append(r.url))
            page.goto(f"{base}/docs")
            # Swagger UI 5 reads FastAPI's OpenAPI 3.1: operations appear, not a version error.
            expect(page.locator(".opblock").first).to_be_visible(timeout=20_000)
            assert page.locator(".opblock").count() > 50
            page.screenshot(path=ARTIFACTS / "docs.png")
            assert outside == []
        finally:
            browser.close()
