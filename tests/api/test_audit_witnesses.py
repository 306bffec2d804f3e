"""Witnesses of the audit log over HTTP: every signed-in caller reads the latest signed head,
each station's state carries it and the agent keeps it, the committee's witness pulls heads
with their consistency proofs; after a cut tail, the heads a station kept and the committee's
witness file both make `proctor audit verify --against` fail."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid

import httpx2
import pytest
from sqlalchemy import text

from proctor.access.tokens import Role
from proctor.api.app import create_app
from proctor.audit.merkle import verify_consistency, verify_inclusion
from proctor.cameras.agent import Agent
from proctor.cameras.server import StationServer
from proctor.cameras.sources import FolderSource
from proctor.store.database import make_engine
from tests.support.live import threaded_server
from tests.support.world import AUDIT_KEY, NIK_KEY, World, issue, service_settings

DEADLINE = 30.0  # generous: a head round runs every half second, on a busy machine too


def signed_head(world: World, covering: int, who: str = "committee") -> dict:
    """The latest head once it covers `covering` records (the service signs in the
    background)."""
    deadline = time.monotonic() + DEADLINE
    while True:
        response = world.client.get("/api/v1/audit/head", headers=world.as_(who))
        if response.status_code == 200 and response.json()["tree_size"] >= covering:
            return response.json()
        assert time.monotonic() < deadline, response.text
        time.sleep(0.1)


def scalar(world: World, statement: str) -> int:
    with world.client.app.state.proctor.db.connect() as connection:
        return connection.scalar(text(statement))


def records(world: World) -> int:
    return scalar(world, "SELECT count(*) FROM audit_records")


def test_heads_and_proofs_over_the_api(world: World):
    count = records(world)
    head = signed_head(world, count, who="station")  # a station reads it too
    assert head["tree_size"] == count and len(head["root_hash"]) == 64
    committee = world.as_("committee")
    proof = world.client.get(
        f"/api/v1/audit/consistency?first=2&second={count}", headers=committee
    ).json()
    assert verify_consistency(
        2, count, bytes.fromhex(proof["first_root_hash"]), bytes.fromhex(head["root_hash"]),
        [bytes.fromhex(h) for h in proof["proof"]],
    )  # fmt: skip
    first_id = scalar(world, "SELECT min(id) FROM audit_records")
    inclusion = world.client.get(
        f"/api/v1/audit/records/{first_id}/inclusion", headers=committee
    ).json()
    assert inclusion["leaf_index"] == 0 and verify_inclusion(
        bytes.fromhex(inclusion["leaf_hash"]), 0, inclusion["tree_size"],
        [bytes.fromhex(h) for h in inclusion["proof"]], bytes.fromhex(inclusion["root_hash"]),
    )  # fmt: skip
    bad = world.client.get(f"/api/v1/audit/consistency?first={count + 5}", headers=committee)
    assert (bad.status_code, bad.json()["code"]) == (422, "tree_size_invalid")
    missing = world.client.get("/api/v1/audit/records/999999/inclusion", headers=committee)
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    wrong = world.client.get("/api/v1/audit/consistency?first=x", headers=committee)
    assert (wrong.status_code, wrong.json()["code"]) == (422, "request_invalid")
    proctor = world.client.get("/api/v1/audit/consistency?first=1", headers=world.as_("proctor"))
    assert proctor.status_code == 403
    assert world.client.get("/api/v1/audit/head").status_code == 401


def test_the_station_state_carries_the_head(world: World):
    count = records(world)
    signed_head(world, count)
    state = world.client.get(
        f"/api/v1/stations/{world.station_id}/state", headers=world.as_("station")
    ).json()
    assert state["audit_head"]["tree_size"] >= count


def cli(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "proctor.cli", "audit", *args],
        capture_output=True, text=True, timeout=120, check=False, env=env,
    )  # fmt: skip


def test_a_cut_tail_is_caught_by_a_stations_kept_heads_and_the_committees_witness(
    migrated, tmp_path
):
    if not migrated.startswith("sqlite"):
        pytest.skip("the HTTP path is the same on PostgreSQL (tests/proctor/audit covers both)")
    app = create_app(service_settings(migrated, tmp_path / "data"))
    env = {**os.environ, "PROCTOR_DATABASE_URL": migrated, "PROCTOR_NIK_KEY": NIK_KEY,
           "PROCTOR_DATA_DIR": str(tmp_path / "data"),
           "PROCTOR_AUDIT_SIGNING_KEY": AUDIT_KEY}  # fmt: skip
    admin = {"Authorization": f"Bearer {issue(migrated, Role.ADMIN)}"}
    committee = issue(migrated, Role.COMMITTEE)
    store = tmp_path / "committee-heads.json"
    with threaded_server(app) as base, httpx2.Client(base_url=f"{base}/api/v1") as http:
        venue = http.post("/venues", headers=admin, json={"code": "V", "name": "V"}).json()
        station = http.post(f"/venues/{venue['id']}/stations", headers=admin,
                            json={"code": "PC-1"}).json()  # fmt: skip
        token = issue(migrated, Role.STATION, station_id=uuid.UUID(station["id"]))

        def head_of(size: int) -> dict:
            deadline = time.monotonic() + DEADLINE
            while True:
                got = http.get("/audit/head", headers={"Authorization": f"Bearer {committee}"})
                if got.status_code == 200 and got.json()["tree_size"] >= size:
                    return got.json()
                assert time.monotonic() < deadline
                time.sleep(0.1)

        def count() -> int:
            engine = make_engine(migrated)
            with engine.connect() as connection:
                found = connection.scalar(text("SELECT count(*) FROM audit_records"))
            engine.dispose()
            return found

        def follow(size: int) -> None:
            """Read the station's stream as the agent does until its head covers `size`."""
            for state in server.state_events():
                agent._on_state(state)
                if (state.get("audit_head") or {}).get("tree_size", 0) >= size:
                    return

        size = head_of(count())["tree_size"]
        pulled = cli("witness", "--server", base, "--store", str(store), "--token", committee,
                     env=env)  # fmt: skip
        assert pulled.returncode == 0 and "first head" in pulled.stdout, pulled.stderr
        # The station's agent follows its state stream and keeps the head it carries.
        server = StationServer(base, station["id"], token)
        agent = Agent(server, FolderSource(tmp_path / "none"), None, tmp_path / "outbox.db")
        follow(size)
        http.post(f"/venues/{venue['id']}/stations", headers=admin, json={"code": "PC-2"})
        later = head_of(count())["tree_size"]
        assert later > size
        assert cli("witness", "--server", base, "--store", str(store), "--token", committee,
                   env=env).returncode == 0  # fmt: skip
        follow(later)
        server.close()
        kept = agent.outbox.heads()
        agent.outbox.close()
    assert [h["tree_size"] for h in kept][-1] == later and len(kept) >= 2
    station_file = tmp_path / "station-heads.json"
    written = cli("station-heads", "--outbox", str(tmp_path / "outbox.db"),
                  "--out", str(station_file), env=env)  # fmt: skip
    assert written.returncode == 0, written.stderr
    assert len(json.loads(station_file.read_text())["heads"]) == len(kept)
    assert cli("verify", "--against", str(station_file), env=env).returncode == 0
    # Cut the newest record, and with it every head and tree node (a forger who holds the
    # database, and signs the shorter log anew with the service's key).
    engine = make_engine(migrated)
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_records WHERE id = "
                                "(SELECT max(id) FROM audit_records)"))  # fmt: skip
        connection.execute(text("DELETE FROM audit_tree_nodes"))
        connection.execute(text("DELETE FROM audit_checkpoints"))
    engine.dispose()
    assert cli("checkpoint", env=env).returncode == 0
    assert cli("verify", env=env).returncode == 0  # alone, the shorter log looks whole
    for witness_file in (station_file, store):
        caught = cli("verify", "--against", str(witness_file), "--json", env=env)
        assert caught.returncode == 1, caught.stdout
        found = json.loads(caught.stdout)["problem"]
        assert (found["kind"], found["tree_size"]) == ("truncated", later)
    bad = cli("verify", "--against", str(tmp_path / "nothing.json"), env=env)
    assert bad.returncode == 2 and "no such file" in bad.stderr
