"""The audit log exported for the committee to verify elsewhere, without the database:
`records.jsonl` (every record), `checkpoint.json` (the latest signed head), `heads.json` (the
heads that hand one signing key over to the next, and the latest) and, for the heads of a
witness, `proofs.json`: the consistency proof from each of them to the latest head."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.audit.chain import judge, stored_records
from proctor.audit.findings import Problem, Verdict
from proctor.audit.heads import head_dict, latest_head
from proctor.audit.merkle import verify_consistency
from proctor.audit.rotation import KEY_ROTATED, handover_from
from proctor.audit.tree import answer, position_of
from proctor.store.audit import AuditCheckpoint, AuditRecord


def _handover_heads(session: Session) -> list[dict[str, Any]]:
    heads = []
    for record_id in session.scalars(
        select(AuditRecord.id).where(AuditRecord.action == KEY_ROTATED).order_by(AuditRecord.id)
    ):
        position = position_of(session, record_id)
        if position is None:
            continue
        heads += [
            head_dict(h)
            for h in session.scalars(
                select(AuditCheckpoint).where(AuditCheckpoint.tree_size == position + 1)
            )
        ]
    return heads


def consistency_proofs(
    session: Session, latest: AuditCheckpoint, heads: list[dict[str, Any]]
) -> list[dict[str, Any]]:
    """From each head (a witness's) to `latest`, out of the stored tree."""
    size = latest.tree_size or 0
    proofs = []
    for head in heads:
        first = head.get("tree_size")
        if not isinstance(first, int) or not 0 < first <= size:
            continue  # nothing to prove: the check names it
        proof = answer(session, size, lambda tree, first=first: tree.consistency(first))
        proofs.append({
            "tree_size": first, "root_hash": head.get("root_hash"), "to_tree_size": size,
            "proof": [h.hex() for h in proof],
        })  # fmt: skip
    return proofs


def export(
    session: Session, folder: Path, against: list[dict[str, Any]] | None = None
) -> tuple[int, int | None]:
    folder.mkdir(parents=True, exist_ok=True)
    count = 0
    with (folder / "records.jsonl").open("w", encoding="utf-8") as out:
        for row in stored_records(session):
            out.write(json.dumps(row, ensure_ascii=False) + "\n")
            count += 1
    latest = latest_head(session)
    if latest is None:
        return count, None
    (folder / "checkpoint.json").write_text(json.dumps(head_dict(latest), indent=2))
    heads = [*_handover_heads(session), head_dict(latest)]
    (folder / "heads.json").write_text(json.dumps({"heads": heads}, indent=2))
    if against and latest.tree_size:
        proofs = consistency_proofs(session, latest, against)
        (folder / "proofs.json").write_text(json.dumps({"proofs": proofs}, indent=2))
    return count, latest.id


def _json(path: Path, default: Any) -> Any:
    return json.loads(path.read_text()) if path.is_file() else default


def _check_proofs(proofs: list[dict[str, Any]], latest: dict[str, Any]) -> Problem | None:
    for p in proofs:
        try:
            ok = verify_consistency(
                int(p["tree_size"]), int(latest["tree_size"]), bytes.fromhex(p["root_hash"]),
                bytes.fromhex(latest["root_hash"]), [bytes.fromhex(h) for h in p["proof"]],
            )  # fmt: skip
        except (KeyError, TypeError, ValueError):
            ok = False
        if not ok:
            return Problem(
                None, "forked", f"the consistency proof from the head of {p.get('tree_size')} "
                "records to the latest head does not verify", p.get("tree_size"),
            )  # fmt: skip
    return None


def verify_export(
    folder: Path, trusted_key: str | None = None, against: list[dict[str, Any]] | None = None
) -> Verdict:
    """Check an export without the database (what the committee runs elsewhere)."""
    latest = _json(folder / "checkpoint.json", None)
    heads = _json(folder / "heads.json", {}).get("heads", [])

    def records() -> Iterator[dict[str, Any]]:
        with (folder / "records.jsonl").open(encoding="utf-8") as lines:
            yield from (json.loads(line) for line in lines if line.strip())

    verdict = judge(records, latest, against or [], trusted_key, handover_from(heads))
    proofs = _json(folder / "proofs.json", {}).get("proofs", [])
    if verdict.ok and proofs and latest is not None:
        problem = _check_proofs(proofs, latest)
        if problem is not None:
            return Verdict(verdict.records, problem, verdict.checkpoint_id, verdict.witnessed)
    return verdict
