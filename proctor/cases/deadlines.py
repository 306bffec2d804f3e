"""Deadlines of the complaint procedure, in calendar or working days.

Working days skip Saturdays, Sundays and the configured public holidays, counted on the local
calendar of the service (Asia/Jakarta by default): a complaint received on a Friday afternoon
in Jakarta is due on a Friday afternoon, whatever UTC says.
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from pydantic import BaseModel, ConfigDict, Field


class ComplaintRules(BaseModel):
    """Defaults follow the national complaint-handling rules (see README)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    first_response_days: int = Field(3, ge=1, description="First response, calendar days.")
    simple_working_days: int = Field(
        5, ge=1, description="Information requests and simple complaints, working days."
    )
    investigation_days: int = Field(14, ge=1, description="Cases without field inspection.")
    field_inspection_days: int = Field(60, ge=1, description="Cases with field inspection.")
    committee_after_working_days: int = Field(
        2, ge=0, description="Overdue this long at the venue head: escalate to the committee."
    )
    timezone: str = Field("Asia/Jakarta", description="Calendar that working days follow.")
    holidays: tuple[date, ...] = Field((), description="Public holidays (no working day).")

    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def is_working_day(day: date, holidays: Collection[date]) -> bool:
    return day.weekday() < 5 and day not in holidays


def add_working_days(
    start: datetime, days: int, holidays: Collection[date], zone: ZoneInfo
) -> datetime:
    """`start` moved forward by `days` working days, at the same local time of day."""
    local = start.astimezone(zone)
    counted = 0
    while counted < days:
        local += timedelta(days=1)
        if is_working_day(local.date(), holidays):
            counted += 1
    return local.astimezone(start.tzinfo)


def add_days(start: datetime, days: int) -> datetime:
    return start + timedelta(days=days)


def working_days_between(
    start: datetime, end: datetime, holidays: Collection[date], zone: ZoneInfo
) -> int:
    """Whole working days from `start` to `end` (0 if `end` is not later)."""
    day, last, count = start.astimezone(zone).date(), end.astimezone(zone).date(), 0
    while day < last:
        day += timedelta(days=1)
        if is_working_day(day, holidays):
            count += 1
    return count
