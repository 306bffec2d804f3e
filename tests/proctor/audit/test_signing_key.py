"""The audit signing key never sits beside the data: PostgreSQL deployments must set one, a
SQLite deployment makes one in the service user's configuration folder (mode 600), and a key
in the data folder, inside it, or readable by others is a clear start-up error."""

from __future__ import annotations

import base64
import os
import subprocess
import sys

import pytest
from nacl.signing import SigningKey

from proctor.audit.heads import public_key_of
from proctor.errors import ConfigError
from proctor.keys import audit_signing_key, default_audit_key_file
from proctor.settings import Settings

PG = "postgresql+psycopg://u@h/db"


def test_sqlite_makes_a_private_key_outside_the_data_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    data = tmp_path / "data"
    key = audit_signing_key(Settings(data_dir=data))
    path = default_audit_key_file()
    assert path == tmp_path / "config" / "proctor" / "audit-signing.key"
    assert path.stat().st_mode & 0o077 == 0 and path.parent.stat().st_mode & 0o077 == 0
    assert not data.exists() or not any(data.iterdir())  # nothing of it in the data folder
    assert public_key_of(audit_signing_key(Settings(data_dir=data))) == public_key_of(key)


def test_postgresql_refuses_to_start_without_a_key(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    audit_signing_key(Settings(data_dir=tmp_path / "sqlite"))  # this machine made one for SQLite
    with pytest.raises(ConfigError, match="PROCTOR_AUDIT_SIGNING_KEY"):
        audit_signing_key(Settings(data_dir=tmp_path, database_url=PG))  # never used for PG
    seed = base64.b64encode(bytes(SigningKey.generate())).decode()
    assert audit_signing_key(Settings(data_dir=tmp_path, database_url=PG, audit_signing_key=seed))
    with pytest.raises(ConfigError, match="base64"):
        audit_signing_key(Settings(data_dir=tmp_path, database_url=PG, audit_signing_key="x"))
    missing = tmp_path / "elsewhere" / "signing.key"
    with pytest.raises(ConfigError):
        audit_signing_key(
            Settings(data_dir=tmp_path / "d", database_url=PG, audit_signing_key_file=missing)
        )


def test_a_key_beside_or_inside_the_data_or_readable_by_others_is_refused(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "audit-signing.key").write_text("old")
    with pytest.raises(ConfigError, match="sits in the data folder"):
        audit_signing_key(Settings(data_dir=data, audit_signing_key_file=tmp_path / "k"))
    (data / "audit-signing.key").unlink()
    with pytest.raises(ConfigError, match="must not be inside the data folder"):
        audit_signing_key(Settings(data_dir=data, audit_signing_key_file=data / "sub" / "k"))
    loose = tmp_path / "loose.key"
    loose.write_text(base64.b64encode(bytes(SigningKey.generate())).decode())
    os.chmod(loose, 0o644)
    with pytest.raises(ConfigError, match="readable by other users"):
        audit_signing_key(Settings(data_dir=data, audit_signing_key_file=loose))
    os.chmod(loose, 0o600)
    assert audit_signing_key(Settings(data_dir=data, audit_signing_key_file=loose))


def test_keygen_writes_a_private_key_file_and_prints_the_public_key(tmp_path):
    out = tmp_path / "keys" / "audit.key"

    def keygen() -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "proctor.cli", "audit", "keygen", "--out", str(out)],
            capture_output=True, text=True, timeout=60, check=False,
        )  # fmt: skip

    made = keygen()
    assert made.returncode == 0, made.stderr
    key = SigningKey(base64.b64decode(out.read_text().strip()))
    assert f"public key: {public_key_of(key)}" in made.stdout
    assert out.stat().st_mode & 0o077 == 0
    assert base64.b64encode(bytes(key)).decode() not in made.stdout  # the secret is not shown
    again = keygen()
    assert again.returncode == 2 and "never overwritten" in again.stderr
