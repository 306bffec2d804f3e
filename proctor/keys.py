"""The deployment secret for NIK hashing: from the environment, or a key file for the
single-server SQLite default."""

from __future__ import annotations

import logging
import os
import secrets

from proctor.errors import ConfigError
from proctor.identity import MIN_KEY_BYTES
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
