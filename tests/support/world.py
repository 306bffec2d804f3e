"""The exam service for API tests: a fake face reader by default, settings, and a world of a
venue, a session, stations, a candidate and a token for each role."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np
import pytest
from fastapi.testclient import TestClient

from proctor.access.tokens import Role, issue_token
from proctor.api.app import create_app
from proctor.faces.photos import PhotoReading, sniff_content_type
from proctor.faces.quality import (
    NO_FACE_REPORT,
    QualityCode,
    QualityReason,
    QualityReport,
    Severity,
)
from proctor.models.imaging import decode_image
from proctor.settings import Settings
from proctor.store.database import make_engine
from tests.conftest import FakeEngine
from tests.support.sealing import sealed_sessions

NIK_KEY = "k" * 40
# The audit signing key of test services (a fixed Ed25519 seed, base64), as production sets
# PROCTOR_AUDIT_SIGNING_KEY: a PostgreSQL service refuses to start without one.
AUDIT_KEY = "dGVzdC1hdWRpdC1zaWduaW5nLWtleS0zMi1ieXRlcyE="


def colour_photo(bgr: tuple[int, int, int], size: int = 64) -> bytes:
    """A stand-in photo for the fake reader: its colour is the person."""
    image = np.zeros((size, size, 3), np.uint8)
    image[:] = bgr
    ok, data = cv2.imencode(".png", image)
    assert ok
    return data.tobytes()


def jpeg(bgr: tuple[int, int, int] = (90, 120, 150), size: int = 48) -> bytes:
    image = np.zeros((size, size, 3), np.uint8)
    image[:] = bgr
    ok, data = cv2.imencode(".jpg", image)
    assert ok
    return data.tobytes()


class FakeReader:
    """Decodes for real (so corrupt images fail as in production); the embedding is the unit
    mean colour, a black photo holds no face, and a dark one fails the quality gate."""

    def __init__(self) -> None:
        self.engine = FakeEngine()

    def read(self, data: bytes) -> PhotoReading:
        image = decode_image(data)
        mean = image.reshape(-1, 3).mean(axis=0).astype(np.float32)
        if not mean.any():
            return PhotoReading(data, sniff_content_type(data), "fake", None, NO_FACE_REPORT, 0)
        reasons = ()
        if mean.max() < 40:
            reasons = (QualityReason(QualityCode.TOO_DARK, Severity.REJECT, float(mean.max()), 40),)
        return PhotoReading(
            data,
            sniff_content_type(data),
            "fake",
            mean / np.linalg.norm(mean),
            QualityReport(reasons),
            1,
        )


RED, BLUE = (0, 0, 220), (220, 0, 0)


def service_settings(database_url: str, data_dir: Path, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "database_url": database_url,
        "data_dir": data_dir,
        "nik_key": NIK_KEY,
        "audit_signing_key": AUDIT_KEY,
        "sse_heartbeat_seconds": 1.0,
        # Off unless a test turns it on: a background round would add audit records at a moment
        # that depends on the machine's speed.
        "proxy_search_seconds": 0,
        "index_save_seconds": 0,
        "policy": {"match_threshold": 0.9},
    }
    values.update(overrides)
    return Settings(**values)


@dataclass
class World:
    """A venue with a session, two stations, a scheduled candidate, and tokens for each role."""

    client: TestClient
    venue_id: str
    other_venue_id: str
    session_id: str
    station_id: str
    other_station_id: str
    candidate_id: str
    attempt_id: str
    tokens: dict[str, str]

    def as_(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}


def issue(database_url: str, role: Role, label: str = "", **scope: uuid.UUID) -> str:
    engine = make_engine(database_url)
    try:
        with sealed_sessions(engine)() as session:
            _, secret = issue_token(session, role, actor="test", label=label, **scope)
            session.commit()
    finally:
        engine.dispose()
    return secret


def build_world(client: TestClient, database_url: str, reader_photo: bytes | None) -> World:
    admin = {"Authorization": f"Bearer {issue(database_url, Role.ADMIN)}"}

    def post(path: str, body: dict) -> dict:
        response = client.post(f"/api/v1{path}", json=body, headers=admin)
        assert response.status_code == 201, response.text
        return response.json()

    venue = post("/venues", {"code": "JKT-01", "name": "Kantor Regional Jakarta"})
    other = post("/venues", {"code": "SBY-01", "name": "Kantor Regional Surabaya"})
    exam = post(
        f"/venues/{venue['id']}/sessions",
        {"code": "S1", "starts_at": "2026-11-24T01:00:00Z", "duration_minutes": 100},
    )
    station = post(f"/venues/{venue['id']}/stations", {"code": "PC-01"})
    other_station = post(f"/venues/{other['id']}/stations", {"code": "PC-01"})
    candidate = post(
        "/candidates",
        {"participant_number": "2026000001", "name": "Siti Rahma", "nik": "3171234567890123"},
    )
    if reader_photo is not None:
        response = client.post(
            f"/api/v1/candidates/{candidate['id']}/photos",
            files={"photo": ("reg.png", reader_photo, "image/png")},
            headers=admin,
        )
        assert response.status_code == 201, response.text
    attempt = post(
        "/attempts",
        {"candidate_id": candidate["id"], "session_id": exam["id"], "station_id": station["id"]},
    )
    v, s, os_ = (uuid.UUID(venue["id"]), uuid.UUID(station["id"]), uuid.UUID(other_station["id"]))
    tokens = {
        "admin": admin["Authorization"].removeprefix("Bearer "),
        "proctor": issue(database_url, Role.PROCTOR, venue_id=v),
        "other_proctor": issue(database_url, Role.PROCTOR, venue_id=uuid.UUID(other["id"])),
        "committee": issue(database_url, Role.COMMITTEE),
        "station": issue(database_url, Role.STATION, station_id=s),
        "other_station": issue(database_url, Role.STATION, station_id=os_),
    }
    return World(
        client,
        venue["id"],
        other["id"],
        exam["id"],
        station["id"],
        other_station["id"],
        candidate["id"],
        attempt["id"],
        tokens,
    )


@pytest.fixture
def client(migrated: str, tmp_path: Path) -> Iterator[TestClient]:
    app = create_app(service_settings(migrated, tmp_path), reader=FakeReader())
    with TestClient(app) as test_client:
        yield test_client


@pytest.fixture
def world(client: TestClient, migrated: str) -> World:
    return build_world(client, migrated, colour_photo(RED))
