"""Envelope encryption: a value opens only with a master key that wrapped its data key and only
on the row it was sealed for; re-wrapping changes the key, never the ciphertext."""

from __future__ import annotations

import uuid

import pytest

from proctor.sealing.envelope import Keyring, Sealed, SealError, place, rewrap, seal, unseal
from proctor.sealing.master_key import new_key

IMAGE = b"\xff\xd8\xff\xe0\x00\x10JFIF" + bytes(range(256)) * 4


def test_a_sealed_value_opens_with_its_key_on_its_own_row_only():
    keyring = Keyring(new_key())
    here, there = place("blobs", uuid.uuid4()), place("blobs", uuid.uuid4())
    sealed = seal(keyring, IMAGE, here)
    assert unseal(keyring, sealed, here) == IMAGE
    assert IMAGE[:8] not in sealed.data and len(sealed.data) == len(IMAGE) + 40  # nonce + tag
    with pytest.raises(SealError, match="does not open"):
        unseal(keyring, sealed, there)  # copied onto another row
    with pytest.raises(SealError, match="not configured"):
        unseal(Keyring(new_key()), sealed, here)  # another deployment's key
    other = seal(keyring, b"another image", there)
    with pytest.raises(SealError):
        unseal(keyring, Sealed(sealed.data, other.key), here)  # another row's data key
    flipped = bytes([sealed.data[0], sealed.data[1] ^ 1]) + sealed.data[2:]
    with pytest.raises(SealError):
        unseal(keyring, Sealed(flipped, sealed.key), here)
    with pytest.raises(SealError, match="not sealed"):
        unseal(keyring, Sealed(IMAGE, b""), here)  # a plain row is never read as plain
    assert seal(keyring, IMAGE, here).data != sealed.data  # a fresh data key and nonce each time


def test_rewrapping_moves_the_key_and_leaves_the_ciphertext():
    old, new = new_key(), new_key()
    where = place("registration_photos", uuid.uuid4())
    sealed = seal(Keyring(old), IMAGE, where)
    moved = rewrap(Keyring(new, (old,)), sealed.key, where)
    assert moved != sealed.key
    assert unseal(Keyring(new), Sealed(sealed.data, moved), where) == IMAGE
    with pytest.raises(SealError):
        unseal(Keyring(old), Sealed(sealed.data, moved), where)


def test_a_master_key_is_32_bytes():
    with pytest.raises(Exception, match="32 bytes"):
        Keyring(b"short")
