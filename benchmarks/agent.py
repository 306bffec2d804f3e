"""The station agent: analysis speed on one core, CPU share at the default rate, time-to-pause
over swap clips, and false pauses over an hour of honest clips.

    python benchmarks/agent.py [--swaps 50] [--honest-minutes 60] [--workers 2]

- speed: the station's analysis (tamper check, detection, embedding, match, liveness) on the
  frames of a 640x480 clip, pinned to one core, with every frame embedded and with the default
  score reuse at 30 frames a second; the clip's MJPG decoding is timed apart.
- cpu: the real agent (capture thread decoding a 30 fps clip in real time, 2 analyses a
  second, outbox, sender, heartbeats) against `proctor serve` in another process, the agent
  pinned to one core; its process's CPU time over the wall time.
- scenarios: swap and honest clips through the analysis and the server's policy offline (see
  benchmarks/agent_scenarios.py). The time-to-pause at the station adds to the deciding
  sample's clip time its analysis time, the wait for the agent's next send (uniform over its
  0.5 s interval) and the service's measured pause delivery (benchmarks/results/service.json).
"""

from __future__ import annotations

import json
import os
import secrets
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from datetime import UTC, date, datetime
from multiprocessing import get_context
from pathlib import Path
from typing import Annotated

import cv2
import numpy as np
import typer
from tqdm import tqdm

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # tests.support.live
import agent_scenarios
from machine import machine

from proctor.access.tokens import Role, issue_token
from proctor.cameras.agent import Agent, AgentConfig
from proctor.cameras.analysis import StationAnalyser
from proctor.cameras.clips import Person, Timeline, plan, render
from proctor.cameras.frames import Frame
from proctor.cameras.server import StationServer
from proctor.cameras.sources import VideoSource
from proctor.cameras.station_engine import station_engine
from proctor.cameras.tracking import ScoreTrack
from proctor.faces.enrollment import enroll_photo
from proctor.models.face_api import analyse
from proctor.models.imaging import load_image
from proctor.models.reader import EngineReader
from proctor.store.database import make_engine
from proctor.store.exam import Attempt
from proctor.store.migrate import upgrade
from tests.support.live import free_port, serve_process
from tests.support.sealing import DATA_KEY, sealed_sessions
from tests.support.seed import running_attempts

RESULTS = Path(__file__).resolve().parent / "results"
LFW = Path(__file__).resolve().parent.parent.parent / "shared" / "faces" / "lfw_view1"
PERSON, PROXY = "Ricardo_Lagos", "John_Bolton"
REPEATS = 5
app = typer.Typer(add_completion=False)


def person_photos() -> list[str]:
    return sorted(str(p.relative_to(LFW)) for p in (LFW / "images" / PERSON).glob("*.jpg"))


def webcam_clip(folder: Path, fps: float, seconds: float) -> Path:
    photos = person_photos()
    line = Timeline("honest", fps, seconds, 11, Person(PERSON, photos[:2], photos[4]))
    return render(line, LFW, folder / "webcam")


def templates(engine) -> np.ndarray:
    return np.stack([analyse(engine, load_image(LFW / p)).embedding for p in person_photos()[:2]])


def speed(clip: Path) -> dict:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    cv2.setNumThreads(1)
    capture = cv2.VideoCapture(str(clip))
    frames, decode = [], []
    while True:
        began = time.perf_counter()
        ok, image = capture.read()
        if not ok:
            break
        decode.append(time.perf_counter() - began)
        frames.append(image)
    capture.release()
    frames = frames[:300]
    engine = station_engine("sface")
    known = templates(engine)
    out = {
        "frames": len(frames),
        "frame": "640x480",
        "repeats": REPEATS,
        "decode_ms": _ms(statistics.median(decode)),
    }
    for label, max_age in (("every_frame", 0.0), ("default", ScoreTrack().max_age)):
        passes, embedded, steal = [], 0, []
        for _ in range(REPEATS):
            analyser = StationAnalyser(
                engine, known, engine.threshold, track=ScoreTrack(max_age=max_age)
            )
            for i, image in enumerate(frames[:5]):  # warm up
                analyser.analyse(Frame(image, i, _now(), -10.0 + i))
            embedded, stolen, began = 0, _steal_ticks(), time.perf_counter()
            for i, image in enumerate(frames):
                embedded += analyser.analyse(Frame(image, i, _now(), i / 30)).embedded
            passes.append((time.perf_counter() - began) / len(frames))
            steal.append(_steal_share(stolen, passes[-1] * len(frames)))
        best, median = min(passes), statistics.median(passes)
        out[label] = {
            "ms_per_frame_best": _ms(best),
            "ms_per_frame_median": _ms(median),
            "frames_per_second_best": round(1 / best, 1),
            "frames_per_second_median": round(1 / median, 1),
            "embedded_share": round(embedded / len(frames), 3),
            "cpu_steal_share": round(max(steal), 2),
        }
    return out


def _steal_ticks() -> int:
    """The hypervisor's steal time (all CPUs, clock ticks) from /proc/stat, 0 if unknown."""
    try:
        fields = Path("/proc/stat").read_text().splitlines()[0].split()
        return int(fields[8])
    except (OSError, IndexError, ValueError):
        return 0


def _steal_share(since: int, seconds: float) -> float:
    """Share of one core's time the hypervisor gave to others meanwhile (over all cores)."""
    ticks = (_steal_ticks() - since) / os.sysconf("SC_CLK_TCK")
    return ticks / seconds / (os.cpu_count() or 1)


def rendering(workdir: Path) -> dict:
    """Making scenario clips: ms per frame of an honest clip with its moments, written as
    MJPG (what `proctor clips make` and the demo spend), best of REPEATS."""
    photos = person_photos()
    line = plan("honest", {PERSON: photos}, np.random.default_rng(3), seed=3, fps=10,
                duration=20)  # fmt: skip
    times = []
    for n in range(REPEATS):
        started = time.perf_counter()
        render(line, LFW, workdir / f"render-{n}")
        times.append(time.perf_counter() - started)
    frames = int(line.duration * line.fps)
    return {"frames": frames, "ms_per_frame_best": round(1000 * min(times) / frames, 2),
            "ms_per_frame_median": round(1000 * statistics.median(times) / frames, 2)}  # fmt: skip


def _station_world(workdir: Path) -> tuple[dict[str, str], str, str]:
    """A SQLite database in `workdir` with a running attempt whose candidate is enrolled from
    PERSON's first two photos: `proctor serve`'s environment, the station and its token."""
    url = f"sqlite:///{workdir / 'bench.db'}"
    nik = secrets.token_hex(32)
    database = make_engine(url)
    upgrade(database)
    station_id, attempt_id = running_attempts(url, 1, nik.encode())[0]
    reader = EngineReader(station_engine("sface"))
    with sealed_sessions(database)() as session:
        attempt = session.get(Attempt, uuid.UUID(attempt_id))
        for rel in person_photos()[:2]:
            reading = reader.read((LFW / rel).read_bytes())
            enroll_photo(session, attempt.candidate, reading, actor="bench", registry=None)
        _, token = issue_token(
            session, Role.STATION, actor="bench", station_id=uuid.UUID(station_id)
        )
        session.commit()
    database.dispose()
    env = {
        "PROCTOR_DATABASE_URL": url,
        "PROCTOR_NIK_KEY": nik,
        "PROCTOR_DATA_KEY": DATA_KEY,  # the key the enrolment above sealed with
        "PROCTOR_DATA_DIR": str(workdir),
        "PROCTOR_ENGINE": "sface",
    }
    return env, station_id, token


def cpu_share(clip: Path, seconds: float, workdir: Path) -> dict:
    """The agent pinned to one core against the real service in another process."""
    env, station_id, token = _station_world(workdir)
    cores = sorted(os.sched_getaffinity(0))
    with serve_process(env, workdir / "serve.log") as base:
        os.sched_setaffinity(0, {cores[0]})
        server = StationServer(base, station_id, token)
        source = VideoSource(str(clip), live=False, name="webcam", loop=True)
        agent = Agent(server, source, station_engine("sface"), workdir / "outbox.db", AgentConfig())
        runner = threading.Thread(target=agent.run, daemon=True)
        runner.start()
        time.sleep(5)  # connected, templates fetched, runtimes warm
        cpu0, wall0, analysed0 = time.process_time(), time.monotonic(), agent.stats["analysed"]
        time.sleep(seconds)
        cpu, wall = time.process_time() - cpu0, time.monotonic() - wall0
        analysed = agent.stats["analysed"] - analysed0
        captured, dropped = agent.capture.stats.captured, agent.capture.stats.dropped
        agent.stop()
        runner.join(15)
        server.close()
        os.sched_setaffinity(0, set(cores))
    return {
        "seconds": round(wall, 1),
        "cpu_share_of_one_core": round(cpu / wall, 3),
        "analysed_per_second": round(analysed / wall, 2),
        "frames_captured": captured,
        "frames_dropped": dropped,
        "sent": agent.stats["sent"],
    }


def recovery(outages: list[float], workdir: Path) -> list[dict]:
    """A proxy sits down while `proctor serve` is stopped; once it answers its health check
    again, how long until the pause reaches the agent (wall time, default agent settings)."""
    rows = []
    for outage in outages:
        folder = workdir / f"outage-{outage:g}"
        folder.mkdir()
        env, station_id, token = _station_world(folder)
        photos = person_photos()
        proxy = sorted(str(p.relative_to(LFW)) for p in (LFW / "images" / PROXY).glob("*.jpg"))
        line = Timeline("swap", 10, outage + 40, 5, Person(PERSON, photos[:2], photos[4]),
                        Person(PROXY, [], proxy[1]), [{"t": 4.0, "kind": "swap"}])  # fmt: skip
        clip = render(line, LFW, folder / "swap")
        port = free_port()
        server = StationServer(f"http://127.0.0.1:{port}", station_id, token)
        agent = Agent(server, VideoSource(str(clip), live=False, name="clip"),
                      station_engine("sface"), folder / "outbox.db", AgentConfig())  # fmt: skip
        paused = threading.Event()
        follow = agent._on_state

        def seen(state: dict, follow=follow, paused=paused) -> None:
            follow(state)
            if (state.get("attempt") or {}).get("state") == "paused":
                paused.set()

        agent._on_state = seen  # type: ignore[method-assign]
        runner = threading.Thread(target=agent.run, daemon=True)
        with serve_process(env, folder / "serve-1.log", port=port):
            runner.start()
            deadline = time.monotonic() + 120
            while agent.stats["sent"] < 3 and time.monotonic() < deadline:
                time.sleep(0.05)
        time.sleep(outage)  # the proxy sits down at 0:04 of the clip, while the server is away
        with serve_process(env, folder / "serve-2.log", port=port):
            back = time.monotonic()  # its health check answered
            reached = paused.wait(120)
            delay = time.monotonic() - back
            agent.stop()
            runner.join(15)
        server.close()
        rows.append({"outage_seconds": outage, "paused": reached,
                     "pause_after_server_back_seconds": round(delay, 2) if reached else None,
                     "observations_sent": agent.stats["sent"]})  # fmt: skip
    return rows


def scenarios(swaps: int, honest_minutes: float, workers: int) -> dict:
    honest_clips = max(1, round(honest_minutes))  # one-minute clips
    jobs = [("swap", 1000 * i, 20.0) for i in range(swaps)]
    jobs += [("honest", 1000 * i, 60.0) for i in range(honest_clips)]
    # Spawned: a forked worker can inherit a lock held by one of OpenCV's threads here.
    with ProcessPoolExecutor(
        workers,
        mp_context=get_context("spawn"),
        initializer=agent_scenarios.init,
        initargs=(str(LFW), "fused"),
    ) as pool:
        futures = [pool.submit(agent_scenarios.run_clip, *job) for job in jobs]
        results = [f.result() for f in tqdm(futures, desc="clips", unit="clip")]
    delivery = _delivery_seconds()
    rng = np.random.default_rng(0)
    swap = [r for r in results if r.scenario == "swap"]
    decided = [r.paused_at - r.event_at for r in swap if r.paused_at is not None]
    at_station = [
        d + r.analysis_ms / 1000 + float(rng.uniform(0, AgentConfig().send_interval)) + delivery
        for d, r in zip(decided, [r for r in swap if r.paused_at is not None], strict=True)
    ]
    honest = [r for r in results if r.scenario == "honest"]
    return {
        "swap": {
            "clips": len(swap),
            "paused": len(decided),
            "early_pauses": sum(1 for d in decided if d < 0),
            "samples_uncertain": sum(r.uncertain for r in swap),
            "decision_clip_seconds": _summary(decided),
            "at_station_seconds": _summary(at_station),
            "delivery_seconds_assumed": delivery,
        },
        "honest": {
            "clips": len(honest),
            "minutes": round(sum(r.duration for r in honest) / 60, 1),
            "samples": sum(r.samples for r in honest),
            "samples_below_threshold": sum(r.below_threshold for r in honest),
            "samples_uncertain": sum(r.uncertain for r in honest),
            "clips_flagged": {
                flag: sum(1 for r in honest if flag in r.flags)
                for flag in sorted({f for r in honest for f in r.flags})
            },
            "false_pauses": sum(1 for r in honest if r.paused_at is not None),
            "pause_reasons": [r.pause_reason for r in honest if r.pause_reason],
        },
        "skipped_seeds": sum(len(r.skipped) for r in results),
        "clips": [asdict(r) for r in results],
    }


def _delivery_seconds() -> float:
    path = RESULTS / "service.json"
    if path.is_file():
        data = json.loads(path.read_text())
        for run in data.get("results", []):
            if run.get("backend") == "sqlite":
                return round(run["pause"]["delivered_ms_p50"] / 1000, 3)
    return 0.05


def _summary(values: list[float]) -> dict:
    if not values:
        return {}
    ordered = sorted(values)
    return {
        "median": round(statistics.median(ordered), 2),
        "p95": round(float(np.percentile(ordered, 95)), 2),
        "max": round(ordered[-1], 2),
        "min": round(ordered[0], 2),
    }


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def _now() -> datetime:
    return datetime.now(UTC)


@app.command()
def main(
    swaps: Annotated[int, typer.Option(min=1)] = 50,
    honest_minutes: Annotated[float, typer.Option(min=1)] = 60,
    cpu_seconds: Annotated[float, typer.Option(min=10)] = 60,
    workers: Annotated[int, typer.Option(min=1)] = 2,
    parts: Annotated[
        str,
        typer.Option(
            help="Comma-separated: speed, cpu, recovery, render, scenarios (others kept from "
            "before)."
        ),
    ] = "speed,cpu,recovery,render,scenarios",
) -> None:
    if not (LFW / "labels.csv").is_file():
        raise typer.BadParameter(f"the LFW photos are not at {LFW}")
    chosen = {p.strip() for p in parts.split(",") if p.strip()}
    path = RESULTS / "agent.json"
    results = json.loads(path.read_text()) if path.is_file() else {}
    results.update(date=str(date.today()), machine=machine())
    results.setdefault("commands", {})
    old = results.pop("command", None)  # from before each part recorded its own command
    if old and "scenarios" in results:
        results["commands"].setdefault("scenarios", old)
    command = " ".join(["python", "benchmarks/agent.py", *sys.argv[1:]])
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if chosen & {"speed", "cpu"}:
            typer.echo("rendering a 30 fps webcam clip", err=True)
            clip = webcam_clip(workdir, fps=30, seconds=20)
        if "speed" in chosen:
            results["speed"] = speed(clip)
            results["commands"]["speed"] = command
            typer.echo(f"speed: {results['speed']}", err=True)
        if "cpu" in chosen:
            results["cpu"] = cpu_share(clip, cpu_seconds, workdir)
            results["commands"]["cpu"] = command
            typer.echo(f"cpu: {results['cpu']}", err=True)
        if "render" in chosen:
            results["render"] = rendering(workdir)
            results["commands"]["render"] = command
            typer.echo(f"render: {results['render']}", err=True)
        if "recovery" in chosen:
            results["recovery"] = recovery([8.0, 60.0], workdir)
            results["commands"]["recovery"] = command
            typer.echo(f"recovery: {results['recovery']}", err=True)
    if "scenarios" in chosen:
        results["scenarios"] = scenarios(swaps, honest_minutes, workers)
        results["commands"]["scenarios"] = command
    RESULTS.mkdir(exist_ok=True)
    path.write_text(json.dumps(results, indent=2) + "\n")
    from agent_report import write_report

    write_report(results, RESULTS / "agent.md")
    typer.echo((RESULTS / "agent.md").read_text())


if __name__ == "__main__":
    app()
