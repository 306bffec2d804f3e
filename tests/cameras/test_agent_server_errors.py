"""A server answering 500: the agent logs it, backs off and sends again. Whether the failing
server had stored the batch or not, every observation ends up stored exactly once."""

from __future__ import annotations

import json
import logging
import uuid

import pytest
from sqlalchemy import func, select

from proctor.access.tokens import Role
from proctor.api.app import create_app
from proctor.cameras.agent import Agent, AgentConfig
from proctor.cameras.outbox import Outbox
from proctor.cameras.server import StationServer
from proctor.cameras.sources import FolderSource
from proctor.models.reader import EngineReader
from proctor.store.database import make_engine
from proctor.store.evidence import Observation
from tests.cameras.test_agent import CANDIDATE, person, write_clip
from tests.cameras.test_agent_offline import enroll
from tests.support.database import migrate
from tests.support.helpers import running_attempt
from tests.support.live import threaded_server
from tests.support.sealing import sealed_sessions
from tests.support.world import issue, service_settings

pytestmark = pytest.mark.lfw
FAILURE = json.dumps({"code": "internal", "message": "injected failure"}).encode()


class FlakyObservations:
    """ASGI wrapper: the first observation batches fail with 500, alternately before the
    service sees them and after it has stored them (the answer lost on the way back)."""

    def __init__(self, app, failures: int) -> None:
        self.app, self.failures = app, failures
        self.calls = {"rejected": 0, "stored_then_failed": 0}

    async def __call__(self, scope, receive, send) -> None:
        failing = (
            scope["type"] == "http"
            and scope["method"] == "POST"
            and scope["path"].endswith("/observations")
            and self.failures > 0
        )
        if not failing:
            await self.app(scope, receive, send)
            return
        self.failures -= 1
        if self.failures % 2:
            self.calls["rejected"] += 1
        else:
            self.calls["stored_then_failed"] += 1

            async def swallow(message) -> None:
                pass

            await self.app(scope, receive, swallow)
        await send(
            {
                "type": "http.response.start",
                "status": 500,
                "headers": [(b"content-type", b"application/json")],
            }
        )
        await send({"type": "http.response.body", "body": FAILURE})


def test_batches_answered_with_500_are_resent_and_counted_once(lfw_root, tmp_path, engine, caplog):
    url = migrate(f"sqlite:///{tmp_path / 'p.db'}")
    station_id, attempt_id = running_attempt(url)
    reader = EngineReader(engine)
    own = person(lfw_root, CANDIDATE)
    enroll(url, attempt_id, own[:2], reader)
    token = issue(url, Role.STATION, station_id=uuid.UUID(station_id))
    clip = tmp_path / "clip"
    write_clip(clip, own[2:8] * 2)  # the candidate only: twelve frames, four seconds
    app = create_app(service_settings(url, tmp_path, engine="sface", policy={}), reader=reader)
    flaky = FlakyObservations(app, failures=4)
    caplog.set_level(logging.WARNING, logger="proctor.cameras.agent")

    with threaded_server(flaky) as base:
        server = StationServer(base, station_id, token)
        agent = Agent(
            server, FolderSource(clip, fps=3), engine, tmp_path / "outbox.db",
            AgentConfig(rate=3, send_interval=0.2, backoff_max=0.5),
        )  # fmt: skip
        assert agent.run() == "the source ended"
        server.close()

    assert flaky.calls == {"rejected": 2, "stored_then_failed": 2}
    assert "server answered 500" in caplog.text
    left = Outbox(tmp_path / "outbox.db")
    assert len(left) == 0
    left.close()
    engine_ = make_engine(url)
    with sealed_sessions(engine_)() as session:
        seqs = session.scalars(select(Observation.seq).order_by(Observation.seq)).all()
        stored = session.scalar(select(func.count()).select_from(Observation))
    engine_.dispose()
    assert agent.stats["analysed"] >= 10
    assert stored == agent.stats["analysed"]
    assert list(seqs) == list(range(seqs[0], seqs[0] + stored))  # none lost, none twice
