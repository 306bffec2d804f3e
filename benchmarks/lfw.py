"""LFW View 1 benchmark and calibration of the face engines.

    python benchmarks/lfw.py embed --engine sface       # embeddings of all 4,992 photos (cached)
    python benchmarks/lfw.py calibrate                  # thresholds on devtrain -> model cards
    python benchmarks/lfw.py evaluate                   # devtest figures, ROC/DET plot
    python benchmarks/lfw.py speed --engine sface       # per-frame timings and peak memory
    python benchmarks/lfw.py all                        # everything, in that order

Results go to benchmarks/results/ (committed); embeddings to benchmarks/cache/ (not committed).
"""

from __future__ import annotations

import json
import shlex
import subprocess
import sys
from pathlib import Path

import numpy as np
import typer

sys.path.insert(0, str(Path(__file__).resolve().parent))

from calibration import choose_fusion_weight, make_card, write_card
from lfw_data import CACHE, DEFAULT_ROOT, EmbeddingCache, load_lfw
from machine import machine
from report import write_report
from scoring import ScoreSet, base_score_sets, engine_failure_to_detect, fused_set

from proctor.models.batch import default_workers, embed_files
from proctor.models.cards import load_card
from proctor.models.metrics import accuracy_at, summarise
from proctor.models.registry import parse_config

RESULTS = Path(__file__).resolve().parent / "results"

app = typer.Typer(add_completion=False, no_args_is_help=True)
BASE_ENGINES = ("sface", "dlib")


@app.callback()
def main() -> None:
    """LFW View 1 benchmark and calibration of the face engines."""


def cache_path(engine: str) -> Path:
    return CACHE / f"{engine}.npz"


@app.command()
def embed(
    engine: str = typer.Option("sface", help="sface or dlib (fused is derived from both)."),
    root: Path = typer.Option(DEFAULT_ROOT, help="LFW View 1 folder."),
    workers: int = typer.Option(default_workers(), help="Processes."),
) -> None:
    """Embed every labelled photo once and cache the embeddings."""
    lfw = load_lfw(root)
    # Calibration runs before a model card exists: the threshold is not used here.
    config = parse_config({"kind": engine, "threshold": 0.0})
    results = embed_files(config, root, sorted(lfw.labels), workers=workers)
    dim = next(r.embedding.shape[0] for r in results.values() if r.embedding is not None)
    paths = sorted(results)
    matrix = np.full((len(paths), dim), np.nan, dtype=np.float32)
    for i, p in enumerate(paths):
        if results[p].embedding is not None:
            matrix[i] = results[p].embedding
    errors = [results[p].error or "" for p in paths]
    EmbeddingCache(paths, matrix, errors).save(cache_path(engine))
    failed = sum(bool(e) for e in errors)
    typer.echo(f"{engine}: {len(paths)} photos, {failed} without a face -> {cache_path(engine)}")


def _caches() -> dict[str, EmbeddingCache]:
    missing = [e for e in BASE_ENGINES if not cache_path(e).is_file()]
    if missing:
        raise SystemExit(f"no cached embeddings for {missing}: run `embed --engine ...` first")
    return {e: EmbeddingCache.load(cache_path(e)) for e in BASE_ENGINES}


@app.command()
def calibrate(
    root: Path = typer.Option(DEFAULT_ROOT, help="LFW View 1 folder."),
    target_fmr: float = typer.Option(1e-3, help="False match rate the threshold is set for."),
) -> None:
    """Set each engine's threshold on devtrain and write models/cards/<engine>.{json,md}."""
    lfw = load_lfw(root)
    caches = _caches()
    command = f"python benchmarks/lfw.py calibrate --target-fmr {target_fmr:g}"
    official, exhaustive = base_score_sets(lfw, caches, "devtrain")
    cards = {}
    for engine in BASE_ENGINES:
        ftd = engine_failure_to_detect(lfw, caches, engine, "devtrain")
        cards[engine] = make_card(engine, official[engine], exhaustive[engine], ftd, target_fmr)
        write_card(cards[engine], command)

    def fused(weight: float, sets: dict[str, ScoreSet]) -> ScoreSet:
        return fused_set(sets["sface"], sets["dlib"], cards["sface"], cards["dlib"], weight)

    weight, trials = choose_fusion_weight(lambda w: fused(w, exhaustive))
    ftd = engine_failure_to_detect(lfw, caches, "fused", "devtrain")
    cards["fused"] = make_card(
        "fused", fused(weight, official), fused(weight, exhaustive), ftd, target_fmr, weight
    )
    write_card(cards["fused"], command)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "fusion_weights.json").write_text(
        json.dumps(
            [{"sface_weight": w, "tar_at_far_1e3": t, "eer": e} for w, t, e in trials], indent=2
        )
    )
    for name, card in cards.items():
        typer.echo(
            f"{name}: threshold {card.threshold:.4f} (FMR {card.achieved_fmr:.4%}), "
            f"TAR@1e-3 {card.figures.tar_at_far_1e3:.2%}, acc {card.figures.accuracy:.2%}"
        )


@app.command()
def evaluate(root: Path = typer.Option(DEFAULT_ROOT, help="LFW View 1 folder.")) -> None:
    """Held-out figures on devtest for every engine, the ROC/DET plot and the report."""
    lfw = load_lfw(root)
    caches = _caches()
    official, exhaustive = base_score_sets(lfw, caches, "devtest")
    results = {}
    cards = {e: load_card(e) for e in ("sface", "dlib", "fused")}
    weight = cards["fused"].fusion_weight
    official["fused"] = fused_set(
        official["sface"], official["dlib"], cards["sface"], cards["dlib"], weight
    )
    exhaustive["fused"] = fused_set(
        exhaustive["sface"], exhaustive["dlib"], cards["sface"], cards["dlib"], weight
    )
    for engine, card in cards.items():
        o, x = official[engine], exhaustive[engine]
        ftd = engine_failure_to_detect(lfw, caches, engine, "devtest")
        results[engine] = {
            "official_pairs": summarise(o.genuine, o.impostor).as_dict(),
            "protocol_accuracy": accuracy_at(o.genuine, o.impostor, card.accuracy_threshold),
            "accuracy_at_operating_threshold": accuracy_at(o.genuine, o.impostor, card.threshold),
            "operating_threshold": card.threshold,
            "all_pairs": summarise(x.genuine, x.impostor).as_dict(),
            "fmr_at_operating_threshold": float(np.mean(x.impostor >= card.threshold)),
            "fnmr_at_operating_threshold": float(np.mean(x.genuine < card.threshold)),
            "failure_to_detect": ftd,
        }
    speed_runs = {
        p.stem.removeprefix("speed-"): json.loads(p.read_text())
        for p in sorted(RESULTS.glob("speed-*.json"))
    }
    write_report(
        RESULTS, results, exhaustive, speed_runs, machine(), "python benchmarks/lfw.py all"
    )
    typer.echo((RESULTS / "lfw.md").read_text())


@app.command()
def speed(
    engine: str = typer.Option("sface", help="sface, dlib or fused."),
    root: Path = typer.Option(DEFAULT_ROOT, help="LFW View 1 folder."),
    frames: int = typer.Option(100, help="640x480 frames to time."),
) -> None:
    """Median ms per 640x480 frame for detection and align+embed, on one core; peak memory."""
    from speed import time_engine

    result = time_engine(engine, load_lfw(root), frames)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"speed-{engine}.json").write_text(json.dumps(result, indent=2) + "\n")
    typer.echo(json.dumps(result, indent=2))


@app.command("all")
def run_all(
    root: Path = typer.Option(DEFAULT_ROOT, help="LFW View 1 folder."),
    workers: int = typer.Option(default_workers(), help="Processes for embedding."),
) -> None:
    """Embed (where not cached), calibrate (1:1, then 1:N), time each engine in its own
    process, report."""
    me = [sys.executable, str(Path(__file__).resolve())]
    steps = [
        [*me, "embed", "--engine", e, "--root", str(root), "--workers", str(workers)]
        for e in BASE_ENGINES
        if not cache_path(e).is_file()
    ]
    steps.append([*me, "calibrate", "--root", str(root)])
    # Calibration rewrites the model cards: their 1:N thresholds are set again after it.
    identification = str(Path(__file__).resolve().parent / "identification.py")
    steps.append([sys.executable, identification, "accuracy", "--root", str(root)])
    # Each engine is timed in a fresh process so that peak memory is its own.
    steps += [
        [*me, "speed", "--engine", e, "--root", str(root)] for e in ("sface", "dlib", "fused")
    ]
    steps.append([*me, "evaluate", "--root", str(root)])
    for step in steps:
        typer.echo(f"$ {shlex.join(step[1:])}", err=True)
        subprocess.run(step, check=True)


if __name__ == "__main__":
    app()
