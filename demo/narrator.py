"""What the demo prints while it runs: each station's state changes, the incidents its pauses
file, and the flags raised, each told once, as a proctor's screen would show them."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from proctor.demo.walkthrough import Seat, Walkthrough

Say = Callable[[str], None]


def decision(checkpoint: dict[str, Any]) -> str:
    score = checkpoint.get("score")
    return (
        f"{checkpoint['decision']} ({score:.2f})" if score is not None else checkpoint["decision"]
    )


def narrate(
    walk: Walkthrough,
    base: str,
    session_id: str,
    seats: list[Seat],
    run_for: float | None,
    say: Say,
) -> None:
    """Poll the service once a second until `run_for` seconds have passed (or forever)."""
    by_attempt = {seat.attempt_id: seat for seat in seats}
    states = {seat.attempt_id: "in_progress" for seat in seats}
    flags_seen: dict[str, set[str]] = {seat.attempt_id: set() for seat in seats}
    started = time.monotonic()
    while run_for is None or time.monotonic() - started < run_for:
        time.sleep(1.0)
        elapsed = int(time.monotonic() - started)
        stamp = f"[{elapsed // 60}:{elapsed % 60:02d}]"
        for attempt in walk.attempts(session_id):
            seat = by_attempt.get(attempt["id"])
            if seat is None:
                continue
            who = f"{stamp} {seat.plan.code} {seat.plan.member.name}"
            if attempt["state"] != states[seat.attempt_id]:
                states[seat.attempt_id] = attempt["state"]
                say(f"{who}: exam {attempt['state'].upper()}")
                if attempt.get("open_incident"):
                    _incident(walk, base, attempt["open_incident"]["id"], say)
            for flag in walk.flags(seat.attempt_id):
                if flag["kind"] not in flags_seen[seat.attempt_id]:
                    flags_seen[seat.attempt_id].add(flag["kind"])
                    say(f"{who}: flag {flag['kind']}")


def _incident(walk: Walkthrough, base: str, incident_id: str, say: Say) -> None:
    detail = walk.incident(incident_id)
    say(
        f"        incident filed ({detail['reason']}) with {len(detail['evidence'])} pieces of "
        f"evidence: {base}/console/incidents/{incident_id}"
    )
