"""The registry's index on disk: a process loads it instead of rebuilding, the database still
decides what it holds, and a corrupt, cut-short or foreign file is rebuilt from the database."""

from __future__ import annotations

import json
import logging

import numpy as np
import pytest
from sqlalchemy import delete

from proctor.identity import index_store
from proctor.identity.registry import Registry
from proctor.identity.vectors import VectorIndex
from proctor.sealing.envelope import Keyring
from proctor.sealing.master_key import new_key
from proctor.store.exam import RegistrationPhoto
from tests.conftest import FakeEngine
from tests.proctor.identity.test_registry import enrol, unit
from tests.support.sealing import KEYRING


def found(registry: Registry, db, probe) -> list:
    return [h.candidate_id for h in registry.search(db, probe, threshold=0.9)]


def store_in(folder) -> index_store.IndexStore:
    return index_store.IndexStore(folder, KEYRING)


def test_a_saved_index_is_loaded_then_reconciled_with_the_database(db, tmp_path):
    ana, _ = enrol(db, "A", unit(1, 0, 0))
    _, budi_photos = enrol(db, "B", unit(0, 1, 0))
    db.commit()
    first = Registry(FakeEngine(), 0.9, store=store_in(tmp_path))
    assert found(first, db, unit(1, 0, 0)) == [ana.id]
    assert first.save() is True and first.save() is False  # nothing new to write
    snapshot = index_store.load(store_in(tmp_path), "fake", ann_from=20_000)
    assert snapshot is not None and len(snapshot.keys) == 2

    # Meanwhile another process enrols C and removes B's photo.
    cita, _ = enrol(db, "C", unit(0, 0, 1))
    db.execute(delete(RegistrationPhoto).where(RegistrationPhoto.id == budi_photos[0].id))
    db.commit()
    second = Registry(FakeEngine(), 0.9, store=store_in(tmp_path))
    assert found(second, db, unit(0, 0, 1)) == [cita.id]
    assert found(second, db, unit(0, 1, 0)) == []
    assert found(second, db, unit(1, 0, 0)) == [ana.id]
    assert len(second) == 2
    assert second.save() is True  # the reconciled index replaces the old one
    assert len(index_store.load(store_in(tmp_path), "fake", ann_from=20_000).keys) == 2


@pytest.mark.parametrize(
    "damage",
    ["flip_index", "cut_ids", "no_recent", "no_manifest", "bad_manifest", "other_engine"],
)
def test_a_damaged_index_file_is_rebuilt_from_the_database(db, tmp_path, caplog, damage):
    ana, _ = enrol(db, "A", unit(1, 0, 0))
    db.commit()
    registry = Registry(FakeEngine(), 0.9, store=store_in(tmp_path))
    found(registry, db, unit(1, 0, 0))
    registry.save()
    if damage == "flip_index":
        data = bytearray((tmp_path / index_store.INDEX).read_bytes())
        data[len(data) // 2] ^= 0xFF
        (tmp_path / index_store.INDEX).write_bytes(bytes(data))
    elif damage == "cut_ids":
        data = (tmp_path / index_store.IDS).read_bytes()
        (tmp_path / index_store.IDS).write_bytes(data[: len(data) // 2])
    elif damage == "no_recent":
        (tmp_path / index_store.RECENT).unlink()
    elif damage == "no_manifest":
        (tmp_path / index_store.MANIFEST).unlink()
    elif damage == "bad_manifest":
        (tmp_path / index_store.MANIFEST).write_text("{not json")
    else:
        manifest = json.loads((tmp_path / index_store.MANIFEST).read_text())
        (tmp_path / index_store.MANIFEST).write_text(json.dumps({**manifest, "engine": "sface"}))
    with caplog.at_level(logging.WARNING, logger="proctor.identity.index_store"):
        assert index_store.load(store_in(tmp_path), "fake", ann_from=20_000) is None
    if damage != "no_manifest":
        assert "rebuilding" in caplog.text
    rebuilt = Registry(FakeEngine(), 0.9, store=store_in(tmp_path))
    assert found(rebuilt, db, unit(1, 0, 0)) == [ana.id]  # from the database
    assert rebuilt.save() is True
    assert index_store.load(store_in(tmp_path), "fake", ann_from=20_000) is not None


def test_a_graph_index_and_its_recent_vectors_round_trip_through_their_files(tmp_path):
    rng = np.random.default_rng(7)
    vectors = rng.normal(size=(330, 16)).astype(np.float32)
    index = VectorIndex(16, ann_from=100)
    index.add(np.arange(300), vectors[:300])
    index.add(np.arange(300, 330), vectors[300:])  # beside the graph, searched exactly
    index.remove(np.array([5, 310]))
    assert not index.exact and index.recent == 29
    graph, recent = index.dump()
    again = VectorIndex.restore(graph, 16, exact=False, recent=recent, ann_from=100)
    assert len(again) == len(index) == 328 and again.recent == 29
    for probe in vectors[[1, 50, 200, 320]]:
        assert again.search(probe, 5)[0].tolist() == index.search(probe, 5)[0].tolist()
    assert again.search(vectors[320], 1)[0].tolist() == [320]
    assert 5 not in again.search(vectors[5], 10)[0].tolist()
    assert 310 not in again.search(vectors[310], 10)[0].tolist()
    with pytest.raises(ValueError):
        VectorIndex.restore(graph, 32, exact=False)  # another dimension


def test_the_saved_templates_are_sealed_and_a_plain_older_store_is_rebuilt(db, tmp_path):
    face = unit(0.3, 0.5, 0.81)
    enrol(db, "A", face)
    db.commit()
    first = Registry(FakeEngine(), 0.9, store=store_in(tmp_path))
    first.sync(db, force=True)
    assert first.save() is True
    on_disk = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    assert np.asarray(face, "<f4").tobytes() not in on_disk  # no template in the clear
    other_key = index_store.IndexStore(tmp_path, Keyring(new_key()))
    assert index_store.load(other_key, "fake", ann_from=20_000) is None  # another deployment's
    manifest = json.loads((tmp_path / index_store.MANIFEST).read_text())
    (tmp_path / index_store.MANIFEST).write_text(json.dumps({**manifest, "format": 2}))
    assert index_store.load(store_in(tmp_path), "fake", ann_from=20_000) is None  # plain: rebuilt
