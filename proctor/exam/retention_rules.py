"""How long biometric data is kept (UU PDP: a stated retention period per kind). Plain settings,
light to import; `proctor.exam.retention` applies them."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class RetentionRules(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    live_days: int = Field(
        30,
        ge=1,
        description="Days after its exam session ends that an attempt's live pictures "
        "(checkpoint photos, station snapshots) are kept when no case holds them.",
    )
    case_days: int = Field(
        365,
        ge=1,
        description="Days after an incident is closed (appeals included) that its evidence and "
        "the proxy's face templates are kept; and after a watchlist entry is removed or expires, "
        "its faces.",
    )
    registration_until: date | None = Field(
        None,
        description="The selection cycle's last day: after it, registration photos and their "
        "templates are deleted, except a candidate's whom a case holds. Unset: kept.",
    )
    run_every_seconds: float = Field(
        3600,
        ge=0,
        description="How often the service applies the schedule; 0: only `proctor retention run`.",
    )
