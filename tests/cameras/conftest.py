from __future__ import annotations

import pytest

from proctor.cameras.station_engine import station_engine
from proctor.models.engine import PipelineEngine


@pytest.fixture(scope="session")
def engine() -> PipelineEngine:
    """The engine as stations run it, loaded once for the camera tests."""
    return station_engine("sface")
