"""Sealing and opening the stored images and templates through a session, which carries the
deployment's keyring (`bind`): the code that stores or reads biometric data never sees a key,
and a session without one refuses, never stores in the clear."""

from __future__ import annotations

import uuid

from sqlalchemy.orm import Session, sessionmaker

from proctor.errors import ConfigError
from proctor.sealing.envelope import Keyring, Sealed, place, seal, unseal

INFO_KEY = "proctor.keyring"


def bind(factory: sessionmaker[Session], keyring: Keyring) -> sessionmaker[Session]:
    """Every session `factory` makes from now on seals and opens with `keyring`."""
    info = dict(factory.kw.get("info") or {})
    info[INFO_KEY] = keyring
    factory.configure(info=info)
    return factory


def keyring_of_sessions(factory: sessionmaker[Session]) -> Keyring:
    """The keyring `bind` gave the sessions `factory` makes."""
    keyring = (factory.kw.get("info") or {}).get(INFO_KEY)
    if keyring is None:
        raise ConfigError("these database sessions have no data master key")
    return keyring


def keyring_of(session: Session) -> Keyring:
    keyring = session.info.get(INFO_KEY)
    if keyring is None:
        raise ConfigError("this database session has no data master key to seal or open with")
    return keyring


def seal_value(session: Session, table: str, row_id: uuid.UUID, plain: bytes) -> Sealed:
    return seal(keyring_of(session), plain, place(table, row_id))


def open_value(
    session: Session, table: str, row_id: uuid.UUID, data: bytes, key: bytes | None
) -> bytes:
    return unseal(keyring_of(session), Sealed(data, key or b""), place(table, row_id))
