"""The LFW View 1 material in ../shared/faces/lfw_view1, read in place (never copied)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

import numpy as np

DEFAULT_ROOT = Path(__file__).resolve().parent.parent.parent / "shared" / "faces" / "lfw_view1"
CACHE = Path(__file__).resolve().parent / "cache"


@dataclass(frozen=True)
class Lfw:
    root: Path
    labels: dict[str, str]  # path -> identity
    pairs: list[dict[str, str]]
    split_people: dict[str, set[str]]  # "devtrain"/"devtest" -> identities

    def official_pairs(self, split: str) -> tuple[list[tuple[str, str]], np.ndarray]:
        rows = [r for r in self.pairs if r["split"] == split]
        return [(r["path1"], r["path2"]) for r in rows], np.array([r["same"] == "1" for r in rows])

    def split_images(self, split: str) -> list[str]:
        people = self.split_people[split]
        return sorted(p for p, who in self.labels.items() if who in people)


def load_lfw(root: Path = DEFAULT_ROOT) -> Lfw:
    if not (root / "labels.csv").is_file():
        raise SystemExit(
            f"LFW View 1 not found at {root} (see ../shared/faces/lfw_view1/README.md)"
        )
    with (root / "labels.csv").open(newline="") as f:
        labels = {r["path"]: r["identity"] for r in csv.DictReader(f)}
    with (root / "pairs.csv").open(newline="") as f:
        pairs = list(csv.DictReader(f))
    split_people = {
        split: {
            line.split("\t")[0]
            for line in (root / f"people{name}.txt").read_text().splitlines()[1:]
            if line.strip()
        }
        for split, name in (("devtrain", "DevTrain"), ("devtest", "DevTest"))
    }
    return Lfw(root, labels, pairs, split_people)


@dataclass(frozen=True)
class EmbeddingCache:
    """Embeddings of every labelled image by one engine; NaN rows where no face was found."""

    paths: list[str]
    embeddings: np.ndarray
    errors: list[str]

    @property
    def index(self) -> dict[str, int]:
        return {p: i for i, p in enumerate(self.paths)}

    def save(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.savez_compressed(
            path,
            paths=np.array(self.paths),
            embeddings=self.embeddings,
            errors=np.array(self.errors),
        )

    @classmethod
    def load(cls, path: Path) -> EmbeddingCache:
        with np.load(path) as z:
            return cls([str(p) for p in z["paths"]], z["embeddings"], [str(e) for e in z["errors"]])
