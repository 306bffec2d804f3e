"""retention marks: when the retention schedule deleted an image (the row stays, without
bytes), an attempt's live pictures, a candidate's registration photos and templates

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 19:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0021"
down_revision: str | Sequence[str] | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


MARKS = {"blobs": "purged_at", "attempts": "live_purged_at", "candidates": "registration_purged_at"}


def upgrade() -> None:
    for table, column in MARKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    for table, column in MARKS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
