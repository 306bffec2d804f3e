"""The incident timeline's time axis: round times of the venue's clock, never repeated."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest

from proctor.api.console.charts import MAX_TICKS, level_chart, tick_times
from proctor.faces.match_level import match_level

T0 = datetime(2026, 11, 30, 1, 36, 0, 400_000, tzinfo=UTC)  # 08:36:00.4 WIB


@pytest.mark.parametrize(
    ("seconds", "step"),
    [(4.2, 1), (9, 2), (20, 5), (50, 10), (100, 30), (200, 60), (2000, 600), (30_000, 7200)],
)
def test_ticks_fall_on_round_times_without_repeats(seconds, step):
    ticks = tick_times(T0, T0 + timedelta(seconds=seconds), "Asia/Jakarta")
    assert 2 <= len(ticks) <= MAX_TICKS
    assert all(T0 <= t <= T0 + timedelta(seconds=seconds) for t in ticks)
    gaps = {(b - a).total_seconds() for a, b in pairwise(ticks)}
    assert gaps == {step}
    local = [t + timedelta(hours=7) for t in ticks]  # WIB
    assert all(t.microsecond == 0 and (t.hour * 3600 + t.minute * 60 + t.second) % step == 0
               for t in local)  # fmt: skip


def test_a_timeline_shorter_than_a_second_has_one_label():
    assert tick_times(T0, T0 + timedelta(seconds=0.3), "Asia/Jakarta") == [T0]


def test_the_chart_labels_are_distinct_local_times_inside_the_chart():
    level = match_level(0.8, 0.36, 0.09, "sface")
    samples = [(T0 + timedelta(seconds=0.5 * i), level) for i in range(9)]  # four seconds
    chart = level_chart(samples, samples[-1][0], "Asia/Makassar")
    texts = [text for _, text, _ in chart.x_ticks]
    assert texts == ["09:36:01", "09:36:02", "09:36:03", "09:36:04"]  # WITA, once each
    assert all(0 <= x <= chart.width for x, _, _ in chart.x_ticks)
