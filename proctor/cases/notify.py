"""Notifications: events behind a small interface. The shipped notifier writes a log line;
e-mail or WhatsApp senders would implement the same method. A notification names records by
id and never carries a complainant's or reporter's words or identity."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Protocol

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Notification:
    kind: str  # e.g. complaint.received, complaint.escalated, wbs.replied
    subject_type: str
    subject_id: str
    audience: str  # complainant, officer, venue_head, committee, custodian, reporter
    details: dict[str, str] = field(default_factory=dict)


class Notifier(Protocol):
    def send(self, notification: Notification) -> None: ...


class LoggingNotifier:
    def send(self, notification: Notification) -> None:
        logger.info(
            "notify %s: %s %s %s",
            notification.audience,
            notification.kind,
            notification.subject_type,
            notification.subject_id,
            extra={"notification": notification.details},
        )


class MemoryNotifier:
    """Keeps what it was given; for tests and for a console that shows recent events."""

    def __init__(self) -> None:
        self.sent: list[Notification] = []

    def send(self, notification: Notification) -> None:
        self.sent.append(notification)


_PENDING = "proctor.notifications"


def queue(session: Session, notification: Notification) -> None:
    """Send `notification` once the session's transaction commits (never if it rolls back)."""
    session.info.setdefault(_PENDING, []).append(notification)


def take_queued(session: Session) -> list[Notification]:
    return session.info.pop(_PENDING, [])


def install(factory: sessionmaker[Session], notifier: Notifier) -> None:
    """Deliver the notifications of sessions from `factory` after their commits."""

    def after_commit(session: Session) -> None:
        for item in take_queued(session):
            try:
                notifier.send(item)
            except Exception:  # a failing notifier must not undo a committed change
                logger.exception("notifier failed for %s %s", item.kind, item.subject_id)

    event.listen(factory, "after_commit", after_commit)
    event.listen(factory, "after_soft_rollback", lambda s, _t: take_queued(s))
