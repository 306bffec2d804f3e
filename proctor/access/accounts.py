"""Console accounts: people log in with a username and a password, not a pasted token.

Passwords are stored as Argon2id hashes (argon2-cffi's current parameters, rehashed on login
when those change). Five wrong passwords in a row lock the account for 15 minutes; an admin
can unlock it by setting a new password. Every login, failure, lock and change is audited;
the audit never holds a password, nor a username typed for an account that does not exist
(people type passwords into the wrong field).

An account acts through a principal row in `api_tokens` (see `proctor.store.access.Account`),
so decisions and audit records name it as they name a token, by role and id, and disabling it
revokes that row, which ends its console sessions at their next request.
"""

from __future__ import annotations

import re
import secrets
import uuid
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from proctor.access.tokens import Principal, Role, issue_token, revoke_token
from proctor.audit import trail
from proctor.clock import utcnow
from proctor.errors import AccessError, ConflictError, ErrorCode, NotFoundError, RejectedInputError
from proctor.store.access import Account, ApiToken

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
MIN_PASSWORD, MAX_PASSWORD = 12, 128
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
PEOPLE = (Role.ADMIN, Role.PROCTOR, Role.COMMITTEE, Role.COMPLAINT_OFFICER, Role.CUSTODIAN)
_HASHER = PasswordHasher()  # Argon2id


@cache
def _dummy() -> str:
    """Verified against when the username is unknown, so a failure takes as long either way
    (made on first use: importing the module hashes nothing)."""
    return _HASHER.hash(secrets.token_urlsafe(16))


def check_password_rules(password: str, username: str) -> None:
    if not MIN_PASSWORD <= len(password) <= MAX_PASSWORD:
        raise RejectedInputError(
            f"a password has {MIN_PASSWORD} to {MAX_PASSWORD} characters",
            code=ErrorCode.PASSWORD_WEAK,
        )
    if username.lower() in password.lower() or len(set(password)) < 5:
        raise RejectedInputError(
            "the password is too easy to guess (it holds the username, or repeats a few "
            "characters)",
            code=ErrorCode.PASSWORD_WEAK,
        )


def create_account(
    session: Session,
    *,
    username: str,
    display_name: str,
    role: Role,
    password: str,
    actor: str,
    venue_id: uuid.UUID | None = None,
) -> Account:
    username = username.strip().lower()
    if not USERNAME.match(username):
        raise RejectedInputError(
            "a username has 3 to 40 of a-z, 0-9, '.', '_' and '-'",
            code=ErrorCode.REQUEST_INVALID,
        )
    if role not in PEOPLE:
        raise RejectedInputError(f"a {role} is not a person", code=ErrorCode.REQUEST_INVALID)
    check_password_rules(password, username)
    if session.scalar(select(Account.id).where(Account.username == username)):
        raise ConflictError(f"username {username!r} is taken", code=ErrorCode.ALREADY_EXISTS)
    principal, _ = issue_token(  # its secret is dropped here: it was never a bearer token
        session, role, actor=actor, venue_id=venue_id, label=display_name.strip()
    )
    account = Account(
        username=username,
        principal_id=principal.id,
        password_hash=_HASHER.hash(password),
        password_changed_at=utcnow(),
    )
    session.add(account)
    session.flush()
    trail.record(
        session, actor=actor, action="account.created", subject_type="account",
        subject_id=account.id, username=username, role=str(role),
        venue_id=str(venue_id) if venue_id else None,
    )  # fmt: skip
    return account


def principal_of(session: Session, account: Account) -> Principal:
    row = session.get(ApiToken, account.principal_id)
    assert row is not None  # a foreign key
    return Principal(row.id, Role(row.role), row.venue_id, row.station_id)


def account_of(session: Session, principal: Principal) -> Account | None:
    return session.scalar(select(Account).where(Account.principal_id == principal.token_id))


def authenticate_password(
    session: Session, username: str, password: str, *, now: datetime | None = None
) -> tuple[Account, Principal]:
    """The account and its principal; a failure is audited and committed before it is raised,
    so a lockout counts every attempt."""
    now = now or utcnow()
    account = session.scalar(select(Account).where(Account.username == username.strip().lower()))
    if account is None:
        _verify(_dummy(), password)
        _failed(session, None, "unknown_username")
        raise AccessError("wrong username or password", code=ErrorCode.UNAUTHENTICATED)
    if account.disabled_at is not None:
        _failed(session, account, "disabled")
        raise AccessError("wrong username or password", code=ErrorCode.UNAUTHENTICATED)
    if account.locked_until is not None and account.locked_until > now:
        _failed(session, account, "locked")
        raise AccessError(
            "too many wrong passwords: the account is locked for a while",
            code=ErrorCode.ACCOUNT_LOCKED, until=account.locked_until.isoformat(),
        )  # fmt: skip
    if not _verify(account.password_hash, password):
        account.failed_logins += 1
        locked = account.failed_logins >= MAX_FAILURES
        if locked:
            account.locked_until, account.failed_logins = now + LOCKOUT, 0
        _failed(session, account, "wrong_password", locked=locked)
        if locked:
            raise AccessError(
                "too many wrong passwords: the account is locked for a while",
                code=ErrorCode.ACCOUNT_LOCKED, until=account.locked_until.isoformat(),
            )  # fmt: skip
        raise AccessError("wrong username or password", code=ErrorCode.UNAUTHENTICATED)
    account.failed_logins, account.locked_until = 0, None
    if _HASHER.check_needs_rehash(account.password_hash):
        account.password_hash = _HASHER.hash(password)
    return account, principal_of(session, account)


def change_password(
    session: Session, principal: Principal, current: str, new: str, *, actor: str
) -> None:
    """The person's own change: the current password first."""
    account = account_of(session, principal)
    if account is None:
        raise AccessError("a token has no password", code=ErrorCode.FORBIDDEN)
    if not _verify(account.password_hash, current):
        raise AccessError("the current password is wrong", code=ErrorCode.UNAUTHENTICATED)
    if current == new:
        raise RejectedInputError("choose a new password", code=ErrorCode.PASSWORD_WEAK)
    _set(session, account, new, actor=actor, action="account.password_changed")


def reset_password(session: Session, account_id: uuid.UUID, new: str, *, actor: str) -> Account:
    """An admin's reset (which also lifts a lock)."""
    account = _get(session, account_id)
    _set(session, account, new, actor=actor, action="account.password_reset")
    return account


def disable(session: Session, account_id: uuid.UUID, *, actor: str) -> Account:
    account = _get(session, account_id)
    if account.disabled_at is None:
        account.disabled_at = utcnow()
        revoke_token(session, account.principal_id, actor=actor)  # ends its sessions
        trail.record(
            session, actor=actor, action="account.disabled", subject_type="account",
            subject_id=account.id,
        )  # fmt: skip
    return account


def accounts(session: Session) -> list[tuple[Account, ApiToken]]:
    query = select(Account, ApiToken).join(ApiToken, ApiToken.id == Account.principal_id)
    return [
        (account, principal)
        for account, principal in session.execute(query.order_by(Account.username))
    ]


def _get(session: Session, account_id: uuid.UUID) -> Account:
    account = session.get(Account, account_id, with_for_update=True)
    if account is None:
        raise NotFoundError(f"no account {account_id}", code=ErrorCode.NOT_FOUND)
    return account


def _set(session: Session, account: Account, new: str, *, actor: str, action: str) -> None:
    check_password_rules(new, account.username)
    account.password_hash = _HASHER.hash(new)
    account.password_changed_at = utcnow()
    account.failed_logins, account.locked_until = 0, None
    trail.record(session, actor=actor, action=action, subject_type="account", subject_id=account.id)


def _verify(hashed: str, password: str) -> bool:
    try:
        return _HASHER.verify(hashed, password)
    except (VerificationError, InvalidHashError):
        return False


def _failed(session: Session, account: Account | None, why: str, *, locked: bool = False) -> None:
    trail.record(
        session, actor="anonymous", action="console.login_failed", subject_type="account",
        subject_id=account.id if account else "unknown", code=why,
    )  # fmt: skip
    if locked and account is not None:
        trail.record(
            session, actor="service", action="account.locked", subject_type="account",
            subject_id=account.id, until=account.locked_until.isoformat(),
        )  # fmt: skip
    session.commit()  # the failure is kept although the login fails
