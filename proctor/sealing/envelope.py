"""Envelope encryption of one value (an image, a template) with XChaCha20-Poly1305 (PyNaCl).

A value gets a fresh random data key; the key is wrapped by the master key and stored beside the
ciphertext. Rotating the master key re-wraps the small data keys and leaves the ciphertexts as
they are. The value's place (table and row id) is bound in as associated data, so a sealed value
copied onto another row, or another row's key put beside it, fails to open."""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass

from nacl.exceptions import CryptoError
from nacl.secret import Aead
from nacl.utils import random

from proctor.errors import ConfigError, ErrorCode

FORMAT = b"\x01"  # the wrapped key's first byte: its layout, should it ever change
KEY_ID_BYTES = 8


class SealError(ConfigError):
    """A sealed value that does not open: a wrong master key, or data that was tampered with."""

    code = ErrorCode.SEALED_DATA_INVALID


def key_id(master: bytes) -> bytes:
    """A short public name of a master key, stored with every key it wraps."""
    return hashlib.sha256(b"proctor data key id\x00" + master).digest()[:KEY_ID_BYTES]


@dataclass(frozen=True)
class Keyring:
    """The master key new values are sealed with, and older ones still accepted for opening (a
    rotation in progress)."""

    current: bytes
    older: tuple[bytes, ...] = ()

    def __post_init__(self) -> None:
        for key in (self.current, *self.older):
            if len(key) != Aead.KEY_SIZE:
                raise ConfigError(f"a data master key is {Aead.KEY_SIZE} bytes, not {len(key)}")

    @property
    def current_id(self) -> bytes:
        return key_id(self.current)

    def master(self, wanted: bytes) -> bytes:
        for key in (self.current, *self.older):
            if key_id(key) == wanted:
                return key
        raise SealError(
            f"this value was sealed with data key {wanted.hex()}, which is not configured (the "
            f"configured key is {self.current_id.hex()}): set PROCTOR_DATA_KEY or "
            "PROCTOR_DATA_KEY_FILE to the deployment's key"
        )


@dataclass(frozen=True)
class Sealed:
    data: bytes  # nonce + ciphertext + tag
    key: bytes  # FORMAT + master key id + the data key, wrapped


def place(table: str, row_id: uuid.UUID) -> bytes:
    return f"{table}:{row_id}".encode()


def seal(keyring: Keyring, plain: bytes, where: bytes) -> Sealed:
    data_key = random(Aead.KEY_SIZE)
    data = bytes(Aead(data_key).encrypt(plain, where))
    return Sealed(data=data, key=wrap(keyring.current, data_key, where))


def unseal(keyring: Keyring, sealed: Sealed, where: bytes) -> bytes:
    data_key = unwrap(keyring, sealed.key, where)
    try:
        return Aead(data_key).decrypt(sealed.data, where)
    except CryptoError as exc:
        raise SealError(f"the sealed value at {where.decode()} does not open") from exc


def wrap(master: bytes, data_key: bytes, where: bytes) -> bytes:
    header = FORMAT + key_id(master)
    return header + bytes(Aead(master).encrypt(data_key, header + where))


def unwrap(keyring: Keyring, wrapped: bytes | None, where: bytes) -> bytes:
    if not wrapped or wrapped[:1] != FORMAT or len(wrapped) < 1 + KEY_ID_BYTES:
        raise SealError(f"the value at {where.decode()} is not sealed")
    header = wrapped[: 1 + KEY_ID_BYTES]
    master = keyring.master(header[1:])
    try:
        return Aead(master).decrypt(wrapped[len(header) :], header + where)
    except CryptoError as exc:
        raise SealError(f"the data key of {where.decode()} does not open") from exc


def rewrap(keyring: Keyring, wrapped: bytes, where: bytes) -> bytes:
    """The same data key, wrapped by the keyring's current master key."""
    return wrap(keyring.current, unwrap(keyring, wrapped, where), where)


def wrapped_by(wrapped: bytes | None) -> bytes | None:
    """The id of the master key that wrapped a data key."""
    return wrapped[1 : 1 + KEY_ID_BYTES] if wrapped else None
