"""`proctor identify PHOTO ...`: who, among every enrolled candidate and on the watchlist, each
photo shows."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer

from proctor.cli.service import DatabaseOption, settings_for
from proctor.errors import ProctorError

EXIT_BAD_INPUT = 2


def identify(
    photos: Annotated[list[Path], typer.Argument(help="Photos to search for.")],
    engine: Annotated[
        str | None, typer.Option("--engine", "-e", help="Face engine; default: PROCTOR_ENGINE.")
    ] = None,
    top: Annotated[int, typer.Option(min=1, max=100, help="Most candidates per photo.")] = 5,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per photo.")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Search each photo against every enrolled candidate and every active watchlist entry at
    the engine's 1:N threshold, loading the engine and the index once. Exit 0 whatever the
    decisions, 2 if a photo could not be read (the others are still searched)."""
    from proctor.identity.index_store import IndexStore, index_folder
    from proctor.identity.registry import Registry
    from proctor.identity.watchlist import Watchlist
    from proctor.models.cards import required_identification_threshold
    from proctor.models.reader import EngineReader
    from proctor.models.registry import create_engine
    from proctor.sealing.upkeep import sealing_sessions
    from proctor.sealing.values import keyring_of_sessions
    from proctor.store.database import make_engine

    settings = settings_for(database_url)
    reader = EngineReader(create_engine(engine or settings.engine))
    threshold = required_identification_threshold(reader.engine.name)
    db = make_engine(settings.resolved_database_url())
    sessions = sealing_sessions(db, settings)
    registry = Registry(
        reader.engine,
        threshold,
        store=IndexStore(index_folder(settings, reader.engine.name), keyring_of_sessions(sessions)),
        threads=min(4, os.cpu_count() or 1),
    )
    watch = Watchlist(reader.engine, threshold)
    failed = False
    try:
        with sessions() as session:
            for photo in photos:
                try:
                    result = _search(photo, reader, registry, watch, session, top)
                except ProctorError as exc:
                    failed = True
                    result = {"photo": str(photo), "error": exc.to_dict()}
                typer.echo(json.dumps(result, ensure_ascii=False) if as_json else _line(result))
    finally:
        db.dispose()
    registry.save()  # loaded, not rebuilt, by the next call
    if failed:
        raise typer.Exit(EXIT_BAD_INPUT)


def _search(photo: Path, reader, registry, watch, session, top: int) -> dict[str, Any]:
    from proctor.errors import ErrorCode, InputFileError
    from proctor.exam import catalog
    from proctor.identity.watchlist import labels

    try:
        data = photo.read_bytes()
    except OSError as exc:
        raise InputFileError(f"cannot read {photo}", code=ErrorCode.FILE_NOT_FOUND) from exc
    reading = reader.read(data)
    result: dict[str, Any] = {"photo": str(photo), "threshold": registry.threshold}
    if reading.embedding is None:
        return {**result, "decision": "no_face", "candidates": [], "watchlist": []}
    hits = registry.search(session, reading.embedding, limit=top)
    numbers = catalog.participant_numbers(session, [h.candidate_id for h in hits])
    found = [
        {"participant_number": numbers[h.candidate_id], "score": round(h.score, 6)}
        for h in hits
        if h.candidate_id in numbers
    ]
    matches = watch.search(session, reading.embedding)[:top]
    names = labels(session, [m.entry_id for m in matches])
    listed = [
        {
            "entry_id": str(m.entry_id),
            "label": names.get(m.entry_id, ""),
            "score": round(m.score, 6),
        }
        for m in matches
    ]
    decision = "identified" if found or listed else "unknown"
    return {**result, "decision": decision, "candidates": found, "watchlist": listed}


def _line(result: dict[str, Any]) -> str:
    if "error" in result:
        return f"{result['photo']}: error [{result['error']['code']}] {result['error']['message']}"
    found = [f"{c['participant_number']} ({c['score']:.3f})" for c in result["candidates"]]
    found += [f"WATCHLIST {w['label']} ({w['score']:.3f})" for w in result["watchlist"]]
    return f"{result['photo']}: {result['decision']}" + (f": {', '.join(found)}" if found else "")
