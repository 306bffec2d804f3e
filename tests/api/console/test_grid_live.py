"""The grid's tile shows the newest live picture of whoever sits at the station (the station
login's photo, then any snapshot the station sent) beside the registration photo, with the
time it was taken in the venue's zone; only the venue's staff and the committee may see it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from proctor import local_time
from tests.api.console.test_console import login
from tests.support.helpers import obs, post_batch, running
from tests.support.world import RED, World, colour_photo, jpeg


def _row(world: World) -> dict:
    return world.client.get("/console/stations.json").json()["rows"][0]


def test_the_tile_shows_the_newest_live_picture(world: World):
    login(world, world.tokens["proctor"])
    assert _row(world)["live_src"] is None  # nothing taken yet
    assert world.client.get(f"/console/attempts/{world.attempt_id}/live").status_code == 404

    running(world)  # checked in at the desk, then logged in at the station with a live photo
    first = _row(world)
    assert world.client.get(first["live_src"]).content == colour_photo(RED)

    now = datetime.now(UTC)
    snapshot = jpeg((20, 200, 20))
    assert post_batch(world, [obs(1, 0.2, at=now, snapshot=snapshot)]).status_code == 200
    second = _row(world)
    assert second["live_src"] != first["live_src"]
    picture = world.client.get(second["live_src"])
    assert picture.content == snapshot and "no-store" in picture.headers["cache-control"]
    assert second["live_text"] == local_time.text(now, "Asia/Jakarta", "clock", label=False)
    page = world.client.get("/console/stations").text
    assert f'src="{second["live_src"]}"'.replace("&", "&amp;") in page

    older = jpeg((200, 20, 20))  # a late batch from before the newest picture replaces nothing
    late = obs(2, 0.9, at=now - timedelta(minutes=5), snapshot=older)
    assert post_batch(world, [late]).status_code == 200
    assert _row(world)["live_src"] == second["live_src"]

    world.client.cookies.clear()
    login(world, world.tokens["other_proctor"])
    assert world.client.get(second["live_src"]).status_code == 403
    world.client.cookies.clear()
    login(world, world.tokens["committee"])
    assert world.client.get(second["live_src"]).content == snapshot
    registration = f"/console/attempts/{world.attempt_id}/photos/{second['photo_id']}"
    assert world.client.get(registration).headers["content-type"].startswith("image/")
