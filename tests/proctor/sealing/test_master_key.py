"""Where the data master key comes from: the environment or a key file kept apart from the
data; a missing, malformed or misplaced key is a clear error, never a fall-back to plain text."""

from __future__ import annotations

import base64
import os

import pytest

from proctor.errors import ConfigError
from proctor.keys import config_folder
from proctor.sealing.envelope import key_id
from proctor.sealing.master_key import data_keyring, new_key, write_key_file
from proctor.settings import Settings

PG = "postgresql+psycopg://nobody@127.0.0.1:1/none"


@pytest.fixture(autouse=True)
def no_key_in_the_environment(monkeypatch, tmp_path):
    monkeypatch.delenv("PROCTOR_DATA_KEY", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


def settings(tmp_path, **values) -> Settings:
    return Settings(data_dir=tmp_path / "data", **values)


def test_sqlite_makes_its_key_once_in_the_users_configuration_folder(tmp_path):
    first = data_keyring(settings(tmp_path))
    path = config_folder() / "data.key"
    assert path.is_file() and path.stat().st_mode & 0o777 == 0o600
    assert data_keyring(settings(tmp_path)).current == first.current  # made once, then read
    data = tmp_path / "data"
    assert not data.exists() or "data.key" not in os.listdir(data)


def test_postgresql_needs_a_key_set_by_hand(tmp_path):
    with pytest.raises(ConfigError, match="PROCTOR_DATA_KEY"):
        data_keyring(settings(tmp_path, database_url=PG))
    key = new_key()
    given = data_keyring(
        settings(tmp_path, database_url=PG, data_key=base64.b64encode(key).decode())
    )
    assert given.current == key
    with pytest.raises(ConfigError, match="does not exist"):
        data_keyring(settings(tmp_path, database_url=PG, data_key_file=tmp_path / "none.key"))


def test_a_malformed_key_is_refused(tmp_path):
    for text, message in (("not base64!", "not base64"), (base64.b64encode(b"x" * 16), "16")):
        value = text if isinstance(text, str) else text.decode()
        with pytest.raises(ConfigError, match=message):
            data_keyring(settings(tmp_path, data_key=value))


def test_a_key_file_in_the_data_folder_or_readable_by_others_is_refused(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    inside = data / "keys" / "master.key"
    write_key_file(inside, new_key())
    with pytest.raises(ConfigError, match="must not be inside the data folder"):
        data_keyring(settings(tmp_path, data_key_file=inside))
    write_key_file(data / "data.key", new_key())  # where an early layout might have left it
    with pytest.raises(ConfigError, match="sits in the data folder"):
        data_keyring(settings(tmp_path))
    (data / "data.key").unlink()
    loose = tmp_path / "loose.key"
    write_key_file(loose, new_key())
    loose.chmod(0o644)
    with pytest.raises(ConfigError, match="readable by other users"):
        data_keyring(settings(tmp_path, data_key_file=loose))


def test_the_previous_key_is_kept_for_opening_during_a_rotation(tmp_path):
    old, new = new_key(), new_key()
    previous = tmp_path / "previous.key"
    write_key_file(previous, old)
    keyring = data_keyring(
        settings(tmp_path, data_key=base64.b64encode(new).decode(), data_previous_key_file=previous)
    )
    assert keyring.current == new and keyring.master(key_id(old)) == old
