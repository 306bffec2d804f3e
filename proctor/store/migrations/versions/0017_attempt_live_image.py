"""attempt live image: the newest live picture of the candidate (a checkpoint photo or a
station snapshot) kept on the attempt, for the proctors' grid

Revision ID: 0017
Revises: 0016
Create Date: 2026-11-30 11:45:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0017"
down_revision: str | Sequence[str] | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.add_column(sa.Column("live_blob_id", sa.Uuid(), nullable=True))
        batch_op.add_column(sa.Column("live_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_attempts_live_blob_id_blobs"), "blobs", ["live_blob_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("attempts", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_attempts_live_blob_id_blobs"), type_="foreignkey")
        batch_op.drop_column("live_at")
        batch_op.drop_column("live_blob_id")
