"""Sources and the capture loop: bounded queue, dropped frames, the watchdog's reconnects."""

from __future__ import annotations

import time

import cv2
import numpy as np
import pytest

from proctor.cameras.capture import CaptureLoop
from proctor.cameras.sources import FolderSource, VideoSource, parse_source
from proctor.errors import ErrorCode, SourceError


class ScriptedSource:
    """A live camera following a script: 'f' a frame, 'x' a failed read, 'o' a failed open."""

    live = True
    name = "scripted camera"

    def __init__(self, script: str) -> None:
        self.script = list(script)
        self.opens = 0

    def open(self) -> None:
        self.opens += 1
        if self.script and self.script[0] == "o":
            self.script.pop(0)
            raise SourceError("cannot open", code=ErrorCode.SOURCE_UNAVAILABLE)

    def read(self) -> np.ndarray | None:
        step = self.script.pop(0) if self.script else "f"
        if step == "f":
            return np.zeros((4, 4, 3), np.uint8)
        return None

    def close(self) -> None:
        pass


def test_a_lost_camera_is_reopened_with_backoff_and_reported():
    events: list[bool] = []
    source = ScriptedSource("ffxoof")
    loop = CaptureLoop(source, backoff_start=0.01, backoff_max=0.02, on_outage=events.append)
    loop.start()
    deadline = time.monotonic() + 5
    while loop.stats.reconnects < 1 and time.monotonic() < deadline:
        loop.get(timeout=0.1)
    loop.stop()
    assert events == [True, False]  # one outage, reported once, then restored
    assert source.opens == 4  # the first open, two failed reopens, one that worked
    assert loop.stats.outages == 1 and loop.stats.reconnects == 1
    assert not loop.camera_lost


def test_a_slow_consumer_gets_fresh_frames_and_the_rest_are_counted():
    loop = CaptureLoop(ScriptedSource(""), queue_size=2).start()
    deadline = time.monotonic() + 30
    while loop.stats.captured <= 100 and time.monotonic() < deadline:
        time.sleep(0.01)  # nobody reads: the source keeps delivering
    loop.stop()
    first, second = loop.get(0.1), loop.get(0.1)
    assert first is not None and second is not None
    assert loop.get(0.01) is None
    assert loop.stats.captured > 100
    assert loop.stats.dropped == loop.stats.captured - 2
    assert second.index == loop.stats.captured - 1  # the newest frame is kept


def test_a_folder_plays_once_in_name_order_then_ends(tmp_path):
    for i, value in enumerate((10, 20, 30)):
        cv2.imwrite(str(tmp_path / f"{i:03d}.png"), np.full((8, 8, 3), value, np.uint8))
    (tmp_path / "notes.txt").write_text("not an image")
    (tmp_path / "999.jpg").write_bytes(b"broken")
    loop = CaptureLoop(FolderSource(tmp_path, fps=100), queue_size=10).start()
    assert loop.finished.wait(5)
    frames = [loop.get(0.1) for _ in range(3)]
    assert [int(f.image[0, 0, 0]) for f in frames] == [10, 20, 30]
    assert loop.get(0.01) is None and loop.error is None


def test_a_video_file_ends_and_an_unopenable_one_is_an_error(tmp_path):
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    for i in range(5):
        writer.write(np.full((48, 64, 3), i * 40, np.uint8))
    writer.release()
    loop = CaptureLoop(parse_source(str(path)), queue_size=10).start()
    assert loop.finished.wait(5)
    assert loop.stats.captured == 5
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(b"not a video")
    failed = CaptureLoop(VideoSource(str(broken), live=False, name="broken")).start()
    assert failed.finished.wait(5)
    assert failed.error is not None and failed.error.code == "source_unavailable"


def test_a_looping_file_starts_over(tmp_path):
    path = tmp_path / "clip.avi"
    writer = cv2.VideoWriter(str(path), cv2.VideoWriter_fourcc(*"MJPG"), 10, (64, 48))
    for i in range(3):
        writer.write(np.full((48, 64, 3), 20 + i * 80, np.uint8))
    writer.release()
    source = VideoSource(str(path), live=False, name="clip", paced=False, loop=True)
    source.open()
    levels = [int(source.read().mean() // 40) for _ in range(7)]
    source.close()
    assert levels == [0, 2, 4, 0, 2, 4, 0]


def test_source_names():
    assert parse_source("0").live and parse_source("0").name == "webcam 0"
    stream = parse_source("rtsp://user:secret@10.0.0.5:554/cam")
    assert stream.live and "secret" not in stream.name
    with pytest.raises(SourceError) as raised:
        parse_source("/no/such/thing")
    assert raised.value.code == "source_invalid"


def test_a_clip_is_never_dropped_and_its_frames_carry_clip_time(tmp_path):
    for i in range(6):
        cv2.imwrite(str(tmp_path / f"{i:03d}.png"), np.full((8, 8, 3), 10 * i, np.uint8))
    (tmp_path / "003.png").write_bytes(b"broken")  # skipped, but its frame time passes
    loop = CaptureLoop(FolderSource(tmp_path, fps=50), queue_size=2).start()
    # A consumer far slower than the clip: a camera's frames would be dropped, a clip's wait.
    frames = []
    for _ in range(5):
        frames.append(loop.get(timeout=5))
        time.sleep(0.05)
    assert loop.finished.wait(5) and loop.get(timeout=0.1) is None
    loop.stop()
    assert [int(f.image[0, 0, 0]) for f in frames] == [0, 10, 20, 40, 50]
    assert loop.stats.dropped == 0
    offsets = [(f.captured_at - frames[0].captured_at).total_seconds() for f in frames]
    assert offsets == pytest.approx([0, 0.02, 0.04, 0.08, 0.10], abs=1e-6)
    steps = [f.monotonic - frames[0].monotonic for f in frames]
    assert steps == pytest.approx(offsets, abs=1e-6)
