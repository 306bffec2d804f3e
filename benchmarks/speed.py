"""Per-frame timings of one engine on one core, and the process's peak memory.

Frames are 640x480: a devtest photo (250x250) enlarged to 300x300 on a grey background at a
varying position, roughly a candidate seated before a station webcam.
"""

from __future__ import annotations

import os
import resource
import statistics
import time
from collections.abc import Iterator

import cv2
import numpy as np
from lfw_data import Lfw

from proctor.faces.protocol import choose_candidate
from proctor.models.imaging import load_image
from proctor.models.registry import create_engine


def frames(lfw: Lfw, count: int) -> Iterator[np.ndarray]:
    """Made one at a time, so the process's peak memory is the engine's, not the frames'."""
    rng = np.random.default_rng(0)
    for path in lfw.split_images("devtest")[:count]:
        face = cv2.resize(load_image(lfw.root / path), (300, 300), interpolation=cv2.INTER_CUBIC)
        frame = np.full((480, 640, 3), 118, np.uint8)
        x, y = 170 + int(rng.integers(-80, 80)), 90 + int(rng.integers(-40, 40))
        frame[y : y + 300, x : x + 300] = face
        yield frame


def _median_ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 2)


def time_engine(kind: str, lfw: Lfw, count: int) -> dict[str, object]:
    os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    cv2.setNumThreads(1)
    result: dict[str, object] = {
        "engine": kind,
        "frames": count,
        "frame": "640x480",
        "threads": 1,
    }
    for label, cfg in (
        ("flip", {"kind": kind, "threads": 1}),
        ("no_flip", {"kind": kind, "threads": 1, "flip": False}),
        ("detect_320", {"kind": kind, "threads": 1, "flip": False, "detector": {"max_side": 320}}),
    ):
        engine = create_engine(cfg)
        detect, embed, found = [], [], 0
        for i, frame in enumerate(frames(lfw, count)):
            t0 = time.perf_counter()  # the frame is made before the clock starts
            faces = engine.detect(frame)
            t1 = time.perf_counter()
            face, _ = choose_candidate(faces, 640, 480)
            if face is None:
                continue
            found += 1
            engine.embed(frame, face)
            t2 = time.perf_counter()
            if i >= 3:  # the first frames warm the runtimes up
                detect.append(t1 - t0)
                embed.append(t2 - t1)
        result[label] = {
            "detect_ms": _median_ms(detect),
            "align_embed_ms": _median_ms(embed),
            "total_ms": _median_ms([a + b for a, b in zip(detect, embed, strict=True)]),
            "faces_found": found,
        }
        if label == "flip":
            # Peak memory of the default configuration, before a second engine is loaded.
            result["peak_rss_mib"] = round(
                resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1
            )
        del engine
    return result
