"""What the running service holds: settings, database, event bus, face reader."""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from proctor.api.bus import StationBus
from proctor.audit.head_cache import HeadCache
from proctor.cases.notify import Notifier
from proctor.cases.whistleblowing import FailureLimiter
from proctor.faces.photos import PhotoReader, PhotoReading
from proctor.faces.protocol import FaceEngine
from proctor.identity.index_store import IndexStore, index_folder
from proctor.identity.registry import Registry
from proctor.identity.watchlist import Watchlist
from proctor.sealing.values import keyring_of_sessions
from proctor.settings import Settings


class LazyReader:
    """Loads the checkpoint engine on first use, so the server starts in a second."""

    def __init__(self, engine_kind: str) -> None:
        self._kind = engine_kind
        self._reader: PhotoReader | None = None
        self._lock = threading.Lock()

    def _load(self) -> PhotoReader:
        with self._lock:
            if self._reader is None:
                from proctor.models.reader import EngineReader
                from proctor.models.registry import create_engine

                self._reader = EngineReader(create_engine(self._kind))
            return self._reader

    @property
    def engine(self) -> FaceEngine:
        return self._load().engine

    def read(self, data: bytes) -> PhotoReading:
        return self._load().read(data)


@dataclass
class ServiceContext:
    settings: Settings
    db: Engine
    sessions: sessionmaker[Session]
    bus: StationBus
    reader: PhotoReader
    station_threshold: float
    # The score under which faults of the picture no longer excuse a station's low score
    # (`ObservationPolicy.fault_excuse_level` on the station engine's scale).
    station_fault_floor: float | None
    nik_key: bytes
    notifier: Notifier
    receipt_limiter: FailureLimiter
    # Taken by the stations' frequent writes (batches, heartbeats) on SQLite, whose single
    # writer otherwise makes them poll for its lock (sleeps of up to 100 ms in SQLite's busy
    # handler: seconds at the tail under load); a no-op on PostgreSQL. See `station_write`.
    write_turn: AbstractContextManager = field(default_factory=contextlib.nullcontext)
    heads: HeadCache | None = None  # the latest signed head, for streams and pages
    _registry: Registry | None = None
    _registry_lock: threading.Lock = field(default_factory=threading.Lock)

    @contextlib.contextmanager
    def station_write(self, db: Session) -> Iterator[None]:
        """A station's write, from its first read to its commit, in turn with the others;
        rolled back inside its turn if it fails, so the next one finds the database free."""
        with self.write_turn:
            try:
                yield
            except BaseException:
                db.rollback()
                raise

    def registry(self) -> Registry:
        """The registry of the checkpoint engine's templates, searchable 1:N; built on first
        use (it loads the engine) and shared by every request of this process."""
        with self._registry_lock:
            if self._registry is None:
                from proctor.models.cards import identification_threshold

                engine = self.reader.engine
                threshold = identification_threshold(engine.name)
                # An engine without a model card (a test's fake) has only its own threshold.
                self._registry = Registry(
                    engine,
                    engine.threshold if threshold is None else threshold,
                    store=IndexStore(
                        index_folder(self.settings, engine.name), keyring_of_sessions(self.sessions)
                    ),
                    threads=min(4, os.cpu_count() or 1),  # the build at start, not searches
                )
            return self._registry

    def warm_registry(self) -> None:
        """Load or build the registry's index now, so the first enrolment does not wait."""
        registry = self.registry()
        with self.sessions() as session:
            registry.sync(session, force=True)
        registry.save()

    def save_registry(self) -> None:
        """Save the index if this process built one and it changed."""
        with self._registry_lock:
            registry = self._registry
        if registry is not None:
            registry.save()

    def watchlist(self) -> Watchlist:
        """The watchlist of the checkpoint engine, searched at the registry's 1:N threshold."""
        registry = self.registry()
        return Watchlist(registry.engine, registry.threshold)
