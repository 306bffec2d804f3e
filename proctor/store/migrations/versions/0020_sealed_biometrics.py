"""sealed biometrics: the wrapped data key beside every stored image and face template

Rows stored before this revision keep their bytes in the clear and a null key until the
service's start seals them (`proctor.sealing.upgrade`): a migration has no master key.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 18:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0020"
down_revision: str | Sequence[str] | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEYS = {
    "blobs": "sealed_key",
    "registration_photos": "template_key",
    "watchlist_faces": "template_key",
    "incident_faces": "template_key",
}


def upgrade() -> None:
    for table, column in KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column(column, sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    bind = op.get_bind()
    for table, column in KEYS.items():
        # Dropping the keys of sealed rows would lose their images and templates for good.
        key = sa.table(table, sa.column(column)).c[column]
        if bind.execute(sa.select(sa.literal(1)).where(key.is_not(None)).limit(1)).first():
            raise RuntimeError(f"{table} holds sealed rows: a downgrade below 0020 would lose them")
    for table, column in KEYS.items():
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column(column)
