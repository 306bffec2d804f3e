"""Whistleblowing (WBS): anonymous reports followed with a receipt code, and an optional
identity that only the custodian can reveal.

- The receipt is `WBS-<key>-<secret>`: the key (40 bits) finds the report, the secret
  (100 bits) proves the holder; only an Argon2id hash of the secret is stored. It is shown
  once, at filing.
- Guessing is limited twice: a report locks for a while after a few wrong secrets, and the
  service refuses receipt checks for a minute after many failures overall (no address is kept
  to limit per client: reporters' addresses are never stored or logged).
- The optional identity is sealed (libsodium sealed box, X25519) to the custodian's public
  key. The server never holds the private key: the custodian presents it to reveal, with a
  justification that is audited.
"""

from __future__ import annotations

import base64
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from nacl.exceptions import CryptoError
from nacl.public import PrivateKey, PublicKey, SealedBox
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from proctor.audit import trail
from proctor.cases import notify, procedure
from proctor.cases.codes import random_code
from proctor.cases.complaints import Category
from proctor.cases.deadlines import ComplaintRules
from proctor.cases.procedure import CaseState, Track
from proctor.clock import utcnow
from proctor.errors import (
    AccessError,
    ConfigError,
    ConflictError,
    ErrorCode,
    NotFoundError,
    RejectedInputError,
)
from proctor.store.complaints import ReceiptFailure, WbsMessage, WbsReport

KEY_CHARS, SECRET_CHARS = 8, 20  # 40 and 100 bits
MAX_FAILURES = 5  # wrong secrets before a report locks
LOCK = timedelta(minutes=15)
WINDOW = timedelta(minutes=1)  # the service-wide count of wrong receipts
MIN_JUSTIFICATION = 20
_HASHER = PasswordHasher()  # Argon2id with the library's current parameters


@dataclass(frozen=True)
class Filed:
    report: WbsReport
    receipt: str  # shown to the reporter once, never stored


def file_report(
    session: Session,
    *,
    category: Category,
    subject: str,
    description: str,
    rules: ComplaintRules,
    venue_id: uuid.UUID | None = None,
    identity: str | None = None,
    custodian_public_key: str | None = None,
    now: datetime | None = None,
) -> Filed:
    now = now or utcnow()
    sealed = None
    if identity and identity.strip():
        if not custodian_public_key:
            raise ConfigError(
                "no custodian key is configured, so an identity cannot be kept safely; "
                "file the report without it",
                code=ErrorCode.CUSTODIAN_KEY_MISSING,
            )
        sealed = SealedBox(_public_key(custodian_public_key)).encrypt(identity.strip().encode())
    key, secret = random_code(KEY_CHARS), random_code(SECRET_CHARS)
    report = WbsReport(
        id=uuid.uuid4(),
        lookup_key=key,
        receipt_hash=_HASHER.hash(secret),
        category=str(category),
        state=str(CaseState.RECEIVED),
        venue_id=venue_id,
        subject=subject.strip(),
        description=description.strip(),
        identity_sealed=sealed,
        failed_receipts=0,
    )
    procedure.start_clock(report, rules, now, Track.INVESTIGATION)
    session.add(report)
    trail.record(
        session,
        actor="reporter",
        action="wbs_report.received",
        subject_type="wbs_report",
        subject_id=report.id,
        category=report.category,
        with_identity=sealed is not None,
    )
    notify.queue(
        session, notify.Notification("wbs_report.received", "wbs_report", str(report.id), "officer")
    )
    return Filed(report, f"WBS-{key}-{secret}")


class FailureLimiter:
    """Refuses receipt checks while the service as a whole has had `per_minute` wrong receipts
    in the last minute. Counted in the database, so every server process shares the count."""

    def __init__(self, per_minute: int = 30) -> None:
        self.per_minute = per_minute

    def check(self, session: Session, now: datetime) -> None:
        recent = session.scalar(
            select(func.count())
            .select_from(ReceiptFailure)
            .where(ReceiptFailure.at > now - WINDOW, ReceiptFailure.at <= now)
        )
        if recent >= self.per_minute:
            raise ConflictError(
                "too many wrong receipts; try again in a minute",
                code=ErrorCode.RATE_LIMITED,
                retry_after=60,
            )

    def failed(self, session: Session, now: datetime) -> None:
        """Count a failure (the caller commits), and forget the ones no window needs."""
        session.execute(delete(ReceiptFailure).where(ReceiptFailure.at < now - 2 * WINDOW))
        session.add(ReceiptFailure(at=now))


def check_receipt(
    session: Session, receipt: str, limiter: FailureLimiter, *, now: datetime | None = None
) -> WbsReport:
    """The report this receipt opens. A wrong receipt counts against the report (committed
    here, before raising) and against the service-wide limiter."""
    now = now or utcnow()
    limiter.check(session, now)
    parts = receipt.strip().upper().split("-")
    report = None
    if len(parts) == 3 and parts[0] == "WBS" and len(parts[1]) == KEY_CHARS:
        report = session.scalar(select(WbsReport).where(WbsReport.lookup_key == parts[1]))
    if report is None:
        limiter.failed(session, now)
        session.commit()  # counted although the request fails
        raise _wrong_receipt()
    if report.locked_until is not None and report.locked_until > now:
        raise ConflictError(
            "too many wrong receipts for this report; try again later",
            code=ErrorCode.RATE_LIMITED,
            retry_after=int((report.locked_until - now).total_seconds()) + 1,
        )
    try:
        _HASHER.verify(report.receipt_hash, parts[2])
    except VerificationError:
        limiter.failed(session, now)
        report.failed_receipts += 1
        if report.failed_receipts >= MAX_FAILURES:
            report.failed_receipts, report.locked_until = 0, now + LOCK
        session.commit()  # the failure must count even though the request fails
        raise _wrong_receipt() from None
    if report.failed_receipts:
        report.failed_receipts = 0
    return report


def _wrong_receipt() -> AccessError:
    # The same answer for an unknown report and a wrong secret: nothing to learn from it.
    return AccessError("this receipt does not open any report", code=ErrorCode.RECEIPT_INVALID)


def reporter_message(
    session: Session, report: WbsReport, body: str, *, now: datetime | None = None
) -> WbsMessage:
    if CaseState(report.state) is CaseState.CLOSED:
        raise ConflictError("the report is closed", code=ErrorCode.TRANSITION_INVALID)
    message = WbsMessage(
        report_id=report.id,
        at=now or utcnow(),
        author="reporter",
        body=procedure.message_text(body),
    )
    session.add(message)
    notify.queue(
        session, notify.Notification("wbs_report.message", "wbs_report", str(report.id), "officer")
    )
    return message


def messages(session: Session, report: WbsReport) -> list[WbsMessage]:
    return list(
        session.scalars(
            select(WbsMessage).where(WbsMessage.report_id == report.id).order_by(WbsMessage.at)
        )
    )


def reveal_identity(
    session: Session,
    report: WbsReport,
    *,
    actor: str,
    justification: str,
    private_key: str,
    custodian_public_key: str | None,
) -> str:
    """Open the sealed identity with the custodian's private key; audited with the reason."""
    text = justification.strip()
    if len(text) < MIN_JUSTIFICATION:
        raise RejectedInputError(
            f"give a justification of at least {MIN_JUSTIFICATION} characters",
            code=ErrorCode.REASON_REQUIRED,
        )
    if report.identity_sealed is None:
        raise NotFoundError("this report was filed without an identity", code=ErrorCode.NOT_FOUND)
    try:
        key = PrivateKey(base64.b64decode(private_key, validate=True))
    except (ValueError, TypeError, CryptoError):
        raise _wrong_key() from None
    if custodian_public_key and bytes(key.public_key) != bytes(_public_key(custodian_public_key)):
        raise _wrong_key()
    try:
        identity = SealedBox(key).decrypt(report.identity_sealed).decode()
    except CryptoError:
        raise _wrong_key() from None
    trail.record(
        session,
        actor=actor,
        action="wbs_report.identity_revealed",
        subject_type="wbs_report",
        subject_id=report.id,
        justification=text,
    )
    notify.queue(
        session,
        notify.Notification(
            "wbs_report.identity_revealed", "wbs_report", str(report.id), "committee"
        ),
    )
    return identity


def _wrong_key() -> AccessError:
    return AccessError(
        "this is not the custodian's private key", code=ErrorCode.CUSTODIAN_KEY_WRONG
    )


def _public_key(encoded: str) -> PublicKey:
    try:
        return PublicKey(base64.b64decode(encoded, validate=True))
    except (ValueError, TypeError, CryptoError) as exc:
        raise ConfigError("PROCTOR_CUSTODIAN_PUBLIC_KEY is not a base64 X25519 public key") from exc


def generate_custodian_keys() -> tuple[str, str]:
    """(private, public), base64: the private one for the custodian alone."""
    key = PrivateKey.generate()
    return (
        base64.b64encode(bytes(key)).decode(),
        base64.b64encode(bytes(key.public_key)).decode(),
    )


def by_deadline(
    session: Session, *, state: CaseState | None = None, limit: int | None = None
) -> list[WbsReport]:
    """Reports in `state` (else every one not closed), the nearest resolution deadline first."""
    query = select(WbsReport).order_by(WbsReport.resolution_due)
    if state is not None:
        query = query.where(WbsReport.state == str(state))
    else:
        query = query.where(WbsReport.state != str(CaseState.CLOSED))
    return list(session.scalars(query.limit(limit)))
