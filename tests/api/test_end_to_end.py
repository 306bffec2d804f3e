"""The whole flow over real HTTP with the real face engine and LFW photos, on both databases:
enroll, check in (the candidate passes, someone else fails), start, a proxy's face in the
observations pauses the exam, the incident holds the evidence, the station's event stream
delivers the pause, re-verification resumes, replays count once, another venue's proctor is
refused."""

from __future__ import annotations

import base64
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import httpx2
import numpy as np
import pytest

from proctor.access.tokens import Role
from proctor.api.app import create_app
from proctor.models.face_api import analyse, load_image
from proctor.models.reader import EngineReader
from proctor.models.registry import create_engine
from tests.support.live import EventReader, threaded_server
from tests.support.world import issue, service_settings

pytestmark = pytest.mark.lfw
CANDIDATE = "Ricardo_Lagos"  # eight photos that all pass the quality gate
PROXY = "John_Bolton"


@pytest.fixture(scope="module")
def reader() -> EngineReader:
    return EngineReader(create_engine("sface"))


def photo(root: Path, person: str, n: int) -> bytes:
    """The person's n-th photo (from 1) in name order; LFW View 1 numbers them with gaps."""
    return sorted((root / "images" / person).glob("*.jpg"))[n - 1].read_bytes()


def snapshot_of(data: bytes) -> str:
    """What an agent sends: a downscaled JPEG."""
    image = cv2.resize(load_image(data), (125, 125), interpolation=cv2.INTER_AREA)
    ok, jpeg = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 80])
    assert ok
    return base64.b64encode(jpeg.tobytes()).decode()


def test_a_proxy_is_stopped_end_to_end(lfw_root, migrated, tmp_path, reader):
    settings = service_settings(migrated, tmp_path, policy={}, engine="sface")
    app = create_app(settings, reader=reader)
    admin = {"Authorization": f"Bearer {issue(migrated, Role.ADMIN)}"}
    with threaded_server(app) as base, httpx2.Client(base_url=f"{base}/api/v1") as http:

        def created(path: str, **kwargs) -> dict:
            response = http.post(path, headers=admin, **kwargs)
            assert response.status_code == 201, response.text
            return response.json()

        venue = created("/venues", json={"code": "JKT-01", "name": "Jakarta"})
        other_venue = created("/venues", json={"code": "MDN-01", "name": "Medan"})
        exam = created(
            f"/venues/{venue['id']}/sessions",
            json={"code": "S1", "starts_at": "2026-11-24T01:00:00Z", "duration_minutes": 90},
        )
        station = created(f"/venues/{venue['id']}/stations", json={"code": "PC-07"})
        candidate = created("/candidates", json={"participant_number": "P-1", "name": "P. Martin"})
        for n in (1, 2):
            enrolled = created(
                f"/candidates/{candidate['id']}/photos",
                files={"photo": (f"{n}.jpg", photo(lfw_root, CANDIDATE, n))},
            )
            assert enrolled["photo"]["engine"] == "sface"
        attempt = created(
            "/attempts",
            json={
                "candidate_id": candidate["id"],
                "session_id": exam["id"],
                "station_id": station["id"],
            },
        )
        url = f"/attempts/{attempt['id']}"
        proctor = {"Authorization": f"Bearer {issue(migrated, Role.PROCTOR, venue_id=_id(venue))}"}
        station_token = issue(migrated, Role.STATION, station_id=_id(station))
        as_station = {"Authorization": f"Bearer {station_token}"}

        # Checkpoint 1: someone else is refused, the candidate passes.
        proxy = http.post(
            f"{url}/check-in",
            files={"photo": ("x.jpg", photo(lfw_root, PROXY, 1))},
            headers=proctor,
        ).json()
        assert proxy["passed"] is False and proxy["attempt"]["state"] == "scheduled"
        own = http.post(
            f"{url}/check-in",
            files={"photo": ("x.jpg", photo(lfw_root, CANDIDATE, 3))},
            headers=proctor,
        ).json()
        assert own["passed"] is True, own["checkpoint"]
        assert own["checkpoint"]["score"] >= own["checkpoint"]["threshold"]

        with EventReader(f"{base}/api/v1/stations/{station['id']}/events", station_token) as sse:
            sse.wait_for(lambda s: s["attempt"]["state"] == "checked_in")
            # Checkpoint 2 at the station.
            login = http.post(
                f"{url}/start",
                files={"photo": ("x.jpg", photo(lfw_root, CANDIDATE, 4))},
                headers=as_station,
            ).json()
            assert login["attempt"]["state"] == "in_progress"
            sse.wait_for(lambda s: s["attempt"]["state"] == "in_progress")

            # The station scores what its camera sees against the templates; first the
            # candidate, then the proxy takes the seat.
            templates = np.stack(
                [
                    analyse(reader.engine, load_image(photo(lfw_root, CANDIDATE, n))).embedding
                    for n in (1, 2)
                ]
            )

            def observation(seq: int, person: str, n: int) -> dict:
                data = photo(lfw_root, person, n)
                live = analyse(reader.engine, load_image(data)).embedding
                score = float(reader.engine.compare_many(live, templates).max())
                item = {
                    "seq": seq,
                    "observed_at": (t0 + timedelta(seconds=seq / 2)).isoformat(),
                    "face_count": 1,
                    "score": score,
                }
                if score < reader.engine.threshold:
                    item["snapshot_jpeg"] = snapshot_of(data)
                return item

            t0 = datetime.now(UTC) - timedelta(minutes=1)
            honest = [observation(i, CANDIDATE, 5 + i % 2) for i in range(1, 5)]
            swap = [observation(4 + i, PROXY, 1 + i) for i in range(1, 5)]
            batch_url = f"/stations/{station['id']}/observations"
            first = http.post(
                batch_url,
                json={"attempt_id": attempt["id"], "observations": honest},
                headers=as_station,
            ).json()
            assert (first["state"], first["accepted"]) == ("in_progress", 4)
            paused = http.post(
                batch_url,
                json={"attempt_id": attempt["id"], "observations": swap},
                headers=as_station,
            ).json()
            assert paused["state"] == "paused"

            # The station's stream says so at once, with the notice in Bahasa Indonesia.
            notice = sse.wait_for(lambda s: s["attempt"]["state"] == "paused", timeout=5)
            assert notice["attempt"]["notice"]["id"].startswith("Ujian dihentikan sementara")
            assert notice["attempt"]["open_incident"]["reason"] == "face_mismatch"

            # The incident holds its evidence.
            incident = http.get(f"/incidents/{paused['incident_id']}", headers=proctor).json()
            kinds = [e["kind"] for e in incident["evidence"]]
            assert kinds.count("registration_photo") == 2
            assert kinds.count("live_snapshot") >= 3
            scores = [p["score"] for p in incident["details"]["timeline"]]
            assert all(s >= incident["details"]["threshold"] for s in scores[:4])
            assert sum(s < incident["details"]["threshold"] for s in scores[4:]) >= 3
            listed = http.get("/incidents", headers=proctor).json()
            assert [i["id"] for i in listed] == [paused["incident_id"]]

            # A replay (the agent's outbox after a lost reply) is counted once.
            replay = http.post(
                batch_url,
                json={"attempt_id": attempt["id"], "observations": swap},
                headers=as_station,
            ).json()
            assert (replay["accepted"], replay["duplicates"]) == (0, 4)

            # A proctor of another venue can neither see nor resume it.
            stranger_token = issue(migrated, Role.PROCTOR, venue_id=_id(other_venue))
            stranger = {"Authorization": f"Bearer {stranger_token}"}
            assert http.get(url, headers=stranger).status_code == 403
            assert (
                http.get(f"/incidents/{paused['incident_id']}", headers=stranger).status_code == 403
            )

            # Re-verification with the candidate's face resumes the exam.
            resumed = http.post(
                f"{url}/reverify",
                files={"photo": ("x.jpg", photo(lfw_root, CANDIDATE, 7))},
                headers=proctor,
            ).json()
            assert resumed["passed"] is True
            assert resumed["attempt"]["state"] == "in_progress"
            assert resumed["attempt"]["paused_seconds"] > 0
            sse.wait_for(lambda s: s["attempt"]["state"] == "in_progress")


def _id(record: dict) -> uuid.UUID:
    return uuid.UUID(record["id"])
