"""The verification and pairs logic, on a fake engine (no model needed)."""

from __future__ import annotations

import csv

import cv2
import numpy as np
import pytest

from proctor.errors import ErrorCode, InputFileError
from proctor.models.config import SFaceConfig
from proctor.models.face_api import analyse, verify
from proctor.models.pairs import score_pairs


def photo(colour=(230, 230, 230), where=(80, 60), size=120, extra_square=None):
    image = np.full((300, 300, 3), 90, np.uint8)
    x, y = where
    image[y : y + size, x : x + size] = colour
    # texture, so the aligned crop is sharp and has contrast
    image[y + 10 : y + size - 10 : 8, x + 10 : x + size - 10] = (colour[0] // 3,) * 3
    if extra_square:
        ex, ey, es = extra_square
        image[ey : ey + es, ex : ex + es] = colour
    return image


def test_same_colour_squares_are_the_same_person(fake_engine):
    result = verify(fake_engine, photo(), photo(where=(100, 90)))
    assert result.faces_found
    assert result.same_person
    assert result.score == pytest.approx(1.0, abs=1e-3)
    assert result.threshold == fake_engine.threshold


def test_different_colours_are_not(fake_engine):
    result = verify(fake_engine, photo((230, 230, 230)), photo((250, 40, 40)))
    assert not result.same_person
    assert result.score < fake_engine.threshold


def test_a_photo_without_a_face_scores_the_floor(fake_engine):
    blank = np.full((200, 200, 3), 90, np.uint8)
    result = verify(fake_engine, photo(), blank)
    assert not result.faces_found
    assert not result.same_person
    assert result.score == fake_engine.floor_score
    assert result.second.quality.codes == ["no_face"]
    assert result.second.embedding is None


def test_analyse_reports_quality_yet_still_embeds(fake_engine):
    analysis = analyse(fake_engine, cv2.GaussianBlur(photo(), (31, 31), 12))
    assert analysis.embedding is not None
    assert "blurry" in analysis.quality.codes
    assert not analysis.quality.acceptable


def write_png(path, image):
    assert cv2.imwrite(str(path), image)


@pytest.fixture
def pairs_root(tmp_path):
    root = tmp_path / "photos"
    root.mkdir()
    write_png(root / "a1.png", photo())
    write_png(root / "a2.png", photo(where=(120, 100)))
    write_png(root / "b1.png", photo((250, 40, 40)))
    write_png(root / "blank.png", np.full((100, 100, 3), 90, np.uint8))
    (root / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 not really a jpeg")
    (tmp_path / "secret.png").write_bytes((root / "a1.png").read_bytes())
    return root


def write_csv(path, header, rows):
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)


def test_score_pairs_adds_score_and_decision(fake_engine, pairs_root, tmp_path):
    pairs = tmp_path / "pairs.csv"
    write_csv(
        pairs,
        ["case", "path1", "path2"],
        [
            ["same", "a1.png", "a2.png"],
            ["different", "a1.png", "b1.png"],
            ["noface", "a1.png", "blank.png"],
            ["broken", "broken.jpg", "a1.png"],
            ["missing", "a1.png", "nope.png"],
            ["escape", "../secret.png", "a1.png"],
            ["nul", "a1\x00.png", "a1.png"],
        ],
    )
    out = tmp_path / "out" / "scores.csv"
    summary = score_pairs(fake_engine, SFaceConfig(), pairs, pairs_root, out, progress=False)
    with out.open(newline="") as f:
        rows = list(csv.DictReader(f))
    assert list(rows[0]) == ["case", "path1", "path2", "score", "decision"]
    decisions = {r["case"]: (r["decision"], float(r["score"])) for r in rows}
    assert decisions["same"][0] == "match"
    assert decisions["different"][0] == "no_match"
    assert decisions["noface"] == ("no_face", -1.0)
    assert decisions["broken"] == ("bad_image", -1.0)
    assert decisions["missing"] == ("bad_image", -1.0)
    assert decisions["escape"] == ("bad_image", -1.0)
    assert decisions["nul"] == ("bad_image", -1.0)
    assert (summary.pairs, summary.matches, summary.no_face, summary.bad_image) == (7, 1, 1, 4)
    assert summary.images == 6  # each distinct photo inside the root once


def test_each_distinct_photo_is_embedded_once(fake_engine, pairs_root, tmp_path):
    calls = []
    original = fake_engine.embed
    fake_engine.embed = lambda image, face: calls.append(1) or original(image, face)
    pairs = tmp_path / "pairs.csv"
    write_csv(
        pairs,
        ["path1", "path2"],
        [["a1.png", "a2.png"], ["a2.png", "a1.png"], ["a1.png", "b1.png"]],
    )
    score_pairs(fake_engine, SFaceConfig(), pairs, pairs_root, tmp_path / "o.csv", progress=False)
    assert len(calls) == 3


@pytest.mark.parametrize(
    ("header", "rows", "fragment"),
    [
        (["first", "second"], [["a1.png", "a2.png"]], "lacks the column"),
        (["path1", "path2", "score"], [["a1.png", "a2.png", "1"]], "already has"),
        (["path1", "path2"], [["a1.png", ""]], "must not be empty"),
    ],
)
def test_malformed_pairs_files_write_nothing(
    fake_engine, pairs_root, tmp_path, header, rows, fragment
):
    pairs = tmp_path / "pairs.csv"
    write_csv(pairs, header, rows)
    out = tmp_path / "o.csv"
    with pytest.raises(InputFileError) as info:
        score_pairs(fake_engine, SFaceConfig(), pairs, pairs_root, out, progress=False)
    assert info.value.code is ErrorCode.PAIRS_FILE_INVALID
    assert fragment in info.value.message
    assert not out.exists()


def test_missing_pairs_file(fake_engine, tmp_path):
    with pytest.raises(InputFileError) as info:
        score_pairs(
            fake_engine,
            SFaceConfig(),
            tmp_path / "none.csv",
            tmp_path,
            tmp_path / "o.csv",
            progress=False,
        )
    assert info.value.code is ErrorCode.FILE_NOT_FOUND
