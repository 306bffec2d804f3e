"""The agent's side of the HTTP API: templates, observation batches, heartbeats, the state
stream. Failures are sorted into what to retry (network, 5xx) and what stops the agent (401)."""

from __future__ import annotations

import base64
import contextlib
import json
import logging
import socket
from collections.abc import Iterator
from typing import Any

import httpx2
import numpy as np

logger = logging.getLogger(__name__)


class RetryLater(Exception):  # noqa: N818 - a signal, not an error condition
    """The server is unreachable or failing; try again after a while."""


class AgentRevoked(Exception):  # noqa: N818
    """The token is unknown or revoked: the agent must stop."""


class Refused(Exception):  # noqa: N818
    """The server refused this request for good (4xx other than 401)."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(f"{status} {body.get('code')}: {body.get('message')}")
        self.status, self.body = status, body


class StationServer:
    def __init__(self, base_url: str, station_id: str, token: str, *, timeout: float = 10) -> None:
        self.station_id = station_id
        self._base = base_url.rstrip("/") + "/api/v1"
        self._headers = {"Authorization": f"Bearer {token}"}
        self._client = httpx2.Client(headers=self._headers, timeout=timeout)
        self._stream: httpx2.Response | None = None

    def close(self) -> None:
        self.end_stream()
        self._client.close()

    def end_stream(self) -> None:
        """End the state stream that another thread is reading: it gets `RetryLater` at once
        instead of waiting for the server's next event."""
        stream = self._stream
        if stream is None:
            return
        # Closing a socket does not wake a thread blocked reading it; shutting it down does.
        network = stream.extensions.get("network_stream")
        sock = network.get_extra_info("socket") if network is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)

    def _call(self, method: str, path: str, **kwargs: Any) -> dict[str, Any]:
        try:
            response = self._client.request(method, f"{self._base}{path}", **kwargs)
        except httpx2.HTTPError as exc:
            raise RetryLater(f"{type(exc).__name__}: {exc}") from exc
        if response.status_code == 401:
            raise AgentRevoked(response.json().get("message", "unauthenticated"))
        if response.status_code >= 500:
            raise RetryLater(f"server answered {response.status_code}")
        try:
            body = response.json()
        except json.JSONDecodeError as exc:
            raise RetryLater(f"server answered {response.status_code} without JSON") from exc
        if response.status_code >= 400:
            raise Refused(response.status_code, body)
        return body

    def healthy(self, timeout: float = 1.0) -> bool:
        """Whether the service answers its health check now."""
        try:
            response = self._client.get(f"{self._base}/health", timeout=timeout)
        except httpx2.HTTPError:
            return False
        return response.status_code == 200

    def templates(self) -> tuple[str, np.ndarray, float]:
        body = self._call("GET", f"/stations/{self.station_id}/templates")
        return body["attempt_id"], np.asarray(body["templates"], np.float32), body["threshold"]

    def post(self, attempt_id: str, observations: list[dict[str, Any]]) -> dict[str, Any]:
        return self._call(
            "POST",
            f"/stations/{self.station_id}/observations",
            json={"attempt_id": attempt_id, "observations": observations},
        )

    def heartbeat(self, status: dict[str, Any]) -> None:
        self._call("POST", f"/stations/{self.station_id}/heartbeat", json=status)

    def state_events(self, read_timeout: float = 60) -> Iterator[dict[str, Any]]:
        """`state` events from the station's stream until it ends; raises like `_call`."""
        url = f"{self._base}/stations/{self.station_id}/events"
        timeout = httpx2.Timeout(10, read=read_timeout)
        try:
            with httpx2.stream("GET", url, headers=self._headers, timeout=timeout) as response:
                self._stream = response
                if response.status_code == 401:
                    raise AgentRevoked("the server refused the token")
                if response.status_code >= 400:
                    raise RetryLater(f"event stream answered {response.status_code}")
                event, data = None, []
                for line in response.iter_lines():
                    if line.startswith("event:"):
                        event = line[6:].strip()
                    elif line.startswith("data:"):
                        data.append(line[5:].strip())
                    elif not line and data:
                        payload = json.loads("\n".join(data))
                        if event == "error" and payload.get("code") == "unauthenticated":
                            raise AgentRevoked(payload.get("message", "token revoked"))
                        if event == "state":
                            yield payload
                        event, data = None, []
        except (httpx2.HTTPError, httpx2.StreamError) as exc:
            raise RetryLater(f"event stream: {type(exc).__name__}") from exc
        finally:
            self._stream = None


def observation_json(analysis: Any) -> dict[str, Any]:
    """An `Analysis` as the API takes it (without `seq`, which the outbox assigns)."""
    item: dict[str, Any] = {
        "observed_at": analysis.observed_at.isoformat(),
        "face_count": analysis.face_count,
        "score": None if analysis.score is None else round(analysis.score, 6),
        "camera": str(analysis.camera),
    }
    if analysis.liveness_flags:
        item["liveness_flags"] = list(analysis.liveness_flags)
    if analysis.face_problems:
        item["face_problems"] = list(analysis.face_problems)
    if analysis.snapshot is not None:
        item["snapshot_jpeg"] = base64.b64encode(analysis.snapshot).decode()
    return item
