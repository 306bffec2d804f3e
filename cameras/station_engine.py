"""The face engine as a station runs it: tuned for many frames on one core of a desk PC.

Registration templates are embedded on the server with mirror averaging at full detector
resolution; a station's live frames skip the mirror image (half the embedding time) and detect
on a 320 px copy (a seated candidate's face stays well above YuNet's smallest size). The scores
stay on the same scale, so the server's threshold holds; `benchmarks/agent.py` measures both
the speed and the time-to-pause that results.
"""

from __future__ import annotations

from proctor.models.config import DetectorConfig, EngineConfig
from proctor.models.engine import PipelineEngine
from proctor.models.registry import create_engine, parse_config

DETECT_SIDE = 320


def station_config(
    kind: str = "sface", *, detect_side: int = DETECT_SIDE, flip: bool = False, threads: int = 1
) -> EngineConfig:
    base = parse_config(kind)
    return base.model_copy(
        update={
            "detector": DetectorConfig(max_side=detect_side),
            "flip": flip,
            "threads": threads,
        }
    )


def station_engine(kind: str = "sface", **options: object) -> PipelineEngine:
    return create_engine(station_config(kind, **options))  # type: ignore[arg-type]
