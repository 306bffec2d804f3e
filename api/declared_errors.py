"""The error responses every API operation declares in the OpenAPI document, all with the one
error body (`{"code", "message", ...}`, see `proctor.api.errors`), so a client generated from
the document knows them and a schema fuzz finds no status it was not told of.

Which statuses an operation declares follows what can reach it: a token (401, 403), a path
parameter or a body that names a record (404), a body (409 conflicts, 413 over the size cap,
422 for anything invalid), the rate limits of public endpoints (429), and a database or an
engine that is down (503)."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel, ConfigDict, Field


class ErrorBody(BaseModel):
    """Every error: a stable code to act on and a message for people; some add details."""

    model_config = ConfigDict(extra="allow")

    code: str = Field(description="Stable error code, e.g. `not_found`, `upload_too_large`.")
    message: str = Field(description="What went wrong, for a person.")


MEANINGS = {
    401: "No token, or a token that is unknown, revoked or expired (`unauthenticated`).",
    403: "The caller's role or venue may not do this (`forbidden`, ...).",
    404: "A record the request names does not exist (`not_found`).",
    409: "The record's state does not allow this, or it exists already.",
    413: "The request body is over the size cap (`upload_too_large`).",
    422: "The request is invalid (`request_invalid`, image codes, ...).",
    429: "Too many attempts; retry later (`rate_limited`).",
    503: "The database or the face engine is unavailable; retry.",
}
WRITES = {"post", "put", "patch", "delete"}
REF = "#/components/schemas/ErrorBody"


def statuses_of(path: str, method: str, operation: dict[str, Any]) -> set[int]:
    """The error statuses one operation of the document can answer."""
    statuses = {422, 503}
    if operation.get("security"):
        statuses |= {401, 403}
    names_a_record = any(p.get("in") == "path" for p in operation.get("parameters", []))
    if names_a_record or method in WRITES:
        statuses.add(404)
    if method in WRITES:
        statuses |= {409, 413}
    if path.startswith("/api/v1/public/"):
        statuses.add(429)
    if path.startswith("/api/v1/wbs/"):
        statuses |= {403, 429}  # a receipt that does not open a report, tried too often
    if path.startswith("/api/v1/webhooks/"):
        statuses.add(401)  # the gateway's shared secret
    return statuses


def declare(app: FastAPI) -> None:
    """Write the error responses into the document FastAPI makes (its extension point: a
    wrapped `app.openapi`): each operation's statuses, all with the error body, which also
    replaces FastAPI's own 422 schema (this service answers 422 with the error body)."""
    make = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        document = make()
        for path, operations in document.get("paths", {}).items():
            for method, operation in operations.items():
                responses = operation.setdefault("responses", {})
                for status in sorted(statuses_of(path, method, operation)):
                    responses[str(status)] = {
                        "description": MEANINGS[status],
                        "content": {"application/json": {"schema": {"$ref": REF}}},
                    }
        schemas = document.setdefault("components", {}).setdefault("schemas", {})
        for unused in ("HTTPValidationError", "ValidationError"):
            schemas.pop(unused, None)
        schemas["ErrorBody"] = ErrorBody.model_json_schema(
            ref_template="#/components/schemas/{model}"
        )
        return document

    app.openapi = openapi  # type: ignore[method-assign]
