"""Console accounts: Argon2id passwords, the rules a password keeps, lockout after five wrong
passwords, changes and resets, disabling, and an audit trail that never holds a password."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from proctor.access import accounts, console_sessions
from proctor.access.tokens import Role
from proctor.clock import utcnow
from proctor.errors import AccessError, ErrorCode, ProctorError
from proctor.store.exam import Venue

GOOD = "kopi-tubruk-2026"


@pytest.fixture
def venue(session) -> Venue:
    made = Venue(code="JKT-01", name="Jakarta")
    session.add(made)
    session.flush()
    return made


def make(session, venue, username="siti", password=GOOD, role=Role.PROCTOR):
    account = accounts.create_account(
        session, username=username, display_name="Siti Rahma", role=role, password=password,
        venue_id=venue.id if role is Role.PROCTOR else None, actor="admin:test",
    )  # fmt: skip
    session.commit()
    return account


def test_a_person_logs_in_with_the_password_stored_as_argon2id(session, venue):
    account = make(session, venue, username=" Siti ")
    assert account.username == "siti" and account.password_hash.startswith("$argon2id$")
    assert GOOD not in account.password_hash
    found, principal = accounts.authenticate_password(session, "SITI", GOOD)
    assert found.id == account.id
    assert (principal.role, principal.venue_id) == (Role.PROCTOR, venue.id)
    login = console_sessions.start(session, principal, how="password")
    assert console_sessions.resume(session, login.cookie)[0] == principal


@pytest.mark.parametrize(
    ("password", "username"),
    [
        ("short-1", "siti"),
        ("x" * 129, "siti"),
        ("my-name-is-siti!", "siti"),
        ("abababababab", "bob"),
    ],
)
def test_weak_passwords_are_refused(session, venue, password, username):
    with pytest.raises(ProctorError) as refused:
        make(session, venue, username=username, password=password)
    assert refused.value.code == ErrorCode.PASSWORD_WEAK


def test_usernames_roles_and_duplicates(session, venue):
    make(session, venue)
    for username, role, code in (
        ("siti", Role.PROCTOR, ErrorCode.ALREADY_EXISTS),
        ("a b", Role.PROCTOR, ErrorCode.REQUEST_INVALID),
        ("pc-01", Role.STATION, ErrorCode.REQUEST_INVALID),  # a station is no person
    ):
        with pytest.raises(ProctorError) as refused:
            make(session, venue, username=username, role=role)
        assert refused.value.code == code, username
    with pytest.raises(ProctorError):  # a proctor needs a venue
        accounts.create_account(
            session, username="budi", display_name="Budi", role=Role.PROCTOR, password=GOOD,
            actor="admin:test",
        )  # fmt: skip


def test_five_wrong_passwords_lock_the_account_for_fifteen_minutes(session, venue):
    account = make(session, venue)
    now = utcnow()
    for attempt in range(1, 5):
        with pytest.raises(AccessError) as wrong:
            accounts.authenticate_password(session, "siti", "not-the-password", now=now)
        assert wrong.value.code == ErrorCode.UNAUTHENTICATED
        assert account.failed_logins == attempt
    with pytest.raises(AccessError) as locked:
        accounts.authenticate_password(session, "siti", "not-the-password", now=now)
    assert locked.value.code == ErrorCode.ACCOUNT_LOCKED
    with pytest.raises(AccessError) as still:  # the right password does not open it meanwhile
        accounts.authenticate_password(session, "siti", GOOD, now=now + timedelta(minutes=14))
    assert still.value.code == ErrorCode.ACCOUNT_LOCKED
    accounts.authenticate_password(session, "siti", GOOD, now=now + timedelta(minutes=16))
    assert account.failed_logins == 0 and account.locked_until is None
    actions = [r.action for r in session.added]
    assert actions.count("console.login_failed") == 6 and actions.count("account.locked") == 1


def test_an_admin_reset_lifts_a_lock(session, venue):
    account = make(session, venue)
    for _ in range(5):
        with pytest.raises(AccessError):
            accounts.authenticate_password(session, "siti", "not-the-password")
    accounts.reset_password(session, account.id, "teh-manis-dingin", actor="admin:test")
    accounts.authenticate_password(session, "siti", "teh-manis-dingin")


def test_a_change_needs_the_current_password_and_ends_every_session(session, venue):
    account = make(session, venue)
    _, principal = accounts.authenticate_password(session, "siti", GOOD)
    login = console_sessions.start(session, principal, how="password")
    with pytest.raises(AccessError):
        accounts.change_password(
            session, principal, "wrong-one-here", "teh-manis-dingin", actor="a"
        )
    accounts.change_password(session, principal, GOOD, "teh-manis-dingin", actor=principal.actor)
    assert console_sessions.end_all(session, principal, actor=principal.actor) == 1
    with pytest.raises(AccessError):
        console_sessions.resume(session, login.cookie)
    with pytest.raises(AccessError):
        accounts.authenticate_password(session, "siti", GOOD)
    accounts.authenticate_password(session, "siti", "teh-manis-dingin")
    assert account.password_changed_at is not None


def test_a_disabled_account_cannot_log_in_and_its_sessions_end(session, venue):
    account = make(session, venue)
    _, principal = accounts.authenticate_password(session, "siti", GOOD)
    login = console_sessions.start(session, principal)
    accounts.disable(session, account.id, actor="admin:test")
    session.commit()
    with pytest.raises(AccessError):
        console_sessions.resume(session, login.cookie)
    with pytest.raises(AccessError) as refused:
        accounts.authenticate_password(session, "siti", GOOD)
    assert refused.value.code == ErrorCode.UNAUTHENTICATED


def test_the_audit_never_holds_a_password_nor_an_unknown_username(session, venue):
    make(session, venue)
    for username, password in (("siti", "wrong-password-1"), ("kopi-tubruk-2026", "x")):
        with pytest.raises(AccessError):
            accounts.authenticate_password(session, username, password)
    written = json.dumps([(r.action, r.subject_id, r.details) for r in session.added])
    assert "wrong-password-1" not in written and GOOD not in written
    assert '"unknown"' in written  # the failure is kept, what was typed is not
