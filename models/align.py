"""Five-point similarity alignment onto a canonical face template."""

from __future__ import annotations

import cv2
import numpy as np

# The ArcFace 112x112 template that SFace was trained on (and that OpenCV's alignCrop uses),
# in LANDMARK_NAMES order.
ARCFACE_112 = np.array(
    [
        [38.2946, 51.6963],
        [73.5318, 51.5014],
        [56.0252, 71.7366],
        [41.5493, 92.3655],
        [70.7299, 92.2041],
    ],
    dtype=np.float64,
)


def similarity_transform(src: np.ndarray, dst: np.ndarray) -> np.ndarray:
    """Least-squares rotation + uniform scale + translation mapping `src` onto `dst` (Umeyama).

    Returns the 2x3 matrix for `cv2.warpAffine`.
    """
    src = np.asarray(src, dtype=np.float64)
    dst = np.asarray(dst, dtype=np.float64)
    src_mean, dst_mean = src.mean(axis=0), dst.mean(axis=0)
    src_c, dst_c = src - src_mean, dst - dst_mean
    cov = dst_c.T @ src_c / len(src)
    u, s, vt = np.linalg.svd(cov)
    d = np.ones(2)
    if np.linalg.det(u) * np.linalg.det(vt) < 0:
        d[-1] = -1  # a reflection is never a valid face alignment
    rotation = u @ np.diag(d) @ vt
    var_src = (src_c**2).sum() / len(src)
    scale = float((s * d).sum() / var_src) if var_src > 0 else 1.0
    matrix = np.empty((2, 3))
    matrix[:, :2] = scale * rotation
    matrix[:, 2] = dst_mean - scale * rotation @ src_mean
    return matrix


def align_face(
    image: np.ndarray, landmarks: np.ndarray, template: np.ndarray = ARCFACE_112, size: int = 112
) -> np.ndarray:
    """Warp the face whose five landmarks are given onto `template`, as a size x size crop."""
    matrix = similarity_transform(landmarks, template)
    return cv2.warpAffine(
        image, matrix, (size, size), flags=cv2.INTER_LINEAR, borderMode=cv2.BORDER_REPLICATE
    )
