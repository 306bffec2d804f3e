"""The complaint procedure's transition table, cell by cell."""

from __future__ import annotations

import itertools
import uuid

import pytest

from proctor.cases import procedure
from proctor.cases.procedure import TRANSITIONS, CaseState
from proctor.errors import ConflictError
from proctor.store.complaints import Complaint


@pytest.mark.parametrize(("start", "target"), list(itertools.product(CaseState, CaseState)))
def test_each_cell(session, start, target):
    case = Complaint(id=uuid.uuid4(), state=str(start))
    if target in TRANSITIONS[start]:
        procedure.move(session, case, target, actor="t")
        assert case.state == target
        assert [r.action for r in session.added] == [f"complaint.{target}"]
    else:
        with pytest.raises(ConflictError):
            procedure.move(session, case, target, actor="t")
        assert case.state == start and session.added == []
