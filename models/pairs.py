"""Score a CSV of photo pairs: the committee's tool to re-check evidence, and the benchmarks'.

Input: a CSV whose header includes `path1,path2` (paths relative to a root folder). Output:
the same rows and columns with `score` and `decision` added. `decision` is `match` or
`no_match` by the engine's threshold; a pair where a photo holds no detectable face is
`no_face`, and one where a photo cannot be read (missing, damaged, outside the root) is
`bad_image`. Both get the engine's `floor_score`, so they never count as a match.
"""

from __future__ import annotations

import csv
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from proctor.errors import ErrorCode, InputFileError
from proctor.faces import FaceEngine
from proctor.models.batch import EmbeddedFile, embed_files
from proctor.models.config import EngineConfig

REQUIRED_COLUMNS = ("path1", "path2")
ADDED_COLUMNS = ("score", "decision")


@dataclass(frozen=True)
class PairsSummary:
    pairs: int
    images: int
    matches: int
    no_face: int
    bad_image: int


def read_pairs(csv_path: Path) -> tuple[list[str], list[dict[str, str]]]:
    try:
        with csv_path.open(newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            columns = list(reader.fieldnames or [])
            rows = list(reader)
    except FileNotFoundError as exc:
        raise InputFileError(f"{csv_path} does not exist", code=ErrorCode.FILE_NOT_FOUND) from exc
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InputFileError(
            f"{csv_path} is not a readable CSV file: {exc}", code=ErrorCode.PAIRS_FILE_INVALID
        ) from exc
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise InputFileError(
            f"{csv_path} lacks the column(s) {', '.join(missing)}; its header is {columns}",
            code=ErrorCode.PAIRS_FILE_INVALID,
        )
    clash = [c for c in ADDED_COLUMNS if c in columns]
    if clash:
        raise InputFileError(
            f"{csv_path} already has the column(s) {', '.join(clash)}",
            code=ErrorCode.PAIRS_FILE_INVALID,
        )
    for number, row in enumerate(rows, start=2):
        if not row.get("path1") or not row.get("path2"):
            raise InputFileError(
                f"{csv_path} line {number}: path1 and path2 must not be empty",
                code=ErrorCode.PAIRS_FILE_INVALID,
                line=number,
            )
    return columns, rows


def score_pairs(
    engine: FaceEngine,
    config: EngineConfig,
    csv_path: Path,
    root: Path,
    out_path: Path,
    *,
    workers: int = 1,
    progress: bool = True,
) -> PairsSummary:
    """Embed each distinct photo once, score every pair, write the output atomically."""
    columns, rows = read_pairs(csv_path)
    root = root.resolve()
    inside = {p for r in rows for p in (r["path1"], r["path2"]) if _inside(root, p)}
    embedded = embed_files(
        config, root, sorted(inside), workers=workers, progress=progress, engine=engine
    )
    counts = {"match": 0, "no_match": 0, "no_face": 0, "bad_image": 0}
    for row in rows:
        a, b = embedded.get(row["path1"]), embedded.get(row["path2"])
        score, decision = _decide(engine, a, b)
        counts[decision] += 1
        row["score"] = f"{score:.6f}"
        row["decision"] = decision
    _write_atomically(out_path, [*columns, *ADDED_COLUMNS], rows)
    return PairsSummary(
        len(rows), len(inside), counts["match"], counts["no_face"], counts["bad_image"]
    )


def _decide(
    engine: FaceEngine, a: EmbeddedFile | None, b: EmbeddedFile | None
) -> tuple[float, str]:
    for item in (a, b):
        if item is None or (item.embedding is None and item.error != "no_face"):
            return engine.floor_score, "bad_image"
    if a.embedding is None or b.embedding is None:
        return engine.floor_score, "no_face"
    score = engine.compare(a.embedding, b.embedding)
    return score, "match" if score >= engine.threshold else "no_match"


def _inside(root: Path, relative: str) -> bool:
    """Refuse absolute paths and `..` escapes: the CSV may come from outside the committee."""
    try:
        candidate = (root / relative).resolve()
    except (OSError, ValueError):  # a NUL byte, a loop of links, a name too long
        return False
    return candidate.is_relative_to(root)


def _write_atomically(out_path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
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
