"""A witness of the audit log: it keeps every signed head it is shown, and accepts a new one
only when the server proves that the new tree extends the largest it holds (RFC 6962
consistency proof). The committee runs one on a schedule (`proctor audit witness`); each
station's agent keeps the heads its state stream carries. A cut tail or a rebuilt log is then
caught by `proctor audit verify --against` with any witness's heads.

A store is a JSON file: {"heads": [{tree_size, root_hash, at, signature, ...}, ...]}.
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from nacl.exceptions import BadSignatureError, CryptoError

from proctor.audit.merkle import verify_consistency
from proctor.audit.rotation import signed_by
from proctor.errors import ErrorCode, InputFileError

Fetch = Callable[[str], dict[str, Any]]  # GET an API path (under /api/v1) -> its JSON body


def load_heads(path: Path) -> list[dict[str, Any]]:
    """The heads in a witness's store, a station's kept heads, or an export folder."""
    try:
        if path.is_dir():
            heads = json.loads((path / "heads.json").read_text()).get("heads", [])
            latest = path / "checkpoint.json"
            return [*heads, json.loads(latest.read_text())] if latest.is_file() else heads
        data = json.loads(path.read_text())
    except FileNotFoundError as exc:
        raise InputFileError(
            f"{path}: no such file", code=ErrorCode.FILE_NOT_FOUND, path=str(path)
        ) from exc
    except (OSError, ValueError, AttributeError) as exc:
        raise _not_heads(path) from exc
    heads = data.get("heads") if isinstance(data, dict) else data
    if not isinstance(heads, list) or not all(isinstance(h, dict) for h in heads):
        raise _not_heads(path)
    return heads


def _not_heads(path: Path) -> InputFileError:
    return InputFileError(
        f"{path}: not a file of signed heads", code=ErrorCode.HEADS_FILE_INVALID, path=str(path)
    )


def save_heads(path: Path, heads: list[dict[str, Any]]) -> None:
    """Replace the store atomically: a crash leaves the old file or the new, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w") as out:
        json.dump({"heads": heads}, out, indent=2)
        out.flush()
        os.fsync(out.fileno())
    Path(temporary).replace(path)


@dataclass(frozen=True)
class Seen:
    ok: bool
    new: bool  # the head was added to the store
    message: str
    head: dict[str, Any] | None = None


def _valid(head: dict[str, Any]) -> bool:
    try:
        return head.get("root_hash") is not None and signed_by(head)
    except (BadSignatureError, CryptoError, ValueError, KeyError, TypeError):
        return False


def observe(heads: list[dict[str, Any]], head: dict[str, Any], fetch: Fetch) -> Seen:
    """Check `head` against the largest head kept, asking the server for the proof."""
    if not _valid(head):
        return Seen(False, False, "the server's head is not validly signed", head)
    kept = [h for h in heads if h.get("root_hash") is not None]
    size = int(head["tree_size"])
    if not kept:
        return Seen(True, True, f"first head: {size} records", head)
    largest = max(kept, key=lambda h: int(h["tree_size"]))
    old = int(largest["tree_size"])
    if size < old:
        message = (
            f"the server's log ({size} records) is shorter than the head of {old} records "
            f"kept from {largest['at']}: records were cut"
        )
        return Seen(False, False, message, head)
    if size == old:
        if head["root_hash"] != largest["root_hash"]:
            return Seen(False, False, f"the server signed another log of {size} records than "
                        f"the one kept from {largest['at']}", head)  # fmt: skip
        return Seen(True, False, f"no change: {size} records", head)
    body = fetch(f"/audit/consistency?first={old}&second={size}")
    try:
        proof = [bytes.fromhex(h) for h in body["proof"]]
        ok = verify_consistency(
            old, size, bytes.fromhex(largest["root_hash"]), bytes.fromhex(head["root_hash"]), proof
        )
    except (KeyError, TypeError, ValueError):
        ok = False
    if not ok:
        return Seen(False, False, f"the server's log of {size} records does not extend the head "
                    f"of {old} records kept from {largest['at']}", head)  # fmt: skip
    return Seen(True, True, f"{size} records, extending {old}", head)


def witness(store: Path, fetch: Fetch) -> Seen:
    """One round: fetch the latest head, check it, keep it when it extends the store."""
    heads = load_heads(store) if store.exists() else []
    seen = observe(heads, fetch("/audit/head"), fetch)
    if seen.ok and seen.new and seen.head is not None:
        save_heads(store, [*heads, seen.head])
    return seen
