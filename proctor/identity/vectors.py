"""Nearest neighbours by inner product over unit vectors: exact (NumPy) for small sets, an HNSW
graph (usearch) from `ann_from` vectors on.

An exact search reads every vector: about 190 ms a query at 1 M x 128 on one core, too slow for
a check-in. The graph answers in well under a millisecond at a recall measured in
`benchmarks/identification.py`. Keys are the caller's int64 numbers; vectors are normalised here.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

ANN_FROM = 20_000  # below this an exact search costs under 5 ms
# HNSW parameters (benchmarks/identification.py speed). Faces that join a graph already built
# over a large registry are its hard case (a new cluster reached from far away): at 16 links a
# node and a search breadth of 128, 3-7 % of the face pairs a threshold can report were missed
# at 100 k; 32 links, a wider build and a search breadth of 256 miss 0.2 %, for twice the build
# time and a few milliseconds a search.
CONNECTIVITY = 32
EXPANSION_ADD = 128
EXPANSION_SEARCH = 256


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    matrix = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    if not np.isfinite(matrix).all() or (norms == 0).any():
        raise ValueError("vectors must be finite and non-zero")
    return matrix / norms


class VectorIndex:
    """Not thread-safe: the caller serialises access (one lock per index)."""

    def __init__(self, dim: int, *, ann_from: int = ANN_FROM, threads: int = 1) -> None:
        self.dim, self.ann_from, self.threads = dim, ann_from, threads
        self._keys = np.empty(0, dtype=np.int64)
        self._matrix = np.empty((0, dim), dtype=np.float32)
        self._graph = None  # a usearch Index once the set is large

    def __len__(self) -> int:
        return len(self._graph) if self._graph is not None else len(self._keys)

    @property
    def exact(self) -> bool:
        return self._graph is None

    def add(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        keys = np.asarray(keys, dtype=np.int64).reshape(-1)
        matrix = unit_rows(vectors)
        if matrix.shape != (len(keys), self.dim):
            raise ValueError(f"expected {len(keys)} vectors of {self.dim} values")
        if not len(keys):
            return
        if self._graph is not None:
            self._graph.add(keys, matrix, threads=self.threads)
            return
        self._keys = np.concatenate([self._keys, keys])
        self._matrix = np.concatenate([self._matrix, matrix])
        if len(self._keys) >= self.ann_from:
            self._build_graph()

    def remove(self, keys: np.ndarray) -> None:
        keys = np.asarray(keys, dtype=np.int64).reshape(-1)
        if self._graph is not None:
            for key in keys:
                self._graph.remove(int(key))
            return
        keep = ~np.isin(self._keys, keys)
        self._keys, self._matrix = self._keys[keep], self._matrix[keep]

    def vectors(self, keys: np.ndarray) -> np.ndarray:
        """The stored (unit) vectors of `keys`, in that order."""
        keys = np.asarray(keys, dtype=np.int64).reshape(-1)
        if self._graph is not None:
            return np.stack([np.asarray(self._graph[int(k)], dtype=np.float32) for k in keys])
        position = {int(k): i for i, k in enumerate(self._keys)}
        return self._matrix[[position[int(k)] for k in keys]]

    def search(self, probe: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The `k` nearest keys and their inner products with the probe, best first."""
        query = unit_rows(probe)[0]
        if len(self) == 0 or k <= 0:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        if self._graph is None:
            scores = self._matrix @ query
            k = min(k, len(scores))
            top = np.argpartition(-scores, k - 1)[:k]
            top = top[np.argsort(-scores[top], kind="stable")]
            return self._keys[top], scores[top].astype(np.float64)
        matches = self._graph.search(query, k, threads=self.threads)
        keys = np.asarray(matches.keys, dtype=np.int64)
        # usearch's "ip" distance is 1 - inner product.
        return keys, 1.0 - np.asarray(matches.distances, dtype=np.float64)

    def _build_graph(self) -> None:
        from usearch.index import Index  # loaded only for large sets

        graph = Index(
            ndim=self.dim,
            metric="ip",
            dtype="f32",
            connectivity=CONNECTIVITY,
            expansion_add=EXPANSION_ADD,
            expansion_search=EXPANSION_SEARCH,
        )
        graph.add(self._keys, self._matrix, threads=self.threads)
        self._graph = graph
        self._keys = np.empty(0, dtype=np.int64)
        self._matrix = np.empty((0, self.dim), dtype=np.float32)

    # -- on disk: the graph of a million templates takes minutes to build, seconds to load ----
    def save(self, path: Path) -> None:
        """Write the index to `path` (usearch's own format for a graph, .npz when exact)."""
        if self._graph is not None:
            self._graph.save(str(path))
        else:
            with path.open("wb") as out:
                np.savez(out, keys=self._keys, matrix=self._matrix)

    @classmethod
    def load(cls, path: Path, dim: int, *, exact: bool, ann_from: int = ANN_FROM) -> VectorIndex:
        """Read what `save` wrote; raises ValueError (or OSError) on a file that is not one."""
        index = cls(dim, ann_from=ann_from)
        if exact:
            with np.load(path, allow_pickle=False) as data:
                keys, matrix = data["keys"].astype(np.int64), data["matrix"].astype(np.float32)
            if matrix.shape != (len(keys), dim):
                raise ValueError("the stored vectors do not fit the index")
            index._keys, index._matrix = keys, matrix
            return index
        from usearch.index import Index

        graph = Index.restore(str(path))
        if graph is None or graph.ndim != dim:
            raise ValueError("not a usearch index of this dimension")
        graph.expansion_search = EXPANSION_SEARCH
        index._graph = graph
        return index
