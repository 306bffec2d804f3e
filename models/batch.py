"""Embed many image files once each, on several processes, with a progress bar."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm import tqdm

from proctor.errors import ProctorError
from proctor.faces.protocol import FaceEngine, choose_candidate
from proctor.models.config import EngineConfig
from proctor.models.imaging import load_image
from proctor.models.registry import create_engine


@dataclass(frozen=True, slots=True)
class EmbeddedFile:
    path: str
    embedding: np.ndarray | None  # None when the file failed or holds no face
    error: str | None  # a stable code: an ErrorCode or "no_face"


def embed_file(engine: FaceEngine, root: Path, relative: str) -> EmbeddedFile:
    try:
        image = load_image(root / relative)
        faces = engine.detect(image)
        face, _ = choose_candidate(faces, image.shape[1], image.shape[0])
        if face is None:
            return EmbeddedFile(relative, None, "no_face")
        return EmbeddedFile(relative, engine.embed(image, face), None)
    except ProctorError as exc:
        return EmbeddedFile(relative, None, str(exc.code))


# Per-process engine for the pool's workers: engines hold native sessions that cannot be pickled.
_worker: tuple[FaceEngine, Path] | None = None


def _init_worker(config: dict, root: str) -> None:
    global _worker
    _worker = (create_engine(config), Path(root))


def _embed_in_worker(relative: str) -> EmbeddedFile:
    assert _worker is not None
    return embed_file(_worker[0], _worker[1], relative)


def embed_files(
    config: EngineConfig,
    root: Path,
    paths: Iterable[str],
    *,
    workers: int = 1,
    progress: bool = True,
    engine: FaceEngine | None = None,
) -> dict[str, EmbeddedFile]:
    """Embed each distinct path once. With one worker, `engine` (if given) is reused."""
    distinct: Sequence[str] = list(dict.fromkeys(paths))
    bar = tqdm(total=len(distinct), unit="img", desc="embedding", disable=not progress)
    results: dict[str, EmbeddedFile] = {}
    with bar:
        if workers <= 1:
            engine = engine or create_engine(config)
            for relative in distinct:
                results[relative] = embed_file(engine, root, relative)
                bar.update()
        else:
            # One runtime thread per process: the processes already fill the cores.
            cfg = config.model_copy(update={"threads": 1}).model_dump()
            # spawn, not fork: the parent may already hold onnxruntime and OpenCV thread pools.
            context = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(
                workers, mp_context=context, initializer=_init_worker, initargs=(cfg, str(root))
            ) as pool:
                for item in pool.map(_embed_in_worker, distinct, chunksize=8):
                    results[item.path] = item
                    bar.update()
    return results


def default_workers() -> int:
    return max(1, min(4, os.cpu_count() or 1))
