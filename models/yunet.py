"""YuNet face detector (OpenCV Zoo, int8) on OpenCV's DNN module."""

from __future__ import annotations

import cv2
import numpy as np

from proctor.faces.protocol import DetectedFace, FaceBox
from proctor.models.config import DetectorConfig
from proctor.models.imaging import check_array
from proctor.models.weights import YUNET, WeightFile


class YuNetDetector:
    """Not thread-safe (the OpenCV object keeps its input size): one per thread or process."""

    def __init__(self, config: DetectorConfig, weights: WeightFile = YUNET) -> None:
        data = weights.read_verified()
        self._config = config
        try:
            self._net = cv2.FaceDetectorYN.create(
                "onnx",
                np.frombuffer(data, np.uint8),
                np.empty(0, np.uint8),
                (320, 320),
                config.score_threshold,
                config.nms_threshold,
                5000,
            )
        except cv2.error as exc:
            raise weights.unloadable("a YuNet model") from exc

    def detect(self, image: np.ndarray) -> list[DetectedFace]:
        image = check_array(image)
        faces = self._detect_scaled(image)
        if not faces and self._config.padded_retry:
            faces = self._detect_padded(image)
        return sorted(faces, key=lambda f: f.score, reverse=True)

    def _detect_scaled(self, image: np.ndarray) -> list[DetectedFace]:
        height, width = image.shape[:2]
        scale = min(1.0, self._config.max_side / max(height, width))
        if scale < 1.0:
            size = (max(1, round(width * scale)), max(1, round(height * scale)))
            small = cv2.resize(image, size, interpolation=cv2.INTER_AREA)
        else:
            small = image
        self._net.setInputSize((small.shape[1], small.shape[0]))
        _, rows = self._net.detect(small)
        if rows is None:
            return []
        sx = width / small.shape[1]
        sy = height / small.shape[0]
        return [_to_face(row, sx, sy) for row in rows]

    def _detect_padded(self, image: np.ndarray) -> list[DetectedFace]:
        pad = max(image.shape[:2]) // 4
        padded = cv2.copyMakeBorder(image, pad, pad, pad, pad, cv2.BORDER_CONSTANT, value=0)
        return [_shift(face, -pad) for face in self._detect_scaled(padded)]


def _to_face(row: np.ndarray, sx: float, sy: float) -> DetectedFace:
    x, y, w, h = (float(v) for v in row[:4])
    points = row[4:14].reshape(5, 2) * (sx, sy)
    return DetectedFace(
        box=FaceBox(x * sx, y * sy, w * sx, h * sy),
        landmarks=tuple((float(px), float(py)) for px, py in points),
        score=float(row[14]),
    )


def _shift(face: DetectedFace, offset: float) -> DetectedFace:
    b = face.box
    return DetectedFace(
        box=FaceBox(b.x + offset, b.y + offset, b.width, b.height),
        landmarks=tuple((x + offset, y + offset) for x, y in face.landmarks),
        score=face.score,
    )
