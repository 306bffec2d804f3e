"""Small charts drawn on the server as SVG: no script, nothing to download."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Chart:
    width: int
    height: int
    points: str  # the polyline's "x,y x,y ..."
    dots: list[tuple[float, float, bool]]  # x, y, below the threshold
    threshold_y: float | None
    labels: list[tuple[float, str]]  # y, text


def score_chart(
    scores: list[float | None], threshold: float | None, width: int = 560, height: int = 160
) -> Chart:
    """Scores in order, on a scale from the lowest seen (or -0.2) to 1, with the threshold."""
    pad = 24
    known = [s for s in scores if s is not None]
    low = min([*known, threshold if threshold is not None else 0.0, -0.2])
    high = max([*known, 1.0])
    span = (high - low) or 1.0

    def y(value: float) -> float:
        return round(pad + (high - value) / span * (height - 2 * pad), 1)

    step = (width - 2 * pad) / max(len(scores) - 1, 1)
    dots = [
        (round(pad + i * step, 1), y(s), threshold is not None and s < threshold)
        for i, s in enumerate(scores)
        if s is not None
    ]
    return Chart(
        width,
        height,
        " ".join(f"{x},{yy}" for x, yy, _ in dots),
        dots,
        y(threshold) if threshold is not None else None,
        [(y(high), f"{high:.2f}"), (y(low), f"{low:.2f}")],
    )
