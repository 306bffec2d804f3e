"""Charts drawn on the server as SVG: no script, nothing to download.

The incident's timeline is drawn on the match level (0-100, `proctor.faces.match_level`) with
the threshold at 50, against the clock in the venue's zone, and the moment of the pause marked.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime, timedelta

from proctor import local_time
from proctor.faces.match_level import THRESHOLD_LEVEL, Level

WIDTH, HEIGHT = 1240, 230
LEFT, RIGHT, TOP, BOTTOM = 44, 16, 14, 40
# Seconds between time labels: the smallest that keeps them at most MAX_TICKS, on round times,
# so a 4-second timeline does not read 08:36:01 08:36:01 08:36:02.
TICK_STEPS = (1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400)
MAX_TICKS = 7
EDGE = 30  # pixels from a border within which a label is anchored to stay inside the chart


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    below: bool
    title: str  # time, level and the engine's score, shown on hover


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: str  # the polyline's "x,y x,y ..."
    dots: list[Dot]
    threshold_y: float
    y_ticks: list[tuple[float, str]]  # y, text
    x_ticks: list[tuple[float, str, str]]  # x, local time, text-anchor
    pause_x: float | None
    baseline_y: float


def level_chart(
    samples: list[tuple[datetime, Level | None]], paused_at: datetime | None, zone: str
) -> Chart:
    """`samples` (time, level; None where no face was scored) in time order."""
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    times = [t for t, _ in samples] + ([paused_at] if paused_at else [])
    start, end = (min(times), max(times)) if times else (None, None)
    span = (end - start).total_seconds() if start and end else 0.0

    def x(at: datetime) -> float:
        if not span:
            return round(LEFT + inner_w / 2, 1)
        return round(LEFT + (at - start).total_seconds() / span * inner_w, 1)

    def y(level: float) -> float:
        return round(TOP + (100 - level) / 100 * inner_h, 1)

    dots = [
        Dot(x(at), y(lv.value), not lv.matches,
            f"{local_time.text(at, zone, 'time')} · {lv.value} ({lv.engine} {lv.score:.3f})")
        for at, lv in samples
        if lv is not None
    ]  # fmt: skip
    x_ticks = []
    for at in tick_times(start, end, zone) if start and end else []:
        spot = x(at)
        anchor = (
            "start" if spot < LEFT + EDGE else "end" if spot > WIDTH - RIGHT - EDGE else "middle"
        )
        x_ticks.append((spot, local_time.text(at, zone, "time", label=False), anchor))
    return Chart(
        WIDTH,
        HEIGHT,
        " ".join(f"{d.x},{d.y}" for d in dots),
        dots,
        y(THRESHOLD_LEVEL),
        [(y(100), "100"), (y(THRESHOLD_LEVEL), "50"), (y(0), "0")],
        x_ticks,
        x(paused_at) if paused_at else None,
        y(0),
    )


def tick_times(start: datetime, end: datetime, zone: str) -> list[datetime]:
    """Round times of the venue's clock within [start, end] (whole seconds, minutes or hours
    as the span asks), at most MAX_TICKS; the start alone when none falls within."""
    span = (end - start).total_seconds()
    step = next((s for s in TICK_STEPS if span / s < MAX_TICKS - 1), TICK_STEPS[-1])
    midnight = local_time.day_start(local_time.local(start, zone).date(), zone)
    at = midnight + timedelta(seconds=math.ceil((start - midnight).total_seconds() / step) * step)
    ticks = []
    while at <= end and len(ticks) < MAX_TICKS:
        ticks.append(at)
        at += timedelta(seconds=step)
    return ticks or [start]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    series: str
    value: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bars: list[Bar]
    y_ticks: list[tuple[float, int]]  # y, value (gridlines)
    groups: list[tuple[float, str, str]]  # centre x, first line, second line
    baseline_y: float
    left: int


def _step(top: int) -> int:
    """A round gridline step giving about five lines up to `top`."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000):
        if top / step <= 5:
            return step
    return max(1, top // 5)


def bar_chart(
    groups: list[tuple[str, str]], series: list[tuple[str, list[int]]], width: int = 1240
) -> BarChart:
    """Grouped bars: one group per (label, sublabel), one bar per series in each, on a value
    axis from 0 with round gridlines; the values are printed on the bars by the template."""
    left, right, top_pad, bottom = 44, 10, 18, 44
    height = 260
    highest = max([v for _, values in series for v in values] + [1])
    step = _step(highest)
    top = step * -(-highest // step)
    inner_h = height - top_pad - bottom
    slot = (width - left - right) / max(len(groups), 1)
    bar_w = min(36.0, slot * 0.8 / max(len(series), 1))

    def y(value: float) -> float:
        return round(top_pad + (top - value) / top * inner_h, 1)

    bars, labels = [], []
    for g, (label, sublabel) in enumerate(groups):
        centre = left + slot * (g + 0.5)
        start = centre - bar_w * len(series) / 2
        for s, (name, values) in enumerate(series):
            value = values[g]
            bars.append(Bar(round(start + s * bar_w, 1), y(value), round(bar_w - 3, 1),
                            round(y(0) - y(value), 1), name, value))  # fmt: skip
        labels.append((round(centre, 1), label, sublabel))
    ticks = [(y(v), v) for v in range(0, top + 1, step)]
    return BarChart(width, height, bars, ticks, labels, y(0), left)
