"""The station's outbox: observations wait in a local SQLite file until the server has them.

Sequence numbers are assigned here, once, and survive restarts, so a replay after an outage
carries the same numbers and the server counts each observation once. Nothing leaves the outbox
until the server has acknowledged it.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from pathlib import Path
from typing import Any

SCHEMA = """
CREATE TABLE IF NOT EXISTS outbox (
    seq INTEGER PRIMARY KEY,
    attempt_id TEXT NOT NULL,
    payload TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
"""


class Outbox:
    """Thread-safe: the analysis thread adds, the sender thread reads and acknowledges."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.executescript(SCHEMA)
        self._lock = threading.Lock()

    def add(self, attempt_id: str, observation: dict[str, Any]) -> int:
        """Store an observation (without `seq`) and return the sequence number it was given."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                row = self._db.execute("SELECT value FROM meta WHERE key = 'next_seq'").fetchone()
                seq = row[0] if row else 0
                payload = json.dumps({**observation, "seq": seq})
                self._db.execute(
                    "INSERT INTO outbox (seq, attempt_id, payload) VALUES (?, ?, ?)",
                    (seq, attempt_id, payload),
                )
                self._db.execute(
                    "INSERT INTO meta (key, value) VALUES ('next_seq', ?) "
                    "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                    (seq + 1,),
                )
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            return seq

    def pending(self, limit: int) -> list[tuple[str, list[dict[str, Any]]]]:
        """The oldest waiting observations, oldest first, grouped by attempt (one batch each)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT attempt_id, payload FROM outbox ORDER BY seq LIMIT ?", (limit,)
            ).fetchall()
        batches: list[tuple[str, list[dict[str, Any]]]] = []
        for attempt_id, payload in rows:
            if not batches or batches[-1][0] != attempt_id:
                batches.append((attempt_id, []))
            batches[-1][1].append(json.loads(payload))
        return batches

    def acknowledge(self, seqs: list[int]) -> None:
        with self._lock:
            self._db.executemany("DELETE FROM outbox WHERE seq = ?", [(s,) for s in seqs])

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM outbox").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
