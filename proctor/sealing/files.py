"""A file of biometric data sealed as it is written (the face index's copy on disk): a fresh
data key wrapped by the master key heads the file, then the bytes in chunks of a libsodium
secretstream (XChaCha20-Poly1305), whose last chunk is tagged final, so a file cut short or
spliced does not open. Chunks keep memory to one copy of the plain bytes at most."""

from __future__ import annotations

import struct
from collections.abc import Iterable
from pathlib import Path

from nacl import bindings as sodium
from nacl.exceptions import CryptoError
from nacl.utils import random

from proctor.sealing.envelope import Keyring, SealError, unwrap, wrap

MAGIC = b"PROCTOR-SEALED-FILE-1\n"
CHUNK = 1 << 20
_FINAL = sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL
_LENGTH = struct.Struct("<I")


def write_sealed(path: Path, keyring: Keyring, where: bytes, chunks: Iterable[bytes]) -> None:
    data_key = random(sodium.crypto_secretstream_xchacha20poly1305_KEYBYTES)
    wrapped = wrap(keyring.current, data_key, where)
    state = sodium.crypto_secretstream_xchacha20poly1305_state()
    header = sodium.crypto_secretstream_xchacha20poly1305_init_push(state, data_key)
    with path.open("wb") as out:
        out.write(MAGIC + _LENGTH.pack(len(wrapped)) + wrapped + header)
        pending = b""
        for chunk in _sized(chunks):
            if pending:
                _write_chunk(out, state, pending, 0)
            pending = chunk
        _write_chunk(out, state, pending, _FINAL)


def read_sealed(path: Path, keyring: Keyring, where: bytes) -> bytearray:
    """The plain bytes (not copied once more: an index of a million templates is hundreds of
    megabytes); SealError for a file that is not sealed, not for this place or key,
    cut short or altered."""
    with path.open("rb") as source:
        if source.read(len(MAGIC)) != MAGIC:
            raise SealError(f"{path.name} is not a sealed file")
        (size,) = _LENGTH.unpack(source.read(_LENGTH.size))
        data_key = unwrap(keyring, source.read(size), where)
        state = sodium.crypto_secretstream_xchacha20poly1305_state()
        header = source.read(sodium.crypto_secretstream_xchacha20poly1305_HEADERBYTES)
        plain, tag = bytearray(), 0
        try:
            sodium.crypto_secretstream_xchacha20poly1305_init_pull(state, header, data_key)
            while tag != _FINAL:
                raw = source.read(_LENGTH.size)
                if len(raw) < _LENGTH.size:
                    raise SealError(f"{path.name} is cut short")
                (length,) = _LENGTH.unpack(raw)
                message, tag = sodium.crypto_secretstream_xchacha20poly1305_pull(
                    state, source.read(length)
                )
                plain += message
        except CryptoError as exc:
            raise SealError(f"{path.name} does not open") from exc
        if source.read(1):
            raise SealError(f"{path.name} has bytes after its end")
    return plain


def _write_chunk(out, state, chunk: bytes, tag: int) -> None:
    sealed = sodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, None, tag)
    out.write(_LENGTH.pack(len(sealed)) + sealed)


def _sized(chunks: Iterable[bytes]) -> Iterable[bytes]:
    for chunk in chunks:
        view = memoryview(chunk)
        for start in range(0, len(view), CHUNK):
            yield bytes(view[start : start + CHUNK])
