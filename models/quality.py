"""Measure a photo's chosen face for the quality gate in `proctor.faces.quality`."""

from __future__ import annotations

import math

import cv2
import numpy as np

from proctor.faces.protocol import DetectedFace
from proctor.faces.quality import FaceMeasurements
from proctor.models.align import align_face

_CUT_OFF_MARGIN = 0.05  # share of the box that may lie outside the image before it is "cut off"


def measure_face(
    image: np.ndarray, face: DetectedFace, face_count: int, other_large_faces: int
) -> FaceMeasurements:
    crop = cv2.cvtColor(align_face(image, face.landmark_array()), cv2.COLOR_BGR2GRAY)
    # The central part of the aligned crop is skin, eyes and mouth; its borders are background.
    centre = crop[24:104, 24:88].astype(np.float32)
    sharpness = float(cv2.Laplacian(crop, cv2.CV_64F).var())
    roll, yaw, pitch = pose_from_landmarks(face.landmark_array())
    return FaceMeasurements(
        face_count=face_count,
        other_large_faces=other_large_faces,
        eye_distance_px=face.eye_distance,
        cut_off=_is_cut_off(face, image.shape[1], image.shape[0]),
        detector_score=face.score,
        sharpness=sharpness,
        brightness=float(centre.mean()),
        contrast=float(centre.std()),
        roll_deg=roll,
        yaw=yaw,
        pitch_ratio=pitch,
        box_aspect=face.box.height / face.box.width if face.box.width > 0 else 0.0,
    )


def pose_from_landmarks(points: np.ndarray) -> tuple[float, float, float]:
    """Rough pose: roll in degrees, yaw as the nose's offset along the eye line per eye
    distance, pitch as eye-to-nose over nose-to-mouth distance across the eye line."""
    right_eye, left_eye, nose, mouth_r, mouth_l = points.astype(np.float64)
    axis = left_eye - right_eye
    eye_distance = float(np.hypot(*axis))
    if eye_distance < 1e-6:
        return 0.0, 0.0, 0.0
    u = axis / eye_distance
    v = np.array([-u[1], u[0]])  # points down the face
    eye_mid = (right_eye + left_eye) / 2
    mouth_mid = (mouth_r + mouth_l) / 2
    roll = math.degrees(math.atan2(axis[1], axis[0]))
    yaw = float((nose - eye_mid) @ u) / eye_distance
    upper = float((nose - eye_mid) @ v)
    lower = float((mouth_mid - nose) @ v)
    pitch = upper / lower if lower > 1e-6 else float("inf")
    return roll, yaw, pitch


def _is_cut_off(face: DetectedFace, width: int, height: int) -> bool:
    b = face.box
    mx, my = b.width * _CUT_OFF_MARGIN, b.height * _CUT_OFF_MARGIN
    return b.x < -mx or b.y < -my or b.x + b.width > width + mx or b.y + b.height > height + my
