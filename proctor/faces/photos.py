"""A photo as the exam workflow sees it: the bytes kept as evidence, and what the face engine
read from them. The engine itself lives in `proctor.models`; the service hands readings in."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np

from proctor.faces.protocol import FaceEngine
from proctor.faces.quality import LIVE_PROBLEMS, QualityReason, QualityReport, Severity


@dataclass(frozen=True)
class PhotoReading:
    data: bytes
    content_type: str
    engine: str
    embedding: np.ndarray | None
    quality: QualityReport  # the registration gate's verdict
    face_count: int
    # What makes the face hard to match as a live photo (`quality.live_problems`); None where
    # the reader measured nothing more than the gate: then its rejections that are live ones.
    live_problems: tuple[QualityReason, ...] | None = None

    @property
    def problems(self) -> tuple[QualityReason, ...]:
        if self.live_problems is not None:
            return self.live_problems
        return tuple(
            r
            for r in self.quality.reasons
            if r.code in LIVE_PROBLEMS and r.severity is Severity.REJECT
        )

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


class PhotoReader(Protocol):
    """Decodes photo bytes and reads the candidate's face with one engine."""

    engine: FaceEngine

    def read(self, data: bytes) -> PhotoReading: ...


def sniff_content_type(data: bytes) -> str:
    """The image type by its magic number (never by the client's claim)."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    if data.startswith(b"BM"):
        return "image/bmp"
    if data[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    return "application/octet-stream"


def template_bytes(embedding: np.ndarray) -> bytes:
    return np.asarray(embedding, dtype="<f4").tobytes()


def template_array(data: bytes) -> np.ndarray:
    return np.frombuffer(data, dtype="<f4").astype(np.float32)


def best_score(engine: FaceEngine, probe: np.ndarray, templates: Sequence[np.ndarray]) -> float:
    """The highest similarity of `probe` to any enrolled template (the floor if none)."""
    if not templates:
        return engine.floor_score
    gallery = np.stack(templates)
    return float(engine.compare_many(probe, gallery).max())
