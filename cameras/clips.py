"""Scenario clips: short webcam-like videos made from labelled photos, with their truth.

Each clip is a 640x480 MJPG AVI and a `.json` timeline beside it: the scenario, the people
(their registration photos and the photos shown), and the events with their clip times. The
frames vary like a webcam's: head motion and scale, lighting drift, occasional blur, sensor
noise and JPEG artefacts. Scenarios:

- `honest`: the candidate for the whole clip, as a candidate behaves: the clip cycles through
  several photos of them (other poses and expressions than the registration photos) and has
  moments of looking down at the keyboard, a hand over mouth or chin, leaning back, dim light
  and glasses glare (the `MOMENTS`, each with its start and end in the timeline);
- `swap`: the same candidate, then a proxy takes the seat at `t`;
- `lean_in`: a second person leans into view for a while;
- `leave`: the candidate leaves the seat for a while;
- `covered`: the lens is covered for a while.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

import cv2
import numpy as np

from proctor.models.imaging import load_image

SCENARIOS = ("honest", "swap", "lean_in", "leave", "covered")
MOMENTS = ("look_down", "hand", "lean_back", "dim", "glare")
SIZE = (640, 480)
POSE_SECONDS = 4.0  # each photo of the candidate stays this long before the next


@dataclass(frozen=True)
class Person:
    identity: str
    registration: list[str]  # photos to enroll (never shown in the clip)
    shown: str  # the photo the clip is made of (the first of them)
    poses: list[str] = field(default_factory=list)  # further photos, cycled through with it

    def photo_at(self, t: float) -> str:
        photos = [self.shown, *self.poses]
        return photos[int(t // POSE_SECONDS) % len(photos)]


@dataclass
class Timeline:
    scenario: str
    fps: float
    duration: float
    seed: int
    candidate: Person
    other: Person | None = None  # the proxy, or the person leaning in
    events: list[dict] = field(default_factory=list)  # {"t": seconds, "kind": ...}

    def event_time(self, kind: str) -> float | None:
        return next((e["t"] for e in self.events if e["kind"] == kind), None)

    def moments_at(self, t: float) -> frozenset[str]:
        """The honest moments (`MOMENTS`) under way at clip time `t`."""
        under_way = set()
        for kind in MOMENTS:
            starts = [e["t"] for e in self.events if e["kind"] == f"{kind}_start"]
            ends = [e["t"] for e in self.events if e["kind"] == f"{kind}_end"]
            if any(a <= t < b for a, b in zip(starts, ends, strict=False)):
                under_way.add(kind)
        return frozenset(under_way)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2)

    @classmethod
    def load(cls, path: Path) -> Timeline:
        data = json.loads(path.read_text())
        data["candidate"] = Person(**data["candidate"])
        data["other"] = Person(**data["other"]) if data.get("other") else None
        return cls(**data)


class _Renderer:
    """Places a photo on a background with webcam-like variation; deterministic per seed.

    Works on uint8 images with OpenCV's saturating operations and draws its sensor noise once:
    a float64 pipeline with fresh noise each frame spent 25-50 ms a frame."""

    def __init__(self, rng: np.random.Generator) -> None:
        self.rng = rng
        w, h = SIZE
        # A room: a vertical gradient with some furniture-like blocks.
        base = np.tile(np.linspace(70, 150, h, dtype=np.float32)[:, None, None], (1, w, 3))
        for _ in range(6):
            x, y = int(rng.integers(0, w - 80)), int(rng.integers(0, h - 80))
            base[y : y + int(rng.integers(40, 160)), x : x + int(rng.integers(40, 200))] = (
                rng.integers(40, 200, 3)
            )
        self.background = base.astype(np.uint8)
        self.phase = rng.uniform(0, 2 * math.pi, 6)
        self.noise = [rng.normal(0, 3.0, (h, w, 3)).astype(np.int16) for _ in range(4)]

    def frame(
        self,
        t: float,
        face: np.ndarray | None,
        second: np.ndarray | None = None,
        covered: bool = False,
        moments: frozenset[str] = frozenset(),
    ) -> np.ndarray:
        rng, p = self.rng, self.phase
        image = self.background.copy()
        if face is not None:
            scale = 1.15 + 0.08 * math.sin(0.7 * t + p[0])
            cx = 320 + 25 * math.sin(0.9 * t + p[1])
            cy = 250 + 12 * math.sin(1.3 * t + p[2])
            angle = 5 * math.sin(0.5 * t + p[3])
            squash = 1.0
            if "lean_back" in moments:  # further from the camera, a little higher
                scale, cy = scale * 0.6, cy - 30
            if "look_down" in moments:  # at the keyboard: foreshortened and lower
                squash, cy = 0.55, cy + 45
            _paste(image, face, cx, cy, scale, angle, squash)
            side = face.shape[0] * scale / 250  # LFW's 250 px frames: the face in the middle
            if "hand" in moments:  # a hand over the mouth and chin, skin-toned
                skin = face[100:150, 100:150].reshape(-1, 3).mean(axis=0) * 0.9
                centre = (int(cx), int(cy + 48 * side * squash))
                cv2.ellipse(image, centre, (int(58 * side), int(42 * side)), angle, 0, 360,
                            tuple(float(c) for c in skin), -1)  # fmt: skip
            if "glare" in moments:  # light on glasses, over both eyes
                layer = image.copy()
                for dx in (-22, 22):
                    centre = (int(cx + dx * side), int(cy - 13 * side * squash))
                    cv2.ellipse(layer, centre, (int(13 * side), int(7 * side)), angle - 15, 0,
                                360, (250, 250, 250), -1)  # fmt: skip
                image = cv2.addWeighted(layer, 0.6, image, 0.4, 0)
        if second is not None:
            _paste(image, second, 520 + 10 * math.sin(t), 200, 0.8, 8)
        gain = 1.0 + 0.18 * math.sin(2 * math.pi * t / 9 + p[4])
        if "dim" in moments:
            gain *= 0.3
        if covered:
            gain *= 0.04
        image = cv2.convertScaleAbs(image, alpha=gain)
        if rng.random() < 0.1:  # motion blur now and then
            image = cv2.GaussianBlur(image, (0, 0), float(rng.uniform(1.0, 2.5)))
        noise = self.noise[int(rng.integers(len(self.noise)))]
        image = cv2.add(image, noise, dtype=cv2.CV_8U)
        quality = int(rng.integers(55, 90))
        ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, quality])
        assert ok
        return cv2.imdecode(data, cv2.IMREAD_COLOR)


def webcam_frame(
    photo: np.ndarray, *, seed: int, t: float = 0.0, moments: frozenset[str] = frozenset()
) -> np.ndarray:
    """One frame of a clip of `photo` at clip time `t`, as a desk or station webcam shows it
    (for benchmarks of single live photos)."""
    return _Renderer(np.random.default_rng(seed)).frame(t, photo, moments=moments)


def _paste(
    image: np.ndarray,
    face: np.ndarray,
    cx: float,
    cy: float,
    scale: float,
    angle: float,
    squash: float = 1.0,
) -> None:
    """Draw `face` into `image` in place, centred on (cx, cy); `squash` shortens it."""
    h, w = face.shape[:2]
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, scale)
    matrix[0, 2] += cx - w / 2
    matrix[1, 2] += cy - h / 2
    matrix[1] = matrix[1] * squash
    matrix[1, 2] += cy * (1 - squash)
    cv2.warpAffine(face, matrix, SIZE, dst=image, flags=cv2.INTER_LINEAR,
                   borderMode=cv2.BORDER_TRANSPARENT)  # fmt: skip


def _moments(rng: np.random.Generator, start: float, end: float) -> list[dict]:
    """Honest moments between `start` and `end`: one every few seconds, 1.5-3.5 s each."""
    events: list[dict] = []
    t = start + float(rng.uniform(0.5, 2.0))
    while True:
        length = float(rng.uniform(1.5, 3.5))
        if t + length > end:
            return events
        kind = MOMENTS[int(rng.integers(len(MOMENTS)))]
        events += [
            {"t": round(t, 2), "kind": f"{kind}_start"},
            {"t": round(t + length, 2), "kind": f"{kind}_end"},
        ]
        t += length + float(rng.uniform(1.5, 4.0))


def plan(
    scenario: str,
    people: dict[str, list[str]],
    rng: np.random.Generator,
    *,
    seed: int,
    fps: float,
    duration: float,
) -> Timeline:
    """Choose the people and the event times of one clip."""
    if scenario not in SCENARIOS:
        raise ValueError(f"unknown scenario {scenario!r}; choose from {', '.join(SCENARIOS)}")
    eligible = sorted(i for i, photos in people.items() if len(photos) >= 3)
    identity = eligible[int(rng.integers(len(eligible)))]
    photos = sorted(people[identity])
    picked = rng.permutation(len(photos))
    candidate = Person(
        identity,
        [photos[picked[0]], photos[picked[1]]],
        photos[picked[2]],
        [photos[i] for i in picked[3:8]],  # other poses and expressions, cycled through
    )
    timeline = Timeline(scenario, fps, duration, seed, candidate)
    if scenario in ("swap", "lean_in"):
        others = sorted(i for i in people if i != identity)
        other_id = others[int(rng.integers(len(others)))]
        other_photos = sorted(people[other_id])
        shown = other_photos[int(rng.integers(len(other_photos)))]
        timeline.other = Person(other_id, [], shown)
    start = round(float(rng.uniform(0.35, 0.55)) * duration, 2)
    if scenario == "honest":
        timeline.events = _moments(rng, 0.0, duration - 0.5)
    elif scenario == "swap":
        timeline.events = [*_moments(rng, 0.0, start - 0.3), {"t": start, "kind": "swap"}]
    else:
        end = round(min(duration - 1.0, start + float(rng.uniform(0.2, 0.3)) * duration), 2)
        timeline.events = [
            {"t": start, "kind": f"{scenario}_start"},
            {"t": end, "kind": f"{scenario}_end"},
        ]
    return timeline


def render(timeline: Timeline, root: Path, out: Path) -> Path:
    """Write the clip (`out` + .avi) and its timeline (`out` + .json); returns the video."""
    rng = np.random.default_rng(timeline.seed)
    renderer = _Renderer(rng)
    photos: dict[str, np.ndarray] = {}

    def photo(name: str) -> np.ndarray:
        if name not in photos:
            photos[name] = load_image(root / name)
        return photos[name]

    other = photo(timeline.other.shown) if timeline.other else None
    video = out.with_suffix(".avi")
    video.parent.mkdir(parents=True, exist_ok=True)
    writer = cv2.VideoWriter(str(video), cv2.VideoWriter_fourcc(*"MJPG"), timeline.fps, SIZE)
    try:
        start = timeline.event_time(f"{timeline.scenario}_start") or timeline.event_time("swap")
        end = timeline.event_time(f"{timeline.scenario}_end")
        for i in range(int(timeline.duration * timeline.fps)):
            t = i / timeline.fps
            during = start is not None and t >= start and (end is None or t < end)
            shown, second, covered = photo(timeline.candidate.photo_at(t)), None, False
            moments = timeline.moments_at(t)
            if during and timeline.scenario == "swap":
                shown, moments = other, frozenset()
            elif during and timeline.scenario == "lean_in":
                second = other
            elif during and timeline.scenario == "leave":
                shown = None
            elif during and timeline.scenario == "covered":
                covered = True
            writer.write(renderer.frame(t, shown, second, covered, moments))
    finally:
        writer.release()
    out.with_suffix(".json").write_text(timeline.to_json())
    return video


def people_of(labels_csv: Path) -> dict[str, list[str]]:
    """identity -> photo paths (relative to the labels' folder) from a `path,identity` CSV."""
    people: dict[str, list[str]] = {}
    with labels_csv.open(newline="") as f:
        for row in csv.DictReader(f):
            people.setdefault(row["identity"], []).append(row["path"])
    return people


def make_clips(
    root: Path,
    out_dir: Path,
    scenarios: Sequence[str],
    *,
    per_scenario: int,
    seed: int = 0,
    fps: float = 10.0,
    duration: float = 20.0,
) -> list[Path]:
    people = people_of(root / "labels.csv")
    made = []
    for scenario in scenarios:
        for n in range(per_scenario):
            # Stable per (seed, scenario, n): making one scenario alone gives the same clips.
            clip_seed = seed * 100_000 + SCENARIOS.index(scenario) * 1_000 + n
            rng = np.random.default_rng(clip_seed)
            timeline = plan(scenario, people, rng, seed=clip_seed, fps=fps, duration=duration)
            made.append(render(timeline, root, out_dir / f"{scenario}-{n:03d}"))
    return made
