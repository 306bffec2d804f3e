"""The registry's index on disk, so a process starts in seconds, not the minutes a graph of a
million templates takes to build. Only a cache: the database stays the truth, and anything
missing, corrupt or from another engine is ignored and rebuilt from it.

A folder per engine holds the index, the ids of what it holds, and a manifest written last
with the SHA-256 of both: a write cut short fails the check and is rebuilt. Each file is
replaced atomically, so several processes sharing a data folder can save in turn. The index
and the recent vectors are templates: they are sealed under the data master key as they are
written (`proctor.sealing.files`); a store of an older, plain format is rebuilt and replaced.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import uuid
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import numpy as np

from proctor.identity.vectors import VectorIndex
from proctor.sealing.envelope import Keyring, SealError, place
from proctor.sealing.files import read_sealed, write_sealed
from proctor.settings import Settings

logger = logging.getLogger(__name__)
FORMAT = 3  # 3 sealed the index and the recent vectors; 1 and 2 (plain) are rebuilt
INDEX, RECENT, IDS, MANIFEST = "index.bin", "recent.npz", "ids.npz", "manifest.json"


def index_folder(settings: Settings, engine: str) -> Path:
    """Where the registry's index of `engine` is kept, shared by the service and the CLI."""
    return settings.data_dir / "face-index" / engine


@dataclass(frozen=True)
class IndexStore:
    """A registry's folder on disk and the keyring its templates are sealed with."""

    folder: Path
    keyring: Keyring

    def where(self, engine: str, name: str) -> bytes:
        return place("face-index", f"{engine}/{name}")


@dataclass
class Snapshot:
    """What a registry needs to resume: its index and which photo each key stands for."""

    engine: str
    index: VectorIndex
    keys: np.ndarray  # int64
    photo_ids: list[uuid.UUID]
    candidate_ids: list[uuid.UUID]
    newest: datetime | None
    next_key: int


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while block := data.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _uuid_array(ids: list[uuid.UUID]) -> np.ndarray:
    # Raw bytes as uint8 rows: numpy's fixed-width bytes type drops trailing zero bytes.
    return np.frombuffer(b"".join(i.bytes for i in ids), dtype=np.uint8).reshape(-1, 16)


def _uuids(rows: np.ndarray) -> list[uuid.UUID]:
    if rows.ndim != 2 or rows.shape[1] != 16:
        raise ValueError("ids are not 16-byte rows")
    return [uuid.UUID(bytes=row.tobytes()) for row in rows]


def _replace(folder: Path, names: tuple[str, ...], write) -> dict[str, str]:
    """Write through temporary files of this process, then rename them into place."""
    temporaries = [folder / f".{name}.{os.getpid()}.tmp" for name in names]
    try:
        write(*temporaries)
        digests = {name: _sha256(path) for name, path in zip(names, temporaries, strict=True)}
        for name, path in zip(names, temporaries, strict=True):
            path.replace(folder / name)
    finally:
        for path in temporaries:
            path.unlink(missing_ok=True)
    return digests


def save(store: IndexStore, snapshot: Snapshot) -> None:
    folder = store.folder
    folder.mkdir(parents=True, exist_ok=True)
    (folder / MANIFEST).unlink(missing_ok=True)  # until the new one is written: not valid

    def write_index(index_path: Path, recent_path: Path) -> None:
        index, recent = snapshot.index.dump()
        for name, path, data in ((INDEX, index_path, index), (RECENT, recent_path, recent)):
            write_sealed(path, store.keyring, store.where(snapshot.engine, name), [data])

    digests = _replace(folder, (INDEX, RECENT), write_index)

    def write_ids(path: Path) -> None:
        with path.open("wb") as out:
            np.savez(
                out,
                keys=snapshot.keys.astype(np.int64),
                photos=_uuid_array(snapshot.photo_ids),
                candidates=_uuid_array(snapshot.candidate_ids),
            )

    digests |= _replace(folder, (IDS,), write_ids)
    manifest = {
        "format": FORMAT,
        "engine": snapshot.engine,
        "dim": snapshot.index.dim,
        "exact": snapshot.index.exact,
        "count": len(snapshot.keys),
        "next_key": snapshot.next_key,
        "newest": snapshot.newest.isoformat() if snapshot.newest else None,
        "sha256": digests,
    }
    _replace(folder, (MANIFEST,), lambda path: path.write_text(json.dumps(manifest)))


def load(store: IndexStore, engine: str, ann_from: int) -> Snapshot | None:
    """The saved snapshot, or None when there is none or it cannot be trusted (logged): a plain
    store of an older format, another engine, a file that does not match or does not open."""
    folder = store.folder
    if not (folder / MANIFEST).is_file():
        return None
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
        if manifest.get("format") != FORMAT or manifest.get("engine") != engine:
            raise ValueError("another format or engine")
        files = (INDEX, RECENT, IDS)
        for name in files:
            if _sha256(folder / name) != manifest["sha256"][name]:
                raise ValueError(f"{name} does not match its manifest")
        with np.load(folder / IDS, allow_pickle=False) as ids:
            keys = ids["keys"].astype(np.int64)
            photos = _uuids(ids["photos"])
            candidates = _uuids(ids["candidates"])
        index = VectorIndex.restore(
            read_sealed(folder / INDEX, store.keyring, store.where(engine, INDEX)),
            int(manifest["dim"]),
            exact=bool(manifest["exact"]),
            recent=read_sealed(folder / RECENT, store.keyring, store.where(engine, RECENT)),
            ann_from=ann_from,
        )
        if not (len(keys) == len(photos) == len(candidates) == len(index) == manifest["count"]):
            raise ValueError("the index and its ids disagree")
        newest = manifest["newest"]
        return Snapshot(
            engine,
            index,
            keys,
            photos,
            candidates,
            datetime.fromisoformat(newest) if newest else None,
            int(manifest["next_key"]),
        )
    except (OSError, ValueError, KeyError, TypeError, json.JSONDecodeError, SealError) as exc:
        # Only a cache: say so (the kind of fault, no data) and rebuild from the database.
        logger.warning("the saved face index in %s is not usable (%s); rebuilding", folder, exc)
        return None
