"""The NIK is kept as a keyed hash; the key comes from the environment or a private file."""

from __future__ import annotations

import pytest

from proctor.errors import ConfigError, RejectedInputError
from proctor.exam.nik import nik_digest, normalise_nik
from proctor.keys import nik_key
from proctor.settings import Settings

KEY = b"x" * 32


def test_a_nik_is_16_digits_with_separators_allowed():
    assert normalise_nik("3171-2345 6789.0123") == "3171234567890123"
    for bad in ("12345", "31712345678901234", "3171a34567890123", ""):
        with pytest.raises(RejectedInputError):
            normalise_nik(bad)


def test_the_digest_is_keyed_and_stable():
    one = nik_digest("3171234567890123", KEY)
    assert one == nik_digest("3171-2345-6789-0123", KEY)
    assert one != nik_digest("3171234567890123", b"y" * 32)
    assert "3171234567890123" not in one and len(one) == 64
    with pytest.raises(ValueError, match="at least 32"):
        nik_digest("3171234567890123", b"short")


def test_the_sqlite_default_creates_a_private_key_file_once(tmp_path):
    settings = Settings(data_dir=tmp_path)
    first = nik_key(settings)
    assert len(first) >= 32
    assert (tmp_path / "nik.key").stat().st_mode & 0o077 == 0
    assert nik_key(settings) == first


def test_postgresql_deployments_must_set_the_key(tmp_path):
    def settings(**values: str) -> Settings:
        return Settings(data_dir=tmp_path, database_url="postgresql+psycopg://u@h/db", **values)

    with pytest.raises(ConfigError):
        nik_key(settings())
    assert nik_key(settings(nik_key="k" * 40)) == b"k" * 40
    with pytest.raises(ConfigError):
        nik_key(settings(nik_key="short"))
