"""receipt failures: wrong whistleblowing receipts, counted by every server process together

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-24 00:15:02.514353

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "receipt_failures",
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_receipt_failures")),
    )
    with op.batch_alter_table("receipt_failures", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_receipt_failures_at"), ["at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("receipt_failures", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_receipt_failures_at"))

    op.drop_table("receipt_failures")
