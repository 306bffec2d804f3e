"""Times as people at the venues read them: the venue's zone, day first, the zone named."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from proctor import local_time

AT = datetime(2026, 12, 6, 18, 36, 5, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "shown"),
    [
        ("Asia/Jakarta", "07/12/2026 01:36 WIB"),  # UTC+7: already the next day
        ("Asia/Makassar", "07/12/2026 02:36 WITA"),
        ("Asia/Jayapura", "07/12/2026 03:36 WIT"),
    ],
)
def test_a_time_is_read_in_the_venues_zone_with_its_name(zone: str, shown: str):
    assert local_time.text(AT, zone) == shown


def test_styles_and_no_time():
    assert local_time.text(AT, "Asia/Jayapura", "seconds") == "07/12/2026 03:36:05 WIT"
    assert local_time.text(AT, "Asia/Jayapura", "time") == "03:36:05 WIT"
    assert local_time.text(AT, "Asia/Jayapura", "date") == "07/12/2026"  # a day names no zone
    assert local_time.text(AT, "Asia/Makassar", "seconds", label=False) == "07/12/2026 02:36:05"
    assert local_time.text(None, "Asia/Jakarta") == "-"


def test_only_the_three_zones_and_only_aware_times():
    with pytest.raises(local_time.UnknownZoneError):
        local_time.text(AT, "Europe/Amsterdam")
    with pytest.raises(ValueError, match="naive"):
        local_time.text(datetime(2026, 12, 6, 18, 36), "Asia/Jakarta")


def test_days_are_typed_day_first_and_begin_in_the_zone():
    assert local_time.parse_day("07/12/2026") == date(2026, 12, 7)
    assert local_time.parse_day(" 2026-12-07 ") == date(2026, 12, 7)
    for bad in ("12/31/2026", "7 Des 2026", ""):
        with pytest.raises(ValueError):
            local_time.parse_day(bad)
    # Midnight in Jayapura (UTC+9) is 15:00 UTC the evening before.
    assert local_time.day_start(date(2026, 12, 7), "Asia/Jayapura") == datetime(
        2026, 12, 6, 15, 0, tzinfo=UTC
    )
