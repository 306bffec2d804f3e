"""Pages of the satisfaction survey. Public, no login: the questionnaire (with the exam card's
code or a closed complaint's tracking number), and the results per venue and period with a
CSV download. Console: the results for complaint officers, admins and the committee, where
officers publish each venue's follow-up for its weakest element."""

from __future__ import annotations

import csv
import io
import uuid
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from proctor.access.tokens import Role
from proctor.api.console.acts import commit_or_back
from proctor.api.console.auth import current_user, form_user
from proctor.api.console.pages import render as render_console
from proctor.api.console.public_pages import render
from proctor.api.console.service_words import PROFILE
from proctor.api.context import ServiceContext
from proctor.api.deps import Context, DbSession
from proctor.cases import complaints
from proctor.cases.complaints import TRACKING
from proctor.clock import utcnow
from proctor.errors import ErrorCode, ProctorError, RejectedInputError
from proctor.exam import catalog
from proctor.store.exam import Venue
from proctor.store.survey import SurveyInvitation
from proctor.survey import answers, results
from proctor.survey.answers import AgeBand, Education, Occupation, Profile, Sex, Source
from proctor.survey.periods import Period
from proctor.survey.results import VenueResults
from proctor.survey.rules import SurveyRules

router = APIRouter(prefix="/public", include_in_schema=False)
console = APIRouter(prefix="/console", include_in_schema=False)
PUBLISHERS = (Role.COMPLAINT_OFFICER, Role.ADMIN)


def _form_context(rules: SurveyRules) -> dict[str, Any]:
    return {
        "elements": rules.elements, "age_bands": [str(a) for a in AgeBand],
        "profile_words": PROFILE,
    }  # fmt: skip


def _invitation(db: Session, code: str) -> tuple[SurveyInvitation, Source]:
    """A tracking number opens a closed complaint's survey; anything else is an exam card's
    code."""
    if TRACKING.fullmatch(code.strip().upper()):
        case = complaints.by_tracking_number(db, code)
        return answers.complaint_invitation(db, case), Source.COMPLAINT
    return answers.invitation_for_code(db, code), Source.CARD


def _choice(form: dict[str, str], name: str, kind: type) -> Any:
    value = form.get(name, "")
    try:
        return kind(value) if value else None
    except ValueError:
        return None  # an option the form never offered: left out, as the profile allows


def _scores(form: dict[str, str], rules: SurveyRules) -> dict[str, int]:
    scores = {}
    for element in rules.elements:
        value = form.get(f"e_{element.code}", "")
        if value not in {"1", "2", "3", "4"}:
            raise RejectedInputError("answer every question", code=ErrorCode.REQUEST_INVALID)
        scores[element.code] = int(value)
    return scores


@router.get("/survey", response_class=HTMLResponse)
def survey_form(request: Request, context: Context, code: str = "") -> HTMLResponse:
    return render(
        request, "public_survey.html", form={"code": code[:32]},
        **_form_context(context.settings.survey),
    )  # fmt: skip


@router.post("/survey", response_class=HTMLResponse)
async def survey_answer(request: Request, db: DbSession, context: Context) -> HTMLResponse:
    form = {k: str(v) for k, v in (await request.form()).items()}
    rules = context.settings.survey
    try:
        scores = _scores(form, rules)
        invitation, source = _invitation(db, form.get("code", "")[:32])
        answers.answer(
            db, invitation, scores, rules, source=source,
            profile=Profile(
                _choice(form, "age_band", AgeBand), _choice(form, "sex", Sex),
                _choice(form, "education", Education), _choice(form, "occupation", Occupation),
            ),
            suggestion=form.get("suggestion", "")[:2000],
            default_zone=context.settings.complaints.timezone,
        )  # fmt: skip
        db.commit()
    except ProctorError as exc:
        db.rollback()
        return render(
            request, "public_survey.html", form=form, refused=str(exc.code),
            **_form_context(rules),
        )  # fmt: skip
    return render(request, "public_survey.html", thanks=True, **_form_context(rules))


def _period(text: str | None, zone: str) -> Period:
    """The typed period; a page asked for one it cannot read shows this semester."""
    try:
        return Period.chosen(text, utcnow(), zone)
    except ValueError:
        return Period.containing(utcnow(), zone)


def _periods(now_period: Period) -> list[Period]:
    """The periods offered to choose: this and the three years before, semesters and years."""
    out = []
    for year in range(now_period.year, now_period.year - 4, -1):
        out += [Period(year, 2), Period(year, 1), Period(year)]
    return [p for p in out if p.first_month <= now_period.first_month or p.half is None]


def _chosen(
    db: Session, context: ServiceContext, period: str | None, venue: str | None
) -> tuple[Period, VenueResults | None, list[VenueResults]]:
    zone, rules = context.settings.complaints.timezone, context.settings.survey
    chosen = _period(period, zone)
    try:
        one = catalog.get(db, Venue, uuid.UUID(venue), "venue") if venue else None
    except (ValueError, ProctorError):
        one = None
    if one is not None:
        return chosen, results.venue_results(db, one, chosen, rules), []
    return chosen, None, results.every_venue(db, chosen, rules)


@router.get("/ikm", response_class=HTMLResponse)
def ikm_page(
    request: Request,
    db: DbSession,
    context: Context,
    period: str | None = None,
    venue: str | None = None,
) -> HTMLResponse:
    chosen, one, every = _chosen(db, context, period, venue)
    current = Period.containing(utcnow(), context.settings.complaints.timezone)
    return render(
        request, "public_ikm.html", period=chosen, periods=_periods(current), one=one,
        every=every, venues=catalog.venues(db), survey_rules=context.settings.survey,
        zone=one.venue.time_zone if one else None,
    )  # fmt: skip


@router.get("/ikm.csv")
def ikm_csv(
    db: DbSession, context: Context, period: str | None = None, venue: str | None = None
) -> Response:
    chosen, one, every = _chosen(db, context, period, venue)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    elements = [e.code for e in context.settings.survey.elements]
    writer.writerow(
        ["venue_code", "venue_name", "period", "ikm", "grade", "respondents", "served",
         "minimum_sample", *(f"mean_{c}" for c in elements), "weakest_element",
         "follow_up"]
    )  # fmt: skip
    for row in [one] if one else every:
        means = {e.code: e.mean for e in row.index.elements}
        weakest = row.index.weakest
        writer.writerow(
            [row.venue.code, row.venue.name, str(row.period), row.index.index or "",
             row.index.grade.letter if row.index.grade else "", row.index.respondents,
             row.served, row.minimum, *(means.get(c) or "" for c in elements),
             weakest.code if weakest else "", row.follow_up.text if row.follow_up else ""]
        )  # fmt: skip
    if one is not None:
        writer.writerow([])
        writer.writerow(["channel", "received", "answered_on_time", "closed"])
        for figures in one.channels:
            writer.writerow(
                [figures.channel, figures.received, figures.answered_on_time, figures.closed]
            )
    name = f"ikm-{chosen}{'-' + one.venue.code if one else ''}.csv"
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@console.get("/survey", response_class=HTMLResponse)
def survey_console(
    request: Request,
    db: DbSession,
    context: Context,
    period: str | None = None,
    error: str | None = None,
) -> HTMLResponse:
    user = current_user(request, db)
    user.principal.require(*PUBLISHERS, Role.COMMITTEE)
    chosen, _, every = _chosen(db, context, period, None)
    current = Period.containing(utcnow(), context.settings.complaints.timezone)
    return render_console(
        request, "survey_console.html", user, period=chosen, periods=_periods(current),
        every=every, survey_rules=context.settings.survey, error=error,
        can_publish=user.principal.role in PUBLISHERS,
    )  # fmt: skip


@console.post("/survey/follow-up")
async def publish_follow_up(request: Request, db: DbSession, context: Context) -> Response:
    user, form = await form_user(request, db)
    user.principal.require(*PUBLISHERS)
    chosen = _period(form.get("period"), context.settings.complaints.timezone)
    page = f"/console/survey?period={chosen}"

    def publish() -> None:
        venue = catalog.get(db, Venue, uuid.UUID(form.get("venue_id", "")), "venue")
        results.publish_follow_up(
            db, venue, chosen, form.get("element", ""), form.get("text", "")[:4000],
            context.settings.survey, actor=user.principal.actor,
        )  # fmt: skip

    return commit_or_back(db, page, publish)
