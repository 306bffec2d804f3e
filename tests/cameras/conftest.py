from __future__ import annotations

import pytest

from proctor.models.engine import PipelineEngine
from proctor.models.registry import create_engine


@pytest.fixture(scope="session")
def engine() -> PipelineEngine:
    """The station engine, loaded once for the camera tests."""
    return create_engine("sface")
