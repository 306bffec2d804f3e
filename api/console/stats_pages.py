"""The committee's statistics per venue and session, with a chart and a CSV export."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, fields

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from proctor.access.tokens import Role
from proctor.api.console.auth import current_user
from proctor.api.console.pages import render
from proctor.api.deps import DbSession
from proctor.clock import utcnow
from proctor.review.statistics import SessionFigures, compliance, per_session

router = APIRouter(prefix="/console", include_in_schema=False)
READERS = (Role.COMMITTEE, Role.ADMIN)
BAR_WIDTH, CHART_HEIGHT = 36, 160


def _bars(rows: list[SessionFigures]) -> list[dict]:
    """Pauses and confirmed proxies per session, as SVG bar geometry."""
    top = max([r.pauses for r in rows] + [1])
    bars = []
    for i, row in enumerate(rows):
        x = 40 + i * (2 * BAR_WIDTH + 24)
        for j, (value, kind) in enumerate(
            ((row.pauses, "pauses"), (row.confirmed_proxies, "confirmed"))
        ):
            height = round(value / top * (CHART_HEIGHT - 30), 1)
            bars.append({"x": x + j * BAR_WIDTH, "y": CHART_HEIGHT - 20 - height, "h": height,
                         "kind": kind, "value": value})  # fmt: skip
    return bars


@router.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request, db: DbSession) -> HTMLResponse:
    user = current_user(request, db)
    user.principal.require(*READERS)
    rows = per_session(db)
    return render(
        request, "stats.html", user, rows=rows, bars=_bars(rows),
        compliance=compliance(db, utcnow()), chart_width=60 + len(rows) * (2 * BAR_WIDTH + 24),
        chart_height=CHART_HEIGHT,
    )  # fmt: skip


@router.get("/stats.csv")
def stats_csv(request: Request, db: DbSession) -> Response:
    user = current_user(request, db)
    user.principal.require(*READERS)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    names = [f.name for f in fields(SessionFigures)]
    writer.writerow(names)
    for row in per_session(db):
        values = asdict(row)
        writer.writerow([values[n] for n in names])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="statistics.csv"',
                 "Cache-Control": "no-store"},
    )  # fmt: skip
