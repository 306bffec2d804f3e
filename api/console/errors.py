"""Errors on the console and public pages are pages for people: the API's status and stable
code, said in the reader's language, instead of the API's JSON. The JSON and CSV the pages'
scripts fetch keep the API's JSON errors."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from proctor.api import errors as api_errors
from proctor.api.console.pages import render
from proctor.errors import ProctorError

PEOPLE = ("/console", "/public")
MACHINES = (".json", ".csv")

Handler = Callable[[Request, Exception], Awaitable[Response]]


def for_people(request: Request) -> bool:
    path = request.url.path
    return path.startswith(PEOPLE) and not path.endswith(MACHINES)


def _as_page(api_handler: Handler) -> Handler:
    async def handle(request: Request, exc: Exception) -> Response:
        answer = await api_handler(request, exc)
        if not for_people(request):
            return answer
        code = json.loads(bytes(answer.body)).get("code", "")
        page = render(request, "error.html", code=code, status=answer.status_code)
        page.status_code = answer.status_code
        return page

    return handle


def install(app: FastAPI) -> None:
    """Call after the API's handlers are installed: these wrap them."""
    for kind, handler in (
        (ProctorError, api_errors.proctor_error),
        (RequestValidationError, api_errors.validation_error),
        (StarletteHTTPException, api_errors.http_error),
    ):
        app.add_exception_handler(kind, _as_page(handler))
