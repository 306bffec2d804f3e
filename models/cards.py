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
