"""satisfaction survey (IKM, PermenPAN-RB 14/2017): anonymous answers, the invitations that
say who has answered (apart from the answers), and the venues' published follow-ups

Revision ID: 0022
Revises: 0021
Create Date: 2026-11-30 21:30:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0022"
down_revision: str | Sequence[str] | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_answers",
        sa.Column("venue_id", sa.Uuid(), nullable=True),
        sa.Column("month", sa.Date(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("scores", sa.JSON(), nullable=False),
        sa.Column("age_band", sa.String(length=16), nullable=True),
        sa.Column("sex", sa.String(length=16), nullable=True),
        sa.Column("education", sa.String(length=16), nullable=True),
        sa.Column("occupation", sa.String(length=16), nullable=True),
        sa.Column("suggestion", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["venue_id"], ["venues.id"], name=op.f("fk_survey_answers_venue_id_venues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_answers")),
    )
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_survey_answers_month"), ["month"], unique=False)
        batch_op.create_index(batch_op.f("ix_survey_answers_venue_id"), ["venue_id"], unique=False)
    op.create_table(
        "survey_invitations",
        sa.Column("attempt_id", sa.Uuid(), nullable=True),
        sa.Column("complaint_id", sa.Uuid(), nullable=True),
        sa.Column("code_sha256", sa.String(length=64), nullable=True),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.CheckConstraint(
            "(attempt_id IS NULL) != (complaint_id IS NULL)",
            name=op.f("ck_survey_invitations_one_service_used"),
        ),
        sa.ForeignKeyConstraint(
            ["attempt_id"], ["attempts.id"], name=op.f("fk_survey_invitations_attempt_id_attempts")
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"],
            ["complaints.id"],
            name=op.f("fk_survey_invitations_complaint_id_complaints"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_invitations")),
        sa.UniqueConstraint("attempt_id", name=op.f("uq_survey_invitations_attempt_id")),
        sa.UniqueConstraint("code_sha256", name=op.f("uq_survey_invitations_code_sha256")),
        sa.UniqueConstraint("complaint_id", name=op.f("uq_survey_invitations_complaint_id")),
    )
    op.create_table(
        "survey_follow_ups",
        sa.Column("venue_id", sa.Uuid(), nullable=False),
        sa.Column("period", sa.String(length=8), nullable=False),
        sa.Column("element", sa.String(length=32), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published_by", sa.String(length=80), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["venue_id"], ["venues.id"], name=op.f("fk_survey_follow_ups_venue_id_venues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_survey_follow_ups")),
        sa.UniqueConstraint(
            "venue_id", "period", name=op.f("uq_survey_follow_ups_venue_id_period")
        ),
    )


def downgrade() -> None:
    op.drop_table("survey_follow_ups")
    op.drop_table("survey_invitations")
    with op.batch_alter_table("survey_answers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_survey_answers_venue_id"))
        batch_op.drop_index(batch_op.f("ix_survey_answers_month"))
    op.drop_table("survey_answers")
