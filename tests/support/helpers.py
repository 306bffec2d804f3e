"""Steps of the exam flow through the HTTP API, shared by the service tests."""

from __future__ import annotations

import base64
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx2

from proctor.store.database import make_engine
from tests.support.sealing import sealed_sessions
from tests.support.seed import running_attempts
from tests.support.world import NIK_KEY, RED, World, colour_photo

# Observations may not be dated in the future: the scenario starts an hour ago.
T0 = datetime.now(UTC).replace(microsecond=0) - timedelta(hours=1)


def photo_files(data: bytes, name: str = "live.png") -> dict[str, Any]:
    return {"photo": (name, data, "application/octet-stream")}


def check_in(world: World, data: bytes, who: str = "proctor") -> Any:
    return world.client.post(
        f"/api/v1/attempts/{world.attempt_id}/check-in",
        files=photo_files(data),
        headers=world.as_(who),
    )


def start(world: World, data: bytes, who: str = "station") -> Any:
    return world.client.post(
        f"/api/v1/attempts/{world.attempt_id}/start",
        files=photo_files(data),
        headers=world.as_(who),
    )


def running(world: World) -> None:
    """Check in and log in with the candidate's own face."""
    assert check_in(world, colour_photo(RED)).json()["passed"] is True
    assert start(world, colour_photo(RED)).json()["attempt"]["state"] == "in_progress"


def obs(
    seq: int,
    score: float | None = 0.99,
    *,
    faces: int = 1,
    camera: str = "ok",
    at: datetime | None = None,
    snapshot: bytes | None = None,
) -> dict[str, Any]:
    item: dict[str, Any] = {
        "seq": seq,
        "observed_at": (at or T0 + timedelta(seconds=seq / 2)).isoformat(),
        "face_count": faces,
        "score": score,
        "camera": camera,
    }
    if snapshot is not None:
        item["snapshot_jpeg"] = base64.b64encode(snapshot).decode()
    return item


def post_batch(world: World, items: list[dict[str, Any]], who: str = "station") -> Any:
    station = world.station_id if who != "other_station" else world.other_station_id
    return world.client.post(
        f"/api/v1/stations/{station}/observations",
        json={"attempt_id": world.attempt_id, "observations": items},
        headers=world.as_(who),
    )


def attempt(world: World, who: str = "admin") -> dict[str, Any]:
    response = world.client.get(f"/api/v1/attempts/{world.attempt_id}", headers=world.as_(who))
    assert response.status_code == 200, response.text
    return response.json()


def audit_actions(database_url: str) -> list[str]:
    from sqlalchemy import select

    from proctor.store.audit import AuditRecord

    engine = make_engine(database_url)
    try:
        with sealed_sessions(engine)() as session:
            return list(session.scalars(select(AuditRecord.action).order_by(AuditRecord.id)))
    finally:
        engine.dispose()


def running_attempt(database_url: str) -> tuple[str, str]:
    """A venue, a station and an attempt already in progress; returns (station, attempt)."""
    return running_attempts(database_url, 1, NIK_KEY.encode())[0]


def post_mismatches(
    base: str, station_id: str, attempt_id: str, token: str, snapshot: bytes | None = None
) -> dict[str, Any]:
    """Post, over real HTTP, three observations of a stranger: enough to pause (3 of 5); the
    last carries `snapshot`, if given, as the station's picture of him."""
    t0 = datetime.now(UTC) - timedelta(seconds=30)
    batch = [
        {"seq": i, "observed_at": (t0 + timedelta(seconds=i)).isoformat(), "face_count": 1,
         "score": 0.1}
        for i in range(3)
    ]  # fmt: skip
    if snapshot is not None:
        batch[-1]["snapshot_jpeg"] = base64.b64encode(snapshot).decode()
    response = httpx2.post(
        f"{base}/api/v1/stations/{station_id}/observations",
        json={"attempt_id": attempt_id, "observations": batch},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    return response.json()


def enrol_candidate(
    world: World, number: str, bgr: tuple[int, int, int], client: Any = None
) -> tuple[str, list[str]]:
    """A new candidate with one registration photo of colour `bgr` (as the admin, through
    `client` or the world's); returns the candidate's id and the numbers flagged as the same
    face."""
    client = client or world.client
    admin = world.as_("admin")
    made = client.post(
        "/api/v1/candidates", json={"participant_number": number, "name": number}, headers=admin
    ).json()
    response = client.post(
        f"/api/v1/candidates/{made['id']}/photos",
        files={"photo": (f"{number}.png", colour_photo(bgr))},
        headers=admin,
    )
    assert response.status_code == 201, response.text
    return made["id"], [d["participant_number"] for d in response.json()["duplicates"]]
