"""A console form's act: done in the request's transaction, then back to the page it came from,
with the refusal's stable code where the domain refused it (nothing of it kept)."""

from __future__ import annotations

from collections.abc import Callable

from fastapi.responses import RedirectResponse
from sqlalchemy.orm import Session

from proctor.errors import ErrorCode, ProctorError, RejectedInputError


def back(path: str, error: ProctorError | None = None) -> RedirectResponse:
    joint = "&" if "?" in path else "?"
    suffix = f"{joint}error={error.code}" if error else ""
    return RedirectResponse(f"{path}{suffix}", status_code=303)


def commit_or_back(db: Session, page: str, act: Callable[[], object]) -> RedirectResponse:
    """Run `act`, commit, and return to `page`; on a refusal roll back and return with its code.
    A ValueError is a form value outside its list (a track, a decision): request_invalid."""
    try:
        act()
        db.commit()
    except ProctorError as exc:
        db.rollback()
        return back(page, exc)
    except ValueError:
        db.rollback()
        return back(page, RejectedInputError("unknown value", code=ErrorCode.REQUEST_INVALID))
    return back(page)
