"""The deployment's data master key: from the environment or a key file kept apart from the
data, as the audit signing key is; a wrong or missing key stops the service at start."""

from __future__ import annotations

import base64
import logging
from pathlib import Path

from nacl.secret import Aead
from nacl.utils import random

from proctor.errors import ConfigError
from proctor.keys import config_folder, kept_apart, write_private
from proctor.sealing.envelope import Keyring
from proctor.settings import Settings

logger = logging.getLogger(__name__)

WHAT = "data master key"


def new_key() -> bytes:
    return random(Aead.KEY_SIZE)


def encode(key: bytes) -> str:
    return base64.b64encode(key).decode()


def decode(text: str, source: str) -> bytes:
    try:
        key = base64.b64decode(text.strip(), validate=True)
    except ValueError as exc:
        raise ConfigError(f"{source} is not base64") from exc
    if len(key) != Aead.KEY_SIZE:
        raise ConfigError(f"{source} holds {len(key)} bytes; a data master key is 32")
    return key


def write_key_file(path: Path, key: bytes) -> None:
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    write_private(path, encode(key) + "\n")


def read_key_file(path: Path) -> bytes:
    try:
        return decode(path.read_text(), str(path))
    except OSError as exc:
        raise ConfigError(f"the {WHAT} file {path} cannot be read: {exc.strerror}") from exc


def key_file(settings: Settings) -> Path:
    return settings.data_key_file or config_folder() / "data.key"


def data_keyring(settings: Settings) -> Keyring:
    """PROCTOR_DATA_KEY, or a key file outside the data folder (PROCTOR_DATA_KEY_FILE; on SQLite
    made once in the user's configuration folder); plus the previous key during a rotation.
    Never a fallback to storing images in the clear."""
    older = ()
    if settings.data_previous_key_file is not None:
        older = (read_key_file(settings.data_previous_key_file),)
    if settings.data_key is not None:
        return Keyring(decode(settings.data_key.get_secret_value(), "PROCTOR_DATA_KEY"), older)
    if not settings.is_sqlite and settings.data_key_file is None:
        # Servers sharing one database must seal alike: one key, set by hand.
        raise ConfigError(
            "set PROCTOR_DATA_KEY or PROCTOR_DATA_KEY_FILE (a key from `proctor data-key "
            "create`, shared by every server of this deployment)"
        )
    path = key_file(settings)
    if kept_apart(settings, path, WHAT, "proctor data-key rotate"):
        write_key_file(path, new_key())
        logger.info("created the data master key at %s; back it up apart from the data", path)
    return Keyring(read_key_file(path), older)
