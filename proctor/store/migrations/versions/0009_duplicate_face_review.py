"""duplicate faces become reviewable cases: status, who decided, when, and why

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-29 21:50:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("duplicate_faces", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("status", sa.String(length=16), server_default="open", nullable=False)
        )
        batch_op.add_column(sa.Column("decided_by", sa.String(length=80), nullable=True))
        batch_op.add_column(sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("reason", sa.Text(), nullable=True))
        batch_op.create_index(batch_op.f("ix_duplicate_faces_status"), ["status"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("duplicate_faces", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_duplicate_faces_status"))
        batch_op.drop_column("reason")
        batch_op.drop_column("decided_at")
        batch_op.drop_column("decided_by")
        batch_op.drop_column("status")
