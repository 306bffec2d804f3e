"""A stream URL that stops answering: OpenCV's network timeouts keep the capture thread from
hanging, the watchdog reports the outage, and reconnects when the stream answers again."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import cv2
import numpy as np

from proctor.cameras.capture import CaptureLoop
from proctor.cameras.sources import VideoSource
from proctor.errors import SourceError

BOUNDARY = b"frame"


def _jpeg() -> bytes:
    ok, data = cv2.imencode(".jpg", np.full((48, 64, 3), 120, np.uint8))
    assert ok
    return data.tobytes()


@contextmanager
def stalling_stream(frames_per_connection: int) -> Iterator[tuple[str, list[int]]]:
    """An MJPEG-over-HTTP camera that sends a few frames per connection, then goes silent
    with the connection still open (as a hung IP camera does)."""
    listener = socket.create_server(("127.0.0.1", 0))
    port = listener.getsockname()[1]
    connections: list[int] = []
    held: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            held.append(conn)
            connections.append(1)
            conn.recv(4096)
            conn.sendall(
                b"HTTP/1.0 200 OK\r\nContent-Type: multipart/x-mixed-replace; boundary="
                + BOUNDARY
                + b"\r\n\r\n"
            )
            frame = _jpeg()
            try:
                for _ in range(frames_per_connection):
                    conn.sendall(
                        b"--" + BOUNDARY + b"\r\nContent-Type: image/jpeg\r\nContent-Length: "
                        + str(len(frame)).encode() + b"\r\n\r\n" + frame + b"\r\n"
                    )  # fmt: skip
                    time.sleep(0.05)
            except OSError:  # the client hung up first
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"http://viewer:secret@127.0.0.1:{port}/cam.mjpg", connections
    finally:
        stop.set()
        thread.join(2)
        for conn in held:
            conn.close()
        listener.close()


def test_a_silent_stream_times_out_instead_of_hanging():
    with socket.create_server(("127.0.0.1", 0)) as silent:  # accepts, never answers
        port = silent.getsockname()[1]
        source = VideoSource(f"http://127.0.0.1:{port}/", live=True, name="stream", timeout_ms=1000)
        started = time.monotonic()
        try:
            source.open()
        except SourceError as exc:
            assert exc.code == "source_unavailable"
        else:
            raise AssertionError("a silent stream must not open")
        assert time.monotonic() - started < 10


def test_a_stalled_stream_is_reported_lost_and_reconnected():
    events: list[bool] = []
    with stalling_stream(frames_per_connection=20) as (url, connections):
        source = VideoSource(url, live=True, name="stream cam", timeout_ms=1000)
        loop = CaptureLoop(source, backoff_start=0.1, backoff_max=0.2, on_outage=events.append)
        loop.start()
        deadline = time.monotonic() + 30
        while loop.stats.reconnects < 1 and time.monotonic() < deadline:
            loop.get(timeout=0.1)
        loop.stop()
    assert events[:2] == [True, False], events  # the stall reported, then the reconnect
    assert len(connections) >= 2
    assert loop.stats.captured >= 20  # the frames before the stall were delivered
