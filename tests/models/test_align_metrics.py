import numpy as np
import pytest

from proctor.models.align import ARCFACE_112, align_face, similarity_transform
from proctor.models.metrics import (
    best_accuracy,
    equal_error_rate,
    rates_at,
    summarise,
    tar_at_far,
    threshold_for_far,
)


def test_similarity_transform_recovers_rotation_scale_and_shift():
    angle, scale, shift = np.deg2rad(17), 2.5, np.array([40.0, -12.0])
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    src = ARCFACE_112
    dst = (scale * (rot @ src.T)).T + shift
    m = similarity_transform(src, dst)
    np.testing.assert_allclose(m[:, :2], scale * rot, atol=1e-9)
    np.testing.assert_allclose(m[:, 2], shift, atol=1e-9)


def test_align_face_puts_landmarks_on_the_template():
    image = np.zeros((300, 300, 3), np.uint8)
    landmarks = ARCFACE_112 * 2 + 30  # a face twice the template's size, shifted
    for x, y in landmarks.astype(int):
        image[y - 1 : y + 2, x - 1 : x + 2] = 255
    crop = align_face(image, landmarks)
    assert crop.shape == (112, 112, 3)
    for x, y in ARCFACE_112.round().astype(int):
        assert crop[y, x].max() > 100


def test_threshold_for_far_keeps_the_false_accept_rate():
    rng = np.random.default_rng(1)
    impostor = rng.normal(0, 1, 100_000)
    genuine = rng.normal(4, 1, 1_000)
    for far in (1e-2, 1e-3, 1e-4):
        t = threshold_for_far(impostor, far)
        _, achieved = rates_at(genuine, impostor, t)
        assert achieved <= far
        assert achieved > far / 2  # and it is not needlessly strict
    assert tar_at_far(genuine, impostor, 1e-2) > tar_at_far(genuine, impostor, 1e-4)


def test_threshold_for_far_with_too_few_impostors_accepts_none():
    impostor = np.array([0.1, 0.2, 0.3])
    t = threshold_for_far(impostor, 1e-3)
    assert t > 0.3
    assert rates_at(np.array([0.31]), impostor, t) == (1.0, 0.0)


def test_separable_scores_have_zero_eer_and_full_accuracy():
    genuine, impostor = np.array([0.8, 0.9, 0.95]), np.array([0.1, 0.2, 0.3, 0.4])
    assert equal_error_rate(genuine, impostor) == 0.0
    accuracy, threshold = best_accuracy(genuine, impostor)
    assert accuracy == 1.0
    assert 0.4 < threshold <= 0.8


def test_overlapping_scores():
    genuine, impostor = np.array([0.2, 0.6, 0.7, 0.9]), np.array([0.1, 0.3, 0.65, 0.05])
    accuracy, _ = best_accuracy(genuine, impostor)
    assert accuracy == pytest.approx(6 / 8)
    assert 0 < equal_error_rate(genuine, impostor) <= 0.5
    summary = summarise(genuine, impostor)
    assert summary.tar_at_far_1e4 is None  # too few impostors to say
    assert summary.genuine_pairs == 4
