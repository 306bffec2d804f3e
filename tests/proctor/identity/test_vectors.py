"""The vector index: exact search for small sets, an HNSW graph for large ones, and the graph
agrees with exact search."""

from __future__ import annotations

import numpy as np
import pytest

from proctor.identity.vectors import VectorIndex, unit_rows


def sphere(n: int, dim: int = 32, seed: int = 0) -> np.ndarray:
    return unit_rows(np.random.default_rng(seed).standard_normal((n, dim)))


def exact_top(gallery: np.ndarray, probe: np.ndarray, k: int) -> set[int]:
    return set(np.argsort(-(gallery @ unit_rows(probe)[0]))[:k].tolist())


def test_exact_search_ranks_by_inner_product_and_forgets_removed_keys():
    gallery = sphere(50)
    index = VectorIndex(32, ann_from=1000)
    index.add(np.arange(100, 150), gallery * 3.0)  # any length: vectors are normalised
    keys, scores = index.search(gallery[7], 3)
    assert index.exact and keys[0] == 107 and scores[0] == pytest.approx(1.0, abs=1e-5)
    assert list(scores) == sorted(scores, reverse=True)
    assert set((keys - 100).tolist()) == exact_top(gallery, gallery[7], 3)
    index.remove(np.array([107]))
    assert 107 not in index.search(gallery[7], 5)[0] and len(index) == 49
    assert np.allclose(index.vectors(np.array([108, 100])), gallery[[8, 0]], atol=1e-6)


def test_the_graph_takes_over_when_the_set_grows_and_agrees_with_exact_search():
    gallery = sphere(3000, seed=1)
    index = VectorIndex(32, ann_from=2000)
    index.add(np.arange(1500), gallery[:1500])
    assert index.exact
    index.add(np.arange(1500, 3000), gallery[1500:])
    assert not index.exact and len(index) == 3000
    probes = gallery[:200] + 0.3 * sphere(200, seed=2)
    recall = np.mean(
        [len(set(index.search(p, 10)[0].tolist()) & exact_top(gallery, p, 10)) / 10 for p in probes]
    )
    assert recall >= 0.99
    keys, scores = index.search(gallery[42], 1)
    assert keys[0] == 42 and scores[0] == pytest.approx(1.0, abs=1e-4)
    index.remove(np.array([42]))
    assert 42 not in index.search(gallery[42], 5)[0].tolist()


def test_bad_vectors_are_refused():
    index = VectorIndex(4)
    with pytest.raises(ValueError):
        index.add(np.array([1]), np.zeros((1, 4)))
    with pytest.raises(ValueError):
        index.add(np.array([1, 2]), np.ones((1, 4)))
    assert index.search(np.ones(4), 3)[0].size == 0  # empty: no match, no error


@pytest.mark.lfw
def test_on_real_templates_the_graph_returns_what_exact_search_returns(lfw_root):
    from proctor.models.reader import EngineReader
    from proctor.models.registry import create_engine

    reader = EngineReader(create_engine("sface"))
    paths = sorted((lfw_root / "images").glob("*/*.jpg"))[:160]
    templates = [reader.read(p.read_bytes()).embedding for p in paths]
    gallery = unit_rows(np.stack([t for t in templates if t is not None]))
    exact, graph = VectorIndex(gallery.shape[1]), VectorIndex(gallery.shape[1], ann_from=100)
    keys = np.arange(len(gallery))
    exact.add(keys, gallery)
    graph.add(keys, gallery)
    assert exact.exact and not graph.exact
    for probe in gallery:
        want, want_scores = exact.search(probe, 5)
        got, got_scores = graph.search(probe, 5)
        assert got.tolist() == want.tolist()
        assert np.allclose(got_scores, want_scores, atol=1e-5)


def test_vectors_added_beside_a_built_graph_are_searched_exactly_until_a_rebuild():
    gallery = sphere(260, seed=4)
    index = VectorIndex(32, ann_from=200)
    index.add(np.arange(200), gallery[:200])
    assert not index.exact and index.recent == 0 and not index.stale
    index.add(np.arange(200, 260), gallery[200:])  # arrivals: kept apart, found exactly
    assert index.recent == 60 and len(index) == 260
    for i in (3, 230, 259):
        probe = gallery[i] + 0.2 * sphere(1, seed=i)[0]
        keys, scores = index.search(probe, 10)
        assert set(keys.tolist()) == exact_top(gallery, probe, 10)  # graph and recent merged
        assert list(scores) == sorted(scores, reverse=True)
    index.remove(np.array([230, 3]))  # from the recent set and from the graph
    assert 230 not in index.search(gallery[230], 5)[0] and 3 not in index.search(gallery[3], 5)[0]
    assert len(index) == 258 and index.recent == 59
    assert np.allclose(index.vectors(np.array([240, 10])), gallery[[240, 10]], atol=1e-5)

    index.add(np.arange(1000, 1141), sphere(141, seed=5))
    assert index.stale  # 200 beside a graph of 199: due for a rebuild over everything
    keys, matrix = index.contents()
    assert sorted(keys.tolist()) == sorted(set(range(260)) - {3, 230} | set(range(1000, 1141)))
    rebuilt = VectorIndex.built(keys, matrix, ann_from=200, seed=1)
    assert not rebuilt.exact and rebuilt.recent == 0 and len(rebuilt) == len(index) == 399
    assert rebuilt.search(gallery[240], 1)[0].tolist() == [240]
    assert len(index) == 399 and index.recent == 200  # the original is left as it was
