"""A captured frame and when it was taken."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import numpy as np


@dataclass(frozen=True, slots=True)
class Frame:
    image: np.ndarray  # (H, W, 3) uint8 BGR
    index: int  # counts every frame the source delivered, dropped ones included
    captured_at: datetime  # wall clock (UTC): observations carry it
    monotonic: float  # for intervals; immune to clock changes
