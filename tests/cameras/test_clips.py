"""Scenario clips: deterministic, with a timeline that tells the truth."""

from __future__ import annotations

import cv2
import numpy as np
import pytest
from typer.testing import CliRunner

from proctor.cameras.clips import Timeline
from proctor.cli.main import app

pytestmark = pytest.mark.lfw


def frames(video) -> list[np.ndarray]:
    capture = cv2.VideoCapture(str(video))
    out = []
    while True:
        ok, image = capture.read()
        if not ok:
            return out
        out.append(image)


def test_clips_are_made_with_their_timelines_and_repeat_by_seed(lfw_root, tmp_path, engine):
    args = ["clips", "make", "--root", str(lfw_root), "--duration", "6", "--fps", "5"]
    first = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "a"), "--scenario", "swap",
                                     "--scenario", "covered", "--per-scenario", "1"])  # fmt: skip
    assert first.exit_code == 0, first.output
    again = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "b"), "--scenario", "swap",
                                     "--per-scenario", "1"])  # fmt: skip
    assert again.exit_code == 0, again.output
    swap = Timeline.load(tmp_path / "a" / "swap-000.json")
    assert Timeline.load(tmp_path / "b" / "swap-000.json") == swap
    assert swap.other is not None and swap.other.identity != swap.candidate.identity
    assert swap.candidate.shown not in swap.candidate.registration
    t = swap.event_time("swap")
    assert 0.3 * 6 <= t <= 0.6 * 6

    video = frames(tmp_path / "a" / "swap-000.avi")
    assert len(video) == 30 and video[0].shape == (480, 640, 3)
    # Before the swap the detector finds one face, and after it one face too (another one).
    before, after = video[int(t * 5) - 3], video[int(t * 5) + 3]
    assert len(engine.detect(before)) >= 1 and len(engine.detect(after)) >= 1

    covered = Timeline.load(tmp_path / "a" / "covered-000.json")
    start, end = covered.event_time("covered_start"), covered.event_time("covered_end")
    dark = frames(tmp_path / "a" / "covered-000.avi")[int(start * 5) + 1]
    assert dark.mean() < 15 and start < end


def test_a_missing_photo_folder_is_a_clear_error(tmp_path):
    result = CliRunner().invoke(app, ["clips", "make", "--root", str(tmp_path), "--out", "x"])
    assert result.exception is not None
    assert "labels.csv" in str(result.exception)


def test_an_honest_clip_varies_like_a_candidate_and_says_when(lfw_root, tmp_path):
    from proctor.cameras.clips import MOMENTS, POSE_SECONDS, make_clips

    made = make_clips(lfw_root, tmp_path, ["honest", "swap"], per_scenario=3, seed=4,
                      duration=30, fps=5)  # fmt: skip
    lines = [Timeline.load(v.with_suffix(".json")) for v in made]
    moments = [e for line in lines for e in line.events if e["kind"] != "swap"]
    assert {e["kind"].rsplit("_", 1)[0] for e in moments} <= set(MOMENTS)
    assert len({e["kind"] for e in moments}) >= 6  # several kinds, each with its end
    for line in lines:
        swap = line.event_time("swap")
        for e in line.events:  # the candidate's moments come before any swap, inside the clip
            assert 0 < e["t"] < (swap + 1e-9 if swap else line.duration)
        photos = [line.candidate.shown, *line.candidate.poses]
        assert not set(photos) & set(line.candidate.registration)
        assert line.candidate.photo_at(POSE_SECONDS * len(photos) + 0.1) == photos[0]
    # Dim light darkens the frame it covers.
    line, video = next((ln, v) for ln, v in zip(lines, made, strict=True)
                       if any(e["kind"] == "dim_start" for e in ln.events))  # fmt: skip
    start, end = line.event_time("dim_start"), line.event_time("dim_end")
    clip = frames(video)
    inside = clip[int((start + end) / 2 * 5)]
    outside = clip[int(max(start - 1.0, 0) * 5)] if start >= 1.0 else clip[int((end + 0.5) * 5)]
    assert "dim" in line.moments_at((start + end) / 2)
    assert inside.mean() < 0.6 * outside.mean()
