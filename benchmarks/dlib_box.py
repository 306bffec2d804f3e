"""Measure how dlib's HOG face boxes sit relative to YuNet's, on LFW devtrain.

    python benchmarks/dlib_box.py     # prints the medians used as YUNET_TO_DLIB_BOX

dlib's 5-point landmark model expects HOG-shaped boxes; the dlib engine maps YuNet's boxes to
that shape (models/dlib_resnet.py). Every fourth devtrain photo is used: no devtest photo.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

from lfw_data import load_lfw

from proctor.faces.protocol import choose_candidate
from proctor.models.config import DetectorConfig
from proctor.models.dlib_resnet import import_dlib
from proctor.models.imaging import load_image
from proctor.models.yunet import YuNetDetector


def main() -> None:
    lfw = load_lfw()
    detector = YuNetDetector(DetectorConfig())
    hog = import_dlib().get_frontal_face_detector()
    rows = []
    for path in lfw.split_images("devtrain")[::4]:
        image = load_image(lfw.root / path)
        face, _ = choose_candidate(detector.detect(image), image.shape[1], image.shape[0])
        rects = hog(np.ascontiguousarray(image[:, :, ::-1]), 1)
        if face is None or not rects:
            continue
        b = face.box
        cx, cy = b.center
        r = min(rects, key=lambda r: (r.center().x - cx) ** 2 + (r.center().y - cy) ** 2)
        rows.append(
            [
                (r.left() - b.x) / b.width,
                (r.top() - b.y) / b.height,
                r.width() / b.width,
                r.height() / b.height,
            ]
        )
    medians = np.round(np.median(np.array(rows), axis=0), 4)
    print(f"{len(rows)} photos; YUNET_TO_DLIB_BOX = {tuple(float(v) for v in medians)}")


if __name__ == "__main__":
    main()
