"""Photo quality gate for registration photos, and what makes a live frame hard to match.

Registration photos become the candidate's templates: the gate refuses any fault (`assess`).
A live frame (a checkpoint photo, a station's webcam) is judged for one question only: can its
face be matched reliably? `live_problems` names what stands in the way (a turned or hidden
face, poor light, blur); the caller weighs it against the match score.

Pure policy: it reads measurements (made by `proctor.models.quality` from pixels) and returns
reasons with stable codes and messages in Bahasa Indonesia and English. A reason with severity
`reject` makes the photo unusable; `warn` is shown to the operator but does not block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class QualityCode(StrEnum):
    NO_FACE = "no_face"
    MULTIPLE_FACES = "multiple_faces"
    FACE_TOO_SMALL = "face_too_small"
    FACE_CUT_OFF = "face_cut_off"
    LOW_DETECTOR_SCORE = "low_detector_score"
    BLURRY = "blurry"
    TOO_DARK = "too_dark"
    TOO_BRIGHT = "too_bright"
    LOW_CONTRAST = "low_contrast"
    POSE_ROLL = "pose_roll"
    POSE_YAW = "pose_yaw"
    POSE_PITCH = "pose_pitch"
    FACE_HIDDEN = "face_hidden"  # live frames only: a hand or an object over part of the face


class Severity(StrEnum):
    REJECT = "reject"
    WARN = "warn"


# (Bahasa Indonesia, English); the Indonesian text is what candidates and proctors read first.
MESSAGES: dict[QualityCode, tuple[str, str]] = {
    QualityCode.NO_FACE: ("Wajah tidak terdeteksi.", "No face was found."),
    QualityCode.MULTIPLE_FACES: (
        "Terdeteksi lebih dari satu wajah; hanya peserta yang boleh tampak.",
        "More than one face was found; only the candidate may be visible.",
    ),
    QualityCode.FACE_TOO_SMALL: (
        "Wajah terlalu kecil; dekatkan wajah ke kamera.",
        "The face is too small; move closer to the camera.",
    ),
    QualityCode.FACE_CUT_OFF: (
        "Wajah terpotong di tepi gambar.",
        "The face is cut off at the edge of the image.",
    ),
    QualityCode.LOW_DETECTOR_SCORE: (
        "Wajah kurang jelas terdeteksi.",
        "The face was detected with low confidence.",
    ),
    QualityCode.BLURRY: ("Foto buram; tahan kamera agar diam.", "The photo is blurry; hold still."),
    QualityCode.TOO_DARK: (
        "Foto terlalu gelap; tambahkan cahaya di depan wajah.",
        "The photo is too dark; add light in front of the face.",
    ),
    QualityCode.TOO_BRIGHT: (
        "Foto terlalu terang; hindari cahaya langsung dan silau.",
        "The photo is too bright; avoid direct light and glare.",
    ),
    QualityCode.LOW_CONTRAST: (
        "Kontras foto terlalu rendah; tambahkan cahaya pada wajah.",
        "The photo has too little contrast; light the face better.",
    ),
    QualityCode.POSE_ROLL: (
        "Kepala miring; tegakkan kepala.",
        "The head is tilted; hold it upright.",
    ),
    QualityCode.POSE_YAW: (
        "Wajah menoleh; hadapkan wajah lurus ke kamera.",
        "The face is turned away; look straight at the camera.",
    ),
    QualityCode.POSE_PITCH: (
        "Wajah menunduk atau mendongak; hadapkan wajah lurus ke kamera.",
        "The face is tilted up or down; look straight at the camera.",
    ),
    QualityCode.FACE_HIDDEN: (
        "Sebagian wajah tertutup; turunkan tangan dan jangan menutupi wajah.",
        "Part of the face is hidden; lower your hand and keep the face uncovered.",
    ),
}
# Faults of the face itself, which make a live frame hard to match. Another face in view is
# not one: it does not blur the candidate's (the continuous policy counts faces on its own).
LIVE_PROBLEMS = frozenset(
    {
        QualityCode.FACE_TOO_SMALL,
        QualityCode.BLURRY,
        QualityCode.TOO_DARK,
        QualityCode.TOO_BRIGHT,
        QualityCode.LOW_CONTRAST,
        QualityCode.POSE_ROLL,
        QualityCode.POSE_YAW,
        QualityCode.POSE_PITCH,
        QualityCode.FACE_HIDDEN,
    }
)
# The live problems that are faults of the picture rather than of the face's pose or cover: the
# continuous policy lets them excuse a low score only so far (`ObservationPolicy`).
IMAGE_FAULTS = frozenset(
    {
        QualityCode.BLURRY,
        QualityCode.TOO_DARK,
        QualityCode.TOO_BRIGHT,
        QualityCode.LOW_CONTRAST,
        QualityCode.FACE_TOO_SMALL,
    }
)


class QualityPolicy(BaseModel):
    """Limits of the quality gate. Defaults suit registration photos and webcam check-ins."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    min_eye_distance_px: float = Field(
        24.0, gt=0, description="Smallest distance between the eye centres, in pixels."
    )
    other_face_ratio: float = Field(
        0.25,
        gt=0,
        le=1,
        description="Another face whose area is at least this share of the chosen face's "
        "counts as a second person.",
    )
    min_detector_score: float = Field(
        0.75, ge=0, le=1, description="Detector confidence under which a warning is raised."
    )
    min_sharpness: float = Field(
        40.0, ge=0, description="Least variance of the Laplacian of the aligned face crop."
    )
    min_brightness: float = Field(50.0, ge=0, le=255, description="Least mean face luminance.")
    max_brightness: float = Field(210.0, ge=0, le=255, description="Most mean face luminance.")
    min_contrast: float = Field(
        20.0, ge=0, description="Least standard deviation of face luminance."
    )
    max_roll_deg: float = Field(20.0, gt=0, description="Most in-plane tilt of the eye line.")
    max_yaw: float = Field(
        0.35,
        gt=0,
        description="Most horizontal nose offset from the eye midline, per eye distance.",
    )
    pitch_range: tuple[float, float] = Field(
        (0.6, 1.8),
        description="Allowed ratio of eye-to-nose over nose-to-mouth vertical distances.",
    )
    min_visible_score: float = Field(
        0.9,
        ge=0,
        le=1,
        description="Live frames: detector confidence under which the face counts as partly "
        "hidden (webcam-like clips: 0.85-0.87 with a hand over mouth and chin, 0.90 and above "
        "on uncovered faces).",
    )
    min_box_aspect: float = Field(
        1.12,
        ge=0,
        description="Live frames: height over width of the detector's box under which the face "
        "counts as bowed (looking down at the keyboard). YuNet boxes a frontal face taller than "
        "wide; a bowed head is foreshortened, which its five landmarks, drawn towards a frontal "
        "shape, hardly show. Webcam-like devtrain frames: under 1.12 on 1.0 % of frames without a "
        "look down and 97 % of those with one (27 of the 28 that scored under the threshold with "
        "no other fault).",
    )


@dataclass(frozen=True, slots=True)
class FaceMeasurements:
    """What the gate needs to know of the chosen face; produced from pixels elsewhere."""

    face_count: int
    other_large_faces: int
    eye_distance_px: float
    cut_off: bool
    detector_score: float
    sharpness: float
    brightness: float
    contrast: float
    roll_deg: float
    yaw: float
    pitch_ratio: float
    box_aspect: float  # the detector's box, height over width


@dataclass(frozen=True, slots=True)
class QualityReason:
    code: QualityCode
    severity: Severity
    value: float | None = None
    limit: float | None = None

    @property
    def message_id(self) -> str:
        return MESSAGES[self.code][0]

    @property
    def message_en(self) -> str:
        return MESSAGES[self.code][1]

    def to_dict(self) -> dict[str, object]:
        return {
            "code": str(self.code),
            "severity": str(self.severity),
            "message_id": self.message_id,
            "message_en": self.message_en,
            "value": None if self.value is None else round(self.value, 3),
            "limit": self.limit,
        }


@dataclass(frozen=True, slots=True)
class QualityReport:
    reasons: tuple[QualityReason, ...] = field(default_factory=tuple)

    @property
    def acceptable(self) -> bool:
        return all(r.severity is not Severity.REJECT for r in self.reasons)

    @property
    def codes(self) -> list[str]:
        return [str(r.code) for r in self.reasons]

    def to_dict(self) -> dict[str, object]:
        return {"acceptable": self.acceptable, "reasons": [r.to_dict() for r in self.reasons]}


NO_FACE_REPORT = QualityReport((QualityReason(QualityCode.NO_FACE, Severity.REJECT),))


def assess(m: FaceMeasurements | None, policy: QualityPolicy | None = None) -> QualityReport:
    """Apply the policy to one photo's measurements (`None` means no face was found)."""
    if m is None or m.face_count == 0:
        return NO_FACE_REPORT
    p = policy or QualityPolicy()
    reasons: list[QualityReason] = []

    def add(
        code: QualityCode,
        value: float | None = None,
        limit: float | None = None,
        severity: Severity = Severity.REJECT,
    ) -> None:
        reasons.append(QualityReason(code, severity, value, limit))

    if m.other_large_faces:
        add(QualityCode.MULTIPLE_FACES, m.other_large_faces + 1)
    if m.eye_distance_px < p.min_eye_distance_px:
        add(QualityCode.FACE_TOO_SMALL, m.eye_distance_px, p.min_eye_distance_px)
    if m.cut_off:
        add(QualityCode.FACE_CUT_OFF, severity=Severity.WARN)
    if m.detector_score < p.min_detector_score:
        add(QualityCode.LOW_DETECTOR_SCORE, m.detector_score, p.min_detector_score, Severity.WARN)
    if m.sharpness < p.min_sharpness:
        add(QualityCode.BLURRY, m.sharpness, p.min_sharpness)
    if m.brightness < p.min_brightness:
        add(QualityCode.TOO_DARK, m.brightness, p.min_brightness)
    elif m.brightness > p.max_brightness:
        add(QualityCode.TOO_BRIGHT, m.brightness, p.max_brightness)
    if m.contrast < p.min_contrast:
        add(QualityCode.LOW_CONTRAST, m.contrast, p.min_contrast)
    if abs(m.roll_deg) > p.max_roll_deg:
        add(QualityCode.POSE_ROLL, m.roll_deg, p.max_roll_deg)
    if abs(m.yaw) > p.max_yaw:
        add(QualityCode.POSE_YAW, m.yaw, p.max_yaw)
    low, high = p.pitch_range
    if not low <= m.pitch_ratio <= high:
        add(QualityCode.POSE_PITCH, m.pitch_ratio, low if m.pitch_ratio < low else high)
    return QualityReport(tuple(reasons))


def live_problems(
    m: FaceMeasurements | None, policy: QualityPolicy | None = None
) -> tuple[QualityReason, ...]:
    """What makes a live frame's face hard to match (none when no face: that is absence)."""
    if m is None or m.face_count == 0:
        return ()
    p = policy or QualityPolicy()
    problems = [
        r for r in assess(m, p).reasons if r.code in LIVE_PROBLEMS and r.severity is Severity.REJECT
    ]
    if m.box_aspect < p.min_box_aspect and not any(
        r.code is QualityCode.POSE_PITCH for r in problems
    ):
        problems.append(
            QualityReason(QualityCode.POSE_PITCH, Severity.REJECT, m.box_aspect, p.min_box_aspect)
        )
    if m.detector_score < p.min_visible_score:
        problems.append(
            QualityReason(
                QualityCode.FACE_HIDDEN, Severity.REJECT, m.detector_score, p.min_visible_score
            )
        )
    return tuple(problems)
