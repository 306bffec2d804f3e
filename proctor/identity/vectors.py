"""Nearest neighbours by inner product over unit vectors: exact (NumPy) for small sets, an HNSW
graph (usearch) from `ann_from` vectors on.

An exact search reads every vector: about 190 ms a query at 1 M x 128 on one core, too slow for
a check-in. The graph answers in milliseconds at a recall measured in
`benchmarks/identification.py`. Keys are the caller's int64 numbers; vectors are normalised here.

Vectors added once the graph is built are kept apart and searched exactly beside it ("recent"):
faces that join a graph built over a large registry are its hard case (a new cluster reached
from far away; at a million, 4 % of the face pairs a 1:N threshold can report were missed), and
the newest enrolments are the ones a duplicate check looks for. Once the recent set is `stale`,
the owner rebuilds the whole graph in shuffled order (`contents`, then `built`) off its search
path and swaps it in.
"""

from __future__ import annotations

import io

import numpy as np

ANN_FROM = 20_000  # below this an exact search costs under 5 ms
# HNSW parameters (benchmarks/identification.py speed): 32 links a node, a wide build and a
# search breadth of 256 found every face pair at 100 k, where 16 links and a breadth of 128
# missed 3-7 %; twice the build time and a few milliseconds a search. At a million (a shuffled
# build, one thread), a breadth of 384 finds 99.5 % of the real faces above the 1:N threshold
# at a p99 of 16 ms (benchmarks/results/identification.md; a trial found 256 missing 1.4 %).
# A second search from each match found almost nothing more (+0.5 %) for 2-3 times the time,
# so there is none.
CONNECTIVITY = 32
EXPANSION_ADD = 128
EXPANSION_SEARCH = 384
# Recent vectors beside a graph of n: a rebuild is due from max(ann_from, n / REBUILD_SHARE).
# Each rebuild then grows the graph by a tenth at least, so building up a registry costs about
# ten single builds in all, while an exact search of the recent set stays a few milliseconds.
REBUILD_SHARE = 10


def unit_rows(vectors: np.ndarray) -> np.ndarray:
    matrix = np.atleast_2d(np.asarray(vectors, dtype=np.float32))
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    if not np.isfinite(matrix).all() or (norms == 0).any():
        raise ValueError("vectors must be finite and non-zero")
    return matrix / norms


def _new_graph(dim: int):
    from usearch.index import Index  # loaded only for large sets

    return Index(
        ndim=dim,
        metric="ip",
        dtype="f32",
        connectivity=CONNECTIVITY,
        expansion_add=EXPANSION_ADD,
        expansion_search=EXPANSION_SEARCH,
    )


class VectorIndex:
    """Not thread-safe: the caller serialises access (one lock per index)."""

    def __init__(self, dim: int, *, ann_from: int = ANN_FROM, threads: int = 1) -> None:
        self.dim, self.ann_from, self.threads = dim, ann_from, threads
        # Every vector while the set is small; beside a graph, those added since it was built.
        self._keys = np.empty(0, dtype=np.int64)
        self._matrix = np.empty((0, dim), dtype=np.float32)
        self._graph = None  # a usearch Index once the set is large

    def __len__(self) -> int:
        return len(self._keys) + (len(self._graph) if self._graph is not None else 0)

    @property
    def exact(self) -> bool:
        return self._graph is None

    @property
    def recent(self) -> int:
        """Vectors searched exactly beside the graph (0 while the whole set is exact)."""
        return 0 if self._graph is None else len(self._keys)

    @property
    def stale(self) -> bool:
        """Whether the recent set has grown enough to rebuild the graph over everything."""
        if self._graph is None:
            return False
        return len(self._keys) >= max(self.ann_from, len(self._graph) // REBUILD_SHARE)

    def add(self, keys: np.ndarray, vectors: np.ndarray) -> None:
        keys = np.asarray(keys, dtype=np.int64).reshape(-1)
        matrix = unit_rows(vectors)
        if matrix.shape != (len(keys), self.dim):
            raise ValueError(f"expected {len(keys)} vectors of {self.dim} values")
        if not len(keys):
            return
        self._keys = np.concatenate([self._keys, keys])
        self._matrix = np.concatenate([self._matrix, matrix])
        if self._graph is None and len(self._keys) >= self.ann_from:
            self._graph = self._graph_of(self._keys, self._matrix)
            self._keys = np.empty(0, dtype=np.int64)
            self._matrix = np.empty((0, self.dim), dtype=np.float32)

    def remove(self, keys: np.ndarray) -> None:
        keys = np.asarray(keys, dtype=np.int64).reshape(-1)
        keep = ~np.isin(self._keys, keys)
        self._keys, self._matrix = self._keys[keep], self._matrix[keep]
        if self._graph is not None and len(keys):
            for key in keys[np.asarray(self._graph.contains(keys), dtype=bool).reshape(-1)]:
                self._graph.remove(int(key))

    def keys(self) -> np.ndarray:
        """Every key held (graph first, then recent)."""
        if self._graph is None:
            return self._keys.copy()
        return np.concatenate([np.asarray(self._graph.keys, dtype=np.int64), self._keys])

    def vectors(self, keys: np.ndarray) -> np.ndarray:
        """The stored (unit) vectors of `keys`, in that order."""
        keys = np.asarray(keys, dtype=np.int64).reshape(-1)
        # Callers ask for a few keys (a search's neighbours, what arrived during a rebuild):
        # one vectorised scan of the recent set each, instead of a dict over all of it.
        rows = []
        for key in keys:
            at = np.flatnonzero(self._keys == key)
            rows.append(
                self._matrix[at[0]] if len(at) else np.asarray(self._graph[int(key)], np.float32)
            )
        return np.stack(rows) if rows else np.empty((0, self.dim), dtype=np.float32)

    def search(self, probe: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
        """The `k` nearest keys and their inner products with the probe, best first."""
        query = unit_rows(probe)[0]
        found_keys, found_scores = [], []
        if k > 0 and self._graph is not None and len(self._graph):
            matches = self._graph.search(query, k, threads=self.threads)
            found_keys.append(np.asarray(matches.keys, dtype=np.int64))
            # usearch's "ip" distance is 1 - inner product.
            found_scores.append(1.0 - np.asarray(matches.distances, dtype=np.float64))
        if k > 0 and len(self._keys):
            scores = self._matrix @ query
            top = np.argpartition(-scores, min(k, len(scores)) - 1)[:k]
            found_keys.append(self._keys[top])
            found_scores.append(scores[top].astype(np.float64))
        if not found_keys:
            return np.empty(0, dtype=np.int64), np.empty(0, dtype=np.float64)
        keys, scores = np.concatenate(found_keys), np.concatenate(found_scores)
        order = np.argsort(-scores, kind="stable")[:k]
        return keys[order], scores[order]

    # -- rebuilding: the caller snapshots under its lock, builds outside it, then swaps ------
    def contents(self) -> tuple[np.ndarray, np.ndarray]:
        """Every key held and its vector (copies)."""
        if self._graph is None or not len(self._graph):
            return self.keys(), self._matrix.copy()
        graph_keys = np.asarray(self._graph.keys, dtype=np.int64)
        graph_rows = np.vstack(self._graph.get(graph_keys, dtype=np.float32))
        return np.concatenate([graph_keys, self._keys]), np.concatenate([graph_rows, self._matrix])

    @classmethod
    def built(
        cls,
        keys: np.ndarray,
        matrix: np.ndarray,
        *,
        ann_from: int = ANN_FROM,
        threads: int = 1,
        seed: int = 0,
    ) -> VectorIndex:
        """A new index over `keys`, its graph built in a shuffled order (so no cluster that
        arrived late hangs off the graph by a few links)."""
        index = cls(matrix.shape[1], ann_from=ann_from, threads=threads)
        order = np.random.default_rng(seed).permutation(len(keys))
        index.add(np.asarray(keys, dtype=np.int64)[order], matrix[order])
        return index

    def _graph_of(self, keys: np.ndarray, matrix: np.ndarray):
        graph = _new_graph(self.dim)
        graph.add(keys, matrix, threads=self.threads)
        return graph

    # -- on disk: the graph of a million templates takes minutes to build, seconds to load ----
    def dump(self) -> tuple[bytes | bytearray, bytes]:
        """The graph (usearch's own format) or the exact set (.npz), and the recent vectors
        (.npz), as bytes: the store seals them before they reach the disk."""
        empty = (np.empty(0, dtype=np.int64), np.empty((0, self.dim), dtype=np.float32))
        if self._graph is not None:
            return self._graph.save(), _npz(self._keys, self._matrix)
        return _npz(self._keys, self._matrix), _npz(*empty)

    @classmethod
    def restore(
        cls,
        data: bytes | bytearray,
        dim: int,
        *,
        exact: bool,
        recent: bytes | bytearray | None = None,
        ann_from: int = ANN_FROM,
    ) -> VectorIndex:
        """Read what `dump` made; raises ValueError on bytes that are not one."""
        index = cls(dim, ann_from=ann_from)
        if exact:
            index._keys, index._matrix = _read_npz(data, dim)
            return index
        from usearch.index import Index

        graph = Index.restore(data)
        if graph is None or graph.ndim != dim:
            raise ValueError("not a usearch index of this dimension")
        graph.expansion_search = EXPANSION_SEARCH
        index._graph = graph
        if recent is not None:
            index._keys, index._matrix = _read_npz(recent, dim)
        return index


def _npz(keys: np.ndarray, matrix: np.ndarray) -> bytes:
    out = io.BytesIO()
    np.savez(out, keys=keys, matrix=matrix)
    return out.getvalue()


def _read_npz(data: bytes | bytearray, dim: int) -> tuple[np.ndarray, np.ndarray]:
    with np.load(io.BytesIO(data), allow_pickle=False) as data:
        keys, matrix = data["keys"].astype(np.int64), data["matrix"].astype(np.float32)
    if matrix.shape != (len(keys), dim):
        raise ValueError("the stored vectors do not fit the index")
    return keys, matrix
