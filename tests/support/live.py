"""A real server for tests that need one: uvicorn in a thread, or `proctor serve` processes,
and a reader for their server-sent events."""

from __future__ import annotations

import contextlib
import json
import os
import queue
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2
import uvicorn
from fastapi import FastAPI


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def threaded_server(app: FastAPI, port: int | None = None) -> Iterator[str]:
    port = port or free_port()
    config = uvicorn.Config(
        app, host="127.0.0.1", port=port, log_level="warning", timeout_graceful_shutdown=3
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def server_env(database_url: str, data_dir: Path, **settings: str) -> dict[str, str]:
    """The environment of a `proctor serve` process for tests: database, keys, data folder,
    and PROCTOR_<NAME> for each extra setting."""
    from tests.support.sealing import DATA_KEY
    from tests.support.world import AUDIT_KEY, NIK_KEY

    extra = {f"PROCTOR_{name.upper()}": value for name, value in settings.items()}
    return {"PROCTOR_DATABASE_URL": database_url, "PROCTOR_NIK_KEY": NIK_KEY,
            "PROCTOR_AUDIT_SIGNING_KEY": AUDIT_KEY, "PROCTOR_DATA_DIR": str(data_dir),
            "PROCTOR_DATA_KEY": DATA_KEY, **extra}  # fmt: skip


@contextlib.contextmanager
def serve_process(env: dict[str, str], log: Path, port: int | None = None) -> Iterator[str]:
    """`proctor serve` in a process of its own, as production runs it (on `port`, or a free
    one); yields its base URL once its health check answers."""
    with served(env, log, port) as (base, _process):
        yield base


@contextlib.contextmanager
def served(
    env: dict[str, str], log: Path, port: int | None = None
) -> Iterator[tuple[str, subprocess.Popen]]:
    """`serve_process`, yielding the process too (for a test that kills it)."""
    port = port or free_port()
    command = [sys.executable, "-m", "proctor.cli", "serve", "--port", str(port)]
    with log.open("w") as out:
        process = subprocess.Popen(command, env={**os.environ, **env}, stdout=out, stderr=out)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"proctor serve exited: {log.read_text()[-2000:]}")
            with contextlib.suppress(httpx2.HTTPError):
                if httpx2.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            if time.monotonic() > deadline:
                raise RuntimeError(f"proctor serve did not answer: {log.read_text()[-2000:]}")
            time.sleep(0.2)
        yield base, process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


class EventReader:
    """Follows a station's event stream in a thread; `wait_for` returns the first state event
    satisfying a predicate."""

    def __init__(self, url: str, token: str) -> None:
        self.events: queue.Queue[dict[str, Any]] = queue.Queue()
        self.connected = threading.Event()
        self._stop = threading.Event()
        self._url, self._token = url, token
        self._response: httpx2.Response | None = None
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> EventReader:
        self._thread.start()
        if not self.connected.wait(15):
            raise RuntimeError("the event stream did not open")
        return self

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        # Shut the socket under the blocked reader: it wakes at once, heartbeat or not.
        response = self._response
        stream = response.extensions.get("network_stream") if response is not None else None
        sock = stream.get_extra_info("socket") if stream is not None else None
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
        self._thread.join(10)

    def _run(self) -> None:
        headers = {"Authorization": f"Bearer {self._token}", "Accept": "text/event-stream"}
        with (
            contextlib.suppress(httpx2.HTTPError, httpx2.StreamError, OSError),
            httpx2.stream(
                "GET", self._url, headers=headers, timeout=httpx2.Timeout(30, connect=5)
            ) as response,
        ):
            response.raise_for_status()
            self._response = response
            self.connected.set()
            event, data = None, []
            for line in response.iter_lines():
                if self._stop.is_set():
                    return
                if line.startswith("event:"):
                    event = line[6:].strip()
                elif line.startswith("data:"):
                    data.append(line[5:].strip())
                elif not line and data:
                    self.events.put({"event": event, "data": json.loads("\n".join(data))})
                    event, data = None, []

    def wait_for(self, predicate: Any, timeout: float = 10, event: str = "state") -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while (left := deadline - time.monotonic()) > 0:
            try:
                item = self.events.get(timeout=left)
            except queue.Empty:
                break
            if item["event"] == event and predicate(item["data"]):
                return item["data"]
        raise AssertionError(f"no matching {event} event arrived in time")

    def ended(self, timeout: float = 5) -> bool:
        """Whether the server closed the stream."""
        self._thread.join(timeout)
        return not self._thread.is_alive()
