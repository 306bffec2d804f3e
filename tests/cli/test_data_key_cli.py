"""`proctor data-key create`: a new master key, printed or written once to a private file."""

from __future__ import annotations

import stat

from proctor.sealing.envelope import key_id
from proctor.sealing.master_key import read_key_file
from tests.cli.test_complaints_cli import proctor


def test_create_writes_a_private_key_file_once(tmp_path):
    path = tmp_path / "keys" / "data.key"
    made = proctor("data-key", "create", "--out", str(path))
    assert made.returncode == 0, made.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert f"key id: {key_id(read_key_file(path)).hex()}" in made.stdout
    again = proctor("data-key", "create", "--out", str(path))
    assert again.returncode == 2 and "never overwritten" in again.stderr
    printed = proctor("data-key", "create")
    assert printed.returncode == 0 and printed.stdout.startswith("PROCTOR_DATA_KEY=")
