"""One error hierarchy for the whole service, each error with a stable code.

Codes are part of the public contract (CLI JSON, HTTP bodies, audit records): never rename one.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class ErrorCode(StrEnum):
    # Input images
    IMAGE_EMPTY = "image_empty"
    IMAGE_UNREADABLE = "image_unreadable"
    IMAGE_TRUNCATED = "image_truncated"
    IMAGE_TOO_LARGE = "image_too_large"
    IMAGE_UNSUPPORTED = "image_unsupported"
    IMAGE_INVALID_ARRAY = "image_invalid_array"
    # Face engines
    ENGINE_UNKNOWN = "engine_unknown"
    ENGINE_UNAVAILABLE = "engine_unavailable"
    WEIGHTS_MISSING = "weights_missing"
    WEIGHTS_CORRUPT = "weights_corrupt"
    MODEL_CARD_INVALID = "model_card_invalid"
    EMBEDDING_INVALID = "embedding_invalid"
    # Batch inputs
    PAIRS_FILE_INVALID = "pairs_file_invalid"
    FILE_NOT_FOUND = "file_not_found"


class ProctorError(Exception):
    """Base of every error the service raises on purpose."""

    code: ErrorCode = ErrorCode.IMAGE_UNREADABLE

    def __init__(self, message: str, *, code: ErrorCode | None = None, **details: Any) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message
        self.details = details

    def to_dict(self) -> dict[str, Any]:
        return {"code": str(self.code), "message": self.message, **self.details}


class InputImageError(ProctorError):
    """The bytes or array given as an image cannot be used."""


class EngineError(ProctorError):
    """A face engine cannot be built or used."""

    code = ErrorCode.ENGINE_UNAVAILABLE


class WeightFileError(EngineError):
    """A weight file is missing or does not match its pinned digest."""

    def __init__(self, message: str, *, code: ErrorCode, path: str) -> None:
        super().__init__(message, code=code, path=path)
        self.path = path


class InputFileError(ProctorError):
    """A file given on the command line is missing or malformed."""

    code = ErrorCode.FILE_NOT_FOUND
