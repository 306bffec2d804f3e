"""Deployment secrets (the NIK hashing key, the audit signing key): from the environment, or
a key file for the single-server SQLite default."""

from __future__ import annotations

import base64
import logging
import os
import secrets
from pathlib import Path

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
    write_private(path, secrets.token_hex(32))
    logger.info("created the NIK hashing key at %s; back it up with the database", path)
    return path.read_bytes().strip()


def config_folder() -> Path:
    """The service user's own configuration folder (`$XDG_CONFIG_HOME/proctor`): where a SQLite
    deployment's generated keys live, never the data folder a backup or a copied disk carries."""
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "proctor"


DEFAULT_NAMES = {"audit signing key": "audit-signing.key", "data master key": "data.key"}


def default_audit_key_file() -> Path:
    return config_folder() / DEFAULT_NAMES["audit signing key"]


def audit_key_file(settings: Settings) -> Path:
    return settings.audit_signing_key_file or default_audit_key_file()


def _inside(path: Path, folder: Path) -> bool:
    return path.resolve().is_relative_to(folder.resolve())


def write_private(path: Path, text: str) -> None:
    """A new file readable by this user only; never over an old one (FileExistsError)."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(text)


def write_key_file(path: Path, key: SigningKey) -> None:
    """A new key file readable by this user only (its folder too); never over an old one."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_private(path, base64.b64encode(bytes(key)).decode() + "\n")


def read_key_file(path: Path) -> SigningKey:
    """The signing key a key file holds (a base64 Ed25519 seed, as `write_key_file` writes)."""
    try:
        return SigningKey(base64.b64decode(path.read_text().strip(), validate=True))
    except (OSError, ValueError, TypeError, CryptoError) as exc:
        raise ConfigError(f"{path} is not a base64 Ed25519 seed") from exc


def audit_signing_key(settings: Settings) -> SigningKey:
    """The service's Ed25519 key for the audit log's signed heads: PROCTOR_AUDIT_SIGNING_KEY (a
    base64 seed), or a key file outside the data folder (PROCTOR_AUDIT_SIGNING_KEY_FILE; on
    SQLite made once at `default_audit_key_file()`). Whoever holds the data folder must not
    hold the key as well: with both, the log could be rebuilt and signed again."""
    if settings.audit_signing_key is not None:
        try:
            seed = base64.b64decode(settings.audit_signing_key.get_secret_value(), validate=True)
            return SigningKey(seed)
        except (ValueError, TypeError, CryptoError) as exc:
            raise ConfigError("PROCTOR_AUDIT_SIGNING_KEY is not a base64 Ed25519 seed") from exc
    if not settings.is_sqlite and settings.audit_signing_key_file is None:
        # Servers sharing a PostgreSQL database sign with one key, set by hand: never a key
        # one machine happened to make for itself.
        raise ConfigError(
            "set PROCTOR_AUDIT_SIGNING_KEY or PROCTOR_AUDIT_SIGNING_KEY_FILE (a key from "
            "`proctor audit keygen`, shared by every server of this deployment)"
        )
    path = audit_key_file(settings)
    if kept_apart(settings, path, "audit signing key", "proctor audit rotate-key"):
        write_key_file(path, SigningKey.generate())
        logger.info("created the audit signing key at %s; back it up apart from the data", path)
    return read_key_file(path)


def kept_apart(settings: Settings, path: Path, what: str, rotate: str) -> bool:
    """Checks that a key file lives outside the data folder, readable by its user only; True
    when it does not exist yet and may be made (SQLite only). A key file of the default name
    left in the data folder (where early versions kept it) is refused too."""
    beside = settings.data_dir / DEFAULT_NAMES[what]
    if beside.is_file():
        raise ConfigError(
            f"the {what} sits in the data folder ({beside}), where whoever holds the data holds "
            f"the key too: move it to {path} (mode 600) or name it in the settings, then rotate "
            f"it (`{rotate}`)"
        )
    if _inside(path, settings.data_dir):
        raise ConfigError(f"the {what} file {path} must not be inside the data folder")
    if not path.is_file():
        if not settings.is_sqlite:
            raise ConfigError(f"the {what} file {path} does not exist")
        return True
    if path.stat().st_mode & 0o077:
        raise ConfigError(f"{path} is readable by other users: chmod 600 {path}")
    return False
