"""Signed heads over the audit log's Merkle tree: the stored tree equals the tree of the
records, its proofs verify, and witnesses hold the log to account: a cut tail and a log rebuilt
and signed again with the stolen key are caught by any witness holding an earlier head; a key
hands over only in a recorded, signed rotation. On SQLite and PostgreSQL."""

from __future__ import annotations

import base64
import json
import random

import pytest
from nacl.signing import SigningKey
from sqlalchemy import select, text

from proctor.audit import chain, export, heads, proofs, trail, witness
from proctor.audit.hashing import hash_of
from proctor.audit.merkle import Tree, in_memory, verify_consistency, verify_inclusion
from proctor.audit.rotation import rotate
from proctor.audit.tree import answer, leaf_of
from proctor.store.audit import AuditRecord
from tests.support.sealing import sealed_sessions

KEY = SigningKey.generate()
PUBLIC = heads.public_key_of(KEY)


def add(db, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        trail.record(db, actor=f"proctor:{i}", action="attempt.paused", subject_type="attempt",
                     subject_id=f"a{i}", score=0.01 * i)  # fmt: skip
        db.commit()


def sign(db, key: SigningKey = KEY) -> dict | None:
    head = heads.sign_head(db, key)
    db.commit()
    return None if head is None else heads.head_dict(head)


def sql(db, statement: str, **params) -> None:
    db.execute(text(statement), params)
    db.commit()


def problem(db, against=None, key: str | None = PUBLIC) -> tuple | None:
    verdict = chain.verify(db, key, against)
    p = verdict.problem
    return None if p is None else (p.kind, p.tree_size)


def forget_heads(db) -> None:
    """What a forger with the database does after changing records: drop the tree and the
    heads that no longer fit, so that signing again makes a consistent log."""
    sql(db, "DELETE FROM audit_tree_nodes")
    sql(db, "DELETE FROM audit_checkpoints")


def test_the_stored_tree_is_the_tree_of_the_records_and_its_proofs_verify(db):
    rng = random.Random(5)
    sizes = []
    for _ in range(6):  # grown in uneven steps, as the signer's rounds grow it
        add(db, rng.randint(1, 9), start=sum(sizes))
        sizes.append(sign(db)["tree_size"] - sum(sizes))
    total = sum(sizes)
    hashes = db.scalars(select(AuditRecord.hash).order_by(AuditRecord.id)).all()
    assert total == len(hashes)
    memory = in_memory([leaf_of(h) for h in hashes])
    latest = heads.latest_head(db)
    assert latest.root_hash == memory.root().hex() == answer(db, total, Tree.root).hex()
    ids = db.scalars(select(AuditRecord.id).order_by(AuditRecord.id)).all()
    for _ in range(20):
        record = rng.choice(ids)
        size = rng.randint(ids.index(record) + 1, total)
        p = proofs.inclusion(db, record, size)
        assert verify_inclusion(
            bytes.fromhex(p["leaf_hash"]), p["leaf_index"], size,
            [bytes.fromhex(h) for h in p["proof"]], memory.root(size),
        )  # fmt: skip
        first = rng.randint(1, total)
        c = proofs.consistency(db, first)
        assert verify_consistency(
            first, total, memory.root(first), memory.root(),
            [bytes.fromhex(h) for h in c["proof"]],
        )  # fmt: skip
    assert sign(db) is None  # nothing new: no head


def test_proofs_refuse_sizes_the_log_has_not_signed(db):
    from proctor.errors import ErrorCode, NotFoundError, RejectedInputError

    with pytest.raises(NotFoundError):
        proofs.consistency(db, 1)
    add(db, 3)
    sign(db)
    for first, second in ((0, None), (4, None), (2, 1), (1, 9)):
        with pytest.raises(RejectedInputError) as caught:
            proofs.consistency(db, first, second)
        assert caught.value.code is ErrorCode.TREE_SIZE_INVALID
    with pytest.raises(NotFoundError):
        proofs.inclusion(db, 10_000)


def test_a_cut_tail_is_caught_by_a_witness_even_when_the_heads_are_cut_too(db):
    add(db, 6)
    kept = [sign(db)]  # a station's stream carried this head
    add(db, 2, start=6)
    kept.append(sign(db))
    assert problem(db, kept) is None and chain.verify(db, PUBLIC, kept).witnessed == 2
    last = db.scalars(select(AuditRecord.id).order_by(AuditRecord.id.desc()).limit(2)).all()
    sql(db, "DELETE FROM audit_records WHERE id >= :id", id=min(last))
    forget_heads(db)
    sign(db)  # the key sits with the service: the shorter log is signed anew
    assert problem(db) is None  # alone, the shorter log looks whole
    assert problem(db, kept) == ("truncated", 8)  # the witness's 8 records are not there
    assert problem(db, kept[:1]) is None  # a witness that saw only 6 records cannot tell


def test_a_log_rebuilt_and_signed_with_the_stolen_key_is_caught_by_an_earlier_head(db):
    add(db, 7)
    kept = [sign(db)]
    add(db, 3, start=7)
    sign(db)
    ids = db.scalars(select(AuditRecord.id).order_by(AuditRecord.id)).all()
    changed = db.get(AuditRecord, ids[2])
    changed.details = {**changed.details, "score": 0.99}
    previous = None
    for row in db.scalars(select(AuditRecord).where(AuditRecord.id >= ids[2]).order_by("id")):
        if previous is not None:
            row.prev_hash = previous
        row.hash = previous = hash_of(row)
    db.commit()
    forget_heads(db)
    sign(db)
    assert problem(db) is None  # a consistent chain, properly signed with the right key
    assert problem(db, kept) == ("forked", 7)
    # The same caught offline, from an export and the witness's file.
    assert export.verify_export(_exported(db), PUBLIC, kept).problem.kind == "forked"


def _exported(db, against=None):
    import tempfile
    from pathlib import Path

    folder = Path(tempfile.mkdtemp(prefix="proctor-audit-export-"))
    export.export(db, folder, against)
    return folder


def test_an_export_carries_consistency_proofs_for_a_witness(db):
    add(db, 5)
    kept = [sign(db)]
    add(db, 4, start=5)
    sign(db)
    folder = _exported(db, kept)
    data = json.loads((folder / "proofs.json").read_text())["proofs"]
    assert [(p["tree_size"], p["to_tree_size"]) for p in data] == [(5, 9)]
    assert export.verify_export(folder, PUBLIC, kept).ok
    data[0]["proof"][0] = "00" * 32
    (folder / "proofs.json").write_text(json.dumps({"proofs": data}))
    assert export.verify_export(folder, PUBLIC).problem.kind == "forked"


def test_a_witness_keeps_heads_that_extend_and_refuses_the_rest(db, tmp_path):
    store = tmp_path / "heads.json"

    def fetch(path: str) -> dict:
        if path == "/audit/head":
            return heads.head_dict(heads.latest_head(db))
        query = dict(part.split("=") for part in path.split("?")[1].split("&"))
        return proofs.consistency(db, int(query["first"]), int(query["second"]))

    add(db, 4)
    sign(db)
    assert witness.witness(store, fetch).new
    assert not witness.witness(store, fetch).new  # nothing new: nothing added
    add(db, 5, start=4)
    sign(db)
    seen = witness.witness(store, fetch)
    assert seen.ok and seen.new and len(witness.load_heads(store)) == 2
    # A rebuilt log of the same records' count and more: refused, the store unchanged.
    sql(db, "UPDATE audit_records SET actor = 'x' WHERE id = (SELECT MIN(id) FROM audit_records)")
    rows = db.scalars(select(AuditRecord).order_by(AuditRecord.id)).all()
    previous = None
    for row in rows:
        if previous is not None:
            row.prev_hash = previous
        row.hash = previous = hash_of(row)
    db.commit()
    forget_heads(db)
    add(db, 1, start=9)
    sign(db)
    seen = witness.witness(store, fetch)
    assert not seen.ok and "does not extend" in seen.message
    assert len(witness.load_heads(store)) == 2
    assert problem(db, witness.load_heads(store)) == ("forked", 4)


def test_key_rotation_is_a_signed_event_and_the_old_key_is_refused_after_it(db):
    new = SigningKey.generate()
    add(db, 3)
    sign(db)
    rotate(db, KEY, new, actor="admin:x")
    db.commit()
    add(db, 2, start=3)
    sign(db, new)
    assert problem(db) is None  # pinned to the old key: the hand-over introduces the new one
    record = db.scalar(select(AuditRecord).where(AuditRecord.action == "audit.key_rotated"))
    assert record.details == {"from_key": PUBLIC, "to_key": heads.public_key_of(new)}
    add(db, 1, start=5)
    sign(db)  # the old (perhaps stolen) key signs after the hand-over
    assert problem(db)[0] == "wrong_key"
    # An export carries the hand-over and verifies elsewhere.
    add(db, 1, start=6)
    sign(db, new)
    assert problem(db) is None
    assert export.verify_export(_exported(db), PUBLIC).ok


def test_a_key_never_handed_over_is_refused(db):
    add(db, 2)
    sign(db)
    intruder = SigningKey.generate()
    trail.record(db, actor="x", action="audit.key_rotated", subject_type="audit_key",
                 subject_id="k", from_key=PUBLIC, to_key=heads.public_key_of(intruder))  # fmt: skip
    db.commit()
    sign(db, intruder)  # no head of the old key covers the claimed hand-over
    assert problem(db)[0] == "wrong_key"
    assert problem(db, key=None) is None  # unpinned: any valid signature counts
    assert problem(db, key=base64.b64encode(b"\1" * 32).decode())[0] == "wrong_key"


def test_one_process_signs_at_a_time(db):

    if db.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite is served by one process")
    add(db, 2)
    sessions = sealed_sessions(db.get_bind())
    with sessions() as first, sessions() as second:
        assert heads.sign_head(first, KEY) is not None  # holds the signer's lock to commit
        assert heads.sign_head(second, KEY) is None
        second.rollback()
        first.commit()
    assert sign(db) is None and heads.latest_head(db).tree_size == 2


def test_a_log_older_than_the_tree_is_caught_up_a_part_per_round(db, monkeypatch):
    from proctor.audit import tree

    monkeypatch.setattr(tree, "CHUNK", 2)  # records read at a time
    add(db, 7)
    sizes = []
    while (head := heads.sign_head(db, KEY, limit=3)) is not None:
        db.commit()
        sizes.append(head.tree_size)
    assert sizes == [4, 7]  # whole chunks until the limit is reached, then the rest
    assert problem(db) is None


def test_a_round_signs_only_when_records_were_added(db):
    from proctor.api.chain_watch import sign_new

    sessions = sealed_sessions(db.get_bind())
    assert not heads.unsigned(db) and not sign_new(sessions, KEY)  # an empty log
    add(db, 2)
    assert heads.unsigned(db) and sign_new(sessions, KEY)
    db.expire_all()
    assert not heads.unsigned(db) and not sign_new(sessions, KEY)
    assert heads.latest_head(db).tree_size == 2


def test_a_round_never_waits_for_a_connection_while_it_holds_the_stations_turn(
    migrated, monkeypatch
):
    """Stations queue for the write turn holding their request's connection; a round that took
    the turn first and then waited for a connection would wait on them as they wait on it. With
    one connection in the pool: a station holds it and then asks for the turn; the round must
    let it through and sign after it."""
    import threading
    import time

    from proctor.api import chain_watch
    from proctor.store.database import make_engine

    engine = make_engine(migrated, pool_size=1, max_overflow=0, pool_timeout=5)
    sessions = sealed_sessions(engine)
    with sessions() as session:
        add(session, 2)
        session.commit()
    turn, holding, go, done = threading.Lock(), threading.Event(), threading.Event(), []

    def station() -> None:
        with sessions() as session:
            session.connection()  # as a station's request, authenticated on its session
            holding.set()
            go.wait(10)
            with turn:
                done.append("station")

    def round_() -> None:
        try:
            done.append(chain_watch.sign_new(sessions, KEY, turn))
        except Exception as exc:  # the pool's timeout: the two waited on each other
            done.append(type(exc).__name__)

    monkeypatch.setattr(chain_watch, "unsigned", lambda _session: True)
    first = threading.Thread(target=station)
    first.start()
    holding.wait(10)
    second = threading.Thread(target=round_)
    second.start()
    time.sleep(0.3)  # the round reaches its wait (an earlier go only lets a broken round pass)
    go.set()
    first.join(15)
    second.join(15)
    engine.dispose()
    assert done == ["station", True]
