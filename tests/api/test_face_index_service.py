"""The service keeps the registry's face index in its data folder: built at start, saved at
shutdown, loaded at the next start; a damaged copy is rebuilt from the database."""

from __future__ import annotations

from fastapi.testclient import TestClient

from proctor.api.app import create_app
from proctor.identity import index_store
from tests.support.helpers import enrol_candidate
from tests.support.sealing import KEYRING
from tests.support.world import RED, FakeReader, build_world, colour_photo, service_settings


def test_the_index_is_saved_at_shutdown_and_a_damaged_copy_rebuilt(migrated, tmp_path):
    settings = service_settings(migrated, tmp_path, index_save_seconds=60)
    folder = tmp_path / "face-index" / "fake"
    with TestClient(create_app(settings, reader=FakeReader())) as client:
        world = build_world(client, migrated, colour_photo(RED))
    saved = index_store.load(index_store.IndexStore(folder, KEYRING), "fake", ann_from=20_000)
    assert saved is not None and len(saved.keys) == 1

    (folder / index_store.INDEX).write_bytes(b"\x00" * 64)  # a disk fault
    with TestClient(create_app(settings, reader=FakeReader())) as client:
        world.client = client
        # The same face under a second number is still found: the index came from the database.
        assert enrol_candidate(world, "2026000002", RED)[1] == ["2026000001"]
    again = index_store.load(index_store.IndexStore(folder, KEYRING), "fake", ann_from=20_000)
    assert again is not None and len(again.keys) == 2
