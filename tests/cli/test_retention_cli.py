"""`proctor retention run [--dry-run]`: prints each deletion (no data), deletes only without
--dry-run."""

from __future__ import annotations

from tests.cli.test_complaints_cli import proctor
from tests.support.helpers import running


def test_a_dry_run_says_what_is_due_and_the_run_deletes_it(world, migrated, tmp_path):
    running(world)  # the session ended on 24 November; a day's period is long past
    env = {"PROCTOR_DATABASE_URL": migrated, "PROCTOR_DATA_DIR": str(tmp_path / "data"),
           "PROCTOR_RETENTION": '{"live_days": 1}'}  # fmt: skip
    dry = proctor("retention", "run", "--dry-run", env=env)
    assert dry.returncode == 0, dry.stderr
    assert (
        f"attempt {world.attempt_id} (participant 2026000001): would delete 2 images" in dry.stdout
    )
    done = proctor("retention", "run", env=env)
    assert done.returncode == 0 and "deleted 2 images and 0 templates" in done.stdout
    again = proctor("retention", "run", env=env)
    assert again.stdout == "" and "0 due" in again.stderr
