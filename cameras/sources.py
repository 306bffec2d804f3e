"""Frame sources: a webcam index, a video file, a stream URL (RTSP/HTTP), a folder of images.

`parse_source("0")` picks one from the command line's `--source`. Sources open lazily and may
be reopened: the capture loop's watchdog does that when a camera goes away.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Protocol
from urllib.parse import urlparse

import cv2
import numpy as np

from proctor.errors import ErrorCode, InputImageError, SourceError
from proctor.models.imaging import load_image

IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".webp"}
STREAM_SCHEMES = {"rtsp", "rtsps", "http", "https", "rtmp"}
NETWORK_TIMEOUT_MS = 5000


class FrameSource(Protocol):
    name: str
    live: bool  # a camera or stream (reconnect when lost); a file or folder ends
    # A file or folder: where in the clip the frame just read sits, in seconds from the start
    # (None where the clip has no frame rate, and for a live source: its frames are stamped
    # by the wall clock).
    clip_seconds: float | None

    def open(self) -> None:
        """Raise `SourceError` when the source cannot be opened."""

    def read(self) -> np.ndarray | None:
        """The next BGR frame; None at the end of a file, or when a live source failed."""

    def close(self) -> None: ...


class VideoSource:
    """cv2.VideoCapture: webcam (int index), video file, or stream URL."""

    def __init__(
        self,
        target: int | str,
        *,
        live: bool,
        name: str,
        paced: bool = True,
        timeout_ms: int = NETWORK_TIMEOUT_MS,
        loop: bool = False,
    ) -> None:
        self._target, self.live, self.name = target, live, name
        self._timeout_ms = timeout_ms
        self._loop = loop and not live  # a file may start over at its end (the demo's stations)
        # A file plays at its own frame rate, as a camera would deliver it (paced=False: at once).
        self._paced = paced and not live
        self._interval = 0.0
        self._due = 0.0
        self._frame_seconds = 0.0  # one frame of the file, from its frame rate
        self._frames_read = 0  # since the first open, loops included
        self.clip_seconds: float | None = None
        self._capture: cv2.VideoCapture | None = None

    def open(self) -> None:
        self.close()
        if isinstance(self._target, str) and self.live:
            # Bounded waits: a stream that stops answering must not hang the capture thread.
            params = [
                cv2.CAP_PROP_OPEN_TIMEOUT_MSEC,
                self._timeout_ms,
                cv2.CAP_PROP_READ_TIMEOUT_MSEC,
                self._timeout_ms,
            ]
            capture = cv2.VideoCapture(self._target, cv2.CAP_ANY, params)
        else:
            capture = cv2.VideoCapture(self._target)
        if not capture.isOpened():
            capture.release()
            raise SourceError(f"cannot open {self.name}", code=ErrorCode.SOURCE_UNAVAILABLE)
        self._capture = capture
        fps = capture.get(cv2.CAP_PROP_FPS) if not self.live else 0.0
        self._frame_seconds = 1.0 / fps if fps and fps > 0 else 0.0
        self._interval = self._frame_seconds if self._paced else 0.0
        self._due = time.monotonic()

    def read(self) -> np.ndarray | None:
        if self._capture is None:
            return None
        if self._interval:
            delay = self._due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self._due = max(self._due + self._interval, time.monotonic())
        ok, image = self._capture.read()
        if not ok and self._loop:
            self._capture.set(cv2.CAP_PROP_POS_FRAMES, 0)
            ok, image = self._capture.read()
        if not ok or image is None:
            return None
        if self._frame_seconds:
            self.clip_seconds = self._frames_read * self._frame_seconds
        self._frames_read += 1
        return image

    def close(self) -> None:
        if self._capture is not None:
            self._capture.release()
            self._capture = None


class FolderSource:
    """The images of a folder in name order, paced at `fps` like a camera; ends after the
    last (or loops). Unreadable files are skipped."""

    live = False

    def __init__(self, folder: Path, *, fps: float = 10.0, loop: bool = False) -> None:
        self.name = f"folder {folder}"
        self._folder, self._interval, self._loop = folder, 1.0 / fps, loop
        self._paths: list[Path] = []
        self._next = 0
        self._due = 0.0
        self._slots = 0  # frame times used since the first open (a skipped file uses one)
        self.clip_seconds: float | None = None

    def open(self) -> None:
        if not self._folder.is_dir():
            raise SourceError(f"{self._folder} is not a folder", code=ErrorCode.SOURCE_UNAVAILABLE)
        self._paths = sorted(
            p for p in self._folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES
        )
        if not self._paths:
            raise SourceError(f"{self._folder} holds no images", code=ErrorCode.SOURCE_UNAVAILABLE)
        self._next, self._due = 0, time.monotonic()

    def read(self) -> np.ndarray | None:
        while True:
            if self._next >= len(self._paths):
                if not self._loop:
                    return None
                self._next = 0
            path = self._paths[self._next]
            self._next += 1
            delay = self._due - time.monotonic()
            if delay > 0:
                time.sleep(delay)
            self._due = max(self._due + self._interval, time.monotonic())
            self.clip_seconds = self._slots * self._interval
            self._slots += 1
            try:
                return load_image(path)
            except InputImageError:
                continue

    def close(self) -> None:
        self._paths = []


def parse_source(spec: str, *, folder_fps: float = 10.0, paced: bool = True) -> FrameSource:
    """`0` (webcam index), a video file, a folder of images, or an rtsp/http(s) URL."""
    text = spec.strip()
    if text.isdigit():
        return VideoSource(int(text), live=True, name=f"webcam {text}")
    scheme = urlparse(text).scheme.lower()
    if scheme in STREAM_SCHEMES:
        shown = urlparse(text)._replace(netloc=urlparse(text).hostname or "").geturl()
        return VideoSource(text, live=True, name=f"stream {shown}")  # no password in logs
    path = Path(text)
    if path.is_dir():
        return FolderSource(path, fps=folder_fps)
    if path.is_file():
        return VideoSource(str(path), live=False, name=f"file {path.name}", paced=paced)
    raise SourceError(
        f"{spec!r} is neither a webcam index, an existing file or folder, nor a stream URL",
        code=ErrorCode.SOURCE_INVALID,
    )
