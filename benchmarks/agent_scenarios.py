"""One scenario clip through the station's analysis and the server's policy, offline.

A clip is made at the agent's sampling rate (2 frames a second: every frame is a sample), so
an hour of clips costs minutes. The candidate is enrolled as production enrols (server engine,
quality gate) and must pass the station login on the clip's first frame, as an exam cannot
start otherwise; clips failing either are counted and replaced by the next seed.
"""

from __future__ import annotations

import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import cv2
import numpy as np

from proctor.cameras.analysis import StationAnalyser
from proctor.cameras.clips import people_of, plan, render
from proctor.cameras.frames import Frame
from proctor.cameras.station_engine import station_engine
from proctor.exam.policy import ObservationPolicy, Sample, evaluate
from proctor.faces.match_level import score_at
from proctor.models.fused import template_for
from proctor.models.reader import EngineReader
from proctor.models.registry import create_engine

RATE = 2.0
HISTORY = 240  # as the server keeps (proctor.exam.observations)
_state: dict = {}


def init(root: str, server_engine: str) -> None:
    """Per worker process: the engines, loaded once."""
    cv2.setNumThreads(1)
    _state["root"] = Path(root)
    _state["people"] = people_of(Path(root) / "labels.csv")
    _state["reader"] = EngineReader(create_engine({"kind": server_engine, "threads": 1}))
    _state["station"] = station_engine("sface")


@dataclass
class ClipResult:
    scenario: str
    seed: int
    duration: float
    event_at: float | None
    samples: int
    below_threshold: int
    uncertain: int  # below the threshold on a face the station could not read: not a mismatch
    flags: list[str]  # the policy's flags raised during the clip (mismatch, face_unclear, ...)
    paused_at: float | None  # clip time of the sample whose verdict paused
    pause_reason: str | None
    analysis_ms: float  # mean per sample
    skipped: list[str]  # seeds tried before this one, and why they were not usable


def run_clip(scenario: str, seed: int, duration: float) -> ClipResult:
    root, people = _state["root"], _state["people"]
    reader: EngineReader = _state["reader"]
    station = _state["station"]
    skipped: list[str] = []
    for attempt_seed in range(seed, seed + 50):
        rng = np.random.default_rng(attempt_seed)
        line = plan(scenario, people, rng, seed=attempt_seed, fps=RATE, duration=duration)
        templates = []
        for rel in line.candidate.registration:
            reading = reader.read((root / rel).read_bytes())
            if reading.embedding is None or not reading.quality.acceptable:
                break
            templates.append(reading.embedding)
        if len(templates) < 2:
            skipped.append(f"{attempt_seed}: registration photo rejected")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            video = render(line, root, Path(tmp) / "clip")
            frames = _frames(video)
        login = reader.read(cv2.imencode(".jpg", frames[0])[1].tobytes())
        if login.embedding is None or (
            reader.engine.compare_many(login.embedding, np.stack(templates)).max()
            < reader.engine.threshold
        ):
            skipped.append(f"{attempt_seed}: station login did not match")
            continue
        station_templates = np.stack(
            [template_for(t, reader.engine.name, station.name) for t in templates]
        )
        return _replay(line, frames, station, station_templates, skipped)
    raise RuntimeError(f"no usable {scenario} clip from seed {seed}")


def _frames(video: Path) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(video))
    frames = []
    while True:
        ok, image = capture.read()
        if not ok:
            break
        frames.append(image)
    capture.release()
    return frames


def _replay(line, frames, station, templates, skipped) -> ClipResult:
    analyser = StationAnalyser(station, templates, station.threshold)
    policy = ObservationPolicy()
    floor = score_at(policy.fault_excuse_level, station.threshold, station.name)
    start = datetime(2026, 11, 24, 1, 0, tzinfo=UTC)
    samples: list[Sample] = []
    below, uncertain, spent, paused_at, reason = 0, 0, 0.0, None, None
    flags: set[str] = set()
    for i, image in enumerate(frames):
        t = i / RATE
        at = start + timedelta(seconds=t)
        began = time.perf_counter()
        result = analyser.analyse(Frame(image, i, at, t))
        spent += time.perf_counter() - began
        if result.score is not None and result.score < station.threshold:
            below += 1
        sample = Sample(at, result.face_count, result.score, result.camera,
                        result.liveness_flags, result.face_problems)  # fmt: skip
        uncertain += sample.is_uncertain(station.threshold, floor)
        samples.append(sample)
        verdict = evaluate(samples[-HISTORY:], policy, station.threshold, fault_floor=floor)
        flags |= {str(f) for f in verdict.flags}
        if verdict.pause is not None and paused_at is None:
            paused_at, reason = t, str(verdict.pause)
            break  # a paused exam is no longer analysed
    event = line.event_time("swap") or line.event_time(f"{line.scenario}_start")
    return ClipResult(
        line.scenario,
        line.seed,
        line.duration,
        event,
        len(samples),
        below,
        uncertain,
        sorted(flags),
        paused_at,
        reason,
        round(spent / max(len(samples), 1) * 1000, 2),
        skipped,
    )
