"""Build a face engine from its configuration. Implementations are imported only when used."""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import TypeAdapter, ValidationError

from proctor.errors import EngineError, ErrorCode
from proctor.models.cards import load_card
from proctor.models.config import ENGINE_KINDS, EngineConfig, FusedConfig
from proctor.models.engine import PipelineEngine

if TYPE_CHECKING:
    from proctor.models.fused import FusedEmbedder

_ADAPTER: TypeAdapter[EngineConfig] = TypeAdapter(EngineConfig)


def parse_config(config: EngineConfig | str | dict | None) -> EngineConfig:
    """Accept a config object, an engine kind ("sface", "dlib", "fused") or a plain dict."""
    if config is None:
        config = "sface"
    if isinstance(config, str):
        if config not in ENGINE_KINDS:
            raise EngineError(
                f"unknown engine {config!r}; choose one of {', '.join(ENGINE_KINDS)}",
                code=ErrorCode.ENGINE_UNKNOWN,
            )
        config = {"kind": config}
    if isinstance(config, dict):
        try:
            return _ADAPTER.validate_python(config)
        except ValidationError as exc:
            raise EngineError(
                f"invalid engine configuration: {exc}", code=ErrorCode.ENGINE_UNKNOWN
            ) from exc
    return config


def create_engine(config: EngineConfig | str | dict | None = None) -> PipelineEngine:
    """Load the weights (checked against their pinned digests) and return a ready engine."""
    cfg = parse_config(config)
    # Local imports: dlib is optional, and no engine module should load unless chosen.
    from proctor.models.yunet import YuNetDetector

    detector = YuNetDetector(cfg.detector)
    threshold = cfg.threshold if cfg.threshold is not None else load_card(cfg.kind).threshold
    if cfg.kind == "sface":
        from proctor.models.sface import SFaceEmbedder

        return PipelineEngine(
            "sface", detector, SFaceEmbedder(flip=cfg.flip, threads=cfg.threads), threshold
        )
    if cfg.kind == "dlib":
        from proctor.models.dlib_resnet import DlibEmbedder

        return PipelineEngine(
            "dlib", detector, DlibEmbedder(flip=cfg.flip, threads=cfg.threads), threshold
        )
    assert isinstance(cfg, FusedConfig)
    return PipelineEngine("fused", detector, _fused_embedder(cfg), threshold)


def _fused_embedder(cfg: FusedConfig) -> FusedEmbedder:
    from proctor.models.dlib_resnet import DlibEmbedder
    from proctor.models.fused import FusedEmbedder, Normaliser
    from proctor.models.sface import SFaceEmbedder

    card = load_card("fused")
    if card.fusion_weight is None:
        raise EngineError(
            "the fused model card has no fusion weight", code=ErrorCode.MODEL_CARD_INVALID
        )
    return FusedEmbedder(
        SFaceEmbedder(flip=cfg.flip, threads=cfg.threads),
        DlibEmbedder(flip=cfg.flip, threads=cfg.threads),
        Normaliser.from_card(load_card("sface")),
        Normaliser.from_card(load_card("dlib")),
        card.fusion_weight,
    )
