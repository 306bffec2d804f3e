"""The file exchange with SP4N-LAPOR!: reports in (JSON or CSV, checked whole before anything is
written, a report imported before counted once) and our status changes and public replies out,
read back the way LAPOR! would. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import func, select

from proctor.cases import lapor, procedure
from proctor.cases.deadlines import ComplaintRules
from proctor.errors import ProctorError
from proctor.store.complaints import Complaint, ComplaintMessage
from proctor.store.exam import Venue

RULES = ComplaintRules(holidays=(date(2026, 12, 25),))
MONDAY = datetime(2026, 12, 21, 2, 0, tzinfo=UTC)  # 09:00 WIB
OFFICER = "complaint_officer:o1"
REPORTS = [
    {"tracking_id": "#5123456", "title": "Antrean masuk terlalu lama",
     "content": "Peserta menunggu dua jam di luar gedung.", "submitted_at": "2026-12-19T10:00:00",
     "category": "service", "venue_code": "JKT-01", "reporter_name": "",
     "reporter_contact": "0812-0000-1111"},
    {"tracking_id": "5123457", "title": "Dugaan joki", "content": "Ada yang mengerjakan untuk "
     "orang lain di sesi 2.", "category": "proxy_test_taker"},
]  # fmt: skip


def as_csv(rows: list[dict]) -> bytes:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=lapor.FIELDS)
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue().encode()


def count(db) -> int:
    return db.scalar(select(func.count(Complaint.id)))


@pytest.fixture
def venue(db) -> Venue:
    found = Venue(code="JKT-01", name="Kantor Regional Jakarta", time_zone="Asia/Jakarta")
    db.add(found)
    db.commit()
    return found


def imported(db, data: bytes, now: datetime = MONDAY) -> lapor.Imported:
    done = lapor.import_reports(
        db, lapor.parse(data), RULES, actor=OFFICER, source_digest=lapor.digest(data), now=now
    )
    db.commit()
    return done


def test_json_and_csv_read_the_same(venue):
    from_json = lapor.parse(json.dumps(REPORTS).encode())
    from_csv = lapor.parse(as_csv(REPORTS))
    wrapped = lapor.parse(json.dumps({"format": lapor.FORMAT, "reports": REPORTS}).encode())
    assert from_json == from_csv == wrapped
    first = from_json[0]
    assert first.tracking_id == "5123456" and first.reporter_name is None
    assert first.submitted_at == datetime(2026, 12, 19, 3, 0, tzinfo=UTC)  # 10:00 WIB
    assert from_json[1].category == "proxy_test_taker" and from_json[1].venue_code is None


def test_a_file_with_a_wrong_row_imports_nothing(db, venue):
    rows = [*REPORTS, {"tracking_id": "x", "title": "ok", "content": ""}, {"nope": 1}]
    with pytest.raises(ProctorError) as refused:
        lapor.parse(json.dumps(rows).encode())
    assert refused.value.code == "lapor_file_invalid"
    assert [r["row"] for r in refused.value.details["rows"]] == [3, 4]
    for broken in (b"\xff\xfe", b"[1, 2]", b"{not json", b"a,b\n1,2\n"):
        with pytest.raises(ProctorError) as failure:
            lapor.parse(broken)
        assert failure.value.code == "lapor_file_invalid"
    unknown_venue = json.dumps([{**REPORTS[0], "venue_code": "XXX-99"}]).encode()
    with pytest.raises(ProctorError) as failure:
        imported(db, unknown_venue)
    assert failure.value.code == "lapor_file_invalid"
    db.rollback()
    assert count(db) == 0


def test_an_import_twice_is_counted_once(db, venue):
    data = json.dumps([*REPORTS, REPORTS[0]]).encode()  # the first one twice in the file
    first = imported(db, data)
    assert (len(first.new), first.duplicates) == (2, 1)
    case = first.new[0]
    assert (case.channel, case.external_ref, case.venue_id) == ("lapor", "lapor:5123456", venue.id)
    assert case.complainant_contact == "0812-0000-1111"
    # 5 working days from Monday, 21/12: Christmas is a holiday, so Tuesday the 29th.
    assert case.resolution_due == MONDAY + timedelta(days=8)
    note = db.scalar(select(ComplaintMessage).where(ComplaintMessage.complaint_id == case.id))
    assert not note.public and "19/12/2026 10:00 WIB" in note.body
    again = imported(db, as_csv(REPORTS))
    assert (len(again.new), again.duplicates) == (0, 2)
    assert count(db) == 2


def test_replies_and_status_changes_go_back_to_lapor(db, venue):
    case = imported(db, json.dumps(REPORTS[:1]).encode(), now=datetime.now(UTC)).new[0]
    procedure.reply(db, case, "Internal: ask the venue head", actor=OFFICER, public=False)
    procedure.reply(db, case, "Kami sedang memeriksa antrean.", actor=OFFICER)
    db.commit()
    middle = datetime.now(UTC)
    procedure.resolve(db, case, "Loket kedua dibuka pukul 06.30.", actor=OFFICER, now=middle)
    procedure.close(db, case, actor=OFFICER, now=middle)
    db.commit()
    items = lapor.updates(db, None)
    statuses = [(i["state"], i["lapor_status"]) for i in items if i["kind"] == "status"]
    assert statuses == [
        ("received", "Belum Ditindaklanjuti"), ("in_progress", "Proses"),
        ("resolved", "Selesai"), ("closed", "Selesai"),
    ]  # fmt: skip
    (reply,) = [i for i in items if i["kind"] == "reply"]
    assert reply["text"] == "Kami sedang memeriksa antrean."
    assert items.index(reply) < 3  # before the resolution
    resolved = next(i for i in items if i["state"] == "resolved")
    assert resolved["text"] == "Loket kedua dibuka pukul 06.30."
    assert {i["lapor_tracking_id"] for i in items} == {"5123456"}
    assert {i["tracking_number"] for i in items} == {case.tracking_number}
    assert "Internal" not in repr(items)  # internal notes never leave
    later = lapor.updates(db, middle)
    assert [i["state"] for i in later] == ["resolved", "closed"]
    # Read back as LAPOR! would: the JSON and the CSV carry the same updates.
    document = json.loads(lapor.export_json(items, None, middle))
    assert document["format"] == lapor.FORMAT and document["updates"] == items
    rows = list(csv.DictReader(io.StringIO(lapor.export_csv(items))))
    assert [r["lapor_status"] for r in rows] == [i["lapor_status"] or "" for i in items]
    assert [r["text"] for r in rows] == [i["text"] or "" for i in items]
