"""Write the LFW benchmark results: Markdown, JSON and the ROC/DET figure."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # no display on benchmark machines
import matplotlib.pyplot as plt

from proctor.models.metrics import roc_curve


def plot_roc_det(path: Path, score_sets: dict) -> None:
    fig, (roc, det) = plt.subplots(1, 2, figsize=(11, 4.5))
    for name, s in score_sets.items():
        _, far, tar = roc_curve(s.genuine, s.impostor)
        keep = far > 0
        roc.plot(far[keep], tar[keep], label=name)
        det.plot(far[keep], 1 - tar[keep], label=name)
    roc.set(
        xscale="log",
        xlim=(1e-6, 1),
        ylim=(0.9, 1.0),
        xlabel="false accept rate",
        ylabel="true accept rate",
        title="ROC, LFW View 1 devtest, all pairs",
    )
    det.set(
        xscale="log",
        yscale="log",
        xlim=(1e-6, 1),
        ylim=(1e-4, 1),
        xlabel="false accept rate",
        ylabel="false reject rate",
        title="DET",
    )
    for ax in (roc, det):
        ax.grid(True, which="both", alpha=0.3)
        ax.legend()
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _pct(v: float | None) -> str:
    return "n/a" if v is None else f"{v:.2%}"


def write_report(
    out: Path, results: dict, score_sets: dict, speed: dict, machine: dict, command: str
) -> None:
    out.mkdir(parents=True, exist_ok=True)
    plot_roc_det(out / "lfw_roc_det.png", score_sets)
    payload = {
        "date": dt.date.today().isoformat(),
        "command": command,
        "machine": machine,
        "accuracy": results,
        "speed": speed,
    }
    (out / "lfw.json").write_text(json.dumps(payload, indent=2) + "\n")

    rows = []
    for name, r in results.items():
        o, a = r["official_pairs"], r["all_pairs"]
        rows.append(
            f"| {name} | {_pct(r['protocol_accuracy'])} | {_pct(o['accuracy'])} | "
            f"{_pct(o['tar_at_far_1e2'])} | "
            f"{_pct(o['tar_at_far_1e3'])} | {_pct(o['eer'])} | {_pct(a['tar_at_far_1e3'])} | "
            f"{_pct(a['tar_at_far_1e4'])} | {_pct(a['eer'])} | {_pct(r['failure_to_detect'])} |"
        )
    ops = [
        f"| {name} | {r['operating_threshold']:.4f} | {_pct(r['fmr_at_operating_threshold'])} | "
        f"{_pct(r['fnmr_at_operating_threshold'])} | {_pct(r['accuracy_at_operating_threshold'])} |"
        for name, r in results.items()
    ]
    speed_rows = [
        f"| {name} | {s['flip']['detect_ms']} | {s['flip']['align_embed_ms']} | "
        f"{s['flip']['total_ms']} | {s['no_flip']['align_embed_ms']} | "
        f"{s['no_flip']['total_ms']} | {s['detect_320']['detect_ms']} | "
        f"{s['detect_320']['total_ms']} | {s['peak_rss_mib']} |"
        for name, s in sorted(speed.items(), key=lambda kv: list(results).index(kv[0]))
    ]
    any_result = next(iter(results.values()))
    text = f"""# LFW View 1 benchmark

Date {payload["date"]}. Machine: {machine["cpu"]}, {machine["cores"]} cores, Python
{machine["python"]}, {machine["platform"]}. Command: `{command}` (embeddings cached in
`benchmarks/cache/`, not committed). Photos: `../shared/faces/lfw_view1` (never copied here).

## Accuracy on devtest (held out; thresholds were chosen on devtrain)
Official pairs: the View 1 protocol, {any_result["official_pairs"]["genuine_pairs"]} same +
{any_result["official_pairs"]["impostor_pairs"]} different. Accuracy uses the threshold of best
accuracy on devtrain (protocol); "best accuracy" picks it on devtest itself, an optimistic
bound shown because one pair is 0.1 % here. With only 500 impostors, TAR at FAR 1e-3 on the official pairs
means "no impostor accepted"; the **all pairs** columns use every pair of devtest's photos
({any_result["all_pairs"]["genuine_pairs"]:,} genuine, {any_result["all_pairs"]["impostor_pairs"]:,}
impostor), which can resolve 1e-3 and 1e-4. A photo without a detected face scores the floor.

| engine | accuracy | best accuracy (devtest threshold) | TAR@1e-2 | TAR@1e-3 | EER | all: TAR@1e-3 | all: TAR@1e-4 | all: EER | failure to detect |
|---|---|---|---|---|---|---|---|---|---|
{chr(10).join(rows)}

## At the operating threshold (calibrated on devtrain for FMR 0.1 %)
| engine | threshold | FMR (devtest, all pairs) | FNMR (devtest, all pairs) | accuracy (official pairs) |
|---|---|---|---|---|
{chr(10).join(ops)}

![ROC and DET](lfw_roc_det.png)

## Speed and memory (one core, median ms per 640x480 frame)
`flip` averages the face and its mirror (default, used for the accuracy above); `detect_320`
detects on the frame shrunk to 320x240 (no flip). Peak RSS is the whole process with the default
engine loaded.

| engine | detect | align+embed | total | align+embed, no flip | total, no flip | detect @320 | total @320, no flip | peak RSS MiB |
|---|---|---|---|---|---|---|---|---|
{chr(10).join(speed_rows)}

Each row comes from `python benchmarks/lfw.py speed --engine NAME` in its own process.
"""
    (out / "lfw.md").write_text(text)
