"""audit venue: each audit record names the venue its subject belongs to, so the committee
can read one venue's trail

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 11:40:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0016"
down_revision: str | Sequence[str] | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Older records stay without a venue: the venue is part of a record's hash, so filling it
    # in afterwards would break the chain they were signed in.
    with op.batch_alter_table("audit_records", schema=None) as batch_op:
        batch_op.add_column(sa.Column("venue_id", sa.Uuid(), nullable=True))
        batch_op.create_index(batch_op.f("ix_audit_records_venue_id"), ["venue_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("audit_records", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_records_venue_id"))
        batch_op.drop_column("venue_id")
