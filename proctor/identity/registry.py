"""The registry searchable by face: every registration template of one engine in a `VectorIndex`.

The database stays the only source of truth. The index is built from it on first use and kept
current: this process adds what it enrols at once, and at most once a `sync_every` it reads what
other processes stored since its last look (with an overlap for transactions that commit late),
and every `reconcile_every` it compares the whole list of photo ids (removals, anything missed).
A search re-scores its shortlist from the database with the engine's own measure, so an entry
whose transaction rolled back is dropped, never reported.

Templates that arrive once the graph is built are searched exactly beside it until there are
enough of them to rebuild the whole graph, in shuffled order, on a background thread (the old
graph answers meanwhile; see `proctor.identity.vectors`).

With a `store` (a folder, and the keyring its files are sealed with), the index is loaded from
there before the first look at the database (then reconciled with it) and saved back by `save`:
a million templates take minutes to index and seconds to load (`proctor.identity.index_store`).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.faces.protocol import FaceEngine
from proctor.identity import index_store
from proctor.identity.vectors import ANN_FROM, VectorIndex
from proctor.sealing.columns import REGISTRATION_TEMPLATES
from proctor.store.exam import RegistrationPhoto

logger = logging.getLogger(__name__)
SHORTLIST = 50  # nearest templates re-scored by the engine for each search
LATE_COMMIT = timedelta(seconds=30)


@dataclass(frozen=True, slots=True)
class Hit:
    candidate_id: uuid.UUID
    photo_id: uuid.UUID
    score: float  # the engine's own similarity


class Registry:
    """Thread-safe: one per engine and process, shared by its requests."""

    def __init__(
        self,
        engine: FaceEngine,
        threshold: float,
        *,
        sync_every: float = 1.0,
        reconcile_every: float = 300.0,
        ann_from: int = ANN_FROM,
        clock: Callable[[], float] = time.monotonic,
        store: index_store.IndexStore | None = None,
        threads: int = 1,
        rebuild_in_background: bool = True,
    ) -> None:
        self.engine, self.threshold = engine, threshold  # the engine's 1:N threshold
        self._sync_every, self._reconcile_every = sync_every, reconcile_every
        self._ann_from, self._clock = ann_from, clock
        self._lock = threading.Lock()
        self._index: VectorIndex | None = None
        self._photo_of: dict[int, tuple[uuid.UUID, uuid.UUID]] = {}  # key -> photo, candidate
        self._key_of: dict[uuid.UUID, int] = {}
        self._next_key = 0
        self._newest: datetime | None = None
        self._synced_at = float("-inf")
        self._reconciled_at = float("-inf")
        self._store = store
        self._threads = threads  # for building the graph; a search takes one
        self._unsaved = False  # changed since loaded or saved
        self._background = rebuild_in_background  # False: in the call that made it due (tests)
        self._rebuilding = False
        self.rebuilds = 0  # graphs rebuilt by this registry (for its tests and benchmarks)

    @property
    def store(self) -> index_store.IndexStore | None:
        return self._store

    def __len__(self) -> int:
        return len(self._key_of)

    @property
    def recent(self) -> int:
        """Templates searched exactly beside the graph until the next rebuild."""
        with self._lock:
            return 0 if self._index is None else self._index.recent

    # -- keeping current -------------------------------------------------------------------
    def add(self, photo: RegistrationPhoto, template: np.ndarray) -> None:
        """A photo this process has just enrolled (before its transaction commits), with its
        template in the clear (the row holds it sealed)."""
        if photo.engine != self.engine.name:
            return
        with self._lock:
            self._add_rows([(photo.id, photo.candidate_id, template, photo.created_at)])
        self._rebuild_if_stale()

    def sync(self, session: Session, *, force: bool = False) -> None:
        now = self._clock()
        with self._lock:
            if not force and now - self._synced_at < self._sync_every:
                return
            if self._index is None and self._newest is None:
                self._load()
            if now - self._reconciled_at >= self._reconcile_every:
                self._reconcile(session)
                self._reconciled_at = now
            else:
                self._read_new(session)
            self._synced_at = now
        self._rebuild_if_stale()

    # -- rebuilding the graph over everything, once enough has arrived beside it --------------
    def _rebuild_if_stale(self) -> None:
        """Called without the lock held."""
        with self._lock:
            if self._rebuilding or self._index is None or not self._index.stale:
                return
            self._rebuilding = True
        if not self._background:
            self._rebuild()
            return
        threading.Thread(target=self._rebuild, name="face-index-rebuild", daemon=True).start()

    def _rebuild(self) -> None:
        try:
            with self._lock:
                old = self._index
                keys, matrix = old.contents()
            fresh = VectorIndex.built(
                keys, matrix, ann_from=self._ann_from, threads=self._threads, seed=len(keys)
            )
            with self._lock:
                if self._index is not old:  # replaced meanwhile: that one stands
                    return
                since = old.keys()
                since = since[~np.isin(since, keys)]  # added while the graph was built
                fresh.add(since, old.vectors(since))
                live = np.fromiter(self._photo_of, dtype=np.int64, count=len(self._photo_of))
                fresh.remove(keys[~np.isin(keys, live)])  # removed meanwhile
                self._index, self._unsaved = fresh, True
                self.rebuilds += 1
        except Exception:  # the old graph keeps answering; the next change tries again
            logger.exception("rebuilding the %s face index failed", self.engine.name)
        finally:
            with self._lock:
                self._rebuilding = False

    def _load(self) -> None:
        snapshot = (
            index_store.load(self._store, self.engine.name, self._ann_from) if self._store else None
        )
        if snapshot is None:
            return
        self._index, self._newest, self._next_key = (
            snapshot.index,
            snapshot.newest,
            snapshot.next_key,
        )
        self._index.threads = self._threads
        for key, photo_id, candidate_id in zip(
            snapshot.keys.tolist(), snapshot.photo_ids, snapshot.candidate_ids, strict=True
        ):
            self._photo_of[key] = (photo_id, candidate_id)
            self._key_of[photo_id] = key

    def save(self) -> bool:
        """Write the index to the store if it changed since loaded or last saved."""
        with self._lock:
            if self._store is None or self._index is None or not self._unsaved:
                return False
            keys = np.fromiter(self._photo_of, dtype=np.int64, count=len(self._photo_of))
            index_store.save(
                self._store,
                index_store.Snapshot(
                    self.engine.name,
                    self._index,
                    keys,
                    [self._photo_of[int(k)][0] for k in keys],
                    [self._photo_of[int(k)][1] for k in keys],
                    self._newest,
                    self._next_key,
                ),
            )
            self._unsaved = False
            return True

    def _rows(self, session: Session, *conditions) -> list:
        """(photo id, candidate id, template opened, created at) of the matching photos."""
        rows = session.execute(
            select(
                RegistrationPhoto.id,
                RegistrationPhoto.candidate_id,
                RegistrationPhoto.template,
                RegistrationPhoto.template_key,
                RegistrationPhoto.created_at,
            ).where(RegistrationPhoto.engine == self.engine.name, *conditions)
        ).all()
        opened = REGISTRATION_TEMPLATES.open_template
        return [
            (photo_id, candidate_id, opened(session, photo_id, data, key), created_at)
            for photo_id, candidate_id, data, key, created_at in rows
        ]

    def _read_new(self, session: Session) -> None:
        if self._newest is None:
            self._reconcile(session)
            return
        rows = self._rows(session, RegistrationPhoto.created_at >= self._newest - LATE_COMMIT)
        self._add_rows([r for r in rows if r[0] not in self._key_of])

    def _reconcile(self, session: Session) -> None:
        stored = set(
            session.scalars(
                select(RegistrationPhoto.id).where(RegistrationPhoto.engine == self.engine.name)
            )
        )
        gone = [self._key_of[p] for p in set(self._key_of) - stored]
        self._remove_keys(gone)
        missing = list(stored - set(self._key_of))
        for start in range(0, len(missing), 5000):
            chunk = missing[start : start + 5000]
            self._add_rows(self._rows(session, RegistrationPhoto.id.in_(chunk)))

    def _add_rows(self, rows: list) -> None:
        rows = [r for r in rows if r[0] not in self._key_of]
        if not rows:
            return
        vectors = np.stack([r[2] for r in rows])
        if self._index is None:
            self._index = VectorIndex(
                vectors.shape[1], ann_from=self._ann_from, threads=self._threads
            )
        keys = np.arange(self._next_key, self._next_key + len(rows), dtype=np.int64)
        self._next_key += len(rows)
        self._index.add(keys, vectors)
        self._unsaved = True
        for key, (photo_id, candidate_id, _, created_at) in zip(keys, rows, strict=True):
            self._photo_of[int(key)] = (photo_id, candidate_id)
            self._key_of[photo_id] = int(key)
            if created_at is not None and (self._newest is None or created_at > self._newest):
                self._newest = created_at

    def _remove_keys(self, keys: list[int]) -> None:
        if not keys or self._index is None:
            return
        self._index.remove(np.asarray(keys, dtype=np.int64))
        self._unsaved = True
        for key in keys:
            photo_id, _ = self._photo_of.pop(key)
            self._key_of.pop(photo_id, None)

    # -- searching -------------------------------------------------------------------------
    def search(
        self,
        session: Session,
        embedding: np.ndarray,
        *,
        threshold: float | None = None,
        exclude: uuid.UUID | None = None,
        limit: int = 10,
    ) -> list[Hit]:
        """Candidates whose enrolled face scores at least `threshold` (the registry's 1:N
        threshold unless given) with `embedding`, best first, one hit (their best photo) per
        candidate; `exclude` leaves one candidate out."""
        threshold = self.threshold if threshold is None else threshold
        self.sync(session)
        with self._lock:
            if self._index is None or len(self._index) == 0:
                return []
            keys, _ = self._index.search(embedding, SHORTLIST)
            shortlist = [self._photo_of[int(k)][0] for k in keys if int(k) in self._photo_of]
        rows = self._rows(session, RegistrationPhoto.id.in_(shortlist)) if shortlist else []
        found = {r[0] for r in rows}
        with self._lock:  # rolled back since it was added: never reported
            self._remove_keys(
                [self._key_of[p] for p in shortlist if p not in found and p in self._key_of]
            )
        if not rows:
            return []
        scores = self.engine.compare_many(embedding, np.stack([r[2] for r in rows]))
        best: dict[uuid.UUID, Hit] = {}
        for (photo_id, candidate_id, _, _), score in zip(rows, scores, strict=True):
            if candidate_id == exclude or score < threshold:
                continue
            if candidate_id not in best or score > best[candidate_id].score:
                best[candidate_id] = Hit(candidate_id, photo_id, float(score))
        return sorted(best.values(), key=lambda h: -h.score)[:limit]
