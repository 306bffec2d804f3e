"""The demo's stations: which scenario each plays, and its clip (made once, then reused)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import cv2

from proctor.cameras.clips import Person, Timeline, render
from proctor.demo.cast import Member

# The first station always shows the proxy swap; the others vary what a proctor sees.
SCENARIOS = ("swap", "honest", "lean_in", "leave", "covered", "honest", "honest", "honest")
MAX_STATIONS = len(SCENARIOS)
# The first pause comes a few seconds into the clips (the demo's first minute counts); the
# event lasts long enough for an absence flag (10 s), and the clip loops after it.
CLIP_SECONDS, CLIP_FPS = 32.0, 8.0
EVENT_AT, EVENT_SECONDS = 8.0, 14.0
STORY = {
    "swap": f"a proxy takes the seat at 0:{EVENT_AT:02.0f}",
    "honest": "the candidate alone",
    "lean_in": f"someone leans in at 0:{EVENT_AT:02.0f}",
    "leave": f"the candidate leaves the seat at 0:{EVENT_AT:02.0f}",
    "covered": f"the camera is covered at 0:{EVENT_AT:02.0f}",
}


@dataclass(frozen=True)
class StationPlan:
    code: str
    member: Member
    scenario: str
    clip: Path
    seed: int

    @property
    def story(self) -> str:
        return STORY[self.scenario]


def timeline(member: Member, scenario: str, root: Path, proxy: Path, seed: int) -> Timeline:
    def rel(path: Path) -> str:
        return str(path.relative_to(root))

    candidate = Person(member.identity, [rel(p) for p in member.registration], rel(member.shown))
    line = Timeline(scenario, CLIP_FPS, CLIP_SECONDS, seed=seed, candidate=candidate)
    if scenario in ("swap", "lean_in"):
        line.other = Person(proxy.parent.name, [], rel(proxy))
    if scenario == "swap":
        line.events = [{"t": EVENT_AT, "kind": "swap"}]
    elif scenario != "honest":
        line.events = [
            {"t": EVENT_AT, "kind": f"{scenario}_start"},
            {"t": EVENT_AT + EVENT_SECONDS, "kind": f"{scenario}_end"},
        ]
    return line


def prepare(
    cast: list[Member], proxy: Path, root: Path, folder: Path
) -> list[tuple[StationPlan, bool]]:
    """Each station's plan and whether its clip must be made (it is reused when its timeline
    is unchanged)."""
    plans = []
    for i, (member, scenario) in enumerate(zip(cast, SCENARIOS, strict=False)):
        code = f"PC-{i + 1:02d}"
        line = timeline(member, scenario, root, proxy, seed=i)
        out = folder / f"{code}-{scenario}"
        video, truth = out.with_suffix(".avi"), out.with_suffix(".json")
        fresh = not (video.is_file() and truth.is_file() and truth.read_text() == line.to_json())
        plans.append((StationPlan(code, member, scenario, video, seed=i), fresh))
    return plans


def make_clip(plan: StationPlan, root: Path, proxy: Path) -> None:
    line = timeline(plan.member, plan.scenario, root, proxy, plan.seed)
    render(line, root, plan.clip.with_suffix(""))


def first_frame_jpeg(clip: Path) -> bytes:
    """What the station's camera shows at login: the clip's first frame."""
    capture = cv2.VideoCapture(str(clip))
    try:
        ok, image = capture.read()
    finally:
        capture.release()
    if not ok:
        raise RuntimeError(f"cannot read {clip}")
    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
    return data.tobytes()
