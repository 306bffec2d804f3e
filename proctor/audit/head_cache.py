"""The latest signed head, read at most once per interval however many station streams and
pages ask for it (a venue's hundreds of streams each carry it)."""

from __future__ import annotations

import threading
import time
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from proctor.audit.heads import head_dict, latest_head


class HeadCache:
    def __init__(self, sessions: sessionmaker[Session], seconds: float = 0.5) -> None:
        self._sessions, self._seconds = sessions, seconds
        self._lock = threading.Lock()
        self._head: dict[str, Any] | None = None
        self._read_at = float("-inf")

    def latest(self) -> dict[str, Any] | None:
        with self._lock:
            if time.monotonic() - self._read_at >= self._seconds:
                with self._sessions() as session:
                    head = latest_head(session)
                    self._head = None if head is None else head_dict(head)
                self._read_at = time.monotonic()
            return self._head
