"""Engine configuration: one pydantic model per engine, chosen by its `kind` field."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class DetectorConfig(_Strict):
    max_side: int = Field(
        640,
        ge=64,
        le=4096,
        description="Images are shrunk so their longer side is at most this before detection "
        "(never enlarged); landmarks are mapped back to full resolution for alignment.",
    )
    score_threshold: float = Field(
        0.6, gt=0, lt=1, description="YuNet confidence below which a candidate face is dropped."
    )
    nms_threshold: float = Field(0.3, gt=0, lt=1, description="YuNet non-maximum suppression IoU.")
    padded_retry: bool = Field(
        True,
        description="When nothing is found, look again in the image padded by a border, which "
        "finds faces cut by the image edge.",
    )


class _EngineBase(_Strict):
    detector: DetectorConfig = Field(
        default_factory=DetectorConfig, description="Face detector settings (YuNet)."
    )
    flip: bool = Field(
        True,
        description="Average the embeddings of the face and its mirror image (more accurate, "
        "twice the embedding time).",
    )
    threads: int | None = Field(
        None,
        ge=1,
        le=64,
        description="Threads for the model runtimes; None keeps the runtime's default.",
    )
    threshold: float | None = Field(
        None,
        description="Decision threshold overriding the one in the engine's model card; leave "
        "unset unless you have recalibrated.",
    )


class SFaceConfig(_EngineBase):
    kind: Literal["sface"] = Field("sface", description="YuNet detector + SFace embedder (128-d).")


class DlibConfig(_EngineBase):
    kind: Literal["dlib"] = Field(
        "dlib", description="YuNet detector + dlib 5-point alignment + dlib ResNet (128-d)."
    )


class FusedConfig(_EngineBase):
    kind: Literal["fused"] = Field(
        "fused", description="Both embedders on the same detection, normalised scores combined."
    )


EngineConfig = Annotated[SFaceConfig | DlibConfig | FusedConfig, Field(discriminator="kind")]
ENGINE_KINDS = ("sface", "dlib", "fused")
