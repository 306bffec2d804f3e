"""`proctor` console command. Subcommands import their heavy modules only when run."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Annotated, NoReturn

import typer

from proctor.cli.agent import agent
from proctor.cli.audit import audit_app
from proctor.cli.clips import clips_app
from proctor.cli.complaints import complaints_app, custodian_app
from proctor.cli.data_keys import data_key_app
from proctor.cli.demo import demo
from proctor.cli.identify import identify
from proctor.cli.importing import import_candidates
from proctor.cli.retention import retention_app
from proctor.cli.rings import rings
from proctor.cli.service import db_app, serve, token_app
from proctor.cli.subject import subject_app
from proctor.errors import ProctorError

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Proctor: exam integrity with double face recognition.",
)

EngineOption = Annotated[
    str, typer.Option("--engine", "-e", help="Face engine: sface (default), dlib or fused.")
]
EXIT_ERROR = 2


@app.callback()
def main(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log progress.")] = False,
) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )


def _fail(exc: ProctorError, as_json: bool) -> NoReturn:
    if as_json:
        typer.echo(json.dumps({"error": exc.to_dict()}, ensure_ascii=False))
    else:
        typer.echo(f"error [{exc.code}]: {exc.message}", err=True)
    raise typer.Exit(EXIT_ERROR)


@app.command()
def verify(
    first: Annotated[Path, typer.Argument(help="First photo.")],
    second: Annotated[Path, typer.Argument(help="Second photo.")],
    engine: EngineOption = "sface",
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Say whether two photos show the same person, with the score, threshold and quality."""
    from proctor.cli.verify_view import render_text, to_dict
    from proctor.models.face_api import create_engine, load_image
    from proctor.models.face_api import verify as verify_photos

    try:
        face_engine = create_engine(engine)
        result = verify_photos(face_engine, load_image(first), load_image(second))
    except ProctorError as exc:
        _fail(exc, as_json)
    payload = to_dict(result, str(first), str(second))
    typer.echo(
        json.dumps(payload, ensure_ascii=False, indent=2) if as_json else render_text(payload)
    )


@app.command()
def pairs(
    pairs_csv: Annotated[Path, typer.Argument(help="CSV with at least path1,path2 columns.")],
    root: Annotated[Path, typer.Option(help="Folder the CSV's paths are relative to.")],
    out: Annotated[Path, typer.Option(help="Output CSV: the input rows plus score,decision.")],
    engine: EngineOption = "sface",
    workers: Annotated[int, typer.Option(min=1, max=64, help="Processes.")] = 1,
) -> None:
    """Score every pair of a CSV (each distinct photo embedded once).

    decision is match or no_match by the engine's threshold; no_face where a photo holds no
    detectable face and bad_image where one cannot be read: both get the engine's floor score.
    """
    from proctor.models.pairs import score_pairs
    from proctor.models.registry import create_engine, parse_config

    try:
        config = parse_config(engine)
        summary = score_pairs(
            create_engine(config),
            config,
            pairs_csv,
            root,
            out,
            workers=workers,
            progress=sys.stderr.isatty(),
        )
    except ProctorError as exc:
        _fail(exc, False)
    typer.echo(
        f"{summary.pairs} pairs, {summary.images} photos: {summary.matches} match, "
        f"{summary.no_face} no_face, {summary.bad_image} bad_image -> {out}"
    )


app.command()(serve)
app.command("import")(import_candidates)
app.command()(identify)
app.command()(rings)
app.command()(agent)
app.command()(demo)
app.add_typer(db_app, name="db")
app.add_typer(token_app, name="token")
app.add_typer(clips_app, name="clips")
app.add_typer(complaints_app, name="complaints")
app.add_typer(custodian_app, name="custodian")
app.add_typer(audit_app, name="audit")
app.add_typer(data_key_app, name="data-key")
app.add_typer(subject_app, name="subject")
app.add_typer(retention_app, name="retention")


def run() -> None:
    """Entry point: a ProctorError anywhere ends with its code and exit status 2."""
    try:
        app()
    except ProctorError as exc:
        typer.echo(f"error [{exc.code}]: {exc.message}", err=True)
        sys.exit(EXIT_ERROR)
