"""The station page in a real browser (Debian's chromium, headless): the questions are shown
while the exam runs and replaced by the notice in Bahasa Indonesia once it pauses."""

from __future__ import annotations

import shutil
import subprocess
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx2
import pytest

from proctor.access import Role
from proctor.api.app import create_app
from tests.service.conftest import FakeReader, issue, migrate, service_settings
from tests.service.helpers import running_attempt
from tests.service.live import threaded_server

CHROMIUM = shutil.which("chromium")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (scripts/test.sh installs Debian's)"
)


def render(url: str, profile: Path, screenshot: Path) -> str:
    """The page's DOM after its script has run for a few seconds of virtual time."""
    flags = [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--no-first-run",
        f"--user-data-dir={profile}",
        "--window-size=1366,768",
        "--virtual-time-budget=4000",
    ]
    subprocess.run(
        [CHROMIUM, *flags, f"--screenshot={screenshot}", url], capture_output=True, timeout=60
    )
    done = subprocess.run(
        [CHROMIUM, *flags, "--dump-dom", url], capture_output=True, text=True, timeout=60
    )
    return done.stdout


def test_the_questions_stop_when_the_exam_pauses(tmp_path):
    url = f"sqlite:///{tmp_path / 'p.db'}"
    migrate(url)
    station_id, attempt_id = running_attempt(url)
    token = issue(url, Role.STATION, station_id=uuid.UUID(station_id))
    app = create_app(service_settings(url, tmp_path), reader=FakeReader())
    artifacts = tmp_path / "screenshots"
    artifacts.mkdir()
    with threaded_server(app) as base:
        page = f"{base}/station/{station_id}#token={token}"
        running = render(page, tmp_path / "profile-1", artifacts / "running.png")
        assert 'id="exam" hidden' not in running
        assert "Soal 1" in running
        assert 'id="notice" role="alert" hidden' in running

        t0 = datetime.now(UTC) - timedelta(seconds=30)
        batch = [
            {
                "seq": i,
                "observed_at": (t0 + timedelta(seconds=i)).isoformat(),
                "face_count": 1,
                "score": 0.1,
            }
            for i in range(3)
        ]
        response = httpx2.post(
            f"{base}/api/v1/stations/{station_id}/observations",
            json={"attempt_id": attempt_id, "observations": batch},
            headers={"Authorization": f"Bearer {token}"},
        )
        assert response.json()["state"] == "paused"

        paused = render(page, tmp_path / "profile-2", artifacts / "paused.png")
        assert 'id="exam" hidden' in paused
        assert 'id="notice" role="alert" data-state="paused"' in paused
        assert "Soal disembunyikan sampai pengawas memverifikasi ulang" in paused
    assert (artifacts / "paused.png").stat().st_size > 10_000
