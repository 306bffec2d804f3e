"""The exam-station agent: capture, analyse, queue, send, and follow the station's state.

Threads: the capture loop; a follower of the station's event stream; a sender that empties the
outbox into the server (and sends heartbeats); and the analysis loop in the caller's thread.
The heavy work stays here: the server receives observations, never video.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import numpy as np

from proctor.cameras.analysis import Analysis, Sampler, StationAnalyser
from proctor.cameras.backoff import Backoff
from proctor.cameras.capture import CaptureLoop
from proctor.cameras.outbox import Outbox
from proctor.cameras.server import (
    AgentRevoked,
    Refused,
    RetryLater,
    StationServer,
    observation_json,
)
from proctor.cameras.sources import FrameSource
from proctor.clock import utcnow
from proctor.exam.policy import CameraState
from proctor.faces.protocol import FaceEngine

logger = logging.getLogger(__name__)
TEMPLATE_RETRY_SECONDS = 5.0


def urgent(observation: dict) -> bool:
    """An observation the server's policy could act on (a low score, no face or several, the
    camera, liveness, a hard-to-read face): sent without waiting for others."""
    return (
        "snapshot_jpeg" in observation
        or observation["face_count"] != 1
        or observation.get("camera", "ok") != "ok"
        or bool(observation.get("liveness_flags"))
        or bool(observation.get("face_problems"))
    )


def due(waiting: list[dict], batch: int, hold_seconds: float, now: datetime) -> bool:
    """Whether the observations waiting (oldest first) should go now: a full batch, anything
    urgent, or routine ones the oldest of which has waited `hold_seconds`."""
    if not waiting:
        return False
    if len(waiting) >= batch or any(urgent(o) for o in waiting):
        return True
    oldest = datetime.fromisoformat(waiting[0]["observed_at"])
    return (now - oldest).total_seconds() >= hold_seconds


class _StationLog(logging.LoggerAdapter):
    """Prefixes each line with the station, so several agents in one log stay apart."""

    def process(self, msg, kwargs):
        return f"[{self.extra['station']}] {msg}", kwargs


@dataclass
class AgentConfig:
    rate: float = 2.0  # frames analysed per second
    batch: int = 50  # most observations per request
    send_interval: float = 0.5
    # Routine observations (one face, matching, nothing to flag) wait up to this long so that
    # several share a request (8 at the default rate: a 2-core server then holds 500 stations,
    # benchmarks/results/ingest_load.md); anything the policy could act on goes at once, with
    # whatever waits before it, so no pause is delayed.
    hold_seconds: float = 4.0
    heartbeat_interval: float = 10.0
    backoff_max: float = 15.0
    # While backing off, ask the health check this often: once it answers, the backlog goes
    # at once instead of after the rest of a delay of up to `backoff_max`.
    health_probe_interval: float = 1.0
    drain_seconds: float = 30.0  # at the end of a file source, wait this long for the outbox


@dataclass
class _Shared:
    lock: threading.Lock = field(default_factory=threading.Lock)
    attempt_id: str | None = None
    state: str | None = None
    stop_reason: str | None = None


class Agent:
    def __init__(
        self,
        server: StationServer,
        source: FrameSource,
        engine: FaceEngine,
        outbox_path: Path,
        config: AgentConfig | None = None,
        *,
        label: str | None = None,
    ) -> None:
        self.server, self.engine = server, engine
        self.log = _StationLog(logger, {"station": label or f"station {server.station_id}"})
        self.config = config or AgentConfig()
        self.outbox = Outbox(outbox_path)
        self.capture = CaptureLoop(source)
        self.stats = {"analysed": 0, "sent": 0, "dropped_batches": 0}
        self._shared = _Shared()
        self._stopping = threading.Event()
        self._state_known = threading.Event()
        self._analyser: StationAnalyser | None = None
        self._analyser_attempt: str | None = None
        self._templates_due = 0.0
        self._health_lock = threading.Lock()
        self._health: tuple[float, bool] = (float("-inf"), False)  # when asked, the answer

    # -- lifecycle -------------------------------------------------------------------------
    def run(self) -> str:
        """Run until the source ends (and the outbox drains), `stop()`, or a revoked token.
        Returns why it stopped."""
        threads = [
            threading.Thread(target=self._follow, name="follow", daemon=True),
            threading.Thread(target=self._send, name="send", daemon=True),
        ]
        for thread in threads:
            thread.start()
        try:
            if not self.capture.source.live:
                # A clip starts once the station's state is known, so its first frame is
                # judged however long the server takes to answer; a camera has no first frame.
                while not self._state_known.wait(0.5) and not self._stopping.is_set():
                    pass
            if not self._stopping.is_set():
                self.capture.start()
            self._analyse_loop()
            if self.capture.error is not None:
                self._stop(f"source failed: {self.capture.error.message}")
            elif not self._stopping.is_set():
                self._drain()
                self._stop("the source ended")
        finally:
            self._stopping.set()
            self.capture.stop()
            for thread in threads:
                thread.join(5)
            self.outbox.close()
        return self._shared.stop_reason or "stopped"

    def stop(self) -> None:
        self._stop("stopped")

    def _stop(self, reason: str) -> None:
        with self._shared.lock:
            self._shared.stop_reason = self._shared.stop_reason or reason
        self._stopping.set()
        self.server.end_stream()

    def _drain(self) -> None:
        deadline = time.monotonic() + self.config.drain_seconds
        while len(self.outbox) and time.monotonic() < deadline and not self._stopping.is_set():
            time.sleep(0.1)
        if len(self.outbox):
            self.log.warning("%d observations still wait in the outbox", len(self.outbox))

    # -- analysis --------------------------------------------------------------------------
    def _analyse_loop(self) -> None:
        sampler = Sampler(self.config.rate)
        lost_due = 0.0
        while not self._stopping.is_set():
            frame = self.capture.get(timeout=0.5)
            attempt_id = self._active_attempt()
            if frame is None:
                if self.capture.finished.is_set():
                    return
                if attempt_id and self.capture.camera_lost and time.monotonic() >= lost_due:
                    # No frames at all: report the lost camera at the sampling rate.
                    lost = Analysis(utcnow(), 0, None, CameraState.LOST)
                    self.outbox.add(attempt_id, observation_json(lost))
                    lost_due = time.monotonic() + 1.0 / self.config.rate
                continue
            if attempt_id is None or not sampler.take(frame):
                continue
            analyser = self._analyser_for(attempt_id)
            if analyser is None:
                continue
            result = analyser.analyse(frame)
            self.outbox.add(attempt_id, observation_json(result))
            self.stats["analysed"] += 1

    def _active_attempt(self) -> str | None:
        with self._shared.lock:
            if self._shared.state == "in_progress":
                return self._shared.attempt_id
        if self._analyser is not None:  # paused or ended: the templates leave memory
            self._analyser, self._analyser_attempt = None, None
        return None

    def _analyser_for(self, attempt_id: str) -> StationAnalyser | None:
        if self._analyser is not None and self._analyser_attempt == attempt_id:
            return self._analyser
        if time.monotonic() < self._templates_due:
            return None
        try:
            fetched_for, templates, threshold = self.server.templates()
        except (RetryLater, Refused) as exc:
            self._templates_due = time.monotonic() + TEMPLATE_RETRY_SECONDS
            self.log.warning(
                "cannot fetch the candidate's templates yet (%s); retrying in %.0f s",
                exc,
                TEMPLATE_RETRY_SECONDS,
            )
            return None
        except AgentRevoked as exc:
            self._stop(f"token refused: {exc}")
            return None
        if fetched_for != attempt_id:
            return None  # the state moved on meanwhile; the next frame tries again
        self._analyser = StationAnalyser(self.engine, np.asarray(templates), threshold)
        self._analyser_attempt = attempt_id
        self.log.info("analysing attempt %s against %d templates", attempt_id, len(templates))
        return self._analyser

    # -- waiting for the server ------------------------------------------------------------
    def _backoff(self, first: float) -> Backoff:
        return Backoff(
            first=min(first, self.config.backoff_max),
            cap=self.config.backoff_max,
            probe_every=self.config.health_probe_interval,
            healthy=self._server_answers,
            wait=self._stopping.wait,
        )

    def _server_answers(self) -> bool:
        """The health check's answer, asked at most once per half probe interval for both
        threads that wait on it."""
        with self._health_lock:
            asked_at, answer = self._health
            if time.monotonic() - asked_at >= self.config.health_probe_interval / 2:
                answer = self.server.healthy()
                self._health = (time.monotonic(), answer)
            return answer

    # -- following the station's state ----------------------------------------------------
    def _follow(self) -> None:
        backoff = self._backoff(0.5)
        while not self._stopping.is_set():
            try:
                for state in self.server.state_events():
                    backoff.reset()
                    self._on_state(state)
                    if self._stopping.is_set():
                        return
            except AgentRevoked as exc:
                self._stop(f"token refused: {exc}")
                return
            except RetryLater as exc:
                if self._stopping.is_set():
                    return
                self.log.warning(
                    "state stream: %s; reconnecting in %.1f s at most", exc, backoff.delay
                )
            if backoff.wait():
                return

    def _on_state(self, state: dict) -> None:
        head = state.get("audit_head")
        if isinstance(head, dict):
            self.outbox.keep_head(head)  # the station witnesses the audit log
        attempt = state.get("attempt") or {}
        new = (attempt.get("id"), attempt.get("state"))
        with self._shared.lock:
            old = (self._shared.attempt_id, self._shared.state)
            self._shared.attempt_id, self._shared.state = new
        self._state_known.set()
        if new != old:
            notice = (attempt.get("notice") or {}).get("id")
            self.log.warning(
                "station state: %s%s", new[1] or "idle", f" - {notice}" if notice else ""
            )

    # -- sending ---------------------------------------------------------------------------
    def _send(self) -> None:
        backoff = self._backoff(1.0)
        next_heartbeat = 0.0
        while not self._stopping.is_set():
            try:
                if time.monotonic() >= next_heartbeat:
                    self.server.heartbeat(self._status())
                    next_heartbeat = time.monotonic() + self.config.heartbeat_interval
                batches = self.outbox.pending(self.config.batch)
                if not self._due(batches):
                    batches = []
                for attempt_id, batch in batches:
                    self._post(attempt_id, batch)
                backoff.reset()
                if sum(len(batch) for _, batch in batches) >= self.config.batch:
                    continue  # a backlog (after an outage): the next batch at once
            except AgentRevoked as exc:
                self._stop(f"token refused: {exc}")
                return
            except RetryLater as exc:
                self.log.warning(
                    "server unreachable (%s); %d observations kept, retry in %.1f s at most",
                    exc,
                    len(self.outbox),
                    backoff.delay,
                )
                if backoff.wait():
                    return
                continue
            self._stopping.wait(self.config.send_interval)

    def _due(self, batches: list[tuple[str, list[dict]]]) -> bool:
        waiting = [o for _, batch in batches for o in batch]
        return due(waiting, self.config.batch, self.config.hold_seconds, utcnow())

    def _post(self, attempt_id: str, batch: list[dict]) -> None:
        seqs = [o["seq"] for o in batch]
        try:
            self.server.post(attempt_id, batch)
        except Refused as exc:
            # A refusal is final: retrying the same batch cannot succeed. Keep a clear trace.
            self.log.error("server refused observations %d-%d: %s", seqs[0], seqs[-1], exc)
            self.stats["dropped_batches"] += 1
        else:
            self.stats["sent"] += len(batch)
        self.outbox.acknowledge(seqs)

    def _status(self) -> dict:
        stats = self.capture.stats
        return {
            "camera": "lost" if self.capture.camera_lost else "ok",
            "frames_captured": stats.captured,
            "frames_dropped": stats.dropped,
            "outbox": len(self.outbox),
        }
