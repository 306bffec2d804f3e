"""Waiting out a server that does not answer: delays that double up to a cap, so that hundreds
of stations do not hammer a service that is starting again, cut short as soon as the service's
health check answers, so that the backlog (and a pause decided on it) does not wait out the last
long delay after an outage (13-28 s before this)."""

from __future__ import annotations

import random
import time
from collections.abc import Callable

JITTER = 0.2  # each probe comes 80-120 % of `probe_every` apart: stations do not probe in step


class Backoff:
    def __init__(
        self,
        *,
        first: float,
        cap: float,
        probe_every: float,
        healthy: Callable[[], bool],
        wait: Callable[[float], bool],
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """`wait(seconds)` sleeps and returns True when the caller is stopping (an Event's
        `wait`); `healthy()` asks the server's health check, briefly."""
        self.first, self.cap, self.probe_every = first, cap, probe_every
        self._healthy, self._wait, self._clock = healthy, wait, clock
        self.delay = first

    def reset(self) -> None:
        """The server answered: the next failure starts from the first delay again."""
        self.delay = self.first

    def wait(self) -> bool:
        """Wait the current delay, or until the health check answers; the next delay doubles.
        Returns True when the caller is stopping."""
        deadline = self._clock() + self.delay
        self.delay = min(self.delay * 2, self.cap)
        while (remaining := deadline - self._clock()) > 0:
            step = self.probe_every * random.uniform(1 - JITTER, 1 + JITTER)
            if self._wait(min(step, remaining)):
                return True
            if remaining > step and self._healthy():
                self.reset()  # back: retry now, and from the first delay if it fails again
                return False
        return False
