"""`proctor agent`: the camera agent of one exam station."""

from __future__ import annotations

import signal
from pathlib import Path
from typing import Annotated

import typer

from proctor.errors import ErrorCode, ProctorError

EXIT_REVOKED = 3


def agent(
    server: Annotated[str, typer.Option(help="The service's base URL, e.g. http://10.0.0.2:8000")],
    station: Annotated[str, typer.Option(help="This station's id.")],
    token: Annotated[
        str, typer.Option(envvar="PROCTOR_STATION_TOKEN", help="The station's token.")
    ],
    source: Annotated[
        str, typer.Option(help="Webcam index (0), video file, folder of images, or stream URL.")
    ] = "0",
    rate: Annotated[float, typer.Option(min=0.2, max=30, help="Frames analysed per second.")] = 2.0,
    outbox: Annotated[
        Path, typer.Option(help="Local file keeping observations until the server has them.")
    ] = Path("proctor-agent/outbox.db"),
    engine: Annotated[
        str, typer.Option(help="Face engine; the server's station engine.")
    ] = "sface",
    detect_side: Annotated[
        int, typer.Option(min=64, max=4096, help="Longer side of the copy faces are found on.")
    ] = 320,
    flip: Annotated[
        bool, typer.Option(help="Also embed the mirror image (slower, a little more accurate).")
    ] = False,
) -> None:
    """Watch the station's camera, match the face to the candidate, report to the server.

    Observations wait in the outbox while the server is unreachable and are sent in order
    when it returns. The agent stops with exit status 3 if its token is revoked.
    """
    import logging

    from proctor.cameras.agent import Agent, AgentConfig
    from proctor.cameras.server import StationServer
    from proctor.cameras.sources import parse_source
    from proctor.cameras.station_engine import station_engine

    logging.getLogger().setLevel(logging.INFO)
    frame_source = parse_source(source)
    face_engine = station_engine(engine, detect_side=detect_side, flip=flip)
    client = StationServer(server, station, token)
    runner = Agent(client, frame_source, face_engine, outbox, AgentConfig(rate=rate))
    signal.signal(signal.SIGTERM, lambda *_: runner.stop())
    try:
        reason = runner.run()
    except KeyboardInterrupt:
        runner.stop()
        reason = "stopped"
    finally:
        client.close()
    typer.echo(f"agent stopped: {reason}", err=True)
    if reason.startswith("token refused"):
        typer.echo("the station's token was refused: ask the committee for a new one", err=True)
        raise typer.Exit(EXIT_REVOKED)
    if reason.startswith("source failed"):
        raise ProctorError(reason, code=ErrorCode.SOURCE_UNAVAILABLE)
