"""The station outbox keeps observations, numbered once, until the server acknowledges them."""

from __future__ import annotations

from proctor.cameras.outbox import Outbox


def test_numbers_survive_a_restart_and_only_acknowledged_observations_leave(tmp_path):
    path = tmp_path / "outbox.db"
    box = Outbox(path)
    assert [box.add("a1", {"face_count": 1, "score": 0.8}) for _ in range(3)] == [0, 1, 2]
    ((attempt, batch),) = box.pending(limit=10)
    assert attempt == "a1" and [o["seq"] for o in batch] == [0, 1, 2]
    box.acknowledge([0, 1])
    box.close()

    reopened = Outbox(path)  # the agent restarted
    assert len(reopened) == 1
    assert reopened.add("a2", {"face_count": 0, "score": None}) == 3
    batches = reopened.pending(limit=10)
    assert [(a, [o["seq"] for o in b]) for a, b in batches] == [("a1", [2]), ("a2", [3])]
    assert batches[0][1][0]["score"] == 0.8
    reopened.close()


def test_pending_is_oldest_first_and_bounded(tmp_path):
    box = Outbox(tmp_path / "o.db")
    for _ in range(5):
        box.add("a", {"face_count": 1})
    ((_, batch),) = box.pending(limit=2)
    assert [o["seq"] for o in batch] == [0, 1]
    box.close()


def test_signed_heads_are_kept_once_each_across_restarts_and_bounded(tmp_path, monkeypatch):
    from proctor.cameras import outbox

    monkeypatch.setattr(outbox, "KEPT_HEADS", 3)
    path = tmp_path / "o.db"
    box = Outbox(path)

    def head(size: int, root: str = "ab") -> dict:
        return {"tree_size": size, "root_hash": root * 32, "signature": "s", "at": "t"}

    assert box.keep_head(head(5)) and not box.keep_head(head(5))  # the same head, once
    assert box.keep_head(head(5, "cd"))  # another root for the same size: a fork, kept
    assert not box.keep_head({"tree_size": "5"}) and not box.keep_head({})
    box.close()
    reopened = Outbox(path)
    for size in (6, 7):
        reopened.keep_head(head(size))
    kept = reopened.heads()  # the newest three, smallest first
    assert [(h["tree_size"], h["root_hash"][:2]) for h in kept][-2:] == [(6, "ab"), (7, "ab")]
    assert len(kept) == 3 and kept[0]["tree_size"] == 5
    reopened.close()
