"""Two `proctor serve` processes on one PostgreSQL, each with its own in-memory face index:
a face enrolled through one is found by the other's duplicate search a moment later."""

from __future__ import annotations

import time

import httpx2
import pytest

from proctor.access.tokens import Role
from tests.cli.test_import_cli import nth
from tests.support.live import serve_process, server_env
from tests.support.world import issue

pytestmark = pytest.mark.lfw


def enrol(base: str, token: str, number: str, photo) -> list[str]:
    """A new candidate with one photo, through `base`; the numbers flagged as the same face."""
    headers = {"Authorization": f"Bearer {token}"}
    made = httpx2.post(
        f"{base}/api/v1/candidates",
        json={"participant_number": number, "name": number},
        headers=headers,
        timeout=10,
    ).json()
    response = httpx2.post(
        f"{base}/api/v1/candidates/{made['id']}/photos",
        files={"photo": (photo.name, photo.read_bytes())},
        headers=headers,
        timeout=60,  # the first photo loads the engine
    )
    assert response.status_code == 201, response.text
    return [d["participant_number"] for d in response.json()["duplicates"]]


def test_two_processes_see_each_others_new_templates(postgres_migrated, lfw_root, tmp_path):
    admin = issue(postgres_migrated, Role.ADMIN)
    env = server_env(postgres_migrated, tmp_path, engine="sface", proxy_search_seconds="0")
    photo = lambda person, n: lfw_root / nth(lfw_root, person, n)  # noqa: E731
    with (
        serve_process(env, tmp_path / "a.log") as server_a,
        serve_process(env, tmp_path / "b.log") as server_b,
    ):
        # B builds its index first, with somebody else.
        assert enrol(server_b, admin, "P-MARTIN", photo("Paul_Martin", 2)) == []
        assert enrol(server_a, admin, "P-LAGOS-1", photo("Ricardo_Lagos", 1)) == []
        time.sleep(1.5)  # B reads what other processes stored at most once a second
        assert enrol(server_b, admin, "P-LAGOS-2", photo("Ricardo_Lagos", 2)) == ["P-LAGOS-1"]
        # And the other way round: A finds what B enrolled.
        time.sleep(1.5)
        assert enrol(server_a, admin, "P-MARTIN-2", photo("Paul_Martin", 3)) == ["P-MARTIN"]
