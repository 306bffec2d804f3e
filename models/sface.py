"""SFace embedder (OpenCV Zoo, 128-d) on onnxruntime, aligned on the ArcFace template."""

from __future__ import annotations

import numpy as np
import onnxruntime as ort

from proctor.faces.protocol import DetectedFace
from proctor.models.align import align_face
from proctor.models.onnx_graph import optimise_weight_only_quantised, quiet_session_options
from proctor.models.similarity import cosine
from proctor.models.weights import SFACE, WeightFile

_INPUT = "data"


class SFaceEmbedder:
    """Cosine similarity of L2-normalised 128-d embeddings, in [-1, 1]."""

    name = "sface"
    dim = 128
    floor = -1.0

    def __init__(
        self, *, flip: bool = True, threads: int | None = None, weights: WeightFile = SFACE
    ) -> None:
        data = weights.read_verified()
        try:
            optimised = optimise_weight_only_quantised(data, _INPUT)
            self._session = ort.InferenceSession(
                optimised, quiet_session_options(threads), providers=["CPUExecutionProvider"]
            )
        except Exception as exc:  # onnx and onnxruntime raise many unrelated types on bad files
            raise weights.unloadable("an SFace model") from exc
        self._flip = flip

    def embed(self, image: np.ndarray, face: DetectedFace) -> np.ndarray:
        crop = align_face(image, face.landmark_array())
        # The network takes RGB, NCHW, raw 0..255 values.
        rgb = crop[:, :, ::-1].astype(np.float32)
        batch = [rgb, rgb[:, ::-1]] if self._flip else [rgb]
        blob = np.ascontiguousarray(np.stack(batch).transpose(0, 3, 1, 2))
        features = np.concatenate([self._run(b[None]) for b in blob])
        return _unit(features.sum(axis=0))

    def _run(self, blob: np.ndarray) -> np.ndarray:
        return self._session.run(None, {_INPUT: blob})[0]

    def similarity(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        return cosine(a, b)


def _unit(v: np.ndarray) -> np.ndarray:
    norm = float(np.linalg.norm(v))
    return (v / norm if norm > 0 else v).astype(np.float32)
