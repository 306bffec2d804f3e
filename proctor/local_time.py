"""How a person reads a time: in the venue's zone, day first, with the zone's Indonesian name.

Indonesia has three zones (WIB, WITA, WIT); every venue is in one of them. Times are stored and
sent over the API in UTC; only what a person reads is local. tzdata is a dependency so that a
machine without the operating system's zone files still knows them.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Literal, get_args
from zoneinfo import ZoneInfo

TimeZoneName = Literal["Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura"]
ZONES: tuple[str, ...] = get_args(TimeZoneName)
DEFAULT_ZONE: TimeZoneName = "Asia/Jakarta"
ABBREVIATIONS = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}
STYLES = {
    "datetime": "%d/%m/%Y %H:%M",
    "seconds": "%d/%m/%Y %H:%M:%S",
    "date": "%d/%m/%Y",
    "time": "%H:%M:%S",
    "clock": "%H:%M",
}


class UnknownZoneError(ValueError):
    pass


def zone_info(zone: str) -> ZoneInfo:
    if zone not in ZONES:
        raise UnknownZoneError(f"unknown time zone {zone!r}; one of {', '.join(ZONES)}")
    return ZoneInfo(zone)


def abbreviation(zone: str) -> str:
    zone_info(zone)
    return ABBREVIATIONS[zone]


def local(at: datetime, zone: str) -> datetime:
    if at.tzinfo is None:
        raise ValueError("naive datetime: Proctor's times are UTC-aware")
    return at.astimezone(zone_info(zone))


def text(at: datetime | None, zone: str, style: str = "datetime", *, label: bool = True) -> str:
    """`06/12/2026 08:36 WIB`; a dash for no time. A date alone carries no zone name."""
    if at is None:
        return "-"
    shown = local(at, zone).strftime(STYLES[style])
    return f"{shown} {abbreviation(zone)}" if label and style != "date" else shown


def parse_day(value: str) -> date:
    """A day typed as dd/mm/yyyy (what people here write) or yyyy-mm-dd (a date field's value)."""
    value = value.strip()
    for pattern in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(f"not a day (dd/mm/yyyy): {value!r}")


def day_start(day: date, zone: str) -> datetime:
    """The UTC instant at which `day` begins in `zone`."""
    return datetime.combine(day, time(), tzinfo=zone_info(zone)).astimezone(UTC)


def typed_day(text: str | None, zone: str, *, end: bool = False) -> datetime | None:
    """A filter's day as typed (dd/mm/yyyy): its first instant in `zone`, or with `end` its
    last; None for nothing or something unreadable (the filter then filters nothing)."""
    if not text:
        return None
    try:
        day = parse_day(text)
    except ValueError:
        return None
    if end:
        return day_start(day + timedelta(days=1), zone) - timedelta(microseconds=1)
    return day_start(day, zone)
