"""The committee's audit trail browser: filters, the chain's verification, and CSV export."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from urllib.parse import urlencode

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response, StreamingResponse
from sqlalchemy import select

from proctor import local_time
from proctor.access.tokens import Role
from proctor.api.chain_watch import check_and_record
from proctor.api.console import audit_words, i18n
from proctor.api.console.auth import current_user, form_user
from proctor.api.console.names import token_labels
from proctor.api.console.pages import render
from proctor.api.deps import Context, DbSession
from proctor.audit import browse
from proctor.audit.browse import RecordFilter
from proctor.audit.checks import recent_checks
from proctor.audit.hashing import canonical
from proctor.errors import ErrorCode, RejectedInputError
from proctor.exam import catalog
from proctor.store.access import ApiToken
from proctor.store.audit import AuditRecord

router = APIRouter(prefix="/console", include_in_schema=False)
READERS = (Role.COMMITTEE, Role.ADMIN)
PAGE = 200
COLUMNS = (
    "id", "at", "actor", "action", "subject_type", "subject_id", "venue_id", "details", "hash",
)  # fmt: skip


def _filter(params: dict[str, str], zone: str) -> RecordFilter:
    return RecordFilter(
        action=params.get("action", ""),
        actor=params.get("actor", ""),
        subject=params.get("subject", ""),
        venue=_venue_id(params.get("venue", "")),
        since=local_time.typed_day(params.get("since"), zone),
        until=local_time.typed_day(params.get("until"), zone, end=True),
    )


def _venue_id(value: str) -> uuid.UUID | None:
    try:
        return uuid.UUID(value) if value else None
    except ValueError:
        raise RejectedInputError(
            f"no venue {value!r}", code=ErrorCode.REQUEST_INVALID, field="venue"
        ) from None


def _params(request: Request) -> dict[str, str]:
    keys = ("action", "actor", "venue", "subject", "since", "until")
    return {k: request.query_params.get(k, "").strip()[:80] for k in keys}


@router.get("/audit", response_class=HTMLResponse)
def audit_page(request: Request, db: DbSession, before: int | None = None) -> HTMLResponse:
    """The records in words, newest first, a page at a time (`before`: the next page), runs of
    repeats folded; and the latest full checks of the chain (the service checks every round;
    walking every record on each page load would cost seconds per 100,000)."""
    user = current_user(request, db)
    user.principal.require(*READERS)
    params = _params(request)
    rows = browse.newest(db, _filter(params, user.zone), PAGE, before=before)
    checks = recent_checks(db)
    query = urlencode({k: v for k, v in params.items() if v})
    older = rows[-1].id if len(rows) == PAGE else None
    actors = [r.actor for r in rows] + [c.by for c in checks]
    lang = i18n.language(request)
    return render(
        request, "audit.html", user, rows=browse.fold(rows), params=params, checks=checks,
        query=query, page=PAGE, who=token_labels(db, actors), older=older, before=before,
        people=people(db), venues=catalog.venues(db), groups=audit_words.group_words(lang),
        said=audit_words.action_words(lang), details=audit_words.detail_words(lang),
    )  # fmt: skip


def people(db: DbSession) -> list[tuple[str, str]]:
    """(actor, name) of everyone with a name: accounts and labelled tokens."""
    rows = db.execute(
        select(ApiToken.role, ApiToken.id, ApiToken.label).where(ApiToken.label != "")
    )
    return sorted(((f"{role}:{ident}", label) for role, ident, label in rows), key=lambda p: p[1])


@router.post("/audit/verify")
async def verify_now(request: Request, db: DbSession, context: Context) -> Response:
    """Check the whole chain now, for a committee member who will not wait for the next round."""
    user, _ = await form_user(request, db)
    user.principal.require(*READERS)
    db.close()  # the check uses its own session; this one holds nothing
    await asyncio.to_thread(check_and_record, context.sessions, by=user.principal.actor, wait=True)
    return RedirectResponse("/console/audit", status_code=303)


@router.get("/audit.csv")
def audit_csv(request: Request, db: DbSession) -> StreamingResponse:
    user = current_user(request, db)
    user.principal.require(*READERS)
    records = browse.in_order(db, _filter(_params(request), user.zone))
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    return StreamingResponse(
        _csv_lines(records),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="audit-{stamp}.csv"',
            "Cache-Control": "no-store",
        },
    )


def _csv_lines(records: Iterator[AuditRecord]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(COLUMNS)
    for record in records:
        writer.writerow(
            [record.id, record.at.isoformat(), record.actor, record.action, record.subject_type,
             record.subject_id, record.venue_id or "", canonical(record.details), record.hash]
        )  # fmt: skip
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()
