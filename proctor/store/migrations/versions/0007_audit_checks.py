"""audit checks: each full check of the chain, shared by every server process

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-24 00:09:25.355729

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "audit_checks",
        sa.Column(
            "id",
            sa.BigInteger().with_variant(sa.Integer(), "sqlite"),
            autoincrement=True,
            nullable=False,
        ),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("by", sa.String(length=80), nullable=False),
        sa.Column("records", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False),
        sa.Column("ok", sa.Boolean(), nullable=False),
        sa.Column(
            "checkpoint_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("problem_kind", sa.String(length=16), nullable=True),
        sa.Column(
            "problem_record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=True
        ),
        sa.Column("message", sa.String(length=200), nullable=True),
        sa.Column("seconds", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_checks")),
    )
    with op.batch_alter_table("audit_checks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_checks_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_checks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_checks_at"))

    op.drop_table("audit_checks")
