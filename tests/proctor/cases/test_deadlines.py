"""Deadlines in calendar and working days, on Jakarta's calendar, across weekends and holidays."""

from __future__ import annotations

from datetime import UTC, date, datetime

from proctor.cases.deadlines import ComplaintRules, add_working_days, working_days_between
from proctor.cases.procedure import Track, resolution_due

JKT = ComplaintRules().zone()


def wib(y: int, m: int, d: int, h: int = 10) -> datetime:
    return datetime(y, m, d, h, tzinfo=JKT)


def test_five_working_days_skip_the_weekend():
    friday = wib(2026, 11, 27)
    assert add_working_days(friday, 5, (), JKT) == wib(2026, 12, 4)  # the next Friday
    monday = wib(2026, 11, 30)
    assert add_working_days(monday, 5, (), JKT) == wib(2026, 12, 7)  # over one weekend


def test_holidays_are_not_working_days():
    christmas = date(2026, 12, 25)  # a Friday
    monday = wib(2026, 12, 21)
    assert add_working_days(monday, 5, (christmas,), JKT) == wib(2026, 12, 29)
    new_year = date(2027, 1, 1)
    assert add_working_days(wib(2026, 12, 28), 5, (new_year,), JKT) == wib(2027, 1, 5)


def test_the_local_calendar_decides_not_utc():
    # Friday 20:00 UTC is Saturday 03:00 in Jakarta: the count starts from the weekend.
    late_friday_utc = datetime(2026, 11, 27, 20, 0, tzinfo=UTC)
    due = add_working_days(late_friday_utc, 1, (), JKT)
    assert due.astimezone(JKT) == wib(2026, 11, 30, 3)  # Monday 03:00 WIB
    assert due.tzinfo == UTC


def test_received_on_a_saturday():
    assert add_working_days(wib(2026, 11, 28), 1, (), JKT) == wib(2026, 11, 30)


def test_working_days_between():
    holidays = (date(2026, 12, 25),)
    assert working_days_between(wib(2026, 12, 24), wib(2026, 12, 29), holidays, JKT) == 2
    assert working_days_between(wib(2026, 12, 29), wib(2026, 12, 24), holidays, JKT) == 0


def test_each_track_has_its_deadline():
    rules = ComplaintRules(holidays=(date(2026, 12, 25),))
    received = wib(2026, 12, 21)  # a Monday
    assert resolution_due(rules, received, Track.SIMPLE) == wib(2026, 12, 29)
    assert resolution_due(rules, received, Track.INFORMATION) == wib(2026, 12, 29)
    assert resolution_due(rules, received, Track.INVESTIGATION) == wib(2027, 1, 4)
    assert resolution_due(rules, received, Track.FIELD_INSPECTION) == wib(2027, 2, 19)
