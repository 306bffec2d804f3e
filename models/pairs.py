"""Score a CSV of photo pairs: the committee's tool to re-check evidence, and the benchmarks'.

Input: a CSV whose header includes `path1,path2` (paths relative to a root folder). Output:
the same rows and columns with `score` and `decision` added. `decision` is `match` or
`no_match` by the engine's threshold; a pair where a photo holds no detectable face is
`no_face`, and one where a photo cannot be read (missing, damaged, outside the root) is
`bad_image`. Both get the engine's `floor_score`, so they never count as a match.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from proctor.errors import ErrorCode, InputFileError
from proctor.faces.files import read_csv, resolve_inside, write_csv_atomically
from proctor.faces.protocol import FaceEngine
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
    columns, rows = read_csv(csv_path, REQUIRED_COLUMNS, ErrorCode.PAIRS_FILE_INVALID)
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
    write_csv_atomically(out_path, [*columns, *ADDED_COLUMNS], rows)
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
    return resolve_inside(root, relative) is not None
