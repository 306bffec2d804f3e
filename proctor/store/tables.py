"""Every table, imported in one place so `Base.metadata` is complete (Alembic, tests)."""

from proctor.store.access import ApiToken, ConsoleSession
from proctor.store.audit import AuditCheck, AuditCheckpoint, AuditRecord, AuditTreeNode
from proctor.store.base import Base
from proctor.store.complaints import (
    Complaint,
    ComplaintMessage,
    ComplaintSurvey,
    IncidentDecision,
    ReceiptFailure,
    WbsMessage,
    WbsReport,
)
from proctor.store.evidence import (
    AttemptFlag,
    Checkpoint,
    Incident,
    IncidentEvidence,
    Observation,
    ProxySearch,
)
from proctor.store.exam import (
    Attempt,
    Blob,
    Candidate,
    DuplicateFace,
    ExamSession,
    RegistrationPhoto,
    Station,
    Venue,
)
from proctor.store.identity import IncidentFace, WatchlistEntry, WatchlistFace, WatchlistHit
from proctor.store.survey import SurveyAnswer, SurveyFollowUp, SurveyInvitation

__all__ = [
    "ApiToken",
    "Attempt",
    "AttemptFlag",
    "AuditCheck",
    "AuditCheckpoint",
    "AuditRecord",
    "AuditTreeNode",
    "Base",
    "Blob",
    "Candidate",
    "Checkpoint",
    "Complaint",
    "ComplaintMessage",
    "ComplaintSurvey",
    "ConsoleSession",
    "DuplicateFace",
    "ExamSession",
    "Incident",
    "IncidentDecision",
    "IncidentEvidence",
    "IncidentFace",
    "Observation",
    "ProxySearch",
    "ReceiptFailure",
    "RegistrationPhoto",
    "Station",
    "SurveyAnswer",
    "SurveyFollowUp",
    "SurveyInvitation",
    "Venue",
    "WatchlistEntry",
    "WatchlistFace",
    "WatchlistHit",
    "WbsMessage",
    "WbsReport",
]
