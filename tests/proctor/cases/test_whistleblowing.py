"""Whistleblowing: the receipt opens the report and nothing else, guessing is limited, the
identity is sealed to the custodian and revealed only with their key and a justification, and
a dump of the database holds no readable identity. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import timedelta
from functools import partial

import pytest
from sqlalchemy import select

from proctor.cases import procedure
from proctor.cases import whistleblowing as wbs
from proctor.cases.complaints import Category
from proctor.cases.deadlines import ComplaintRules
from proctor.clock import utcnow
from proctor.errors import ProctorError
from proctor.store.audit import AuditRecord
from proctor.store.complaints import ReceiptFailure
from tests.support.dump import database_dump

RULES = ComplaintRules()
PRIVATE, PUBLIC = wbs.generate_custodian_keys()
IDENTITY = "Siti Rahayu, NIP 198701012010012001, +62 812 5550 1234"
WHY = "the committee needs a witness statement for the police report"


def code_of(call) -> str:
    with pytest.raises(ProctorError) as failure:
        call()
    return str(failure.value.code)


def file(db, identity: str | None = None, public_key: str | None = PUBLIC) -> wbs.Filed:
    filed = wbs.file_report(
        db, category=Category.LEAKED_QUESTIONS, subject="Questions sold on Telegram",
        description="A channel offers the answers for Saturday's session.", rules=RULES,
        identity=identity, custodian_public_key=public_key,
    )  # fmt: skip
    db.commit()
    return filed


def test_the_receipt_opens_the_report_and_is_not_stored(db):
    filed = file(db)
    assert re.fullmatch(r"WBS-[A-Z2-9]{8}-[A-Z2-9]{20}", filed.receipt)  # 100 secret bits
    secret = filed.receipt.rsplit("-", 1)[1]
    assert secret not in filed.report.receipt_hash and filed.report.receipt_hash.startswith(
        "$argon2id$"
    )
    limiter = wbs.FailureLimiter()
    assert wbs.check_receipt(db, filed.receipt.lower(), limiter).id == filed.report.id
    wbs.reporter_message(db, filed.report, "There is also a second channel.")
    procedure.reply(
        db, filed.report, "Thank you, we are checking both.", actor="complaint_officer:o"
    )
    note = partial(procedure.reply, db, filed.report, "Internal", actor="o", public=False)
    assert code_of(note) == "request_invalid"  # a report has no internal notes
    db.commit()
    assert [m.author for m in wbs.messages(db, filed.report)] == ["reporter", "officer"]
    assert filed.report.state == "in_progress"


def test_guessing_locks_the_report_and_then_the_service(db):
    filed = file(db)
    key = filed.receipt.split("-")[1]
    limiter = wbs.FailureLimiter(per_minute=100)
    for _ in range(wbs.MAX_FAILURES):
        assert (
            code_of(lambda: wbs.check_receipt(db, f"WBS-{key}-{'A' * 20}", limiter))
            == "receipt_invalid"
        )
    # Locked now, even for the right receipt; the counter was committed despite the errors.
    assert code_of(lambda: wbs.check_receipt(db, filed.receipt, limiter)) == "rate_limited"
    db.expire_all()
    assert filed.report.locked_until > utcnow()
    later = utcnow() + wbs.LOCK + timedelta(seconds=1)
    assert wbs.check_receipt(db, filed.receipt, limiter, now=later).id == filed.report.id


def test_wrong_receipts_are_counted_across_server_processes(db):
    """Two limiters stand for two server processes: the count is the database's, so one
    process's failures close the door in the other."""
    filed = file(db)
    this_process, that_process = wbs.FailureLimiter(per_minute=3), wbs.FailureLimiter(3)
    at = utcnow()
    wrong = "WBS-NOSUCHKY-" + "B" * 20
    for _ in range(3):
        assert code_of(lambda: wbs.check_receipt(db, wrong, this_process, now=at)) == (
            "receipt_invalid"
        )
    refused = lambda: wbs.check_receipt(db, filed.receipt, that_process, now=at)  # noqa: E731
    assert code_of(refused) == "rate_limited"
    a_minute_later = at + wbs.WINDOW + timedelta(seconds=1)
    assert wbs.check_receipt(db, filed.receipt, that_process, now=a_minute_later).id == (
        filed.report.id
    )
    # Only when it happened is kept, and old failures are cleared as new ones come.
    later = a_minute_later + 2 * wbs.WINDOW
    code_of(lambda: wbs.check_receipt(db, "WBS-NOSUCHKY-" + "C" * 20, this_process, now=later))
    assert [row.at for row in db.scalars(select(ReceiptFailure))] == [later]


def test_only_the_custodians_key_reveals_the_identity(db):
    filed = file(db, identity=IDENTITY)
    other_private, _ = wbs.generate_custodian_keys()

    def reveal(key: str, why: str = WHY) -> str:
        return wbs.reveal_identity(
            db, filed.report, actor="custodian:c", justification=why, private_key=key,
            custodian_public_key=PUBLIC,
        )  # fmt: skip

    assert code_of(lambda: reveal(PRIVATE, "curious")) == "reason_required"
    assert code_of(lambda: reveal(other_private)) == "custodian_key_wrong"
    assert code_of(lambda: reveal("not base64!")) == "custodian_key_wrong"
    assert reveal(PRIVATE) == IDENTITY
    db.commit()
    record = db.scalar(
        select(AuditRecord).where(AuditRecord.action == "wbs_report.identity_revealed")
    )
    assert record.actor == "custodian:c" and record.details == {"justification": WHY}


def test_an_identity_without_a_custodian_key_is_refused(db):
    assert code_of(lambda: file(db, identity=IDENTITY, public_key=None)) == "custodian_key_missing"
    assert file(db, identity=None, public_key=None).report.identity_sealed is None


def test_a_database_dump_holds_no_readable_identity(db, migrated):
    file(db, identity=IDENTITY)
    filed = file(db, identity=IDENTITY)
    wbs.reveal_identity(
        db, filed.report, actor="custodian:c", justification=WHY, private_key=PRIVATE,
        custodian_public_key=PUBLIC,
    )  # fmt: skip
    db.commit()
    dump = database_dump(db, migrated)
    assert "Questions sold on Telegram" in dump  # the dump does hold the reports
    for fragment in ("Siti", "Rahayu", "198701012010012001", "5550 1234", "5550"):
        assert fragment not in dump
    assert filed.receipt.rsplit("-", 1)[1] not in dump
