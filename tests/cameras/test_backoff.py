"""Backing off from a server that does not answer, on a fake clock: delays double up to the
cap, and end within a probe interval of the health check answering again, however long the
outage lasted."""

from __future__ import annotations

import pytest

from proctor.cameras.backoff import JITTER, Backoff


class Outage:
    """A fake clock and a server that is down until `back_at`."""

    def __init__(self, back_at: float) -> None:
        self.now, self.back_at, self.probes = 0.0, back_at, 0

    def wait(self, seconds: float) -> bool:
        self.now += seconds
        return False

    def healthy(self) -> bool:
        self.probes += 1
        return self.now >= self.back_at


def backoff(outage: Outage) -> Backoff:
    return Backoff(first=1.0, cap=15.0, probe_every=1.0, healthy=outage.healthy,
                   wait=outage.wait, clock=lambda: outage.now)  # fmt: skip


@pytest.mark.parametrize("outage_seconds", [8.0, 60.0, 600.0])
def test_retrying_resumes_within_a_probe_of_the_server_answering(outage_seconds):
    outage = Outage(back_at=outage_seconds)
    retry = backoff(outage)
    delays = []
    while outage.now < outage.back_at:  # each failed retry waits again
        delays.append(retry.delay)
        retry.wait()
    assert outage.now - outage.back_at <= 1.0 + JITTER  # not the rest of a 15 s delay
    assert delays[:5] == [1.0, 2.0, 4.0, 8.0, 15.0][: len(delays[:5])]
    assert max(delays) <= 15.0
    assert outage.probes <= outage_seconds / (1.0 - JITTER) + 1  # about one probe a second


def test_without_a_health_check_answer_the_full_delay_is_waited():
    outage = Outage(back_at=float("inf"))
    retry = backoff(outage)
    for expected in (1.0, 2.0, 4.0, 8.0, 15.0, 15.0):
        started = outage.now
        retry.wait()
        assert outage.now - started == pytest.approx(expected)


def test_an_answer_seen_while_waiting_starts_the_next_failure_short_again():
    outage = Outage(back_at=20.0)
    retry = backoff(outage)
    while retry.delay < 15.0:
        retry.wait()
    retry.wait()  # the server answers during this 15 s wait
    assert outage.now <= 20 + 1 + JITTER and retry.delay == 1.0


def test_a_stop_ends_the_wait_at_once():
    retry = Backoff(first=1.0, cap=15.0, probe_every=1.0, healthy=lambda: False,
                    wait=lambda seconds: True)  # fmt: skip
    assert retry.wait() is True
