"""proxy searches: a face_mismatch incident's live faces searched against the registry

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-29 22:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "proxy_searches",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("engine", sa.String(length=32), nullable=False),
        sa.Column("threshold", sa.Double(), nullable=False),
        sa.Column("faces", sa.Integer(), nullable=False),
        sa.Column("hits", sa.JSON(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_proxy_searches_incident_id_incidents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_proxy_searches")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_proxy_searches_incident_id")),
    )


def downgrade() -> None:
    op.drop_table("proxy_searches")
