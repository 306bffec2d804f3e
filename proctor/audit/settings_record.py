"""Configuration changes are audited: at start, the service records its effective settings
when they differ from the last recorded ones. Secrets are recorded only as set or not set."""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.audit import trail
from proctor.audit.hashing import canonical
from proctor.settings import Settings
from proctor.store.audit import AuditRecord

SECRETS = ("nik_key", "audit_signing_key", "whatsapp_webhook_secret", "database_url")
ACTION = "config.applied"


def public_configuration(settings: Settings) -> dict[str, Any]:
    values = settings.model_dump(mode="json", exclude=set(SECRETS))
    values.pop("data_dir", None)  # where, not how: moving the folder changes no behaviour
    values["secrets_set"] = {name: getattr(settings, name) is not None for name in SECRETS}
    values["database"] = "sqlite" if settings.is_sqlite else "postgresql"
    return values


def record_configuration(session: Session, settings: Settings, *, actor: str = "service") -> bool:
    """Write a `config.applied` record if the configuration changed; True if one was written."""
    config = public_configuration(settings)
    digest = hashlib.sha256(canonical(config).encode()).hexdigest()
    trail.serialise(session)  # two workers starting together write it once
    last = session.scalar(
        select(AuditRecord.details)
        .where(AuditRecord.action == ACTION)
        .order_by(AuditRecord.id.desc())
        .limit(1)
    )
    if last is not None and last.get("digest") == digest:
        return False
    previous = (last or {}).get("config", {})
    changed = sorted(k for k in config.keys() | previous.keys() if config.get(k) != previous.get(k))
    trail.record(
        session, actor=actor, action=ACTION, subject_type="service", subject_id="config",
        digest=digest, changed=changed, config=config,
    )  # fmt: skip
    return True
