"""The capture loop: reads a source in its own thread into a bounded queue.

When analysis falls behind a live camera, the oldest frame is dropped (and counted): the station
always analyses what the camera sees now, never a growing backlog. A watchdog reopens a live
source that fails, with exponential backoff, and reports the outage.

A clip (file or folder) is not a camera: none of its frames is dropped (a station that falls
behind plays it slower), and each frame is stamped with its own time in the clip, counted
from when the clip was opened. So what a clip shows the analysis, and when each sample says it
was taken, do not depend on how fast the machine is.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import numpy as np

from proctor.cameras.frames import Frame
from proctor.cameras.sources import FrameSource
from proctor.errors import SourceError

logger = logging.getLogger(__name__)


@dataclass
class CaptureStats:
    captured: int = 0
    dropped: int = 0
    reconnects: int = 0
    outages: int = 0


class CaptureLoop:
    def __init__(
        self,
        source: FrameSource,
        *,
        queue_size: int = 4,
        backoff_start: float = 0.5,
        backoff_max: float = 10.0,
        on_outage: Callable[[bool], None] | None = None,
    ) -> None:
        self.source = source
        self.stats = CaptureStats()
        self.finished = threading.Event()  # a file ended, the loop stopped, or it cannot open
        self.error: SourceError | None = None
        self._frames: queue.Queue[Frame] = queue.Queue(maxsize=queue_size)
        self._stop = threading.Event()
        self._backoff = (backoff_start, backoff_max)
        self._on_outage = on_outage
        self._lost_since: float | None = None
        self._clip_start: tuple[datetime, float] | None = None  # wall and monotonic clock
        self._thread = threading.Thread(target=self._run, name="capture", daemon=True)

    @property
    def camera_lost(self) -> bool:
        return self._lost_since is not None

    def start(self) -> CaptureLoop:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.ident is not None:  # started
            self._thread.join(5)
        self.source.close()

    def get(self, timeout: float) -> Frame | None:
        """The oldest queued frame, or None if none came within `timeout`."""
        try:
            return self._frames.get(timeout=timeout)
        except queue.Empty:
            return None

    def _run(self) -> None:
        delay = self._backoff[0]
        opened = False
        try:
            while not self._stop.is_set():
                if not opened:
                    if self._clip_start is None and not self.source.live:
                        # Taken before opening: the source paces its frames from its opening,
                        # so a frame's clip time never runs ahead of the wall clock.
                        self._clip_start = (datetime.now(UTC), time.monotonic())
                    try:
                        self.source.open()
                    except SourceError as exc:
                        if not self.source.live:
                            self.error = exc
                            logger.error("%s", exc.message)
                            return
                        self._lost(f"cannot open {self.source.name}", delay)
                        delay = min(delay * 2, self._backoff[1])
                        continue
                    opened = True
                    if self._lost_since is not None:
                        self._restored()
                    delay = self._backoff[0]
                image = self.source.read()
                if image is None:
                    if not self.source.live:
                        logger.info("%s ended", self.source.name)
                        return
                    self.source.close()
                    opened = False
                    self._lost(f"{self.source.name} stopped delivering frames", delay)
                    delay = min(delay * 2, self._backoff[1])
                    continue
                self._offer(image)
        finally:
            self.finished.set()

    def _offer(self, image: np.ndarray) -> None:
        frame = Frame(image, self.stats.captured, *self._stamp())
        self.stats.captured += 1
        if not self.source.live:
            self._hand_over(frame)
            return
        while True:
            try:
                self._frames.put_nowait(frame)
                return
            except queue.Full:
                try:
                    self._frames.get_nowait()
                    self.stats.dropped += 1
                except queue.Empty:
                    pass

    def _stamp(self) -> tuple[datetime, float]:
        offset = None if self.source.live else self.source.clip_seconds
        if offset is None or self._clip_start is None:
            return datetime.now(UTC), time.monotonic()
        wall, monotonic = self._clip_start
        return wall + timedelta(seconds=offset), monotonic + offset

    def _hand_over(self, frame: Frame) -> None:
        """Wait for room in the queue: a clip's frame is never dropped."""
        while not self._stop.is_set():
            try:
                self._frames.put(frame, timeout=0.1)
                return
            except queue.Full:
                continue

    def _lost(self, reason: str, delay: float) -> None:
        if self._lost_since is None:
            self._lost_since = time.monotonic()
            self.stats.outages += 1
            if self._on_outage:
                self._on_outage(True)
        logger.warning("camera: %s; retrying in %.1f s", reason, delay)
        self._stop.wait(delay)

    def _restored(self) -> None:
        lost_for = time.monotonic() - (self._lost_since or time.monotonic())
        self._lost_since = None
        self.stats.reconnects += 1
        logger.warning("camera: %s is back after %.1f s", self.source.name, lost_for)
        if self._on_outage:
            self._on_outage(False)
