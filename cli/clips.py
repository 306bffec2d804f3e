"""`proctor clips make`: scenario clips for tests, benchmarks and the demo."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from proctor.errors import ErrorCode, InputFileError

clips_app = typer.Typer(no_args_is_help=True, help="Scenario clips made from labelled photos.")


@clips_app.command("make")
def make(
    out: Annotated[Path, typer.Option(help="Folder for the clips (.avi) and timelines (.json).")],
    root: Annotated[
        Path, typer.Option(help="Labelled photos: a folder with labels.csv (path,identity).")
    ] = Path("../shared/faces/lfw_view1"),
    scenario: Annotated[
        list[str] | None,
        typer.Option(help="honest, swap, lean_in, leave, covered (repeat; default: all)."),
    ] = None,
    per_scenario: Annotated[int, typer.Option(min=1, help="Clips of each scenario.")] = 2,
    duration: Annotated[float, typer.Option(min=4, help="Seconds per clip.")] = 20.0,
    fps: Annotated[float, typer.Option(min=1, max=30, help="Frames per second.")] = 10.0,
    seed: Annotated[int, typer.Option(help="Same seed, same clips.")] = 0,
) -> None:
    """Make webcam-like clips with their truth: who is shown, and when things happen."""
    from tqdm import tqdm

    from proctor.cameras.clips import SCENARIOS, make_clips

    if not (root / "labels.csv").is_file():
        raise InputFileError(
            f"{root} has no labels.csv: give --root a folder of labelled photos "
            "(such as ../shared/faces/lfw_view1)",
            code=ErrorCode.FILE_NOT_FOUND,
        )
    chosen = scenario or list(SCENARIOS)
    unknown = [s for s in chosen if s not in SCENARIOS]
    if unknown:
        raise InputFileError(
            f"unknown scenario(s) {', '.join(unknown)}; choose from {', '.join(SCENARIOS)}",
            code=ErrorCode.REQUEST_INVALID,
        )
    made = []
    for name in tqdm(chosen, unit="scenario", desc="clips"):
        made += make_clips(
            root, out, [name], per_scenario=per_scenario, seed=seed, fps=fps, duration=duration
        )
    typer.echo(f"{len(made)} clips in {out}")
