"""Deployment secrets (the NIK hashing key, the audit signing key): from the environment, or
a key file for the single-server SQLite default."""

from __future__ import annotations

import base64
import logging
import os
import secrets

from nacl.exceptions import CryptoError
from nacl.signing import SigningKey

from proctor.errors import ConfigError
from proctor.exam.nik import MIN_KEY_BYTES
from proctor.settings import Settings

logger = logging.getLogger(__name__)


def nik_key(settings: Settings) -> bytes:
    if settings.nik_key is not None:
        key = settings.nik_key.get_secret_value().encode()
        if len(key) < MIN_KEY_BYTES:
            raise ConfigError(f"PROCTOR_NIK_KEY must be at least {MIN_KEY_BYTES} characters")
        return key
    path = settings.data_dir / "nik.key"
    if path.is_file():
        return path.read_bytes().strip()
    if not settings.is_sqlite:
        # Servers sharing a PostgreSQL database must hash a NIK alike: one key, set by hand.
        raise ConfigError("set PROCTOR_NIK_KEY (shared by every server of this deployment)")
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(secrets.token_hex(32))
    logger.info("created the NIK hashing key at %s; back it up with the database", path)
    return path.read_bytes().strip()


def audit_signing_key(settings: Settings) -> SigningKey | None:
    """The service's Ed25519 key for audit checkpoints: from PROCTOR_AUDIT_SIGNING_KEY (a
    base64 seed), or, for SQLite only, a key file made once in the data folder. None when a
    PostgreSQL deployment has not set one (checkpoints are then not signed)."""
    if settings.audit_signing_key is not None:
        try:
            seed = base64.b64decode(settings.audit_signing_key.get_secret_value(), validate=True)
            return SigningKey(seed)
        except (ValueError, TypeError, CryptoError) as exc:
            raise ConfigError("PROCTOR_AUDIT_SIGNING_KEY is not a base64 Ed25519 seed") from exc
    path = settings.data_dir / "audit-signing.key"
    if not path.is_file():
        if not settings.is_sqlite:
            return None
        settings.data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(base64.b64encode(bytes(SigningKey.generate())).decode())
        logger.info("created the audit signing key at %s; keep it with the database", path)
    try:
        return SigningKey(base64.b64decode(path.read_text().strip(), validate=True))
    except (ValueError, TypeError, CryptoError) as exc:
        raise ConfigError(f"{path} is not a base64 Ed25519 seed") from exc
