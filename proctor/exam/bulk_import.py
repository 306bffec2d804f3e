"""Bulk enrollment from the national registration's export: a CSV and a folder of photos.

Idempotent: a candidate is matched by participant number and a photo by the digest of its
file, so a re-run after an interruption enrolls only what is missing. Each candidate commits on
its own; one bad row never undoes the others.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from proctor.errors import ErrorCode, InputFileError, ProctorError
from proctor.exam import catalog
from proctor.faces.enrollment import enroll_photo
from proctor.faces.files import read_csv, resolve_inside, write_csv_atomically
from proctor.faces.photos import PhotoReader
from proctor.identity.registry import Registry
from proctor.store.exam import Candidate

logger = logging.getLogger(__name__)
REQUIRED = ("participant_number", "name", "photos")
REPORT_COLUMNS = ["participant_number", "photo", "status", "codes", "detail"]


@dataclass(frozen=True)
class Row:
    line: int
    participant_number: str
    name: str
    nik: str | None
    formation: str
    photos: tuple[str, ...]


@dataclass
class ImportSummary:
    candidates: int = 0
    created: int = 0
    enrolled: int = 0
    already_enrolled: int = 0
    rejected: int = 0
    duplicates: int = 0
    failed_rows: int = 0


def read_rows(csv_path: Path) -> list[Row]:
    _, raw = read_csv(csv_path, REQUIRED, ErrorCode.CANDIDATES_FILE_INVALID)
    rows: list[Row] = []
    seen: set[str] = set()
    for line, r in enumerate(raw, start=2):
        number, name = (r.get("participant_number") or "").strip(), (r.get("name") or "").strip()
        if not number or not name:
            raise InputFileError(
                f"{csv_path} line {line}: participant_number and name must not be empty",
                code=ErrorCode.CANDIDATES_FILE_INVALID,
                line=line,
            )
        if number in seen:
            raise InputFileError(
                f"{csv_path} line {line}: participant number {number} appears twice",
                code=ErrorCode.CANDIDATES_FILE_INVALID,
                line=line,
            )
        seen.add(number)
        photos = tuple(p.strip() for p in (r.get("photos") or "").split(";") if p.strip())
        rows.append(
            Row(
                line=line,
                participant_number=number,
                name=name,
                nik=(r.get("nik") or "").strip() or None,
                formation=(r.get("formation") or "").strip(),
                photos=photos,
            )
        )
    return rows


@dataclass
class _Run:
    """What every row of one import shares."""

    photos_dir: Path
    reader: PhotoReader
    registry: Registry
    nik_key: bytes
    actor: str
    summary: ImportSummary = field(default_factory=ImportSummary)
    report: list[dict[str, str]] = field(default_factory=list)


def import_candidates(
    sessions: sessionmaker[Session],
    rows: Iterable[Row],
    photos_dir: Path,
    reader: PhotoReader,
    *,
    registry: Registry,
    nik_key: bytes,
    actor: str,
    on_row: Callable[[Row], None] | None = None,
) -> tuple[ImportSummary, list[dict[str, str]]]:
    """Each photo is searched in `registry` (1:N) for the same face under another number."""
    run = _Run(photos_dir, reader, registry, nik_key, actor)
    for row in rows:
        with sessions() as session:
            try:
                _import_row(session, row, run)
                session.commit()
            except ProctorError as exc:
                session.rollback()
                run.summary.failed_rows += 1
                run.report.append(
                    _line(row.participant_number, "", "row_failed", [exc.code], exc.message)
                )
        if on_row:
            on_row(row)
    return run.summary, run.report


def _import_row(session: Session, row: Row, run: _Run) -> None:
    candidate, created = catalog.upsert_candidate(
        session,
        participant_number=row.participant_number,
        name=row.name,
        formation=row.formation,
        nik=row.nik,
        nik_key=run.nik_key,
        actor=run.actor,
        allow_existing=True,
    )
    run.summary.candidates += 1
    run.summary.created += created
    if not row.photos:
        run.report.append(_line(row.participant_number, "", "no_photo", [], "no photo listed"))
    for name in row.photos:  # past the limit each extra photo is reported, not dropped
        _import_photo(session, candidate, name, run)


def _import_photo(session: Session, candidate: Candidate, name: str, run: _Run) -> None:
    number, summary, report = candidate.participant_number, run.summary, run.report
    path = resolve_inside(run.photos_dir, name)
    if path is None or not path.is_file():
        summary.rejected += 1
        report.append(_line(number, name, "missing", [ErrorCode.FILE_NOT_FOUND], "no such file"))
        return
    try:
        reading = run.reader.read(path.read_bytes())
        enrollment = enroll_photo(
            session, candidate, reading, actor=run.actor, registry=run.registry
        )
    except OSError as exc:
        summary.rejected += 1
        report.append(_line(number, name, "unreadable", [ErrorCode.FILE_NOT_FOUND], str(exc)))
        return
    except ProctorError as exc:
        summary.rejected += 1
        every = exc.details.get("reasons") or []
        reasons = [r for r in every if r.get("severity") == "reject"] or every
        codes = [r["code"] for r in reasons] or [str(exc.code)]
        detail = "; ".join(r["message_en"] for r in reasons if "message_en" in r) or exc.message
        report.append(_line(number, name, "rejected", codes, detail))
        return
    if not enrollment.created:
        summary.already_enrolled += 1
        return
    summary.enrolled += 1
    for flag in enrollment.duplicates:
        other_id = (
            flag.other_candidate_id if flag.candidate_id == candidate.id else flag.candidate_id
        )
        other = session.get(Candidate, other_id)
        summary.duplicates += 1
        report.append(
            _line(
                number,
                name,
                "duplicate_face",
                ["duplicate_face"],
                f"same face as participant {other.participant_number if other else other_id} "
                f"(score {flag.score:.3f})",
            )
        )


def _line(number: str, photo: str, status: str, codes: list[str], detail: str) -> dict[str, str]:
    return {
        "participant_number": number,
        "photo": photo,
        "status": status,
        "codes": ";".join(str(c) for c in codes),
        "detail": detail,
    }


def write_report(path: Path, report: list[dict[str, str]]) -> None:
    write_csv_atomically(path, REPORT_COLUMNS, report)
