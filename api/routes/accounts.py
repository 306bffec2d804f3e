"""Admins manage who may act: console accounts for people (username, Argon2id password, role,
a venue for proctors) and bearer tokens for stations and scripts (the secret shown once)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Response
from pydantic import Field, StringConstraints
from sqlalchemy import select

from proctor.access import accounts
from proctor.access.tokens import Role, issue_token, revoke_token
from proctor.api.deps import Caller, DbSession
from proctor.api.schemas import Name, Public, Strict
from proctor.errors import ConflictError, ErrorCode, NotFoundError
from proctor.store.access import Account, ApiToken

router = APIRouter(tags=["accounts"])
Password = Annotated[str, StringConstraints(min_length=1, max_length=accounts.MAX_PASSWORD)]


class AccountCreate(Strict):
    username: Annotated[str, StringConstraints(min_length=3, max_length=40)]
    display_name: Name
    role: Role
    venue_id: uuid.UUID | None = Field(None, description="Required for a proctor.")
    password: Password = Field(description="12 to 128 characters; not the username.")


class PasswordReset(Strict):
    password: Password


class AccountPublic(Public):
    id: uuid.UUID
    username: str
    display_name: str
    role: str
    venue_id: uuid.UUID | None
    created_at: datetime
    password_changed_at: datetime
    locked_until: datetime | None
    disabled_at: datetime | None


class TokenCreate(Strict):
    role: Role
    label: Name
    venue_id: uuid.UUID | None = Field(None, description="A proctor token's venue.")
    station_id: uuid.UUID | None = Field(None, description="A station token's station.")


class TokenPublic(Public):
    id: uuid.UUID
    role: str
    label: str
    venue_id: uuid.UUID | None
    station_id: uuid.UUID | None
    created_at: datetime
    revoked_at: datetime | None


class TokenIssued(TokenPublic):
    secret: str = Field(description="Shown this once; only its digest is kept.")


def _public(account: Account, principal: ApiToken) -> AccountPublic:
    return AccountPublic(
        id=account.id, username=account.username, display_name=principal.label,
        role=principal.role, venue_id=principal.venue_id, created_at=account.created_at,
        password_changed_at=account.password_changed_at, locked_until=account.locked_until,
        disabled_at=account.disabled_at,
    )  # fmt: skip


@router.post("/accounts", status_code=201, response_model=AccountPublic)
def create_account(body: AccountCreate, db: DbSession, caller: Caller) -> AccountPublic:
    caller.require(Role.ADMIN)
    account = accounts.create_account(
        db, username=body.username, display_name=body.display_name, role=body.role,
        password=body.password, venue_id=body.venue_id, actor=caller.actor,
    )  # fmt: skip
    db.commit()
    principal = db.get(ApiToken, account.principal_id)
    assert principal is not None
    return _public(account, principal)


@router.get("/accounts", response_model=list[AccountPublic])
def list_accounts(db: DbSession, caller: Caller) -> list[AccountPublic]:
    caller.require(Role.ADMIN)
    return [_public(account, principal) for account, principal in accounts.accounts(db)]


@router.post("/accounts/{account_id}/password", response_model=AccountPublic)
def reset_password(
    account_id: uuid.UUID, body: PasswordReset, db: DbSession, caller: Caller
) -> AccountPublic:
    """A new password set by an admin (the person forgot theirs, or it was locked)."""
    caller.require(Role.ADMIN)
    account = accounts.reset_password(db, account_id, body.password, actor=caller.actor)
    db.commit()
    principal = db.get(ApiToken, account.principal_id)
    assert principal is not None
    return _public(account, principal)


@router.post("/accounts/{account_id}/disable", response_model=AccountPublic)
def disable_account(account_id: uuid.UUID, db: DbSession, caller: Caller) -> AccountPublic:
    """The person may no longer log in; their open sessions end."""
    caller.require(Role.ADMIN)
    account = accounts.disable(db, account_id, actor=caller.actor)
    db.commit()
    principal = db.get(ApiToken, account.principal_id)
    assert principal is not None
    return _public(account, principal)


@router.post("/tokens", status_code=201, response_model=TokenIssued)
def create_token(body: TokenCreate, db: DbSession, caller: Caller) -> TokenIssued:
    caller.require(Role.ADMIN)
    token, secret = issue_token(
        db, body.role, actor=caller.actor, venue_id=body.venue_id, station_id=body.station_id,
        label=body.label,
    )  # fmt: skip
    db.commit()
    return TokenIssued(**TokenPublic.model_validate(token).model_dump(), secret=secret)


@router.get("/tokens", response_model=list[TokenPublic])
def list_tokens(db: DbSession, caller: Caller) -> list[ApiToken]:
    """Bearer tokens (accounts' principals are listed under /accounts)."""
    caller.require(Role.ADMIN)
    owned = select(Account.principal_id)
    query = select(ApiToken).where(ApiToken.id.not_in(owned)).order_by(ApiToken.created_at)
    return list(db.scalars(query))


@router.delete("/tokens/{token_id}", status_code=204)
def revoke(token_id: uuid.UUID, db: DbSession, caller: Caller) -> Response:
    caller.require(Role.ADMIN)
    if db.get(ApiToken, token_id) is None:
        raise NotFoundError(f"no token {token_id}", code=ErrorCode.NOT_FOUND)
    if db.scalar(select(Account.id).where(Account.principal_id == token_id)):
        raise ConflictError(
            "this is an account's identity: disable the account", code=ErrorCode.TRANSITION_INVALID
        )
    revoke_token(db, token_id, actor=caller.actor)
    db.commit()
    return Response(status_code=204)
