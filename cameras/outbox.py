"""The station's outbox: observations wait in a local SQLite file until the server has them.

Sequence numbers are assigned here, once, and survive restarts, so a replay after an outage
carries the same numbers and the server counts each observation once. Nothing leaves the outbox
until the server has acknowledged it.

The same file keeps the audit log's signed heads the station's state stream carried: the
station is a witness, and the committee checks the log against them (`proctor audit
station-heads`, then `proctor audit verify --against`).
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
CREATE TABLE IF NOT EXISTS heads (
    tree_size INTEGER NOT NULL,
    root_hash TEXT NOT NULL,
    head TEXT NOT NULL,
    PRIMARY KEY (tree_size, root_hash)
);
"""
KEPT_HEADS = 2000  # the newest; a later log must extend the largest, any fork shows in one


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

    def keep_head(self, head: dict[str, Any]) -> bool:
        """Keep a signed head seen on the stream (once each); whether it was new."""
        size, root = head.get("tree_size"), head.get("root_hash")
        if not isinstance(size, int) or not isinstance(root, str):
            return False
        with self._lock:
            added = self._db.execute(
                "INSERT OR IGNORE INTO heads (tree_size, root_hash, head) VALUES (?, ?, ?)",
                (size, root, json.dumps(head)),
            ).rowcount
            if added:
                self._db.execute(
                    "DELETE FROM heads WHERE rowid NOT IN "
                    "(SELECT rowid FROM heads ORDER BY tree_size DESC LIMIT ?)",
                    (KEPT_HEADS,),
                )
        return bool(added)

    def heads(self) -> list[dict[str, Any]]:
        """The kept heads, smallest first."""
        with self._lock:
            rows = self._db.execute("SELECT head FROM heads ORDER BY tree_size").fetchall()
        return [json.loads(row[0]) for row in rows]

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM outbox").fetchone()[0]

    def close(self) -> None:
        with self._lock:
            self._db.close()
