"""venue time zone: the zone (WIB, WITA, WIT) every time shown about a venue is read in

Revision ID: 0014
Revises: 0013
Create Date: 2026-11-30 05:20:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Venues made before zones were kept are taken to be on Jakarta time (WIB), where most are.
    with op.batch_alter_table("venues", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("time_zone", sa.String(length=40), server_default="Asia/Jakarta",
                      nullable=False)
        )  # fmt: skip


def downgrade() -> None:
    with op.batch_alter_table("venues", schema=None) as batch_op:
        batch_op.drop_column("time_zone")
