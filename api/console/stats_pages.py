"""The committee's statistics per venue and session, with a chart and a CSV export."""

from __future__ import annotations

import csv
import io
from dataclasses import asdict, fields
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from proctor import local_time
from proctor.access.tokens import Role
from proctor.api.console import i18n
from proctor.api.console.auth import current_user
from proctor.api.console.charts import bar_chart
from proctor.api.console.pages import render
from proctor.api.deps import DbSession
from proctor.clock import utcnow
from proctor.exam import catalog
from proctor.review.statistics import SessionFigures, compliance, per_session, per_week

router = APIRouter(prefix="/console", include_in_schema=False)
READERS = (Role.COMMITTEE, Role.ADMIN)
SERIES = ("checkpoint_failures", "pauses", "confirmed_proxies", "false_alarms")


def _chosen(request: Request, db: DbSession, zone: str) -> tuple[list[SessionFigures], dict]:
    """The sessions the filters keep: one venue (its code), and a period of session starts
    typed dd/mm/yyyy in the reader's zone."""
    params = {k: request.query_params.get(k, "").strip()[:40] for k in ("venue", "since", "until")}
    since = local_time.typed_day(params["since"], zone)
    until = local_time.typed_day(params["until"], zone, end=True)
    rows = [
        r for r in per_session(db)
        if (not params["venue"] or r.venue == params["venue"])
        and (since is None or (r.starts_at is not None and r.starts_at >= since))
        and (until is None or (r.starts_at is not None and r.starts_at <= until))
    ]  # fmt: skip
    return rows, params


@router.get("/stats", response_class=HTMLResponse)
def stats_page(request: Request, db: DbSession) -> HTMLResponse:
    """Per venue and session, oldest first: a grouped bar chart of what happened (checkpoint
    failures, pauses, confirmed proxies, false alarms), the table with the time to decision,
    and how each venue kept the complaint deadlines."""
    user = current_user(request, db)
    user.principal.require(*READERS)
    rows, params = _chosen(request, db, user.zone)
    groups = [(f"{r.venue} {r.session}", local_time.text(r.starts_at, user.zone, "date")
               if r.starts_at else "") for r in rows]  # fmt: skip
    chart = bar_chart(groups, [(name, [getattr(r, name) for r in rows]) for name in SERIES])
    weeks = per_week(rows, user.zone)
    count = i18n.translator(i18n.language(request))("n_sessions")
    weekly = bar_chart(
        [(w.week.strftime("%d/%m"), count.format(n=w.sessions)) for w in weeks],
        [(name, [getattr(w, name) for w in weeks]) for name in SERIES],
    )
    return render(
        request, "stats.html", user, rows=rows, chart=chart, series=SERIES, weekly=weekly,
        weeks=weeks,
        compliance=compliance(db, utcnow()), params=params, venues=catalog.venues(db),
        query=urlencode({k: v for k, v in params.items() if v}),
    )  # fmt: skip


@router.get("/stats.csv")
def stats_csv(request: Request, db: DbSession) -> Response:
    user = current_user(request, db)
    user.principal.require(*READERS)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    names = [f.name for f in fields(SessionFigures)]
    writer.writerow(names)
    for row in _chosen(request, db, user.zone)[0]:
        values = asdict(row)
        writer.writerow([values[n] for n in names])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="statistics.csv"',
                 "Cache-Control": "no-store"},
    )  # fmt: skip
