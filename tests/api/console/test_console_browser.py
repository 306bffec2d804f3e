"""The console in a real browser (Debian's chromium, Playwright) at 1366x768: a proctor logs
in, opens the paused station's incident from the queue, proposes a proxy, and a second proctor
confirms it; a whistleblower follows a report by receipt; the committee audits; the desk checks
a candidate in and re-verifies from chromium's fake camera (a video file). Screenshots of the
key pages go to test-artifacts/."""

from __future__ import annotations

import re
import uuid

from proctor.access.tokens import Role
from proctor.api.app import create_app
from tests.support.browser import ARTIFACTS, CHROMIUM, CHROMIUM_ARGS, VIEWPORT, needs_chromium
from tests.support.database import migrate
from tests.support.helpers import post_mismatches, running_attempt
from tests.support.live import threaded_server
from tests.support.sealing import sealed_sessions
from tests.support.world import FakeReader, issue, service_settings

pytestmark = needs_chromium
PASSWORD = "kopi-tubruk-2026"


def account(url: str, username: str, name: str, role: Role, venue_id: uuid.UUID) -> None:
    from proctor.access.accounts import create_account
    from proctor.store.database import make_engine

    engine = make_engine(url)
    with sealed_sessions(engine)() as session:
        create_account(
            session, username=username, display_name=name, role=role, password=PASSWORD,
            venue_id=venue_id, actor="test",
        )  # fmt: skip
        session.commit()
    engine.dispose()


def test_two_proctors_confirm_a_proxy_in_the_console(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    station_id, attempt_id = running_attempt(url)
    station_token = issue(url, Role.STATION, station_id=uuid.UUID(station_id))
    app = create_app(service_settings(url, tmp_path), reader=FakeReader())
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with threaded_server(app) as base, sync_playwright() as playwright:
        from sqlalchemy import create_engine, text

        engine = create_engine(url)
        with engine.connect() as c:
            venue = c.execute(text("SELECT venue_id FROM stations")).scalar_one()
        engine.dispose()
        # Two proctors with accounts of their own: people log in by name and password.
        first, second = ("siti", "Siti Rahma"), ("budi", "Budi Santoso")
        for username, name in (first, second):
            account(url, username, name, Role.PROCTOR, uuid.UUID(str(venue)))

        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:

            def log_in(who: tuple[str, str], expect_queue: bool = True):
                page = browser.new_context(viewport=VIEWPORT).new_page()
                page.goto(f"{base}/console/login")
                page.fill("#username", who[0])
                page.fill("#password", PASSWORD)
                page.screenshot(path=ARTIFACTS / "console-login.png")
                page.click("#login-password")
                expect(page.locator("#who-name")).to_have_text(who[1])
                if expect_queue:
                    expect(page.locator("#queue")).to_be_visible(timeout=10_000)
                return page

            page = log_in(first, expect_queue=False)
            page.click("#to-stations")
            tile = page.locator(f'[data-station="{station_id}"]')
            expect(tile.locator(".state")).to_have_text("Sedang ujian")
            assert post_mismatches(base, station_id, attempt_id, station_token)["state"] == "paused"
            # The open grid is told at once (server-sent events; its fallback poll is 10 s).
            expect(page.locator("#alert")).to_be_visible(timeout=6_000)
            expect(page.locator("#alert-text")).to_contain_text("Dihentikan sementara")
            expect(page.locator("#alert-link")).to_have_attribute(
                "href", re.compile(r"^/console/incidents/")
            )
            expect(tile.locator(".state")).to_have_attribute("data-state", "paused", timeout=6_000)
            expect(tile.locator(".incident")).to_be_visible()
            expect(page.locator("#summary .count-paused b")).to_have_text("1")
            expect(tile.locator(".state")).to_have_text("Dihentikan sementara")
            expect(tile).to_have_class("tile state-paused quiet")
            desk_page = f"/console/attempts/{attempt_id}"
            expect(tile.locator(".open")).to_have_attribute("href", desk_page)
            page.screenshot(path=ARTIFACTS / "console-stations-paused.png")
            page.goto(f"{base}/console/reviews")
            page.screenshot(path=ARTIFACTS / "console-queue.png")
            page.locator("#queue a").first.click()
            expect(page.locator("#status")).to_have_attribute("data-state", "new")
            expect(page.locator("#chart circle.below")).to_have_count(3)
            page.fill("#reason", "taking this one up now")
            page.click("#take-up")
            expect(page.locator("#status")).to_have_text("Sedang ditinjau")
            page.select_option("#decision", "confirmed_proxy")
            page.fill("#reason", "the live face is another person")
            page.click("#decide")
            expect(page.locator("#decisions li")).to_have_count(2)
            page.screenshot(path=ARTIFACTS / "console-incident-proposed.png", full_page=True)
            incident_url = page.url

            other = log_in(second)
            other.goto(incident_url)
            other.select_option("#decision", "confirmed_proxy")
            other.fill("#reason", "I agree: both snapshots show someone else")
            other.click("#decide")
            expect(other.locator("#status")).to_have_attribute("data-state", "confirmed_proxy")
            expect(other.locator("#status")).to_have_text("Joki terbukti")
            # Each decision names its reviewer by the name on the account.
            expect(other.locator("#decisions")).to_contain_text("Siti Rahma")
            expect(other.locator("#decisions")).to_contain_text("Budi Santoso")
            other.screenshot(path=ARTIFACTS / "console-incident-confirmed.png", full_page=True)

            other.click("#lang")  # the English switch
            expect(other.locator("h1")).to_contain_text("Review queue")
        finally:
            browser.close()


def test_a_whistleblower_files_and_follows_with_the_receipt(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from proctor.cases import whistleblowing

    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    _, public = whistleblowing.generate_custodian_keys()
    app = create_app(
        service_settings(url, tmp_path, custodian_public_key=public), reader=FakeReader()
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with threaded_server(app) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_context(viewport=VIEWPORT).new_page()
            page.goto(f"{base}/public")
            page.click("#to-wbs")
            page.select_option("#category", "leaked_questions")
            page.fill("#subject", "Answers sold before the exam")
            page.fill("#description", "A Telegram channel sells Saturday's answers.")
            page.fill("#identity", "Dewi, invigilator, 0813 1111 2222")
            page.click("#send")
            receipt = page.locator("#receipt").inner_text().strip()
            assert receipt.startswith("WBS-")
            page.screenshot(path=ARTIFACTS / "wbs-receipt.png")

            page.goto(f"{base}/public/wbs/follow")
            page.fill("#receipt", receipt[:-3] + "AAA")
            page.click("#send")
            expect(page.locator("#refused")).to_have_text("Tanda terima tidak dikenali.")
            page.fill("#receipt", receipt)
            page.fill("#message", "The channel is @soal_bocor")
            page.click("#send")
            expect(page.locator("#state")).to_have_attribute("data-state", "received")
            expect(page.locator("#thread li")).to_have_count(1)
            expect(page.locator("#thread")).to_contain_text("@soal_bocor")
            page.screenshot(path=ARTIFACTS / "wbs-follow.png")
        finally:
            browser.close()


def test_the_committee_filters_the_audit_trail_and_downloads_csv(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    running_attempt(url)  # writes attempt.* audit records
    account(url, "sari", "Dr. Sari", Role.COMMITTEE, None)
    app = create_app(service_settings(url, tmp_path), reader=FakeReader())
    with threaded_server(app) as base, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            context = browser.new_context(viewport=VIEWPORT, accept_downloads=True)
            page = context.new_page()
            page.goto(f"{base}/")  # the first address leads to the console's login
            page.fill("#username", "sari")
            page.fill("#password", PASSWORD)
            page.click("#login-password")
            expect(page.locator("#records")).to_be_visible()  # the committee starts here
            page.click("#verify-now")  # the service's own check may still be running
            expect(page.locator("#chain")).to_have_class("ok")
            page.screenshot(path=ARTIFACTS / "console-audit.png")
            page.select_option("#f-action", "attempt.")
            page.click("#filter")
            rows = page.locator("#records tbody tr")
            expect(rows.first).to_be_visible()
            actions = [rows.nth(i).get_attribute("data-action") for i in range(rows.count())]
            assert actions and all(a.startswith("attempt.") for a in actions), actions
            expect(page.locator("#records")).to_contain_text("Ujian: Sedang ujian")  # in words
            page.screenshot(path=ARTIFACTS / "console-audit-filtered.png")
            with page.expect_download() as download:
                page.click("#csv")
            lines = download.value.path().read_text().splitlines()
            assert lines[0].startswith("id,at,actor,action")
            assert len(lines) - 1 == len(actions)
            assert all(",attempt." in line for line in lines[1:])
            page.click("#to-stats")
            expect(page.locator("#stats tbody tr")).to_have_count(1)
            expect(page.locator('#stats-chart rect[data-series="pauses"]')).to_have_count(1)
            page.screenshot(path=ARTIFACTS / "console-statistics.png")
        finally:
            browser.close()


def y4m_camera(path, bgr: tuple[int, int, int], frames: int = 2):
    """A video file chromium plays as its camera (--use-file-for-fake-video-capture): a plain
    colour, which the fake reader's embedding (the mean colour) matches to a photo of it."""
    import cv2
    import numpy as np

    height, width = 480, 640
    image = np.full((height, width, 3), bgr, dtype=np.uint8)
    planes = cv2.cvtColor(image, cv2.COLOR_BGR2YUV_I420).tobytes()
    with open(path, "wb") as out:
        out.write(f"YUV4MPEG2 W{width} H{height} F10:1 Ip A1:1 C420jpeg\n".encode())
        for _ in range(frames):
            out.write(b"FRAME\n" + planes)
    return path


def test_the_desk_checks_in_and_reverifies_from_the_browser_camera(tmp_path):
    from playwright.sync_api import expect, sync_playwright

    from tests.support.helpers import start
    from tests.support.world import RED, build_world, colour_photo

    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    app = create_app(service_settings(url, tmp_path), reader=FakeReader())
    camera = y4m_camera(tmp_path / "camera.y4m", RED)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with threaded_server(app) as base, sync_playwright() as playwright:
        import httpx2

        with httpx2.Client(base_url=base, timeout=10) as client:
            world = build_world(client, url, colour_photo(RED))  # type: ignore[arg-type]
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM,
                args=[*CHROMIUM_ARGS, "--use-fake-ui-for-media-stream",
                      "--use-fake-device-for-media-stream",
                      f"--use-file-for-fake-video-capture={camera}"],
            )  # fmt: skip
            try:
                context = browser.new_context(viewport=VIEWPORT)
                context.grant_permissions(["camera"], origin=base)
                page = context.new_page()
                page.goto(f"{base}/console/login")
                page.fill("#token", world.tokens["proctor"])
                page.click("#login")
                page.click("#to-desk")

                def photo_from_camera(expected_state: str) -> None:
                    page.click(f'a[href="/console/attempts/{world.attempt_id}"]')
                    expect(page.locator("#camera")).to_be_visible(timeout=10_000)
                    # Hidden until a snapshot is taken, so the wait below waits for it.
                    expect(page.locator("#snapshot")).to_be_hidden()
                    page.click("#snap")
                    # The snapshot shows once the file field holds it (one callback): a locator
                    # wait, never a string predicate, which the page's CSP forbids to evaluate.
                    expect(page.locator("#snapshot")).to_be_visible(timeout=10_000)
                    assert page.locator("#photo").evaluate("input => input.files.length") == 1
                    page.screenshot(path=ARTIFACTS / f"desk-camera-{expected_state}.png")
                    page.click("#submit-photo")
                    expect(page.locator("#result")).to_have_attribute("data-decision", "match")
                    expect(page.locator("#state")).to_have_attribute("data-state", expected_state)

                row = page.locator("#waiting tr", has_text="2026000001")
                expect(row.locator(".status")).to_have_text("Terjadwal")
                photo_from_camera("checked_in")
                expect(page.locator("#state")).to_have_text("Sudah registrasi")
                expect(page.locator("#no-desk-step")).to_be_visible()
                page.screenshot(path=ARTIFACTS / "desk-checked-in.png")

                assert start(world, colour_photo(RED)).json()["attempt"]["state"] == "in_progress"
                station_token = world.tokens["station"]
                paused = post_mismatches(base, world.station_id, world.attempt_id, station_token)
                assert paused["state"] == "paused"
                page.goto(f"{base}/console/desk")
                expect(row.locator(".status")).to_have_attribute("data-state", "paused")
                photo_from_camera("in_progress")  # re-verified at the desk: the exam goes on
                page.screenshot(path=ARTIFACTS / "desk-reverified.png")
            finally:
                browser.close()
