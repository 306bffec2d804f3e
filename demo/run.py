"""Running the demo: the service in a thread, one agent per station, and a narrator that
tells what happens (check-ins, exams running, pauses and the incidents they file)."""

from __future__ import annotations

import contextlib
import logging
import os
import secrets
import shutil
import threading
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from multiprocessing import get_context
from pathlib import Path

import uvicorn
from fastapi import FastAPI
from sqlalchemy import Engine
from tqdm import tqdm

from proctor.access.accounts import create_account
from proctor.access.tokens import Role, issue_token
from proctor.api.app import create_app
from proctor.cameras.agent import Agent, AgentConfig
from proctor.cameras.server import StationServer
from proctor.cameras.sources import VideoSource
from proctor.cameras.station_engine import station_engine
from proctor.demo.cast import choose_cast, people_in, photo_root
from proctor.demo.narrator import Say, decision, narrate
from proctor.demo.stations import StationPlan, make_clip, prepare
from proctor.demo.walkthrough import DemoStepError, Seat, Walkthrough
from proctor.models.reader import EngineReader
from proctor.models.registry import create_engine
from proctor.settings import Settings
from proctor.store.database import make_engine, make_sessionmaker
from proctor.store.migrate import upgrade

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DemoOptions:
    photos: Path | None  # None: the service and a venue, without simulated stations
    data_dir: Path
    stations: int = 4
    host: str = "127.0.0.1"
    port: int = 8000
    run_for: float | None = None  # seconds; None: until interrupted


def run_demo(options: DemoOptions, say: Say) -> None:
    folder, settings = _fresh_data(options.data_dir)
    reader: EngineReader | None = None
    plans: list[StationPlan] = []
    clips = _Clips()
    if options.photos is not None:
        reader, plans, clips = _cast_and_clips(options, settings, folder, say)
    database = make_engine(settings.resolved_database_url())
    upgrade(database)
    admin = _admin_token(database)
    app = create_app(settings, reader=reader)
    agents: list[tuple[Agent, threading.Thread]] = []
    with _serving(app, options.host, options.port) as base:
        walk = Walkthrough(base, admin)
        try:
            venue_id, session_id = walk.venue()
            seats = [walk.seat(plan, venue_id, session_id, n) for n, plan in enumerate(plans, 1)]
            station_tokens = _station_tokens(database, seats)
            logins = _console_accounts(database, venue_id)
            say(f"\nProctor demo: the console at {base}/console  (API: {base}/docs)")
            for who, (username, password) in logins.items():
                say(f"  {who:<22} username {username:<10} password {password}")
            say(f"  admin token (API and console):      {admin}")
            say(f"  e.g. curl -H 'Authorization: Bearer <token>' {base}/api/v1/incidents")
            url = settings.resolved_database_url()
            say(f"  the proctor command on this database: PROCTOR_DATABASE_URL={url}\n")
            check_ins = [walk.check_in(seat)["checkpoint"] for seat in seats]
            clips.wait()  # made meanwhile; the station login shows a clip's first frame
            for seat, check_in in zip(seats, check_ins, strict=True):
                login = walk.login(seat, station_tokens[seat.station_id])
                say(
                    f"  {seat.plan.code}  {seat.plan.member.name:<24} "
                    f"check-in {decision(check_in)}"
                    f" | station login {decision(login['checkpoint'])}"
                    f" | {login['attempt']['state']}  ({seat.plan.story})"
                )
            if seats:
                say("\nStation exam pages (open one to watch the questions stop):")
            for seat in seats:
                token = station_tokens[seat.station_id]
                say(f"  {seat.plan.code}: {base}/station/{seat.station_id}#token={token}")
                agents.append(_start_agent(seat, base, token, folder, settings))
            say("\nThe service is running; stop it with Ctrl-C.\n")
            narrate(walk, base, session_id, seats, options.run_for, say)
        finally:
            clips.close()
            for agent, _ in agents:
                agent.stop()
            for agent, thread in agents:
                thread.join(10)
                agent.server.close()
            walk.close()
            database.dispose()
    say(f"Demo stopped. Its database stays at {folder / 'demo.db'} until the next demo.")


def _fresh_data(data_dir: Path) -> tuple[Path, Settings]:
    """The demo's own folder and SQLite database, emptied at each start."""
    folder = data_dir / "demo"
    if folder.exists():
        for stale in ("demo.db", "demo.db-wal", "demo.db-shm", "outbox"):
            path = folder / stale
            shutil.rmtree(path) if path.is_dir() else path.unlink(missing_ok=True)
    folder.mkdir(parents=True, exist_ok=True)
    url = f"sqlite:///{(folder / 'demo.db').as_posix()}"
    return folder, Settings(data_dir=folder, database_url=url)


class _Clips:
    """The stations' clips, made in worker processes while the service starts and the
    candidates check in."""

    def __init__(self, pool: ProcessPoolExecutor | None = None, jobs: list | None = None):
        self._pool, self._jobs = pool, jobs or []

    def wait(self) -> None:
        if self._jobs:
            done = as_completed(self._jobs)
            for job in tqdm(done, total=len(self._jobs), desc="station clips", unit="clip"):
                job.result()
            self._jobs = []
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None


def _cast_and_clips(
    options: DemoOptions, settings: Settings, folder: Path, say: Say
) -> tuple[EngineReader, list[StationPlan], _Clips]:
    assert options.photos is not None
    say(f"Choosing {options.stations} candidates and a proxy from {options.photos} ...")
    reader = EngineReader(create_engine(settings.engine))
    root = photo_root(options.photos)
    cast, proxy = choose_cast(
        people_in(root), reader, station_engine(settings.station_engine), options.stations
    )
    plans = prepare(cast, proxy, root, folder / "clips")
    to_make = [plan for plan, fresh in plans if fresh]
    clips = _Clips()
    if to_make:  # made once, then reused while the cast stays the same
        # Spawned, not forked: this process already runs the engines' threads.
        pool = ProcessPoolExecutor(min(len(to_make), os.cpu_count() or 1),
                                   mp_context=get_context("spawn"))  # fmt: skip
        clips = _Clips(pool, [pool.submit(make_clip, plan, root, proxy) for plan in to_make])
    return reader, [plan for plan, _ in plans], clips


@contextlib.contextmanager
def _serving(app: FastAPI, host: str, port: int) -> Iterator[str]:
    """The service in a thread of this process, with the agents and the narrator beside it."""
    server = uvicorn.Server(
        uvicorn.Config(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=3)
    )
    thread = threading.Thread(target=server.run, name="service", daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise DemoStepError(
                f"the service could not start on {host}:{port}; is the port in use? "
                "Choose another with --port."
            )
        time.sleep(0.05)
    try:
        yield f"http://{host}:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def _admin_token(database: Engine) -> str:
    with make_sessionmaker(database)() as session:
        _, admin = issue_token(session, Role.ADMIN, actor="demo", label="demo admin")
        session.commit()
    return admin


DEMO_PEOPLE = {  # who -> (username, role, display name)
    "the venue's proctor": ("pengawas", Role.PROCTOR, "Pengawas Demo"),
    "a second proctor": ("pengawas2", Role.PROCTOR, "Pengawas Kedua"),
    "the committee": ("panitia", Role.COMMITTEE, "Panitia Demo"),
}


def _console_accounts(database: Engine, venue_id: str) -> dict[str, tuple[str, str]]:
    """Console accounts with fresh passwords: two proctors of the demo's venue (a proxy is
    confirmed by two) and a committee member."""
    out = {}
    with make_sessionmaker(database)() as session:
        for who, (username, role, name) in DEMO_PEOPLE.items():
            password = secrets.token_urlsafe(12)
            venue = uuid.UUID(venue_id) if role is Role.PROCTOR else None
            create_account(
                session, username=username, display_name=name, role=role, password=password,
                venue_id=venue, actor="demo",
            )  # fmt: skip
            out[who] = (username, password)
        session.commit()
    return out


def _station_tokens(database: Engine, seats: list[Seat]) -> dict[str, str]:
    out = {}
    with make_sessionmaker(database)() as session:
        for seat in seats:
            _, secret = issue_token(
                session, Role.STATION, actor="demo", station_id=uuid.UUID(seat.station_id),
                label=f"demo {seat.plan.code}",
            )  # fmt: skip
            out[seat.station_id] = secret
        session.commit()
    return out


def _start_agent(
    seat: Seat, base: str, token: str, folder: Path, settings: Settings
) -> tuple[Agent, threading.Thread]:
    source = VideoSource(str(seat.plan.clip), live=False, name=seat.plan.clip.name, loop=True)
    agent = Agent(
        StationServer(base, seat.station_id, token),
        source,
        station_engine(settings.station_engine),
        folder / "outbox" / f"{seat.plan.code}.db",
        AgentConfig(),
        label=seat.plan.code,
    )
    thread = threading.Thread(target=agent.run, name=f"agent {seat.plan.code}", daemon=True)
    thread.start()
    return agent, thread
