"""Roles and scopes: every endpoint checks who is asking and for what."""

from __future__ import annotations

import uuid

import pytest

from proctor.access.tokens import Role
from tests.support.helpers import check_in, obs, post_batch, running
from tests.support.sealing import sealed_sessions
from tests.support.world import RED, World, colour_photo, issue


def test_no_token_or_a_bad_token_is_401(world: World):
    url = f"/api/v1/attempts/{world.attempt_id}"
    missing = world.client.get(url)
    assert missing.status_code == 401
    assert missing.json()["code"] == "unauthenticated"
    assert missing.headers["www-authenticate"] == "Bearer"
    forged = world.client.get(url, headers={"Authorization": "Bearer prt_forged"})
    assert forged.status_code == 401


def test_a_revoked_token_stops_working(world: World, migrated):
    from proctor.access.tokens import digest, revoke_token
    from proctor.store.access import ApiToken
    from proctor.store.database import make_engine

    url = f"/api/v1/attempts/{world.attempt_id}"
    assert world.client.get(url, headers=world.as_("proctor")).status_code == 200
    engine = make_engine(migrated)
    with sealed_sessions(engine)() as session:
        token = (
            session.query(ApiToken).filter_by(token_sha256=digest(world.tokens["proctor"])).one()
        )
        revoke_token(session, token.id, actor="test")
        session.commit()
    engine.dispose()
    assert world.client.get(url, headers=world.as_("proctor")).status_code == 401


def test_tokens_are_stored_only_as_digests(world: World, migrated):
    from sqlalchemy import select

    from proctor.store.access import ApiToken
    from proctor.store.database import make_engine

    engine = make_engine(migrated)
    with sealed_sessions(engine)() as session:
        stored = set(session.scalars(select(ApiToken.token_sha256)))
    engine.dispose()
    assert not stored & set(world.tokens.values())
    assert len(stored) == len(world.tokens)


def test_a_proctor_of_another_venue_gets_403(world: World):
    url = f"/api/v1/attempts/{world.attempt_id}"
    response = world.client.get(url, headers=world.as_("other_proctor"))
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert check_in(world, colour_photo(RED), who="other_proctor").status_code == 403
    venue = world.client.get(f"/api/v1/venues/{world.venue_id}", headers=world.as_("other_proctor"))
    assert venue.status_code == 403
    listed = world.client.get("/api/v1/venues", headers=world.as_("other_proctor")).json()
    assert [v["id"] for v in listed] == [world.other_venue_id]
    attempts = world.client.get("/api/v1/attempts", headers=world.as_("other_proctor")).json()
    assert attempts == []
    filtered = world.client.get(
        f"/api/v1/attempts?venue_id={world.venue_id}", headers=world.as_("other_proctor")
    )
    assert filtered.status_code == 403


def test_the_committee_reads_everywhere_and_changes_nothing(world: World):
    url = f"/api/v1/attempts/{world.attempt_id}"
    assert world.client.get(url, headers=world.as_("committee")).status_code == 200
    assert world.client.get("/api/v1/incidents", headers=world.as_("committee")).status_code == 200
    assert check_in(world, colour_photo(RED), who="committee").status_code == 403
    created = world.client.post(
        "/api/v1/venues", json={"code": "X", "name": "X"}, headers=world.as_("committee")
    )
    assert created.status_code == 403


def test_a_station_posts_only_for_itself(world: World):
    running(world)
    assert post_batch(world, [obs(1)], who="other_station").status_code == 403
    # Its own station URL with another station's attempt is refused as well.
    wrong = world.client.post(
        f"/api/v1/stations/{world.other_station_id}/observations",
        json={"attempt_id": world.attempt_id, "observations": [obs(1)]},
        headers=world.as_("station"),
    )
    assert wrong.status_code == 403
    # Another station's token on this station's URL and attempt (found in one query) as well.
    foreign = world.client.post(
        f"/api/v1/stations/{world.station_id}/observations",
        json={"attempt_id": world.attempt_id, "observations": [obs(1)]},
        headers=world.as_("other_station"),
    )
    assert foreign.status_code == 403
    for station, attempt_id in ((world.station_id, uuid.uuid4()), (uuid.uuid4(), world.attempt_id)):
        unknown = world.client.post(
            f"/api/v1/stations/{station}/observations",
            json={"attempt_id": str(attempt_id), "observations": [obs(1)]},
            headers=world.as_("station"),
        )
        assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    other_state = world.client.get(
        f"/api/v1/stations/{world.other_station_id}/state", headers=world.as_("station")
    )
    assert other_state.status_code == 403
    assert check_in(world, colour_photo(RED), who="station").status_code == 403


def test_only_stations_post_observations(world: World):
    running(world)
    assert post_batch(world, [obs(1)], who="proctor").status_code == 403


@pytest.mark.parametrize("role", [Role.PROCTOR, Role.STATION])
def test_scoped_tokens_need_their_scope(migrated, role):
    from proctor.errors import RejectedInputError

    with pytest.raises(RejectedInputError):
        issue(migrated, role)


def test_a_revoked_station_token_can_no_longer_post_or_beat(world: World, migrated):
    """The stations' frequent writes authenticate on the request's own session: a token
    revoked is refused there as everywhere, and no observation is stored."""
    from sqlalchemy import func, select

    from proctor.access.tokens import digest, revoke_token
    from proctor.store.access import ApiToken
    from proctor.store.database import make_engine
    from proctor.store.evidence import Observation
    from tests.support.helpers import obs, running

    running(world)
    engine = make_engine(migrated)
    with sealed_sessions(engine)() as session:
        token = session.scalar(
            select(ApiToken).where(ApiToken.token_sha256 == digest(world.tokens["station"]))
        )
        revoke_token(session, token.id, actor="test")
        session.commit()
    station = f"/api/v1/stations/{world.station_id}"
    posted = world.client.post(
        f"{station}/observations", headers=world.as_("station"),
        json={"attempt_id": world.attempt_id, "observations": [obs(0, 0.9)]},
    )  # fmt: skip
    beat = world.client.post(f"{station}/heartbeat", headers=world.as_("station"),
                             json={"camera": "ok"})  # fmt: skip
    assert (posted.status_code, posted.json()["code"]) == (401, "unauthenticated")
    assert beat.status_code == 401
    with sealed_sessions(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Observation)) == 0
    engine.dispose()
