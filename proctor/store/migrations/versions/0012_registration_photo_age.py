"""registration photo age index: each registry reads the newest templates once a second

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 00:50:00.000000

"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("registration_photos", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_registration_photos_created_at"), ["created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("registration_photos", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_registration_photos_created_at"))
