"""Ending the open event streams when the server is told to stop.

Uvicorn stops by waiting for open responses to finish, and an event stream never finishes by
itself: each would be cancelled after the grace period, with an error in the log. On SIGINT or
SIGTERM the streams are told to end at once (their clients reconnect to a server that is up),
and uvicorn's own handler then stops the server as before.
"""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Callable, Iterator
from types import FrameType

SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextlib.contextmanager
def on_stop_signals(stopping: Callable[[], None]) -> Iterator[None]:
    """Call `stopping` (it must be safe in a signal handler), then the handler that was there.
    Only the main thread may handle signals: elsewhere (tests, the demo) this does nothing."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {sig: signal.getsignal(sig) for sig in SIGNALS}

    def handle(sig: int, frame: FrameType | None) -> None:
        stopping()
        chained = previous[sig]
        if callable(chained):
            chained(sig, frame)
        elif chained == signal.SIG_DFL:
            signal.signal(sig, signal.SIG_DFL)
            signal.raise_signal(sig)

    for sig in SIGNALS:
        signal.signal(sig, handle)
    try:
        yield
    finally:
        for sig, handler in previous.items():
            if signal.getsignal(sig) is handle:  # leave a handler installed after ours alone
                signal.signal(sig, handler)
