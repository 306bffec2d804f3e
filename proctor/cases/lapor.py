"""The exchange with SP4N-LAPOR!, the national complaint portal, by file: the service has no
line to it, so an officer imports the reports LAPOR! hands over to the committee and sends back
the replies and status changes this service made (README: "SP4N-LAPOR! exchange").

Import (`FORMAT`, JSON or CSV): one report per object or row, with the fields of `FIELDS`;
`tracking_id` (LAPOR!'s own number), `title` and `content` are required. The whole file is
checked before anything is written; a report imported before (the same tracking ID, in an
earlier file or twice in this one) is counted once. Each becomes a complaint on the `lapor`
channel under the same procedure, deadlines, escalation and survey as any other.

Export: every status change and public reply of those complaints since a moment, oldest first,
each naming LAPOR!'s tracking ID and the word LAPOR! uses for the status.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor import local_time
from proctor.audit import trail
from proctor.cases import complaints
from proctor.cases.complaints import Category, Channel, NewComplaint
from proctor.cases.deadlines import ComplaintRules
from proctor.cases.procedure import CaseState
from proctor.clock import utcnow
from proctor.errors import ErrorCode, InputFileError
from proctor.store.audit import AuditRecord
from proctor.store.complaints import Complaint, ComplaintMessage
from proctor.store.exam import Venue

FORMAT = "proctor-lapor-exchange/1"
FIELDS = (
    "tracking_id", "title", "content", "submitted_at", "category", "venue_code",
    "reporter_name", "reporter_contact",
)  # fmt: skip
REF = "lapor:"
TRACKING_ID = re.compile(r"^#?([A-Za-z0-9-]{3,40})$")
MAX_REPORTS = 5000
# The status words LAPOR! shows for each state of ours.
LAPOR_STATUS = {
    CaseState.RECEIVED: "Belum Ditindaklanjuti",
    CaseState.IN_PROGRESS: "Proses",
    CaseState.RESOLVED: "Selesai",
    CaseState.CLOSED: "Selesai",
}
EXPORT_COLUMNS = (
    "lapor_tracking_id", "tracking_number", "at", "kind", "state", "lapor_status", "text",
)  # fmt: skip


@dataclass(frozen=True)
class Report:
    tracking_id: str
    title: str
    content: str
    submitted_at: datetime | None = None
    category: Category = Category.OTHER
    venue_code: str | None = None
    reporter_name: str | None = None
    reporter_contact: str | None = None


@dataclass
class Imported:
    new: list[Complaint] = field(default_factory=list)
    duplicates: int = 0


def _rows(data: bytes) -> list[dict[str, Any]]:
    """JSON (a list, or {"format": ..., "reports": [...]}) or CSV with a header row."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise _invalid("the file is not UTF-8 text") from exc
    stripped = text.lstrip()
    if stripped.startswith(("[", "{")):
        try:
            parsed = json.loads(stripped)
        except json.JSONDecodeError as exc:
            raise _invalid(f"not valid JSON: {exc.msg} at line {exc.lineno}") from exc
        rows = parsed.get("reports") if isinstance(parsed, dict) else parsed
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise _invalid("JSON must be a list of reports, or an object with `reports`")
        return rows
    reader = csv.DictReader(io.StringIO(text))
    if not reader.fieldnames or "tracking_id" not in reader.fieldnames:
        raise _invalid("CSV needs a header row naming tracking_id, title and content")
    return list(reader)


def _invalid(message: str, **details: Any) -> InputFileError:
    return InputFileError(message, code=ErrorCode.LAPOR_FILE_INVALID, **details)


def _text(row: dict[str, Any], name: str, limit: int) -> str | None:
    value = row.get(name)
    if value is None or str(value).strip() == "":
        return None
    return str(value).strip()[:limit]


def _report(row: dict[str, Any], zone: str) -> Report:
    unknown = set(row) - set(FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(map(str, unknown)))}")
    found = TRACKING_ID.match(_text(row, "tracking_id", 41) or "")
    if found is None:
        raise ValueError("tracking_id must be LAPOR!'s tracking number (3-40 letters or digits)")
    title, content = _text(row, "title", 200), _text(row, "content", 10_000)
    if title is None or len(title) < 3 or content is None:
        raise ValueError("title (3 characters at least) and content are required")
    submitted = _text(row, "submitted_at", 40)
    category = _text(row, "category", 40)
    return Report(
        tracking_id=found.group(1),
        title=title,
        content=content,
        submitted_at=_moment(submitted, zone) if submitted else None,
        category=Category(category) if category in set(Category) else Category.OTHER,
        venue_code=_text(row, "venue_code", 32),
        reporter_name=_text(row, "reporter_name", 200),
        reporter_contact=_text(row, "reporter_contact", 200),
    )


def _moment(text: str, zone: str) -> datetime:
    """ISO 8601 (with or without an offset: without one, the service's zone), or the day as
    people write it (dd/mm/yyyy), at its start."""
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        return local_time.day_start(local_time.parse_day(text), zone)
    return at if at.tzinfo else at.replace(tzinfo=local_time.zone_info(zone))


def since_day(text: str, zone: str) -> datetime | None:
    """A day as typed (empty: from the beginning), from its first instant in `zone`."""
    return local_time.day_start(local_time.parse_day(text), zone) if text.strip() else None


def parse(data: bytes, zone: str = local_time.DEFAULT_ZONE) -> list[Report]:
    """Every report of a file, or `lapor_file_invalid` naming each row that is wrong."""
    rows = _rows(data)
    if len(rows) > MAX_REPORTS:
        raise _invalid(f"at most {MAX_REPORTS} reports a file")
    reports, errors = [], []
    for number, row in enumerate(rows, start=1):
        try:
            reports.append(_report(row, zone))
        except ValueError as exc:
            errors.append({"row": number, "message": str(exc)})
    if errors:
        raise _invalid(f"{len(errors)} of {len(rows)} reports cannot be imported", rows=errors)
    return reports


def import_reports(
    session: Session,
    reports: Iterable[Report],
    rules: ComplaintRules,
    *,
    actor: str,
    source_digest: str,
    now: datetime | None = None,
) -> Imported:
    """Complaints from the reports not imported before, all in the caller's transaction."""
    now, reports = now or utcnow(), list(reports)
    codes = {r.venue_code for r in reports if r.venue_code}
    venues = dict(session.execute(select(Venue.code, Venue.id).where(Venue.code.in_(codes))).all())
    if missing := sorted(codes - set(venues)):
        raise _invalid(f"unknown venue codes: {', '.join(missing)}", venue_codes=missing)
    done, seen = Imported(), set()
    for report in reports:
        ref = REF + report.tracking_id
        if ref in seen or session.scalar(select(Complaint.id).where(Complaint.external_ref == ref)):
            done.duplicates += 1
            continue
        seen.add(ref)
        case = complaints.receive(
            session,
            NewComplaint(
                Channel.LAPOR, report.category, report.title, report.content,
                venues.get(report.venue_code), report.reporter_name, report.reporter_contact,
                external_ref=ref,
            ),
            rules, actor=actor, entered_by=actor, now=now,
        )  # fmt: skip
        if report.submitted_at is not None:
            session.add(
                ComplaintMessage(
                    complaint_id=case.id, at=now, author="system", actor=actor, public=False,
                    body=f"SP4N-LAPOR! #{report.tracking_id}, dilaporkan "
                    f"{local_time.text(report.submitted_at, rules.timezone)}.",
                )
            )  # fmt: skip
        done.new.append(case)
    trail.record(
        session, actor=actor, action="lapor.imported", subject_type="lapor_file",
        subject_id=source_digest, imported=len(done.new), duplicates=done.duplicates,
    )  # fmt: skip
    session.flush()
    return done


def tracking_id_of(case: Complaint) -> str | None:
    """LAPOR!'s tracking number of a complaint imported from it."""
    if case.channel != Channel.LAPOR or not case.external_ref:
        return None
    return case.external_ref.removeprefix(REF)


def digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def updates(session: Session, since: datetime | None) -> list[dict[str, Any]]:
    """Every status change and public reply of the complaints from LAPOR! after `since`."""
    cases = {
        str(c.id): c
        for c in session.scalars(select(Complaint).where(Complaint.channel == str(Channel.LAPOR)))
    }
    if not cases:
        return []
    out = []
    records = select(AuditRecord).where(
        AuditRecord.subject_type == "complaint", AuditRecord.subject_id.in_(list(cases))
    )
    if since is not None:
        records = records.where(AuditRecord.at > since)
    for record in session.scalars(records):
        state = record.action.removeprefix("complaint.")
        if record.action == "complaint.received":
            state = str(CaseState.RECEIVED)
        elif state not in set(CaseState):
            continue  # escalations, reclassifications: LAPOR! has no word for them
        case = cases[record.subject_id]
        text = case.resolution_note if state == CaseState.RESOLVED else None
        out.append(_update(case, record.at, "status", state, text))
    messages = select(ComplaintMessage).where(
        ComplaintMessage.complaint_id.in_([uuid.UUID(i) for i in cases]),
        ComplaintMessage.public.is_(True),
        ComplaintMessage.author == "officer",
    )
    if since is not None:
        messages = messages.where(ComplaintMessage.at > since)
    for message in session.scalars(messages):
        out.append(
            _update(cases[str(message.complaint_id)], message.at, "reply", None, message.body)
        )
    return sorted(out, key=lambda u: (u["at"], u["kind"] != "status"))


def _update(
    case: Complaint, at: datetime, kind: str, state: str | None, text: str | None
) -> dict[str, Any]:
    return {
        "lapor_tracking_id": tracking_id_of(case),
        "tracking_number": case.tracking_number,
        "at": at.isoformat(),
        "kind": kind,
        "state": state,
        "lapor_status": LAPOR_STATUS[CaseState(state)] if state else None,
        "text": text,
    }


def export_json(items: list[dict[str, Any]], since: datetime | None, now: datetime) -> str:
    return json.dumps(
        {"format": FORMAT, "exported_at": now.isoformat(),
         "since": since.isoformat() if since else None, "updates": items},
        ensure_ascii=False, indent=2,
    )  # fmt: skip


def export_csv(items: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=EXPORT_COLUMNS)
    writer.writeheader()
    writer.writerows(items)
    return buffer.getvalue()


@dataclass(frozen=True)
class ExportFile:
    text: str
    media_type: str
    name: str
    updates: int


def export_file(
    session: Session, since: datetime | None, now: datetime, fmt: str = "json"
) -> ExportFile:
    """The updates since `since` as the file handed to LAPOR!."""
    items = updates(session, since)
    name = f"lapor-updates-{now:%Y%m%dT%H%M%SZ}.{fmt}"
    if fmt == "csv":
        return ExportFile(export_csv(items), "text/csv; charset=utf-8", name, len(items))
    return ExportFile(export_json(items, since, now), "application/json", name, len(items))
