"""The sealed data across the service's life: rows stored before sealing are sealed at the next
start (nothing left in the clear, even in SQLite's free pages), a wrong master key stops the
start, and a rotation re-wraps every data key without rewriting an image."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from typer.testing import CliRunner

from proctor.api.app import create_app
from proctor.cli.main import app as cli
from proctor.errors import ConfigError
from proctor.sealing.envelope import key_id, wrapped_by
from proctor.sealing.master_key import new_key, write_key_file
from proctor.store.audit import AuditRecord
from proctor.store.database import make_engine
from proctor.store.exam import Blob, RegistrationPhoto
from tests.api.test_sealed_at_rest import shown
from tests.support.dump import database_dump
from tests.support.sealing import sealed_sessions
from tests.support.world import RED, FakeReader, colour_photo, service_settings


def photo_url(world) -> str:
    admin = world.as_("admin")
    photos = world.client.get(f"/api/v1/candidates/{world.candidate_id}/photos", headers=admin)
    return f"/api/v1/candidates/{world.candidate_id}/photos/{photos.json()[0]['id']}/image"


def start(settings) -> None:
    with TestClient(create_app(settings, reader=FakeReader())):
        pass


def served(client: TestClient, world, url: str) -> bytes:
    response = client.get(url, headers=world.as_("admin"))
    assert response.status_code == 200, response.text
    return response.content


def test_rows_stored_before_sealing_are_sealed_at_the_next_start(world, migrated, tmp_path):
    plain = colour_photo(RED)
    template = bytes(range(12))  # a 3-value template, as the fake engine's
    engine = make_engine(migrated)
    sessions = sealed_sessions(engine)
    with sessions() as db:  # as an older version stored them
        photo = db.scalars(select(RegistrationPhoto)).one()
        db.execute(update(Blob).where(Blob.id == photo.blob_id).values(data=plain, sealed_key=None))
        db.execute(
            update(RegistrationPhoto)
            .where(RegistrationPhoto.id == photo.id)
            .values(template=template, template_key=None)
        )
        db.commit()
    url = photo_url(world)
    assert world.client.get(url, headers=world.as_("admin")).status_code == 503  # never as plain

    with TestClient(create_app(service_settings(migrated, tmp_path), reader=FakeReader())) as c:
        assert served(c, world, url) == plain
    with sessions() as db:
        blob = db.get(Blob, photo.blob_id)
        assert blob.sealed_key is not None and blob.data != plain
        assert db.get(RegistrationPhoto, photo.id).template_key is not None
        sealed = db.scalars(select(AuditRecord).where(AuditRecord.action == "data.sealed")).all()
        assert sorted(r.subject_id for r in sealed) == ["blobs", "registration_photos"]
        assert all(r.details["rows"] == 1 for r in sealed)
        dump = database_dump(db, migrated)
    engine.dispose()
    assert not shown(dump, plain) and not shown(dump, template)


def test_a_wrong_master_key_stops_the_start(world, migrated, tmp_path):
    wrong = base64.b64encode(new_key()).decode()
    with pytest.raises(ConfigError, match="does not open the data stored in blobs"):
        start(service_settings(migrated, tmp_path, data_key=wrong))


def test_a_rotation_rewraps_every_data_key_and_leaves_the_images(
    world, migrated, tmp_path, monkeypatch
):
    url = photo_url(world)
    before = served(world.client, world, url)
    engine = make_engine(migrated)
    sessions = sealed_sessions(engine)
    with sessions() as db:
        ciphertexts = dict(db.execute(select(Blob.id, Blob.data)).all())
    new = new_key()
    write_key_file(tmp_path / "keys" / "new.key", new)
    monkeypatch.setenv("PROCTOR_DATABASE_URL", migrated)
    monkeypatch.setenv("PROCTOR_DATA_DIR", str(tmp_path / "data"))
    result = CliRunner().invoke(
        cli, ["data-key", "rotate", "--new-key-file", str(tmp_path / "keys" / "new.key")]
    )
    assert result.exit_code == 0, result.output
    assert f"every data key is now wrapped by {key_id(new).hex()}" in result.output
    assert "set PROCTOR_DATA_KEY to the new key" in result.output  # it was given in the env

    with sessions() as db:
        assert dict(db.execute(select(Blob.id, Blob.data)).all()) == ciphertexts  # untouched
        keys = db.scalars(select(Blob.sealed_key)).all()
        assert keys and {wrapped_by(k) for k in keys} == {key_id(new)}
        record = db.scalars(
            select(AuditRecord).where(
                AuditRecord.action == "data.key_rewrapped", AuditRecord.subject_id == "blobs"
            )
        ).one()
        assert record.details == {"rows": len(keys), "key_id": key_id(new).hex()}
    engine.dispose()

    as_new = service_settings(migrated, tmp_path, data_key=base64.b64encode(new).decode())
    with TestClient(create_app(as_new, reader=FakeReader())) as client:
        assert served(client, world, url) == before
    with pytest.raises(ConfigError, match="does not open"):
        start(service_settings(migrated, tmp_path))  # the old key no longer opens anything
