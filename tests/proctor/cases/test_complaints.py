"""Complaints follow the written procedure: first response, resolution with a note, closing,
the satisfaction survey; overdue steps escalate to the venue head and then the committee;
notifications leave only with the commit. On SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from proctor.cases import complaints, notify, procedure
from proctor.cases.complaints import Category, Channel, NewComplaint
from proctor.cases.deadlines import ComplaintRules
from proctor.cases.procedure import Track
from proctor.errors import ProctorError
from proctor.store.audit import AuditRecord
from proctor.store.complaints import Complaint, ComplaintSurvey
from proctor.survey import answers
from proctor.survey.answers import Source
from proctor.survey.rules import SurveyRules

RULES = ComplaintRules(holidays=(date(2026, 12, 25),))
JKT = RULES.zone()
MONDAY = datetime(2026, 12, 21, 9, 0, tzinfo=JKT)
OFFICER = "complaint_officer:o1"
SURVEY = SurveyRules()
ALL_GOOD = {e.code: 3 for e in SURVEY.elements}


def new(channel: Channel = Channel.WEB, **extra) -> NewComplaint:
    return NewComplaint(
        channel, Category.SERVICE, "Queue at the venue", "We waited two hours outside.", **extra
    )


def code_of(call) -> str:
    with pytest.raises(ProctorError) as failure:
        call()
    return str(failure.value.code)


def test_a_complaint_goes_through_the_procedure(db):
    case = complaints.receive(db, new(), RULES, actor="public", now=MONDAY)
    assert re.fullmatch(r"PGD-[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", case.tracking_number)
    assert case.first_response_due == MONDAY + timedelta(days=3)
    assert case.resolution_due == datetime(2026, 12, 29, 9, 0, tzinfo=JKT)  # 5 working days
    procedure.reply(db, case, "Internal: ask the venue head", actor=OFFICER, public=False)
    assert (case.state, case.first_responded_at) == ("received", None)
    procedure.reply(
        db, case, "We are looking into it.", actor=OFFICER, now=MONDAY + timedelta(hours=2)
    )
    assert case.state == "in_progress" and case.first_responded_at is not None
    assert (
        code_of(lambda: procedure.close(db, case, actor=OFFICER, now=MONDAY))
        == "resolution_required"
    )
    assert (
        code_of(lambda: procedure.resolve(db, case, "ok", actor=OFFICER, now=MONDAY))
        == "resolution_required"
    )
    assert code_of(lambda: answers.complaint_invitation(db, case)) == "survey_closed"
    procedure.resolve(db, case, "A second queue lane opens at 06:30.", actor=OFFICER, now=MONDAY)
    procedure.close(db, case, actor=OFFICER, now=MONDAY)
    invitation = answers.complaint_invitation(db, case)
    answers.answer(db, invitation, ALL_GOOD, SURVEY, source=Source.COMPLAINT, now=MONDAY)
    again = answers.complaint_invitation(db, case)
    assert again.id == invitation.id
    assert (
        code_of(lambda: answers.answer(db, again, ALL_GOOD, SURVEY, source=Source.COMPLAINT))
        == "survey_answered"
    )
    assert (
        code_of(lambda: complaints.complainant_message(db, case, "one more thing"))
        == "transition_invalid"
    )
    db.commit()
    assert complaints.by_tracking_number(db, case.tracking_number.lower()).id == case.id
    actions = db.scalars(
        select(AuditRecord.action)
        .where(AuditRecord.subject_id == str(case.id))
        .order_by(AuditRecord.id)
    ).all()
    assert actions == [
        "complaint.received", "complaint.message", "complaint.in_progress", "complaint.message",
        "complaint.resolved", "complaint.closed",
    ]  # fmt: skip


def test_a_resent_channel_message_is_not_a_second_case(db):
    first = complaints.receive(db, new(Channel.WHATSAPP, external_ref="wa:1"), RULES, actor="wa")
    again = complaints.receive(db, new(Channel.WHATSAPP, external_ref="wa:1"), RULES, actor="wa")
    db.commit()
    assert first.id == again.id
    assert len(db.scalars(select(Complaint)).all()) == 1


def test_reclassifying_moves_the_resolution_deadline(db):
    case = complaints.receive(db, new(), RULES, actor="public", now=MONDAY)
    procedure.classify(db, case, Track.FIELD_INSPECTION, RULES, actor=OFFICER)
    assert case.resolution_due == MONDAY + timedelta(days=60)


def test_overdue_steps_escalate_to_the_venue_head_then_the_committee(db):
    late = complaints.receive(db, new(), RULES, actor="public", now=MONDAY)
    answered = complaints.receive(db, new(), RULES, actor="public", now=MONDAY)
    procedure.reply(db, answered, "Received, we are on it.", actor=OFFICER, now=MONDAY)
    db.commit()

    thursday = MONDAY + timedelta(days=3, hours=1)  # first response due Thursday 09:00
    assert [o.case.id for o in procedure.overdue(db, thursday)] == [late.id]
    assert [o.step for o in procedure.escalate_overdue(db, RULES, thursday)] == ["first_response"]
    assert late.escalation == "venue_head"
    assert procedure.escalate_overdue(db, RULES, thursday + timedelta(hours=2)) == []  # not again
    # Two working days later (Friday the 25th is a holiday): the committee.
    assert procedure.escalate_overdue(db, RULES, datetime(2026, 12, 28, 10, tzinfo=JKT)) == []
    escalated = procedure.escalate_overdue(db, RULES, datetime(2026, 12, 29, 10, tzinfo=JKT))
    assert {o.case.id: o.step for o in escalated} == {
        late.id: "first_response",
        answered.id: "resolution",
    }
    assert late.escalation == "committee" and answered.escalation == "venue_head"
    db.commit()


def test_notifications_leave_with_the_commit_only(migrated):
    from proctor.store.database import make_engine

    engine = make_engine(migrated)
    factory = sessionmaker(engine, expire_on_commit=False)
    sent = notify.MemoryNotifier()
    notify.install(factory, sent)
    with factory() as session:
        complaints.receive(session, new(complainant_contact="0812"), RULES, actor="public")
        session.rollback()
        assert sent.sent == []
        case = complaints.receive(session, new(complainant_contact="0812"), RULES, actor="public")
        assert sent.sent == []
        session.commit()
    engine.dispose()
    assert [(n.kind, n.audience) for n in sent.sent] == [
        ("complaint.received", "officer"),
        ("complaint.acknowledged", "complainant"),
    ]
    assert all(n.subject_id == str(case.id) for n in sent.sent)
    assert "0812" not in repr(sent.sent)  # ids only, never the complainant's details


def test_satisfaction_per_venue_and_channel(db):
    for channel, rating in ((Channel.WEB, 5), (Channel.WEB, 3), (Channel.PHONE, 2)):
        case = complaints.receive(db, new(channel), RULES, actor="public", now=MONDAY)
        procedure.resolve(db, case, "Settled with the venue head.", actor=OFFICER, now=MONDAY)
        procedure.close(db, case, actor=OFFICER, now=MONDAY)
        db.add(ComplaintSurvey(complaint_id=case.id, rating=rating))  # given before the IKM
    db.commit()
    result = complaints.satisfaction(db)
    by_channel = {s.group: (s.answers, s.mean) for s in result["channel"]}
    assert by_channel == {"phone": (1, 2.0), "web": (2, 4.0)}
    assert [(s.group, s.answers, s.counts[5]) for s in result["venue"]] == [("none", 3, 1)]
