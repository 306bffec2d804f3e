import numpy as np
import pytest

from proctor.errors import EngineError, ErrorCode
from proctor.models import similarity
from proctor.models.engine import PipelineEngine
from proctor.models.fused import FusedEmbedder, Normaliser


class UnitEmbedder:
    name, dim, floor = "unit", 3, -1.0

    def embed(self, image, face):
        return np.ones(3, np.float32) / np.sqrt(3)

    def similarity(self, a, b):
        return similarity.cosine(a, b)


@pytest.fixture
def engine():
    return PipelineEngine("unit", detector=None, embedder=UnitEmbedder(), threshold=0.5)


@pytest.mark.parametrize(
    "bad",
    [
        np.zeros(4, np.float32),  # wrong length
        np.array([1.0, np.nan, 0.0]),  # not finite
        np.zeros((1, 3), np.float32),  # a stack, not a vector
        "0.1,0.2,0.3",  # not an array at all
        ["a", "b", "c"],  # a list, but not of numbers
        None,
    ],
)
def test_compare_refuses_what_is_not_an_embedding(engine, bad):
    good = np.array([1.0, 0.0, 0.0], np.float32)
    for a, b in ((bad, good), (good, bad)):
        with pytest.raises(EngineError) as info:
            engine.compare(a, b)
        assert info.value.code is ErrorCode.EMBEDDING_INVALID


def test_compare_and_floor(engine):
    a, b = np.array([1.0, 0, 0]), np.array([0.0, 1, 0])
    assert engine.compare(a, a) == pytest.approx(1.0)
    assert engine.compare(a, b) == pytest.approx(0.0)
    assert engine.compare(a, -a) == pytest.approx(engine.floor_score)


def test_similarity_matrix_forms_agree_with_row_forms():
    rng = np.random.default_rng(3)
    a, b = rng.normal(size=(5, 8)), rng.normal(size=(4, 8))
    a /= np.linalg.norm(a, axis=1, keepdims=True)
    b /= np.linalg.norm(b, axis=1, keepdims=True)
    for row, matrix in (
        (similarity.cosine, similarity.cosine_matrix),
        (similarity.one_minus_distance, similarity.one_minus_distance_matrix),
    ):
        expected = np.array([[row(x, y) for y in b] for x in a])
        np.testing.assert_allclose(matrix(a, b), expected, atol=1e-9)
    assert similarity.one_minus_distance(a[0], a[0]) == pytest.approx(1.0)


def test_fusion_mixes_normalised_scores():
    first, second = UnitEmbedder(), UnitEmbedder()
    fused = FusedEmbedder(first, second, Normaliser(0.0, 0.5), Normaliser(0.2, 0.1), weight=0.25)
    a = np.array([1.0, 0, 0, 1.0, 0, 0])
    b = np.array([1.0, 0, 0, 0.0, 1.0, 0])
    # first half: cosine 1 -> z 2; second half: cosine 0 -> z -2; 0.25*2 + 0.75*-2 = -1
    assert fused.similarity(a, b) == pytest.approx(-1.0)
    assert fused.dim == 6
    assert fused.floor == pytest.approx(0.25 * -2 + 0.75 * -12)


def test_a_fused_template_carries_each_engines_part():
    import numpy as np

    from proctor.models.fused import template_for

    fused = np.arange(256, dtype=np.float32)
    assert (template_for(fused, "fused", "sface") == fused[:128]).all()
    assert (template_for(fused, "fused", "dlib") == fused[128:]).all()
    sface = fused[:128]
    assert template_for(sface, "sface", "sface") is sface
    assert template_for(sface, "sface", "dlib") is None
