"""People log in as people: an admin makes accounts and tokens over the API; the console logs
a person in by username and password, locks after five wrong ones, lets them change their
password, and ends their sessions when disabled. On SQLite and PostgreSQL."""

from __future__ import annotations

from tests.api.console.test_console import csrf_of
from tests.support.helpers import audit_actions
from tests.support.world import World

PASSWORD = "kopi-tubruk-2026"


def _admin(world: World) -> dict[str, str]:
    return {"Authorization": f"Bearer {world.tokens['admin']}"}


def _account(world: World, username: str = "siti", role: str = "proctor") -> dict:
    body = {"username": username, "display_name": "Siti Rahma", "role": role,
            "password": PASSWORD}  # fmt: skip
    if role == "proctor":
        body["venue_id"] = world.venue_id
    made = world.client.post("/api/v1/accounts", json=body, headers=_admin(world))
    assert made.status_code == 201, made.text
    return made.json()


def _log_in(world: World, username: str, password: str):
    return world.client.post(
        "/console/login", data={"username": username, "password": password},
        follow_redirects=False,
    )  # fmt: skip


def test_an_account_logs_in_to_the_console_by_password(world: World, migrated: str):
    made = _account(world)
    assert "password" not in made and "password_hash" not in made
    assert made["display_name"] == "Siti Rahma" and made["role"] == "proctor"
    listed = world.client.get("/api/v1/accounts", headers=_admin(world)).json()
    assert [a["username"] for a in listed] == ["siti"]
    refused = world.client.get("/api/v1/accounts", headers=world.as_("proctor"))
    assert refused.status_code == 403

    assert _log_in(world, "siti", "wrong-password").headers["location"].endswith("failed=password")
    ok = _log_in(world, "Siti", PASSWORD)
    assert ok.status_code == 303 and ok.headers["location"] == "/console"
    page = world.client.get("/console/reviews").text
    assert 'id="who-name">Siti Rahma<' in page and 'id="to-password"' in page
    assert 'data-zone="Asia/Jakarta"' in page  # her venue's zone
    assert audit_actions(migrated).count("console.login") == 1


def test_five_wrong_passwords_lock_and_an_admin_reset_opens(world: World):
    made = _account(world)
    for _ in range(4):
        assert _log_in(world, "siti", "wrong-password").headers["location"].endswith("=password")
    assert _log_in(world, "siti", "wrong-password").headers["location"].endswith("=locked")
    assert _log_in(world, "siti", PASSWORD).headers["location"].endswith("=locked")
    page = world.client.get("/console/login", params={"failed": "locked"}).text
    assert "dikunci 15 menit" in page
    listed = world.client.get("/api/v1/accounts", headers=_admin(world)).json()
    assert listed[0]["locked_until"] is not None
    reset = world.client.post(
        f"/api/v1/accounts/{made['id']}/password", json={"password": "teh-manis-dingin"},
        headers=_admin(world),
    )  # fmt: skip
    assert reset.status_code == 200 and reset.json()["locked_until"] is None
    assert _log_in(world, "siti", "teh-manis-dingin").headers["location"] == "/console"


def test_a_person_changes_their_password(world: World, migrated: str):
    _account(world)
    _log_in(world, "siti", PASSWORD)
    form = world.client.get("/console/password").text

    def change(new: str, repeat: str) -> str:
        data = {"csrf": csrf_of(form), "current": PASSWORD, "new": new, "repeat": repeat}
        answer = world.client.post("/console/password", data=data, follow_redirects=False)
        return answer.headers["location"]

    assert change("teh-manis-dingin", "teh-manis-panas").endswith("error=passwords_differ")
    assert change("sitisitisiti", "sitisitisiti").endswith("error=password_weak")
    assert change("teh-manis-dingin", "teh-manis-dingin") == "/console/login?changed=true"
    assert world.client.get("/console/reviews", follow_redirects=False).status_code == 303
    assert _log_in(world, "siti", PASSWORD).headers["location"].endswith("failed=password")
    assert _log_in(world, "siti", "teh-manis-dingin").headers["location"] == "/console"
    assert "account.password_changed" in audit_actions(migrated)


def test_disabling_an_account_ends_its_session(world: World):
    made = _account(world)
    _log_in(world, "siti", PASSWORD)
    assert world.client.get("/console/reviews", follow_redirects=False).status_code == 200
    off = world.client.post(f"/api/v1/accounts/{made['id']}/disable", headers=_admin(world))
    assert off.status_code == 200 and off.json()["disabled_at"] is not None
    assert world.client.get("/console/reviews", follow_redirects=False).status_code == 303
    assert _log_in(world, "siti", PASSWORD).headers["location"].endswith("failed=password")


def test_admins_issue_list_and_revoke_tokens_over_the_api(world: World):
    _account(world, "panitia", role="committee")
    issued = world.client.post(
        "/api/v1/tokens", json={"role": "station", "station_id": world.station_id,
                                "label": "PC-01 agent"},
        headers=_admin(world),
    )  # fmt: skip
    assert issued.status_code == 201 and issued.json()["secret"].startswith("prt_")
    station = {"Authorization": f"Bearer {issued.json()['secret']}"}
    heartbeat = world.client.post(
        f"/api/v1/stations/{world.station_id}/heartbeat", json={}, headers=station
    )
    assert heartbeat.status_code != 401, heartbeat.text
    listed = world.client.get("/api/v1/tokens", headers=_admin(world)).json()
    assert "PC-01 agent" in [t["label"] for t in listed]
    assert "Siti Rahma" not in [t["label"] for t in listed]  # accounts are listed apart
    assert all("secret" not in t for t in listed)
    gone = world.client.delete(f"/api/v1/tokens/{issued.json()['id']}", headers=_admin(world))
    assert gone.status_code == 204
    again = world.client.post(
        f"/api/v1/stations/{world.station_id}/heartbeat", json={}, headers=station
    )
    assert again.status_code == 401
    bad = world.client.post("/api/v1/tokens", json={"role": "proctor", "label": "x"},
                            headers=_admin(world))  # fmt: skip
    assert bad.status_code == 422 and bad.json()["code"] == "request_invalid"
