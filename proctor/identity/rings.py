"""Joki rings: one proxy face across incidents, sessions and venues.

The live faces of every face_mismatch incident (kept by the proxy search) are compared with
each other; two incidents whose faces score at least the 1:N threshold are linked, and so are
incidents whose proxy search named the same enrolled candidate (a candidate's own registration
face appearing as the proxy elsewhere). A ring is a connected group: two or more incidents, or
one incident whose proxy is himself enrolled. Incidents dismissed as false alarms are left out.

Rings are derived on demand from what is stored, never kept: a new incident or a new decision
changes them at once, and there is nothing to fall out of step.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.faces.protocol import FaceEngine
from proctor.sealing.columns import INCIDENT_TEMPLATES
from proctor.store.evidence import Incident, IncidentEvidence, ProxySearch
from proctor.store.exam import Attempt, Candidate, ExamSession, Station, Venue
from proctor.store.identity import IncidentFace

LEFT_OUT = ("false_alarm",)


@dataclass(frozen=True)
class RingIncident:
    incident_id: uuid.UUID
    opened_at: datetime
    status: str
    candidate_id: uuid.UUID  # whom the proxy sat for
    participant_number: str
    venue_code: str
    venue_name: str
    station_code: str
    session_code: str
    faces: list[uuid.UUID]  # evidence ids of the incident's live faces, shown side by side


@dataclass(frozen=True)
class RingLink:
    incident_id: uuid.UUID
    other_incident_id: uuid.UUID
    score: float


@dataclass(frozen=True)
class EnrolledProxy:
    """An enrolled candidate whose registration face is the proxy's."""

    candidate_id: uuid.UUID
    participant_number: str
    incident_id: uuid.UUID
    score: float


@dataclass
class Ring:
    id: uuid.UUID  # its earliest incident's id: stable while that incident stays in it
    incidents: list[RingIncident]
    links: list[RingLink] = field(default_factory=list)
    enrolled: list[EnrolledProxy] = field(default_factory=list)

    @property
    def participant_numbers(self) -> list[str]:
        """The candidates the proxy sat for."""
        return sorted({i.participant_number for i in self.incidents})

    @property
    def venues(self) -> list[str]:
        return sorted({i.venue_code for i in self.incidents})

    @property
    def first_at(self) -> datetime:
        return min(i.opened_at for i in self.incidents)

    @property
    def last_at(self) -> datetime:
        return max(i.opened_at for i in self.incidents)


class _Groups:
    """Union-find over incident ids."""

    def __init__(self) -> None:
        self.parent: dict[uuid.UUID, uuid.UUID] = {}

    def find(self, a: uuid.UUID) -> uuid.UUID:
        self.parent.setdefault(a, a)
        while self.parent[a] != a:
            self.parent[a] = self.parent[self.parent[a]]
            a = self.parent[a]
        return a

    def join(self, a: uuid.UUID, b: uuid.UUID) -> None:
        self.parent[self.find(a)] = self.find(b)


def _faces(session: Session, engine: str) -> list[tuple[uuid.UUID, uuid.UUID, np.ndarray]]:
    """(incident, snapshot blob, template opened) of every live face of the rings' incidents."""
    query = (
        select(
            IncidentFace.id,
            IncidentFace.incident_id,
            IncidentFace.blob_id,
            IncidentFace.template,
            IncidentFace.template_key,
        )
        .join(Incident, Incident.id == IncidentFace.incident_id)
        .where(IncidentFace.engine == engine, Incident.status.not_in(LEFT_OUT))
        .order_by(IncidentFace.incident_id, IncidentFace.position)
    )
    opened = INCIDENT_TEMPLATES.open_template
    return [(a, b, opened(session, i, t, k)) for i, a, b, t, k in session.execute(query)]


def _face_links(engine: FaceEngine, faces: list, threshold: float) -> dict[tuple, float]:
    """The best score between the faces of each pair of incidents, where it is at least
    `threshold`. Every face against every other: incidents are thousands, not millions."""
    if len(faces) < 2:
        return {}
    owners = [f[0] for f in faces]
    gallery = np.stack([f[2] for f in faces])
    best: dict[tuple, float] = {}
    for i, probe in enumerate(gallery):
        scores = engine.compare_many(probe, gallery[i + 1 :])
        for offset in np.flatnonzero(scores >= threshold):
            a, b = owners[i], owners[i + 1 + int(offset)]
            if a == b:
                continue
            key = (a, b) if str(a) < str(b) else (b, a)
            best[key] = max(best.get(key, float("-inf")), float(scores[offset]))
    return best


def _enrolled(session: Session) -> list[tuple[uuid.UUID, dict]]:
    query = (
        select(ProxySearch.incident_id, ProxySearch.hits)
        .join(Incident, Incident.id == ProxySearch.incident_id)
        .where(Incident.status.not_in(LEFT_OUT))
    )
    return [(incident_id, hit) for incident_id, hits in session.execute(query) for hit in hits]


def _describe(session: Session, incident_ids: set[uuid.UUID]) -> dict[uuid.UUID, RingIncident]:
    if not incident_ids:
        return {}
    query = (
        select(
            Incident.id, Incident.opened_at, Incident.status, Candidate.id,
            Candidate.participant_number, Venue.code, Venue.name, Station.code, ExamSession.code,
        )
        .join(Attempt, Attempt.id == Incident.attempt_id)
        .join(Candidate, Candidate.id == Attempt.candidate_id)
        .join(Station, Station.id == Attempt.station_id)
        .join(Venue, Venue.id == Station.venue_id)
        .join(ExamSession, ExamSession.id == Attempt.session_id)
        .where(Incident.id.in_(list(incident_ids)))
    )  # fmt: skip
    faces: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for incident_id, evidence_id in session.execute(
        select(IncidentFace.incident_id, IncidentEvidence.id)
        .join(
            IncidentEvidence,
            (IncidentEvidence.incident_id == IncidentFace.incident_id)
            & (IncidentEvidence.blob_id == IncidentFace.blob_id),
        )
        .where(IncidentFace.incident_id.in_(list(incident_ids)))
        .order_by(IncidentFace.position)
    ):
        faces[incident_id].append(evidence_id)
    return {row[0]: RingIncident(*row, faces=faces[row[0]]) for row in session.execute(query)}


def find(session: Session, engine: FaceEngine, threshold: float) -> list[Ring]:
    """Every ring, the largest first (then the most recent)."""
    groups = _Groups()
    links = _face_links(engine, _faces(session, engine.name), threshold)
    for a, b in links:
        groups.join(a, b)
    enrolled_hits = _enrolled(session)
    by_candidate: dict[str, uuid.UUID] = {}
    for incident_id, hit in enrolled_hits:
        groups.find(incident_id)
        first = by_candidate.setdefault(hit["candidate_id"], incident_id)
        groups.join(incident_id, first)
    members: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for incident_id in list(groups.parent):
        members[groups.find(incident_id)].add(incident_id)
    named = {incident_id for incident_id, _ in enrolled_hits}
    wanted = [m for m in members.values() if len(m) > 1 or m & named]
    described = _describe(session, set().union(*wanted) if wanted else set())
    rings = []
    for group in wanted:
        incidents = sorted(
            (described[i] for i in group if i in described), key=lambda i: i.opened_at
        )
        if not incidents:
            continue
        rings.append(
            Ring(
                id=incidents[0].incident_id,
                incidents=incidents,
                links=[
                    RingLink(a, b, round(score, 6))
                    for (a, b), score in sorted(links.items(), key=lambda kv: -kv[1])
                    if a in group
                ],
                enrolled=_enrolled_of(group, enrolled_hits),
            )
        )
    return sorted(rings, key=lambda r: (-len(r.incidents), -r.last_at.timestamp()))


def _enrolled_of(group: set[uuid.UUID], hits: list) -> list[EnrolledProxy]:
    best: dict[str, EnrolledProxy] = {}
    for incident_id, hit in hits:
        if incident_id not in group:
            continue
        known = best.get(hit["candidate_id"])
        if known is None or hit["score"] > known.score:
            best[hit["candidate_id"]] = EnrolledProxy(
                uuid.UUID(hit["candidate_id"]), hit["participant_number"], incident_id, hit["score"]
            )
    return sorted(best.values(), key=lambda p: -p.score)


def of_incident(rings: list[Ring], incident_id: uuid.UUID) -> Ring | None:
    return next((r for r in rings if any(i.incident_id == incident_id for i in r.incidents)), None)
