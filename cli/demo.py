"""`proctor demo`: the service with a seeded venue and simulated stations playing clips."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from proctor.errors import ErrorCode, InputFileError

DEFAULT_PHOTOS = Path("../shared/faces/lfw_view1")
PHOTOS_ENV = "PROCTOR_DEMO_PHOTOS"


def photos_folder(given: Path | None) -> Path | None:
    """The option, else the environment variable, else LFW where this checkout expects it.

    A folder that was asked for and is missing is an error; without one the demo still runs
    the service, and says how to get the simulated stations.
    """
    if given is None and os.environ.get(PHOTOS_ENV):
        given = Path(os.environ[PHOTOS_ENV])
    folder = given or DEFAULT_PHOTOS
    if folder.is_dir():
        return folder
    if given is not None:
        raise InputFileError(
            f"{folder} does not exist. {WHAT_TO_DO}", code=ErrorCode.FILE_NOT_FOUND
        )
    return None


WHAT_TO_DO = (
    "The demo makes its stations' camera clips from face photos: pass --photos DIR or set "
    f"{PHOTOS_ENV}=DIR, where DIR holds one sub-folder of photos per person (at least 4 "
    "photos each, for 5 or more people), such as LFW's ../shared/faces/lfw_view1."
)


def demo(
    photos: Annotated[
        Path | None,
        typer.Option(
            help=f"Face photos, one sub-folder per person. Default: ${PHOTOS_ENV}, "
            f"else {DEFAULT_PHOTOS}."
        ),
    ] = None,
    stations: Annotated[int, typer.Option(min=2, max=8, help="Simulated stations.")] = 4,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="TCP port.")] = 8000,
    run_for: Annotated[
        float | None, typer.Option(min=1, help="Stop after this many seconds (default: Ctrl-C).")
    ] = None,
) -> None:
    """Run the service with a demo venue whose stations' agents play scenario clips.

    Candidates are enrolled and checked in, every station logs in and starts its exam, and
    the first station's clip has a proxy take the seat: watch its exam pause and the incident
    it files. The demo's data lives in PROCTOR_DATA_DIR/demo and is reset at each start.
    """
    from proctor.demo.run import DemoOptions, run_demo
    from proctor.demo.walkthrough import DemoStepError
    from proctor.settings import Settings

    folder = photos_folder(photos)
    if folder is None:
        typer.echo(
            f"No face photos at {DEFAULT_PHOTOS}: running the service and a demo venue without "
            f"simulated stations. {WHAT_TO_DO}",
            err=True,
        )
    options = DemoOptions(
        photos=folder,
        data_dir=Settings().data_dir,
        stations=stations,
        host=host,
        port=port,
        run_for=run_for,
    )
    try:
        run_demo(options, typer.echo)
    except KeyboardInterrupt:
        typer.echo("interrupted")
    except DemoStepError as exc:  # a step of the exam day failed: say which, no traceback
        typer.echo(f"demo stopped: {exc}", err=True)
        raise typer.Exit(1) from exc
