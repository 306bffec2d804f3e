"""Photo bytes in, `PhotoReading` out: the face engine as the exam workflow uses it."""

from __future__ import annotations

import threading

from proctor.faces.photos import PhotoReading, sniff_content_type
from proctor.faces.protocol import FaceEngine
from proctor.faces.quality import QualityPolicy, live_problems
from proctor.models.face_api import analyse
from proctor.models.imaging import decode_image


class EngineReader:
    """Thread-safe: the engine (OpenCV's DNN in particular) is used by one thread at a time."""

    def __init__(self, engine: FaceEngine, policy: QualityPolicy | None = None) -> None:
        self.engine = engine
        self._policy = policy
        self._lock = threading.Lock()

    def read(self, data: bytes) -> PhotoReading:
        image = decode_image(data)  # raises InputImageError with a stable code
        with self._lock:
            analysis = analyse(self.engine, image, self._policy)
        faces = 0 if analysis.face is None else 1 + len(analysis.other_faces)
        return PhotoReading(
            data=bytes(data),
            content_type=sniff_content_type(data),
            engine=self.engine.name,
            embedding=analysis.embedding,
            quality=analysis.quality,
            face_count=faces,
            live_problems=live_problems(analysis.measurements, self._policy),
        )
