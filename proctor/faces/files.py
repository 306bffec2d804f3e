"""Files handed to batch commands: CSV in and out, photo paths kept inside their folder."""

from __future__ import annotations

import csv
import os
import tempfile
from pathlib import Path

from proctor.errors import ErrorCode, InputFileError


def read_csv(
    csv_path: Path, required: tuple[str, ...], code: ErrorCode
) -> tuple[list[str], list[dict[str, str]]]:
    """Header and rows of a UTF-8 CSV (a BOM is accepted), refusing one without `required`."""
    try:
        with csv_path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            columns = list(reader.fieldnames or [])
            rows = list(reader)
    except FileNotFoundError as exc:
        raise InputFileError(f"{csv_path} does not exist", code=ErrorCode.FILE_NOT_FOUND) from exc
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputFileError(f"{csv_path} is not a readable CSV file: {exc}", code=code) from exc
    missing = [c for c in required if c not in columns]
    if missing:
        raise InputFileError(
            f"{csv_path} lacks the column(s) {', '.join(missing)}; its header is {columns}",
            code=code,
        )
    return columns, rows


def resolve_inside(root: Path, relative: str) -> Path | None:
    """`root / relative`, or None for absolute paths and `..` escapes: the CSV may come from
    outside the committee."""
    root = root.resolve()
    try:
        candidate = (root / relative).resolve()
    except (OSError, ValueError):  # a NUL byte, a loop of links, a name too long
        return None
    return candidate if candidate.is_relative_to(root) else None


def write_csv_atomically(out_path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    """Readers see the old file or the whole new one, never half of it."""
    out_path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_path.parent, prefix=f".{out_path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, fieldnames=columns)
            writer.writeheader()
            writer.writerows(rows)
        Path(tmp).replace(out_path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
