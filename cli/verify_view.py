"""How `proctor verify` shows its result."""

from __future__ import annotations

from typing import Any

from proctor.models.face_api import FaceAnalysis, Verification


def _photo(path: str, analysis: FaceAnalysis) -> dict[str, Any]:
    face = analysis.face
    return {
        "path": path,
        "face_found": face is not None,
        "detector_score": None if face is None else round(face.score, 4),
        "other_faces": len(analysis.other_faces),
        "quality": analysis.quality.to_dict(),
    }


def to_dict(result: Verification, first: str, second: str) -> dict[str, Any]:
    return {
        "engine": result.engine,
        "same_person": result.same_person,
        "score": round(result.score, 6),
        "threshold": round(result.threshold, 6),
        "faces_found": result.faces_found,
        "photos": [_photo(first, result.first), _photo(second, result.second)],
    }


def render_text(payload: dict[str, Any]) -> str:
    verdict = "SAME PERSON" if payload["same_person"] else "NOT THE SAME PERSON"
    if not payload["faces_found"]:
        verdict += " (a face was not found)"
    lines = [
        f"{verdict}",
        f"  engine {payload['engine']}: score {payload['score']:.4f}, "
        f"threshold {payload['threshold']:.4f} (match when score >= threshold)",
    ]
    for photo in payload["photos"]:
        quality = photo["quality"]
        state = "ok" if quality["acceptable"] else "REJECTED"
        lines.append(f"  {photo['path']}: quality {state}")
        for reason in quality["reasons"]:
            lines.append(
                f"    - [{reason['code']}/{reason['severity']}] "
                f"{reason['message_id']} / {reason['message_en']}"
            )
    return "\n".join(lines)
