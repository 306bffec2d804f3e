"""The one place where error codes become HTTP statuses. Every error body is
`{"code": ..., "message": ...}` plus details; nothing becomes a bare 500."""

from __future__ import annotations

import logging

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from proctor.errors import ErrorCode, ProctorError

logger = logging.getLogger(__name__)

E = ErrorCode
STATUS: dict[ErrorCode, int] = {
    E.NOT_FOUND: 404,
    E.DATA_PURGED: 410,
    E.FILE_NOT_FOUND: 404,
    E.UNAUTHENTICATED: 401,
    E.FORBIDDEN: 403,
    E.CSRF_INVALID: 403,
    E.TRANSITION_INVALID: 409,
    E.ALREADY_EXISTS: 409,
    E.IDEMPOTENCY_CONFLICT: 409,
    E.ATTEMPT_NOT_ACTIVE: 409,
    E.PHOTO_LIMIT_REACHED: 409,
    E.NOT_ENROLLED: 409,
    E.CHECKPOINT_NOT_FAILED: 409,
    E.WATCHLIST_HIT_OPEN: 409,
    E.SECOND_REVIEWER_REQUIRED: 409,
    E.OWN_DECISION: 403,
    E.RESOLUTION_REQUIRED: 409,
    E.SURVEY_CLOSED: 409,
    E.SURVEY_ANSWERED: 409,
    E.SURVEY_CODE_INVALID: 404,
    E.RECEIPT_INVALID: 403,
    E.WEBHOOK_UNAUTHORISED: 401,
    E.CUSTODIAN_KEY_WRONG: 403,
    E.CUSTODIAN_KEY_MISSING: 503,
    E.RATE_LIMITED: 429,
    E.ACCOUNT_LOCKED: 429,
    E.UPLOAD_TOO_LARGE: 413,
    E.ENGINE_UNKNOWN: 503,
    E.ENGINE_UNAVAILABLE: 503,
    E.WEIGHTS_MISSING: 503,
    E.WEIGHTS_CORRUPT: 503,
    E.MODEL_CARD_INVALID: 503,
    E.CONFIG_INVALID: 503,
    E.SEALED_DATA_INVALID: 503,
}
DEFAULT_STATUS = 422  # bad images, rejected photos, invalid requests


def status_for(code: ErrorCode) -> int:
    return STATUS.get(code, DEFAULT_STATUS)


def error_response(status: int, code: str, message: str, **details: object) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"code": code, "message": message, **details}, status, headers=headers)


async def proctor_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, ProctorError)
    status = status_for(exc.code)
    if status >= 500:
        logger.error("service unavailable: %s (%s)", exc.message, exc.code)
    return error_response(status, str(exc.code), exc.message, **exc.details)


async def validation_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    # The offending input is left out: it may be a NIK, a name or image data.
    errors = [
        {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type")}
        for e in exc.errors()
    ]
    return error_response(422, E.REQUEST_INVALID, "the request is invalid", errors=errors)


async def http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    if exc.status_code == 400:
        # FastAPI's "error parsing the body": JSON nested past Python's recursion limit, a
        # broken multipart body. Invalid JSON is already a 422; so is every unreadable body.
        return error_response(422, E.REQUEST_INVALID, "the request body could not be read")
    code = {404: "not_found", 405: "method_not_allowed", 413: E.UPLOAD_TOO_LARGE}.get(
        exc.status_code, "http_error"
    )
    return error_response(exc.status_code, str(code), str(exc.detail))


async def _integrity_error(_request: Request, exc: Exception) -> JSONResponse:
    logger.warning("integrity conflict: %s", type(exc).__name__)
    return error_response(
        409, E.ALREADY_EXISTS, "a concurrent request changed the same record; retry the request"
    )


async def _database_unavailable(_request: Request, exc: Exception) -> JSONResponse:
    logger.error("database unavailable: %s", type(exc).__name__)
    return error_response(503, "database_unavailable", "the database cannot be reached; retry")


async def _unexpected(_request: Request, exc: Exception) -> JSONResponse:
    logger.exception("unexpected error", exc_info=exc)
    return error_response(500, "internal_error", "an unexpected error occurred; it is logged")


def install(app: FastAPI) -> None:
    app.add_exception_handler(ProctorError, proctor_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(IntegrityError, _integrity_error)
    app.add_exception_handler(OperationalError, _database_unavailable)
    app.add_exception_handler(Exception, _unexpected)
