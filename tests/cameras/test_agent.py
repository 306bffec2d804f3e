"""The agent against a real server: a proxy takes the seat in the middle of a clip and the exam
pauses; every observation arrives once, and the templates never touch the disk."""

from __future__ import annotations

import threading
import uuid

import cv2
import httpx2
import numpy as np
import pytest

from proctor.access.tokens import Role
from proctor.api.app import create_app
from proctor.cameras.agent import Agent, AgentConfig
from proctor.cameras.server import StationServer
from proctor.cameras.sources import FolderSource
from proctor.models.reader import EngineReader
from tests.support.database import migrate
from tests.support.live import threaded_server
from tests.support.world import issue, service_settings

pytestmark = pytest.mark.lfw
CANDIDATE, PROXY = "Ricardo_Lagos", "John_Bolton"


def person(root, name: str) -> list[bytes]:
    return [p.read_bytes() for p in sorted((root / "images" / name).glob("*.jpg"))]


def write_clip(folder, faces: list[bytes]) -> None:
    """Webcam-sized frames: each photo enlarged on a noisy background."""
    folder.mkdir()
    rng = np.random.default_rng(3)
    for i, data in enumerate(faces):
        face = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
        frame = rng.integers(60, 140, (480, 640, 3), dtype=np.uint8)
        frame[90:390, 170:470] = cv2.resize(face, (300, 300), interpolation=cv2.INTER_CUBIC)
        cv2.imwrite(str(folder / f"{i:04d}.jpg"), frame)


def test_a_proxy_mid_clip_pauses_the_exam(lfw_root, tmp_path, engine):
    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    settings = service_settings(url, tmp_path, engine="sface", policy={})
    app = create_app(settings, reader=EngineReader(engine))
    admin = {"Authorization": f"Bearer {issue(url, Role.ADMIN)}"}
    own, proxy = person(lfw_root, CANDIDATE), person(lfw_root, PROXY)
    clip = tmp_path / "clip"
    write_clip(clip, [own[3], own[4], own[5], own[6]] * 2 + proxy[1:7])
    with threaded_server(app) as base, httpx2.Client(base_url=f"{base}/api/v1") as http:

        def post(path: str, who: dict, **kwargs) -> dict:
            response = http.post(path, headers=who, **kwargs)
            assert response.status_code in (200, 201), response.text
            return response.json()

        venue = post("/venues", admin, json={"code": "V", "name": "V"})
        exam = post(
            f"/venues/{venue['id']}/sessions",
            admin,
            json={"code": "S", "starts_at": "2026-11-24T01:00:00Z", "duration_minutes": 60},
        )
        station = post(f"/venues/{venue['id']}/stations", admin, json={"code": "PC"})
        candidate = post("/candidates", admin, json={"participant_number": "1", "name": "R"})
        for photo in own[:2]:
            post(f"/candidates/{candidate['id']}/photos", admin, files={"photo": ("p.jpg", photo)})
        attempt = post(
            "/attempts",
            admin,
            json={
                "candidate_id": candidate["id"],
                "session_id": exam["id"],
                "station_id": station["id"],
            },
        )
        station_token = issue(url, Role.STATION, station_id=uuid.UUID(station["id"]))
        as_station = {"Authorization": f"Bearer {station_token}"}
        post(f"/attempts/{attempt['id']}/check-in", admin, files={"photo": ("p.jpg", own[2])})
        started = post(
            f"/attempts/{attempt['id']}/start", as_station, files={"photo": ("p.jpg", own[7])}
        )
        assert started["attempt"]["state"] == "in_progress"

        server = StationServer(base, station["id"], station_token)
        agent = Agent(
            server,
            FolderSource(clip, fps=4),
            engine,
            tmp_path / "outbox.db",
            AgentConfig(rate=4, send_interval=0.2),
        )
        result: list[str] = []
        runner = threading.Thread(target=lambda: result.append(agent.run()))
        runner.start()
        runner.join(60)
        server.close()
        assert result == ["the source ended"]

        state = http.get(f"/attempts/{attempt['id']}", headers=admin).json()
        assert state["state"] == "paused"
        incidents = http.get("/incidents", headers=admin).json()
        assert [i["reason"] for i in incidents] == ["face_mismatch"]
        detail = http.get(f"/incidents/{incidents[0]['id']}", headers=admin).json()
        assert any(e["kind"] == "live_snapshot" for e in detail["evidence"])
        honest = [p for p in detail["details"]["timeline"] if p["score"] >= 0.3591]
        assert len(honest) >= 6  # the candidate's own frames matched
        assert agent.stats["dropped_batches"] == 0
        assert agent.stats["sent"] == agent.stats["analysed"]
    # The agent's only file holds numbered observations, never templates.
    assert b"templates" not in (tmp_path / "outbox.db").read_bytes()
