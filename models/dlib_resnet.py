"""dlib's ResNet face embedder (128-d): the model `face_recognition` uses, loaded directly.

`face_recognition` itself is not imported: at import time it loads the 68-point landmark model
(not licensed for commercial use) and calls `quit()` when `face_recognition_models` cannot be
imported. This module uses the same weight files with dlib's 5-point alignment, which is what
`face_recognition.face_encodings(..., model="small")` does.
"""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any

import numpy as np

from proctor.errors import EngineError, ErrorCode
from proctor.faces.protocol import DetectedFace
from proctor.models.similarity import one_minus_distance
from proctor.models.weights import DLIB_RESNET, DLIB_SHAPE_5, WeightFile

CHIP_SIZE = 150
CHIP_PADDING = 0.25

# dlib's 5-point landmark model was trained on dlib's HOG detector boxes, which are wider, shorter
# and lower than YuNet's. The box handed to it is YuNet's mapped to the HOG shape: (left, top)
# offsets and (width, height) scales relative to the YuNet box, medians over 855 devtrain photos
# (benchmarks/dlib_box.py). On LFW devtest this lowers dlib's EER from 1.00 % to 0.81 % and
# lifts fused TAR at FAR 1e-3 from 99.29 % to 99.49 %.
YUNET_TO_DLIB_BOX = (-0.0995, 0.112, 1.1405, 0.861)


def import_dlib() -> ModuleType:
    try:
        return importlib.import_module("dlib")
    except ImportError as exc:
        raise EngineError(
            "the dlib engine needs the optional dependencies: pip install 'proctor[dlib]'",
            code=ErrorCode.ENGINE_UNAVAILABLE,
        ) from exc


class DlibEmbedder:
    """Similarity is 1 - Euclidean distance of dlib descriptors (dlib's own 0.6 distance
    threshold is a similarity of 0.4); it lies in [-1, 1] for descriptors of norm <= 1."""

    name = "dlib"
    dim = 128
    floor = -1.0

    def __init__(
        self,
        *,
        flip: bool = True,
        threads: int | None = None,
        resnet: WeightFile = DLIB_RESNET,
        shape: WeightFile = DLIB_SHAPE_5,
    ) -> None:
        del threads  # dlib's Python API has no thread setting; it runs on the calling thread
        self._dlib = import_dlib()
        try:
            self._shape = self._dlib.shape_predictor(str(shape.verified_path()))
        except RuntimeError as exc:
            raise shape.unloadable("a dlib shape predictor") from exc
        try:
            self._net = self._dlib.face_recognition_model_v1(str(resnet.verified_path()))
        except RuntimeError as exc:
            raise resnet.unloadable("a dlib face recognition model") from exc
        self._flip = flip

    def embed(self, image: np.ndarray, face: DetectedFace) -> np.ndarray:
        rgb = np.ascontiguousarray(image[:, :, ::-1])
        shape = self._shape(rgb, self._rectangle(face))
        chip = self._dlib.get_face_chip(rgb, shape, size=CHIP_SIZE, padding=CHIP_PADDING)
        chips = [chip, np.ascontiguousarray(chip[:, ::-1])] if self._flip else [chip]
        descriptors = [np.asarray(self._net.compute_face_descriptor(c)) for c in chips]
        return np.mean(descriptors, axis=0).astype(np.float32)

    def _rectangle(self, face: DetectedFace) -> Any:  # a dlib.rectangle
        box = face.box
        dx, dy, sw, sh = YUNET_TO_DLIB_BOX
        left, top = box.x + dx * box.width, box.y + dy * box.height
        return self._dlib.rectangle(
            round(left), round(top), round(left + sw * box.width), round(top + sh * box.height)
        )

    def similarity(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return one_minus_distance(a, b)
