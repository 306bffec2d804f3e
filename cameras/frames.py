"""A captured frame and when it was taken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np


@dataclass(frozen=True, slots=True)
class Frame:
    image: np.ndarray  # (H, W, 3) uint8 BGR
    index: int  # counts every frame the source delivered, dropped ones included
    # A camera's frames carry the wall clock (UTC) and the monotonic clock; a clip's carry its
    # own time in the clip, counted from both clocks at its opening (see `capture`).
    captured_at: datetime  # observations carry it
    monotonic: float  # for intervals; immune to clock changes
