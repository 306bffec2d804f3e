from dataclasses import replace

import pytest

from proctor.faces.quality import (
    MESSAGES,
    FaceMeasurements,
    QualityCode,
    QualityPolicy,
    Severity,
    assess,
)

GOOD = FaceMeasurements(
    face_count=1,
    other_large_faces=0,
    eye_distance_px=60.0,
    cut_off=False,
    detector_score=0.95,
    sharpness=300.0,
    brightness=120.0,
    contrast=45.0,
    roll_deg=2.0,
    yaw=0.05,
    pitch_ratio=1.0,
    box_aspect=1.3,
)


def test_a_good_photo_has_no_reasons():
    report = assess(GOOD)
    assert report.acceptable
    assert report.reasons == ()


def test_no_face_is_rejected():
    for m in (None, replace(GOOD, face_count=0)):
        report = assess(m)
        assert not report.acceptable
        assert report.codes == ["no_face"]


@pytest.mark.parametrize(
    ("change", "code", "severity"),
    [
        ({"other_large_faces": 1}, QualityCode.MULTIPLE_FACES, Severity.REJECT),
        ({"eye_distance_px": 10.0}, QualityCode.FACE_TOO_SMALL, Severity.REJECT),
        ({"cut_off": True}, QualityCode.FACE_CUT_OFF, Severity.WARN),
        ({"detector_score": 0.6}, QualityCode.LOW_DETECTOR_SCORE, Severity.WARN),
        ({"sharpness": 5.0}, QualityCode.BLURRY, Severity.REJECT),
        ({"brightness": 20.0}, QualityCode.TOO_DARK, Severity.REJECT),
        ({"brightness": 240.0}, QualityCode.TOO_BRIGHT, Severity.REJECT),
        ({"contrast": 5.0}, QualityCode.LOW_CONTRAST, Severity.REJECT),
        ({"roll_deg": -35.0}, QualityCode.POSE_ROLL, Severity.REJECT),
        ({"yaw": 0.6}, QualityCode.POSE_YAW, Severity.REJECT),
        ({"pitch_ratio": 0.3}, QualityCode.POSE_PITCH, Severity.REJECT),
        ({"pitch_ratio": 2.5}, QualityCode.POSE_PITCH, Severity.REJECT),
    ],
)
def test_each_limit_raises_its_reason(change, code, severity):
    report = assess(replace(GOOD, **change))
    assert [(r.code, r.severity) for r in report.reasons] == [(code, severity)]
    assert report.acceptable is (severity is Severity.WARN)


def test_policy_limits_are_configurable():
    blurry = replace(GOOD, sharpness=30.0)
    assert not assess(blurry).acceptable
    assert assess(blurry, QualityPolicy(min_sharpness=10.0)).acceptable


def test_policy_refuses_unknown_fields():
    with pytest.raises(ValueError, match="extra"):
        QualityPolicy(min_sharpnes=10.0)


def test_every_code_has_both_languages_and_serialises():
    assert set(MESSAGES) == set(QualityCode)
    report = assess(replace(GOOD, sharpness=1.0, yaw=0.9))
    payload = report.to_dict()
    assert payload["acceptable"] is False
    for reason in payload["reasons"]:
        assert reason["message_id"] and reason["message_en"]
        assert reason["message_id"] != reason["message_en"]
    assert [r["code"] for r in payload["reasons"]] == ["blurry", "pose_yaw"]


@pytest.mark.parametrize(
    ("change", "problems"),
    [
        ({}, []),
        ({"other_large_faces": 1}, []),  # another face is not a fault of the candidate's
        ({"cut_off": True}, []),  # warnings are no reason to doubt a score
        ({"detector_score": 0.86}, ["face_hidden"]),  # a hand over mouth and chin
        ({"pitch_ratio": 2.1}, ["pose_pitch"]),  # looking down at the keyboard
        ({"box_aspect": 1.0}, ["pose_pitch"]),  # bowed: foreshortened, landmarks unmoved
        ({"box_aspect": 1.0, "pitch_ratio": 2.1}, ["pose_pitch"]),  # named once
        ({"yaw": 0.5}, ["pose_yaw"]),
        ({"brightness": 30.0, "contrast": 10.0}, ["too_dark", "low_contrast"]),
        ({"sharpness": 12.0}, ["blurry"]),
        ({"eye_distance_px": 15.0}, ["face_too_small"]),
        ({"face_count": 0}, []),  # no face: absence, judged elsewhere
    ],
)
def test_live_problems_name_what_makes_a_face_hard_to_match(change, problems):
    from proctor.faces.quality import live_problems

    found = live_problems(replace(GOOD, **change))
    assert [str(r.code) for r in found] == problems
    assert all(r.severity is Severity.REJECT and r.message_en for r in found)
    assert live_problems(None) == ()


def test_a_short_box_is_a_live_problem_only():
    """Registration photos keep their gate; the box's shape judges live frames alone."""
    from proctor.faces.quality import live_problems

    bowed = replace(GOOD, box_aspect=1.0)
    assert assess(bowed).acceptable
    (reason,) = live_problems(bowed)
    assert (reason.value, reason.limit) == (1.0, QualityPolicy().min_box_aspect)
    assert live_problems(bowed, QualityPolicy(min_box_aspect=0.9)) == ()
