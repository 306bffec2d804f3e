"""The committee's audit trail in words: actions and details people read, repeats folded,
a page at a time, filtered by group of actions and by person. On SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re

from proctor.access.tokens import Role
from proctor.api.console import audit_pages
from tests.api.console.test_console import login
from tests.support.helpers import running
from tests.support.world import World, issue


def test_the_trail_reads_in_words_folds_repeats_and_pages(world: World, migrated, monkeypatch):
    for _ in range(3):
        login(world, "prt_not-a-token")  # three failed logins in a row
    sari = issue(migrated, Role.COMMITTEE, label="Panitia: Dr. Sari")
    login(world, sari)
    page = world.client.get("/console/audit").text
    failed = re.search(r'<tr data-action="console\.login_failed">(.*?)</tr>', page, re.S).group(1)
    assert "Gagal masuk ke konsol" in failed and 'data-count="3"' in failed  # one row, x3
    assert page.count('data-action="console.login_failed"') == 1
    assert "Lokasi ujian dibuat" in page and "Masuk ke konsol" in page
    table = page[page.index('id="records"') :]
    assert "{&#34;" not in table and '{"' not in table  # details as words, not JSON

    by_sari = world.client.get("/console/audit", params={"actor": f"committee:{_id(page)}"})
    assert "Panitia: Dr. Sari (Panitia" in by_sari.text  # the person, chosen by name
    assert set(re.findall(r'<tr data-action="([^"]+)"', by_sari.text)) == {"console.login"}
    group = world.client.get("/console/audit", params={"action": "venue."}).text
    assert set(re.findall(r'<tr data-action="([^"]+)"', group)) == {"venue.created"}
    assert '<option value="venue." selected>Lokasi ujian</option>' in group

    monkeypatch.setattr(audit_pages, "PAGE", 3)
    first = world.client.get("/console/audit").text
    older = re.search(r'id="older" href="([^"]+)"|href="([^"]+)" id="older"', first)
    ids = [int(i) for i in re.findall(r"<tr data-action=\"[^\"]+\"><td>(\d+)</td>", first)]
    link = (older.group(1) or older.group(2)).replace("&amp;", "&")
    second = world.client.get(link).text
    next_ids = [int(i) for i in re.findall(r"<tr data-action=\"[^\"]+\"><td>(\d+)</td>", second)]
    assert next_ids and max(next_ids) < min(ids)  # the next page goes further back
    assert 'id="newest"' in second


def _id(page: str) -> str:
    """The committee token's id, from the person filter's options."""
    return re.search(r'<option value="committee:([0-9a-f-]+)"', page).group(1)


def test_the_trail_of_one_venue(world: World):
    running(world)  # check-in and station login: records about the venue's attempt
    login(world, world.tokens["committee"])

    def actions(**params) -> set[str]:
        page = world.client.get("/console/audit", params=params)
        assert page.status_code == 200
        return set(re.findall(r'<tr data-action="([^"]+)"', page.text))

    everything = actions()
    here = actions(venue=world.venue_id)
    assert {"venue.created", "session.created", "checkpoint.check_in"} <= here
    assert "candidate.created" in everything and "candidate.created" not in here  # national
    other = {"venue.created", "station.created", "token.issued"}  # and its proctor's token
    assert actions(venue=world.other_venue_id) == other
    chosen = world.client.get("/console/audit", params={"venue": world.venue_id}).text
    assert re.search(rf'<option value="{world.venue_id}" selected>JKT-01', chosen)

    exported = world.client.get("/console/audit.csv", params={"venue": world.venue_id}).text
    lines = list(csv.DictReader(io.StringIO(exported)))
    assert lines and {r["venue_id"].replace("-", "") for r in lines} == {
        world.venue_id.replace("-", "")
    }
    bad = world.client.get("/console/audit", params={"venue": "JKT-01"})
    assert bad.status_code == 422 and "request_invalid" in bad.text


def test_the_committees_pages_carry_the_latest_signed_head(world: World):
    from tests.api.test_audit_witnesses import records, signed_head

    head = signed_head(world, records(world))
    login(world, world.tokens["committee"])
    pages = ("/console/audit", "/console/stations", "/console/reviews")
    for url in pages:
        page = world.client.get(url).text
        found = re.search(
            r'id="audit-head" data-tree-size="(\d+)" data-root="([0-9a-f]{64})"', page
        )
        assert found and int(found[1]) >= head["tree_size"], url
    login(world, world.tokens["proctor"])
    assert 'id="audit-head"' not in world.client.get("/console/stations").text
