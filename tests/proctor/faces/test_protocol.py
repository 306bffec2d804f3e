from proctor.errors import ErrorCode, InputImageError
from proctor.faces.protocol import Decision, choose_candidate
from tests.conftest import face_at


def test_no_faces_gives_no_candidate():
    assert choose_candidate([], 640, 480) == (None, [])


def test_centre_face_wins_over_a_slightly_larger_face_at_the_edge():
    centre = face_at(270, 190, 100)
    edge = face_at(0, 0, 110)
    chosen, others = choose_candidate([edge, centre], 640, 480)
    assert chosen is centre
    assert others == [edge]


def test_small_background_faces_are_not_a_second_person():
    main = face_at(220, 140, 200)
    far_away = face_at(10, 10, 40)  # 4 % of the main face's area
    chosen, others = choose_candidate([far_away, main], 640, 480)
    assert chosen is main
    assert others == []
    assert choose_candidate([far_away, main], 640, 480, other_face_ratio=0.01)[1] == [far_away]


def test_eye_distance_and_decision():
    face = face_at(0, 0, 112)
    assert abs(face.eye_distance - 35.2) < 0.1
    assert Decision(0.5, 0.5).same_person
    assert not Decision(0.4999, 0.5).same_person


def test_errors_carry_stable_codes():
    err = InputImageError("bad", code=ErrorCode.IMAGE_TRUNCATED, size=3)
    assert err.to_dict() == {"code": "image_truncated", "message": "bad", "size": 3}
