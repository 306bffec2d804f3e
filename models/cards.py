"""Model cards: each engine's calibrated threshold and the figures that justify it.

The JSON file is what the engine reads; the Markdown file beside it is for people. Both are
written by `benchmarks/lfw.py calibrate`.
"""

from __future__ import annotations

import importlib.resources
import json

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from proctor.errors import EngineError, ErrorCode


class Figures(BaseModel):
    model_config = ConfigDict(extra="forbid")

    accuracy: float = Field(description="Best accuracy over thresholds on the official pairs.")
    accuracy_at_threshold: float = Field(description="Accuracy at the card's threshold.")
    tar_at_far_1e2: float
    tar_at_far_1e3: float
    eer: float
    genuine_pairs: int
    impostor_pairs: int
    failure_to_detect: float


class IdentificationFigures(BaseModel):
    model_config = ConfigDict(extra="forbid")

    rank1: float = Field(description="Mated searches whose best gallery entry is the mate.")
    fnir_at_fpir_1e2: float = Field(description="At devtest's own FPIR 1e-2 threshold.")
    fnir_at_fpir_1e3: float = Field(description="At devtest's own FPIR 1e-3 threshold.")
    fnir_at_threshold: float = Field(description="At the card's (devtrain) threshold.")
    fpir_at_threshold: float = Field(description="At the card's (devtrain) threshold.")
    gallery_size: int
    mated_probes: int
    non_mated_probes: int


class Identification(BaseModel):
    """The 1:N operating point: a search against `gallery_size` templates. A larger registry
    needs a higher threshold for the same FPIR (about FPIR / N false matches per template)."""

    model_config = ConfigDict(extra="forbid")

    threshold: float = Field(description="Report a gallery entry scoring at or above this.")
    target_fpir: float = Field(description="False-positive identification rate aimed at.")
    achieved_fpir: float = Field(description="FPIR at the threshold on calibration.")
    gallery_size: int = Field(description="Templates searched during calibration.")
    calibrated_on: str
    figures: IdentificationFigures = Field(description="Held out: LFW View 1 devtest.")


class LiveCapture(BaseModel):
    """The live-capture policy (`proctor.exam.live_capture`) on webcam-like frames of LFW View 1
    (benchmarks/live_capture.py): devtrain checks the rule, devtest reports it."""

    model_config = ConfigDict(extra="forbid")

    rule: str
    measured_on: str
    command: str
    frames: int
    first_try_match: float
    first_try_match_before: float = Field(description="The registration gate, then the threshold.")
    retake: float
    no_match: float
    impostor_presentations: int
    impostors_accepted: int
    impostor_trials: int
    impostor_trials_accepted: int
    devtrain_fmr: float = Field(description="Impostor trials accepted, all devtrain frames.")
    devtrain_fmr_with_problems: float = Field(
        description="The same on devtrain frames with a live problem (accepted on the score)."
    )


class ModelCard(BaseModel):
    model_config = ConfigDict(extra="forbid")

    engine: str
    similarity: str = Field(description="What the score means.")
    threshold: float
    target_fmr: float
    achieved_fmr: float = Field(description="False match rate at the threshold on calibration.")
    accuracy_threshold: float = Field(
        description="Threshold of best accuracy on devtrain's official pairs (LFW protocol)."
    )
    calibrated_on: str
    impostor_mean: float = Field(description="Score normalisation (z-norm), used by fusion.")
    impostor_std: float
    fusion_weight: float | None = Field(
        None, description="Fused engine only: the weight of SFace's normalised score."
    )
    figures: Figures
    identification: Identification | None = Field(
        None, description="The 1:N threshold (benchmarks/identification.py)."
    )
    live_capture: LiveCapture | None = Field(
        None, description="Live checkpoints on webcam-like frames (benchmarks/live_capture.py)."
    )


def card_resource(engine: str, suffix: str) -> importlib.resources.abc.Traversable:
    return importlib.resources.files("proctor.models").joinpath("cards", f"{engine}{suffix}")


def load_card(engine: str) -> ModelCard:
    resource = card_resource(engine, ".json")
    try:
        return ModelCard.model_validate(json.loads(resource.read_text(encoding="utf-8")))
    except FileNotFoundError as exc:
        raise EngineError(
            f"no model card for engine {engine!r}: run benchmarks/lfw.py calibrate",
            code=ErrorCode.MODEL_CARD_INVALID,
        ) from exc
    except (ValueError, ValidationError) as exc:
        raise EngineError(
            f"the model card of engine {engine!r} is invalid: {exc}",
            code=ErrorCode.MODEL_CARD_INVALID,
        ) from exc


def required_identification_threshold(engine: str) -> float:
    """The engine's 1:N threshold; an engine without a model card has none to search with."""
    threshold = identification_threshold(engine)
    if threshold is None:
        raise EngineError(
            f"no model card for engine {engine!r}: it has no 1:N threshold",
            code=ErrorCode.MODEL_CARD_INVALID,
        )
    return threshold


def identification_threshold(engine: str) -> float | None:
    """The engine's 1:N threshold from its model card; None for an engine without a card (a
    test's fake). A card without one is refused: a 1:1 threshold must never stand in for it."""
    if not card_resource(engine, ".json").is_file():
        return None
    card = load_card(engine)
    if card.identification is None:
        raise EngineError(
            f"the model card of {engine!r} has no 1:N threshold: run "
            "benchmarks/identification.py accuracy",
            code=ErrorCode.MODEL_CARD_INVALID,
        )
    return card.identification.threshold
