"""A server keeps its database connections across bursts of requests: a pool smaller than the
requests in flight would open and close connections under load (on PostgreSQL, a new backend
process each)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx2
from sqlalchemy import event

from proctor.access.tokens import Role
from proctor.api.app import create_app
from tests.support.live import threaded_server
from tests.support.world import issue, service_settings


def test_bursts_of_requests_reuse_the_pools_connections(migrated, tmp_path):
    app = create_app(service_settings(migrated, tmp_path))
    engine = app.state.proctor.db
    assert engine.pool.size() == 20  # PROCTOR_DATABASE_POOL_SIZE's default
    closed: list[int] = []
    event.listen(engine, "close", lambda *_: closed.append(1))
    admin = {"Authorization": f"Bearer {issue(migrated, Role.ADMIN)}"}
    with threaded_server(app) as base, httpx2.Client(base_url=base, headers=admin) as http:

        def call(_: int) -> int:
            return http.get("/api/v1/venues").status_code

        def burst() -> None:
            with ThreadPoolExecutor(8) as pool:  # 8 requests in flight, 2 sessions each
                assert set(pool.map(call, range(64))) == {200}

        for _ in range(4):
            burst()
        assert closed == []  # every connection went back to the pool, none was thrown away
