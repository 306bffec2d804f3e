"""`proctor import CANDIDATES.csv --photos DIR`."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer

from proctor.cli.service import DatabaseOption, opened_database, settings_for


def import_candidates(
    candidates_csv: Annotated[
        Path, typer.Argument(help="CSV: participant_number,name,photos[,nik,formation].")
    ],
    photos: Annotated[Path, typer.Option(help="Folder the photos column is relative to.")],
    report: Annotated[
        Path, typer.Option(help="CSV report of rejected photos and duplicate faces.")
    ] = Path("import-report.csv"),
    engine: Annotated[
        str | None, typer.Option(help="Face engine; default: the service's (PROCTOR_ENGINE).")
    ] = None,
    database_url: DatabaseOption = None,
) -> None:
    """Enroll candidates and their registration photos (1 to 3, separated by ';').

    Safe to run again: known candidates are updated and photos already enrolled are skipped.
    """
    from tqdm import tqdm

    from proctor.errors import ErrorCode, InputFileError
    from proctor.exam.bulk_import import import_candidates as run_import
    from proctor.exam.bulk_import import read_rows, write_report
    from proctor.identity.index_store import IndexStore, index_folder
    from proctor.identity.registry import Registry
    from proctor.keys import nik_key
    from proctor.models.cards import required_identification_threshold
    from proctor.models.reader import EngineReader
    from proctor.models.registry import create_engine
    from proctor.sealing.upkeep import sealing_sessions
    from proctor.sealing.values import keyring_of_sessions

    if not photos.is_dir():
        raise InputFileError(f"{photos} is not a folder", code=ErrorCode.FILE_NOT_FOUND)
    rows = read_rows(candidates_csv)
    settings = settings_for(database_url)
    key = nik_key(settings)
    with opened_database(database_url, settings) as (_, db):
        sessions = sealing_sessions(db, settings)
        reader = EngineReader(create_engine(engine or settings.engine))
        registry = Registry(
            reader.engine,
            required_identification_threshold(reader.engine.name),
            store=IndexStore(  # shared with the service
                index_folder(settings, reader.engine.name), keyring_of_sessions(sessions)
            ),
            threads=min(4, os.cpu_count() or 1),
        )
        with tqdm(total=len(rows), unit="candidate", desc="import") as bar:
            summary, lines = run_import(
                sessions,
                rows,
                photos,
                reader,
                registry=registry,
                nik_key=key,
                actor="cli:import",
                on_row=lambda _row: bar.update(),
            )
    registry.save()  # the next import, identify or service start loads it
    write_report(report, lines)
    typer.echo(
        f"{summary.candidates} candidates ({summary.created} new): {summary.enrolled} photos "
        f"enrolled, {summary.already_enrolled} already enrolled, {summary.rejected} rejected, "
        f"{summary.duplicates} duplicate faces, {summary.failed_rows} rows failed; "
        f"report: {report}"
    )
