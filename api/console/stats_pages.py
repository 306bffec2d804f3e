"""The committee's statistics per venue and session, with a chart and a CSV export."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, fields

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from proctor import local_time
from proctor.access.tokens import Role
from proctor.api.console.auth import current_user
from proctor.api.console.charts import bar_chart
from proctor.api.console.pages import render
from proctor.api.deps import DbSession
from proctor.clock import utcnow
from proctor.review.statistics import SessionFigures, compliance, per_session

router = APIRouter(prefix="/console", include_in_schema=False)
READERS = (Role.COMMITTEE, Role.ADMIN)
SERIES = ("checkpoint_failures", "pauses", "confirmed_proxies", "false_alarms")


@router.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request, db: DbSession) -> HTMLResponse:
    """Per venue and session, oldest first: a grouped bar chart of what happened (checkpoint
    failures, pauses, confirmed proxies, false alarms), the table with the time to decision,
    and how each venue kept the complaint deadlines."""
    user = current_user(request, db)
    user.principal.require(*READERS)
    rows = per_session(db)
    groups = [(f"{r.venue} {r.session}", local_time.text(r.starts_at, user.zone, "date")
               if r.starts_at else "") for r in rows]  # fmt: skip
    chart = bar_chart(groups, [(name, [getattr(r, name) for r in rows]) for name in SERIES])
    return render(
        request, "stats.html", user, rows=rows, chart=chart, series=SERIES,
        compliance=compliance(db, utcnow()),
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
