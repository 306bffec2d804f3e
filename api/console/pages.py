"""Console pages: login, the review queue, and an incident with its evidence side by side.
Every form carries the session's CSRF token; every change goes through the same domain
functions as the API, so it is checked and audited alike."""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from proctor import local_time
from proctor.access import accounts, console_sessions
from proctor.access.tokens import Role
from proctor.api.console import i18n, labels
from proctor.api.console.acts import commit_or_back
from proctor.api.console.auth import COOKIE, ZONE_COOKIE, current_user, form_user
from proctor.api.console.charts import level_chart
from proctor.api.console.names import token_labels
from proctor.api.deps import Context, DbSession
from proctor.api.routes.incidents import evidence_response
from proctor.api.routes.reviews import (
    CandidateSearch,
    evidence_packet,
    incident_in_scope,
    review_queue,
)
from proctor.audit.data_reads import Purpose
from proctor.errors import ErrorCode, ProctorError, RejectedInputError
from proctor.exam import catalog
from proctor.faces.match_level import level_of
from proctor.identity import proxies
from proctor.review import review
from proctor.review.review import ReviewState

router = APIRouter(prefix="/console", include_in_schema=False)
templates = Jinja2Templates(directory=Path(__file__).resolve().parent.parent / "templates")
HEADERS = {
    "Content-Security-Policy": "default-src 'self'; img-src 'self' blob:; media-src 'self' blob:; "
    "frame-ancestors 'none'; form-action 'self'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
}


def render(
    request: Request, name: str, user: Any = None, zone: str | None = None, **context: Any
) -> HTMLResponse:
    """A console page. Its times are read in `zone` (a venue's, where the page is about one),
    else the user's (`ConsoleUser.zone`), else WIB; `when(at, style)` writes them."""
    lang = i18n.language(request)
    zone = zone or (user.zone if user is not None else local_time.DEFAULT_ZONE)
    return templates.TemplateResponse(
        request,
        f"console/{name}",
        {
            "when": partial(_when, zone=zone),
            "zone": zone,
            "zone_name": local_time.abbreviation(zone),
            "zones": local_time.ABBREVIATIONS,
            "t": i18n.translator(lang),
            "v": labels.value_label(lang),
            "err": labels.error_explainer(lang),
            "risk": labels.risk_explainer(lang),
            "lang": lang,
            "user": user,
            "audit_head": _audit_head(request, user),
            **context,
        },
        headers=HEADERS,
    )


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, failed: str | None = None, changed: bool = False) -> HTMLResponse:
    return render(request, "login.html", failed=failed, changed=changed)


@router.post("/login")
async def login(request: Request, db: DbSession) -> Response:
    """A username and password, or (scripts, the first admin) a role token."""
    form = {k: str(v) for k, v in (await request.form()).items()}
    by_password = "username" in form
    try:
        if by_password:
            made = console_sessions.log_in_with_password(
                db, form["username"][:40], form.get("password", "")[:128]
            )
        else:
            made = console_sessions.log_in(db, form.get("token", ""))
    except ProctorError as exc:
        db.rollback()
        why = "locked" if exc.code == ErrorCode.ACCOUNT_LOCKED else "password"
        return RedirectResponse(
            f"/console/login?failed={why if by_password else 'token'}", status_code=303
        )
    db.commit()
    response = RedirectResponse("/console", status_code=303)
    response.set_cookie(
        COOKIE, made.cookie, max_age=int(console_sessions.LIFETIME.total_seconds()),
        httponly=True, samesite="strict", secure=request.url.scheme == "https", path="/console",
    )  # fmt: skip
    return response


@router.post("/logout")
async def logout(request: Request, db: DbSession) -> Response:
    user, _ = await form_user(request, db)
    console_sessions.log_out(db, user.principal, user.record)
    db.commit()
    response = RedirectResponse("/console/login", status_code=303)
    response.delete_cookie(COOKIE, path="/console")
    return response


def _audit_head(request: Request, user: Any) -> dict[str, Any] | None:
    """The latest signed head, on every page the committee (and admins) read: they witness
    the log as they work, and can compare it with what a station or their witness holds."""
    if user is None or user.principal.role not in (Role.COMMITTEE, Role.ADMIN):
        return None
    heads = getattr(request.app.state.proctor, "heads", None)
    return heads.latest() if heads is not None else None


def _when(at: Any, style: str = "datetime", label: bool = True, *, zone: str) -> str:
    """A datetime, or the ISO text an API packet carries, as a person in `zone` reads it."""
    if isinstance(at, str):
        at = datetime.fromisoformat(at)
    return local_time.text(at, zone, style, label=label)


@router.get("/zone/{name}")
def switch_zone(name: str, request: Request) -> Response:
    """Whoever has no venue (committee, admin, officers) chooses the zone their pages use."""
    back = request.headers.get("referer", "")
    response = RedirectResponse(back if back.startswith(str(request.base_url)) else "/console",
                                status_code=303)  # fmt: skip
    zone = next((z for z, short in local_time.ABBREVIATIONS.items() if short == name), None)
    if zone is not None:
        response.set_cookie(ZONE_COOKIE, zone, max_age=365 * 86400, samesite="lax", path="/")
    return response


@router.get("/password", response_class=HTMLResponse)
def password_page(request: Request, db: DbSession, error: str | None = None) -> HTMLResponse:
    user = current_user(request, db)
    return render(request, "password.html", user, error=error)


@router.post("/password")
async def change_password(request: Request, db: DbSession) -> Response:
    """The person's own change; every session of theirs then ends, this one too."""
    user, form = await form_user(request, db)
    if form.get("new", "") != form.get("repeat", ""):
        return RedirectResponse("/console/password?error=passwords_differ", status_code=303)
    try:
        accounts.change_password(
            db, user.principal, form.get("current", "")[:128], form.get("new", "")[:128],
            actor=user.principal.actor,
        )  # fmt: skip
        console_sessions.end_all(db, user.principal, actor=user.principal.actor)
        db.commit()
    except ProctorError as exc:
        db.rollback()
        return RedirectResponse(f"/console/password?error={exc.code}", status_code=303)
    response = RedirectResponse("/console/login?changed=true", status_code=303)
    response.delete_cookie(COOKIE, path="/console")
    return response


@router.get("/lang/{code}")
def switch_language(code: str) -> Response:
    response = RedirectResponse("/console", status_code=303)
    if code in i18n.LANGUAGES:
        response.set_cookie(i18n.COOKIE, code, max_age=365 * 86400, samesite="lax", path="/")
    return response


@router.get("", response_class=HTMLResponse)
def home(request: Request, db: DbSession) -> Response:
    role = current_user(request, db).principal.role
    start = {Role.COMPLAINT_OFFICER: "complaints", Role.CUSTODIAN: "wbs", Role.COMMITTEE: "audit"}
    return RedirectResponse(f"/console/{start.get(role, 'reviews')}", status_code=303)


@router.get("/reviews", response_class=HTMLResponse)
def reviews(
    request: Request, db: DbSession, venue_id: uuid.UUID | None = None, q: CandidateSearch = None
) -> HTMLResponse:
    user = current_user(request, db)
    items = review_queue(db, user.principal, venue_id=venue_id, q=q)
    # Proctors see their venue only; the others may narrow the queue to one.
    venues = [] if user.principal.role is Role.PROCTOR else catalog.venues(db)
    return render(
        request, "reviews.html", user, items=items, venues=venues, venue_id=venue_id, q=q or ""
    )


@router.get("/incidents/{incident_id}", response_class=HTMLResponse)
def incident_page(
    incident_id: uuid.UUID,
    request: Request,
    db: DbSession,
    context: Context,
    error: str | None = None,
) -> HTMLResponse:
    user = current_user(request, db)
    packet = evidence_packet(incident_id, db, user.principal)
    zone = packet["venue"]["time_zone"]
    station_engine = context.settings.station_engine  # what scored the station's frames
    samples = [
        (datetime.fromisoformat(t["observed_at"]),
         level_of(t.get("score"), packet["threshold"], station_engine))
        for t in packet["timeline"]
    ]  # fmt: skip
    # The pause is marked at the observation that set it off (the clock of the station's
    # frames), else when the incident was opened.
    trigger = next(
        (t["observed_at"] for t in packet["timeline"]
         if t["seq"] == packet["incident"].get("trigger_seq")),
        packet["incident"]["opened_at"],
    )  # fmt: skip
    chart = level_chart(samples, datetime.fromisoformat(trigger), zone)
    levels = {
        i: level_of(c["score"], c["threshold"], c["engine"])
        for i, c in enumerate(packet["checkpoints"])
    }
    images = [
        {**i, "src": f"/console/evidence/{incident_id}/{i['url'].rsplit('/', 1)[1]}"}
        for i in packet["images"]
    ]
    can_review = user.principal.role in (Role.PROCTOR, Role.ADMIN)
    who = token_labels(db, (d["actor"] for d in packet["decisions"]))
    proxy_searched = packet["incident"]["reason"] in proxies.SEARCHED_REASONS
    searched = proxies.result(db, incident_id) if proxy_searched else None
    return render(
        request, "incident.html", user, packet=packet, chart=chart, error=error, who=who,
        zone=zone, levels=levels, station_engine=station_engine, level=level_of,
        proxy=searched, proxy_searched=proxy_searched,
        registration=[i for i in images if i["kind"] == "registration_photo"],
        live=[i for i in images if i["kind"] != "registration_photo"],
        can_review=can_review, decisions=[str(d) for d in review.DECISIONS],
    )  # fmt: skip


@router.get("/evidence/{incident_id}/{evidence_id}")
def evidence_image(
    incident_id: uuid.UUID, evidence_id: uuid.UUID, request: Request, db: DbSession
) -> Response:
    user = current_user(request, db)
    incident, _ = incident_in_scope(db, user.principal, incident_id, write=False)
    return evidence_response(
        db, incident, evidence_id, user.principal.actor, Purpose.CONSOLE_INCIDENT
    )


@router.post("/incidents/{incident_id}/act")
async def act(
    incident_id: uuid.UUID, request: Request, db: DbSession, context: Context
) -> Response:
    """One form for the reviewer's acts: take up, decide, close."""
    user, form = await form_user(request, db)
    page = f"/console/incidents/{incident_id}"

    def act_on_incident() -> None:
        incident, _ = incident_in_scope(db, user.principal, incident_id, write=True)
        action, reason = form.get("action"), form.get("reason", "")
        if action == "start":
            review.start_review(db, incident, actor=user.principal.actor, reason=reason)
        elif action == "decide":
            review.decide(
                db, incident, ReviewState(form.get("decision", "")), actor=user.principal.actor,
                reason=reason, rules=context.settings.complaints,
            )  # fmt: skip
        elif action == "close":
            review.close(db, incident, actor=user.principal.actor, reason=reason)
        else:
            raise RejectedInputError("unknown action", code=ErrorCode.REQUEST_INVALID)

    return commit_or_back(db, page, act_on_incident)
