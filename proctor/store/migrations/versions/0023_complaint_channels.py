"""complaint channels: the complaint box (the slip's photo, when and by whom the box was opened)
and social media (the post's address and account)

Revision ID: 0023
Revises: 0022
Create Date: 2026-11-30 22:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0023"
down_revision: str | Sequence[str] | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = (
    ("box_opened_on", sa.Date()),
    ("box_opened_by", sa.String(length=200)),
    ("post_url", sa.String(length=500)),
    ("account_name", sa.String(length=200)),
)


def upgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("slip_blob_id", sa.Uuid(), nullable=True))
        for name, kind in COLUMNS:
            batch_op.add_column(sa.Column(name, kind, nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_complaints_slip_blob_id_blobs"), "blobs", ["slip_blob_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("complaints", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_complaints_slip_blob_id_blobs"), type_="foreignkey")
        for name, _ in reversed(COLUMNS):
            batch_op.drop_column(name)
        batch_op.drop_column("slip_blob_id")
