"""Server and agent on scenario clips: a proxy swap pauses the exam on a sample taken within 3 s
of the swap, with a snapshot of the proxy filed; an honest clip, with the candidate looking
down, covering the mouth, leaning back, in dim light or behind glare, is never paused.

Judged in clip time (each frame carries its own time in the clip), so a busy machine plays the
clip slower but decides on the same frames; the wall-clock delay of a pause is measured by
`benchmarks/agent.py`."""

from __future__ import annotations

import contextlib
import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select

from proctor.access.tokens import Role
from proctor.api.app import create_app
from proctor.cameras.agent import Agent, AgentConfig
from proctor.cameras.clips import SCENARIOS, Timeline, make_clips
from proctor.cameras.server import StationServer
from proctor.cameras.sources import parse_source
from proctor.errors import RejectedInputError
from proctor.faces.enrollment import enroll_photo
from proctor.models.reader import EngineReader
from proctor.store.database import make_engine
from proctor.store.evidence import Incident, IncidentEvidence, Observation
from proctor.store.exam import Attempt
from tests.support.database import migrate
from tests.support.helpers import running_attempt
from tests.support.live import threaded_server
from tests.support.sealing import sealed_sessions
from tests.support.world import issue, service_settings

pytestmark = pytest.mark.lfw


def play(clip, timeline: Timeline, root, tmp_path, engine) -> dict:
    """Enroll the clip's candidate, run server and agent on the clip, return what happened."""
    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    station_id, attempt_id = running_attempt(url)
    reader = EngineReader(engine)
    db = make_engine(url)
    with sealed_sessions(db)() as session:
        attempt = session.get(Attempt, uuid.UUID(attempt_id))
        enrolled = 0
        for photo in timeline.candidate.registration:
            reading = reader.read((root / photo).read_bytes())
            with contextlib.suppress(RejectedInputError):  # LFW photos are not all ID-grade
                enroll_photo(session, attempt.candidate, reading, actor="test", registry=None)
                enrolled += 1
        assert enrolled, "no registration photo of this clip passes the quality gate"
        session.commit()
    token = issue(url, Role.STATION, station_id=uuid.UUID(station_id))
    app = create_app(service_settings(url, tmp_path, engine="sface", policy={}), reader=reader)
    with threaded_server(app) as base:
        server = StationServer(base, station_id, token)
        agent = Agent(server, parse_source(str(clip)), engine, tmp_path / "outbox.db",
                      AgentConfig(rate=2, send_interval=0.2))  # fmt: skip
        runner = threading.Thread(target=agent.run)
        runner.start()
        runner.join(timeline.duration + 30)
        server.close()
    with sealed_sessions(db)() as session:
        first = session.scalar(select(Observation).order_by(Observation.seq).limit(1))
        incident = session.scalar(select(Incident))
        trigger = incident and session.scalar(
            select(Observation).where(Observation.seq == incident.details["trigger_seq"])
        )
        kinds = list(session.scalars(select(IncidentEvidence.kind)))
        state = session.scalar(select(Attempt.state))
    db.dispose()
    return {
        "first": first,
        "incident": incident,
        "trigger": trigger,
        "evidence": kinds,
        "state": state,
    }


def test_a_swap_pauses_within_3_s_and_an_honest_clip_never(lfw_root, tmp_path, engine):
    made = make_clips(lfw_root, tmp_path / "clips", ["swap", "honest"], per_scenario=1,
                      seed=3, duration=20, fps=10)  # fmt: skip
    assert set(SCENARIOS) >= {"swap", "honest"}
    swap_clip, honest_clip = made
    swap = Timeline.load(swap_clip.with_suffix(".json"))
    result = play(swap_clip, swap, lfw_root, tmp_path / "swap", engine)
    assert result["state"] == "paused"
    incident = result["incident"]
    assert incident.reason == "face_mismatch"
    assert "live_snapshot" in result["evidence"]
    # The clip's first frame was sampled first: its capture time is clip time 0.
    swapped_at = result["first"].observed_at + timedelta(seconds=swap.event_time("swap"))
    delay = (result["trigger"].observed_at - swapped_at).total_seconds()
    assert 0 < delay <= 3.0, delay

    honest = Timeline.load(honest_clip.with_suffix(".json"))
    assert len([e for e in honest.events if e["kind"].endswith("_start")]) >= 3  # it varies
    result = play(honest_clip, honest, lfw_root, tmp_path / "honest", engine)
    assert result["incident"] is None
    assert result["state"] == "in_progress"
