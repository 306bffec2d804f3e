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
    CANDIDATES_FILE_INVALID = "candidates_file_invalid"
    HEADS_FILE_INVALID = "heads_file_invalid"  # a witness's store or an export's heads
    LAPOR_FILE_INVALID = "lapor_file_invalid"  # an SP4N-LAPOR! import that cannot be read
    FILE_NOT_FOUND = "file_not_found"
    # Requests and records
    REQUEST_INVALID = "request_invalid"
    UPLOAD_TOO_LARGE = "upload_too_large"
    NOT_FOUND = "not_found"
    ALREADY_EXISTS = "already_exists"
    IDEMPOTENCY_CONFLICT = "idempotency_conflict"
    # Access
    UNAUTHENTICATED = "unauthenticated"
    FORBIDDEN = "forbidden"
    CSRF_INVALID = "csrf_invalid"  # a console form without its session's token
    ACCOUNT_LOCKED = "account_locked"  # too many wrong passwords in a row
    PASSWORD_WEAK = "password_weak"  # noqa: S105 - an error code, not a password
    # Exam workflow
    TRANSITION_INVALID = "transition_invalid"
    ATTEMPT_NOT_ACTIVE = "attempt_not_active"
    PHOTO_REJECTED = "photo_rejected"
    PHOTO_LIMIT_REACHED = "photo_limit_reached"
    NOT_ENROLLED = "not_enrolled"
    CHECKPOINT_NOT_FAILED = "checkpoint_not_failed"
    WATCHLIST_HIT_OPEN = "watchlist_hit_open"
    # Audit log
    TREE_SIZE_INVALID = "tree_size_invalid"  # no such tree, or a proof between sizes it lacks
    # Incident review, complaints, whistleblowing
    SECOND_REVIEWER_REQUIRED = "second_reviewer_required"
    OWN_DECISION = "own_decision"
    REASON_REQUIRED = "reason_required"
    RESOLUTION_REQUIRED = "resolution_required"
    RECEIPT_INVALID = "receipt_invalid"
    RATE_LIMITED = "rate_limited"
    CUSTODIAN_KEY_MISSING = "custodian_key_missing"
    CUSTODIAN_KEY_WRONG = "custodian_key_wrong"
    WEBHOOK_UNAUTHORISED = "webhook_unauthorised"
    # Satisfaction survey
    SURVEY_CLOSED = "survey_closed"  # not offered (yet or any more) for this service
    SURVEY_ANSWERED = "survey_answered"  # one answer per candidate per session, per complaint
    SURVEY_CODE_INVALID = "survey_code_invalid"  # no exam card has this code
    # Configuration
    CONFIG_INVALID = "config_invalid"
    SEALED_DATA_INVALID = "sealed_data_invalid"  # an image or template that does not decrypt
    DATA_PURGED = "data_purged"  # deleted under the retention schedule
    # Cameras
    SOURCE_INVALID = "source_invalid"
    SOURCE_UNAVAILABLE = "source_unavailable"


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


class NotFoundError(ProctorError):
    """An id names no record (or none the caller may see)."""

    code = ErrorCode.NOT_FOUND


class ConflictError(ProctorError):
    """The request contradicts the current state: a refused transition, a duplicate, a replay
    whose content differs from the original."""

    code = ErrorCode.TRANSITION_INVALID


class AccessError(ProctorError):
    """Missing, unknown or revoked credentials, or a role or scope that does not allow this."""

    code = ErrorCode.FORBIDDEN


class RejectedInputError(ProctorError):
    """Well-formed input that the rules refuse, such as a registration photo failing the
    quality gate."""

    code = ErrorCode.PHOTO_REJECTED


class ConfigError(ProctorError):
    """The service's own configuration cannot be used."""

    code = ErrorCode.CONFIG_INVALID


class SourceError(ProctorError):
    """A frame source cannot be named, opened or read."""

    code = ErrorCode.SOURCE_UNAVAILABLE
