"""The NIK (national identity number) is kept only as a keyed hash.

HMAC-SHA256 under a deployment secret: the same NIK always gives the same digest, so a second
registration with one NIK is found, but the digest alone reveals nothing without the key (a NIK
has too few digits for an unkeyed hash to resist guessing).
"""

from __future__ import annotations

import hashlib
import hmac
import re

from proctor.errors import ErrorCode, RejectedInputError

_NIK = re.compile(r"^\d{16}$")
MIN_KEY_BYTES = 32


def normalise_nik(nik: str) -> str:
    digits = re.sub(r"[\s.-]", "", nik)
    if not _NIK.fullmatch(digits):
        raise RejectedInputError("a NIK has 16 digits", code=ErrorCode.REQUEST_INVALID)
    return digits


def nik_digest(nik: str, key: bytes) -> str:
    if len(key) < MIN_KEY_BYTES:
        raise ValueError(f"the NIK key must be at least {MIN_KEY_BYTES} bytes")
    return hmac.new(key, normalise_nik(nik).encode(), hashlib.sha256).hexdigest()
