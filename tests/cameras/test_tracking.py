from proctor.cameras.tracking import ScoreTrack, overlap
from proctor.faces.protocol import FaceBox

BOX = FaceBox(100, 100, 200, 200)


def test_overlap():
    assert overlap(BOX, BOX) == 1.0
    assert overlap(BOX, FaceBox(400, 400, 50, 50)) == 0.0
    assert abs(overlap(BOX, FaceBox(200, 100, 200, 200)) - 1 / 3) < 1e-9


def test_a_score_is_reused_only_for_the_same_face_and_briefly():
    track = ScoreTrack(max_age=0.25, min_overlap=0.6)
    assert track.reusable(BOX, 1, 0.0) is None  # nothing scored yet
    track.scored(BOX, 1, 0.8, 0.0)
    assert track.reusable(FaceBox(110, 105, 200, 200), 1, 0.1) == 0.8
    assert track.reusable(BOX, 2, 0.1) is None  # a second face appeared
    assert track.reusable(FaceBox(300, 100, 200, 200), 1, 0.1) is None  # jumped aside
    assert track.reusable(BOX, 1, 0.25) is None  # too old
    assert track.reusable(BOX, 1, -1.0) is None  # the clock went back
    track.lost()
    assert track.reusable(BOX, 1, 0.1) is None
