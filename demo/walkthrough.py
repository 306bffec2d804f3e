"""The demo's exam day over the real HTTP API: the venue, its stations and candidates, the
check-in desk and each station's login, as an operator's tools would do it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import httpx2

from proctor.demo.stations import StationPlan, first_frame_jpeg


class DemoStepError(RuntimeError):
    pass


@dataclass
class Seat:
    plan: StationPlan
    station_id: str
    attempt_id: str
    check_in: dict[str, Any] | None = None
    login: dict[str, Any] | None = None


class Walkthrough:
    def __init__(self, base_url: str, admin_token: str) -> None:
        self.http = httpx2.Client(
            base_url=f"{base_url}/api/v1",
            headers={"Authorization": f"Bearer {admin_token}"},
            timeout=60,
        )

    def close(self) -> None:
        self.http.close()

    def _post(self, path: str, *, token: str | None = None, **kwargs: Any) -> dict[str, Any]:
        headers = {"Authorization": f"Bearer {token}"} if token else None
        response = self.http.post(path, headers=headers, **kwargs)
        if response.status_code not in (200, 201):
            raise DemoStepError(f"POST {path}: {response.status_code} {response.text[:300]}")
        return response.json()

    def venue(self) -> tuple[str, str]:
        venue = self._post(
            "/venues",
            json={"code": "DEMO-JKT", "name": "Demo venue, Jakarta", "address": "Jl. Contoh 1"},
        )
        session = self._post(
            f"/venues/{venue['id']}/sessions",
            json={
                "code": "SKD-1",
                "starts_at": datetime.now(UTC).isoformat(),
                "duration_minutes": 100,
            },
        )
        return venue["id"], session["id"]

    def seat(self, plan: StationPlan, venue_id: str, session_id: str, number: int) -> Seat:
        station = self._post(f"/venues/{venue_id}/stations", json={"code": plan.code})
        candidate = self._post(
            "/candidates",
            json={"participant_number": f"DEMO{number:04d}", "name": plan.member.name},
        )
        for photo in plan.member.registration:
            self._post(
                f"/candidates/{candidate['id']}/photos",
                files={"photo": (photo.name, photo.read_bytes())},
            )
        attempt = self._post(
            "/attempts",
            json={
                "candidate_id": candidate["id"],
                "session_id": session_id,
                "station_id": station["id"],
            },
        )
        return Seat(plan, station["id"], attempt["id"])

    def check_in(self, seat: Seat) -> dict[str, Any]:
        photo = seat.plan.member.check_in
        seat.check_in = self._post(
            f"/attempts/{seat.attempt_id}/check-in",
            files={"photo": (photo.name, photo.read_bytes())},
        )
        return seat.check_in

    def login(self, seat: Seat, station_token: str) -> dict[str, Any]:
        """The station's login: its camera's first frame against the registration photos."""
        seat.login = self._post(
            f"/attempts/{seat.attempt_id}/start",
            token=station_token,
            files={"photo": ("login.jpg", first_frame_jpeg(seat.plan.clip))},
        )
        return seat.login

    def attempts(self, session_id: str) -> list[dict[str, Any]]:
        response = self.http.get("/attempts", params={"session_id": session_id})
        response.raise_for_status()
        return response.json()

    def flags(self, attempt_id: str) -> list[dict[str, Any]]:
        response = self.http.get(f"/attempts/{attempt_id}/flags")
        response.raise_for_status()
        return response.json()

    def incident(self, incident_id: str) -> dict[str, Any]:
        response = self.http.get(f"/incidents/{incident_id}")
        response.raise_for_status()
        return response.json()
