"""watchlist, its hits and the live faces of incidents

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-29 23:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0011"
down_revision: str | Sequence[str] | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "incident_faces",
        sa.Column("incident_id", sa.Uuid(), nullable=False),
        sa.Column("engine", sa.String(length=32), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("template", sa.LargeBinary(), nullable=False),
        sa.Column("blob_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["blob_id"], ["blobs.id"], name=op.f("fk_incident_faces_blob_id_blobs")
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_incident_faces_incident_id_incidents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incident_faces")),
    )
    with op.batch_alter_table("incident_faces", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_incident_faces_incident_id"), ["incident_id"], unique=False
        )

    op.create_table(
        "watchlist_entries",
        sa.Column("source", sa.String(length=24), nullable=False),
        sa.Column("incident_id", sa.Uuid(), nullable=True),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("added_by", sa.String(length=80), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("removed_by", sa.String(length=80), nullable=True),
        sa.Column("removed_reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["incident_id"],
            ["incidents.id"],
            name=op.f("fk_watchlist_entries_incident_id_incidents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_entries")),
        sa.UniqueConstraint("incident_id", name=op.f("uq_watchlist_entries_incident_id")),
    )
    with op.batch_alter_table("watchlist_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_watchlist_entries_expires_at"), ["expires_at"], unique=False
        )

    op.create_table(
        "watchlist_faces",
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("engine", sa.String(length=32), nullable=False),
        sa.Column("template", sa.LargeBinary(), nullable=False),
        sa.Column("blob_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["blob_id"], ["blobs.id"], name=op.f("fk_watchlist_faces_blob_id_blobs")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["watchlist_entries.id"],
            name=op.f("fk_watchlist_faces_entry_id_watchlist_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_faces")),
    )
    with op.batch_alter_table("watchlist_faces", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_watchlist_faces_engine"), ["engine"], unique=False)
        batch_op.create_index(batch_op.f("ix_watchlist_faces_entry_id"), ["entry_id"], unique=False)

    op.create_table(
        "watchlist_hits",
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("place", sa.String(length=16), nullable=False),
        sa.Column("engine", sa.String(length=32), nullable=False),
        sa.Column("score", sa.Double(), nullable=False),
        sa.Column("threshold", sa.Double(), nullable=False),
        sa.Column("attempt_id", sa.Uuid(), nullable=False),
        sa.Column("venue_id", sa.Uuid(), nullable=False),
        sa.Column("checkpoint_id", sa.Uuid(), nullable=True),
        sa.Column("incident_id", sa.Uuid(), nullable=True),
        sa.Column("status", sa.String(length=16), server_default="open", nullable=False),
        sa.Column("decided_by", sa.String(length=80), nullable=True),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["attempt_id"], ["attempts.id"], name=op.f("fk_watchlist_hits_attempt_id_attempts")
        ),
        sa.ForeignKeyConstraint(
            ["checkpoint_id"],
            ["checkpoints.id"],
            name=op.f("fk_watchlist_hits_checkpoint_id_checkpoints"),
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["watchlist_entries.id"],
            name=op.f("fk_watchlist_hits_entry_id_watchlist_entries"),
        ),
        sa.ForeignKeyConstraint(
            ["incident_id"], ["incidents.id"], name=op.f("fk_watchlist_hits_incident_id_incidents")
        ),
        sa.ForeignKeyConstraint(
            ["venue_id"], ["venues.id"], name=op.f("fk_watchlist_hits_venue_id_venues")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_watchlist_hits")),
    )
    with op.batch_alter_table("watchlist_hits", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_watchlist_hits_attempt_id"), ["attempt_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_watchlist_hits_entry_id"), ["entry_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_watchlist_hits_status"), ["status"], unique=False)
        batch_op.create_index(batch_op.f("ix_watchlist_hits_venue_id"), ["venue_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("watchlist_hits", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watchlist_hits_venue_id"))
        batch_op.drop_index(batch_op.f("ix_watchlist_hits_status"))
        batch_op.drop_index(batch_op.f("ix_watchlist_hits_entry_id"))
        batch_op.drop_index(batch_op.f("ix_watchlist_hits_attempt_id"))

    op.drop_table("watchlist_hits")
    with op.batch_alter_table("watchlist_faces", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watchlist_faces_entry_id"))
        batch_op.drop_index(batch_op.f("ix_watchlist_faces_engine"))

    op.drop_table("watchlist_faces")
    with op.batch_alter_table("watchlist_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_watchlist_entries_expires_at"))

    op.drop_table("watchlist_entries")
    with op.batch_alter_table("incident_faces", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_incident_faces_incident_id"))

    op.drop_table("incident_faces")
