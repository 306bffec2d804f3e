import cv2
import numpy as np
import pytest

from proctor.models.align import ARCFACE_112
from proctor.models.quality import measure_face, pose_from_landmarks
from tests.conftest import face_at


def rotate(points, degrees):
    a = np.deg2rad(degrees)
    r = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    return (points - points.mean(0)) @ r.T + points.mean(0)


def test_frontal_template_pose():
    roll, yaw, pitch = pose_from_landmarks(ARCFACE_112)
    assert abs(roll) < 0.5
    assert abs(yaw) < 0.02
    assert pitch == pytest.approx(0.98, abs=0.05)


@pytest.mark.parametrize("degrees", [-30, -10, 15, 40])
def test_roll_follows_the_eye_line_and_leaves_yaw_and_pitch(degrees):
    roll, yaw, pitch = pose_from_landmarks(rotate(ARCFACE_112, degrees))
    assert roll == pytest.approx(degrees, abs=0.5)
    assert abs(yaw) < 0.02
    assert pitch == pytest.approx(0.98, abs=0.05)


def test_a_turned_head_moves_the_nose_along_the_eye_line():
    turned = ARCFACE_112.copy()
    turned[2, 0] += 15  # nose towards the subject's left eye
    assert pose_from_landmarks(turned)[1] > 0.4


def test_degenerate_landmarks_do_not_crash():
    assert pose_from_landmarks(np.zeros((5, 2))) == (0.0, 0.0, 0.0)


def test_measurements_see_blur_darkness_and_cut_off():
    rng = np.random.default_rng(0)
    image = rng.integers(60, 200, (224, 224, 3), dtype=np.uint8)
    face = face_at(56, 56, 112)
    sharp = measure_face(image, face, 1, 0)
    blurred = measure_face(cv2.GaussianBlur(image, (0, 0), 4), face, 1, 0)
    dark = measure_face((image * 0.2).astype(np.uint8), face, 1, 0)
    assert blurred.sharpness < sharp.sharpness / 10
    assert dark.brightness < sharp.brightness / 3
    assert not sharp.cut_off
    assert measure_face(image, face_at(150, 56, 112), 1, 0).cut_off
    assert sharp.eye_distance_px == pytest.approx(35.2, abs=0.1)
    assert sharp.box_aspect == pytest.approx(1.0)  # face_at draws a square box
