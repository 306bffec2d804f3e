"""Who plays in the demo: candidates whose photos enrol and match clearly, and their proxy.

Photos come from a folder with one sub-folder per person (LFW's `images/` layout is found
too). A candidate needs four photos: two to enrol, one for the check-in desk, and one that
the station's clip is made of.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from proctor.cameras.sources import IMAGE_SUFFIXES
from proctor.errors import ErrorCode, InputFileError, InputImageError
from proctor.faces.photos import PhotoReader, PhotoReading
from proctor.faces.protocol import FaceEngine, choose_candidate
from proctor.models.fused import template_for
from proctor.models.imaging import load_image

PHOTOS_NEEDED = 4
# The station's score of the clip's photo must clear the threshold by this much, so that the
# clip's lighting drift and blur do not pause an honest candidate.
MARGIN = 0.12


@dataclass(frozen=True)
class Member:
    identity: str
    registration: tuple[Path, Path]
    check_in: Path
    shown: Path  # the photo the station's clip is made of

    @property
    def name(self) -> str:
        return self.identity.replace("_", " ")


def photo_root(folder: Path) -> Path:
    """The folder holding one sub-folder per person: `folder`, or LFW's `folder/images`."""
    return folder / "images" if (folder / "images").is_dir() else folder


def people_in(folder: Path) -> dict[str, list[Path]]:
    """identity -> photos, from one sub-folder per person."""
    if not folder.is_dir():
        raise InputFileError(f"{folder} is not a folder", code=ErrorCode.FILE_NOT_FOUND)
    people = {}
    for sub in sorted(p for p in folder.iterdir() if p.is_dir()):
        photos = sorted(p for p in sub.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES)
        if photos:
            people[sub.name] = photos
    return people


def choose_cast(
    people: dict[str, list[Path]],
    reader: PhotoReader,
    station: FaceEngine,
    count: int,
    *,
    seed: int = 7,
) -> tuple[list[Member], Path]:
    """`count` candidates and the photo of a proxy who resembles none of them."""
    rng = np.random.default_rng(seed)
    order = [identity for identity, photos in people.items() if len(photos) >= PHOTOS_NEEDED]
    rng.shuffle(order)
    cast: list[Member] = []
    templates: list[np.ndarray] = []
    for identity in order:
        audition = _audition(identity, people[identity], reader, station)
        if audition is not None:
            cast.append(audition[0])
            templates.append(audition[1])
            if len(cast) == count:
                break
    if len(cast) < count:
        raise InputFileError(
            f"only {len(cast)} of the {count} people needed have {PHOTOS_NEEDED} photos that "
            "enrol and match clearly; give a folder with more people",
            code=ErrorCode.CANDIDATES_FILE_INVALID,
        )
    everyone = np.concatenate(templates)
    chosen = {m.identity for m in cast}
    for identity in order:
        if identity in chosen:
            continue
        for photo in people[identity]:
            score = _station_score(station, photo, everyone)
            if score is not None and score < station.threshold - MARGIN:
                return cast, photo
    raise InputFileError(
        "no proxy photo found among the remaining people", code=ErrorCode.CANDIDATES_FILE_INVALID
    )


def _audition(
    identity: str, photos: list[Path], reader: PhotoReader, station: FaceEngine
) -> tuple[Member, np.ndarray] | None:
    """The member and the templates their station will fetch, if their photos will do."""
    readings = [_read(reader, p) for p in photos[:PHOTOS_NEEDED]]
    embeddings = [r.embedding for r in readings if r is not None and r.quality.acceptable]
    if len(embeddings) < PHOTOS_NEEDED or any(e is None for e in embeddings):
        return None
    registered = np.stack(embeddings[:2])
    if reader.engine.compare_many(embeddings[2], registered).max() < reader.engine.threshold:
        return None
    station_templates = [template_for(t, reader.engine.name, station.name) for t in registered]
    if any(t is None for t in station_templates):
        return None
    member = Member(identity, (photos[0], photos[1]), photos[2], photos[3])
    score = _station_score(station, member.shown, np.stack(station_templates))
    if score is None or score < station.threshold + MARGIN:
        return None
    return member, np.stack(station_templates)


def _read(reader: PhotoReader, path: Path) -> PhotoReading | None:
    try:
        return reader.read(path.read_bytes())
    except InputImageError:
        return None


def _station_score(station: FaceEngine, photo: Path, templates: np.ndarray) -> float | None:
    try:
        image = load_image(photo)
    except InputImageError:
        return None
    face, _ = choose_candidate(station.detect(image), image.shape[1], image.shape[0])
    if face is None:
        return None
    return float(station.compare_many(station.embed(image, face), templates).max())
