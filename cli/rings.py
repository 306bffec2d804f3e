"""`proctor rings`: the joki rings, with their incidents, candidates, venues and dates."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer

from proctor.cli.service import DatabaseOption, settings_for


def rings(
    engine: Annotated[
        str | None, typer.Option("--engine", "-e", help="Face engine; default: PROCTOR_ENGINE.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per ring.")] = False,
    database_url: DatabaseOption = None,
) -> None:
    """Every ring of one proxy face across incidents, the largest first. Loads the engine for
    its own similarity measure; the faces compared were embedded when each incident was
    searched."""
    from proctor.identity import rings as ring_search
    from proctor.models.cards import required_identification_threshold
    from proctor.models.registry import create_engine
    from proctor.sealing.upkeep import sealing_sessions
    from proctor.store.database import make_engine

    settings = settings_for(database_url)
    face_engine = create_engine(engine or settings.engine)
    threshold = required_identification_threshold(face_engine.name)
    db = make_engine(settings.resolved_database_url())
    try:
        with sealing_sessions(db, settings)() as session:
            found = ring_search.find(session, face_engine, threshold)
    finally:
        db.dispose()
    for ring in found:
        row = _row(ring, threshold)
        typer.echo(json.dumps(row, ensure_ascii=False) if as_json else _text(row))
    if not found and not as_json:
        typer.echo("no rings")


def _row(ring, threshold: float) -> dict[str, Any]:
    return {
        "id": str(ring.id),
        "threshold": threshold,
        "participant_numbers": ring.participant_numbers,
        "venues": ring.venues,
        "first_at": ring.first_at.isoformat(),
        "last_at": ring.last_at.isoformat(),
        "incidents": [
            {
                "incident_id": str(i.incident_id),
                "opened_at": i.opened_at.isoformat(),
                "status": i.status,
                "participant_number": i.participant_number,
                "venue": i.venue_code,
                "station": i.station_code,
                "session": i.session_code,
            }
            for i in ring.incidents
        ],
        "links": [
            {
                "incident_id": str(k.incident_id),
                "other_incident_id": str(k.other_incident_id),
                "score": k.score,
            }
            for k in ring.links
        ],
        "enrolled": [
            {
                "participant_number": p.participant_number,
                "incident_id": str(p.incident_id),
                "score": p.score,
            }
            for p in ring.enrolled
        ],
    }


def _text(row: dict[str, Any]) -> str:
    enrolled = ", ".join(p["participant_number"] for p in row["enrolled"]) or "none"
    return (
        f"ring {row['id']}: {len(row['incidents'])} incident(s) "
        f"{row['first_at'][:10]}..{row['last_at'][:10]}; sat for "
        f"{', '.join(row['participant_numbers'])}; venues {', '.join(row['venues'])}; "
        f"proxy enrolled as {enrolled}"
    )
