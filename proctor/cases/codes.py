"""Random codes people read and type: tracking numbers and whistleblowing receipts."""

from __future__ import annotations

import secrets

ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # 32 symbols, 5 bits each; no 0/O or 1/I


def random_code(length: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))
