"""The exam page a station's browser shows. It holds no data of its own: with the station's
token (given once in the URL fragment, which never reaches the server or its logs) it follows
the event stream and hides the questions the moment the exam pauses."""

from __future__ import annotations

import uuid
from pathlib import Path

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")

PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


@router.get("/station/{station_id}", response_class=HTMLResponse)
def station_page(station_id: uuid.UUID, request: Request) -> HTMLResponse:
    return templates.TemplateResponse(
        request, "station.html", {"station_id": str(station_id)}, headers=PAGE_HEADERS
    )
