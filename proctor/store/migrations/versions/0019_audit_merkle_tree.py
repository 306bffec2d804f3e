"""audit merkle tree: the perfect subtrees of a Merkle tree over the audit records, and the
tree size and root each signed head covers

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 15:00:00.000000

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0019"
down_revision: str | Sequence[str] | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def upgrade() -> None:
    op.create_table(
        "audit_tree_nodes",
        sa.Column("level", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("position", _ID, autoincrement=False, nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.Column("record_id", _ID, nullable=True),
        sa.PrimaryKeyConstraint("level", "position", name=op.f("pk_audit_tree_nodes")),
    )
    with op.batch_alter_table("audit_tree_nodes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_audit_tree_nodes_record_id"), ["record_id"], unique=True
        )
    # Existing checkpoints keep no tree: the next signed head covers every record so far.
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.add_column(sa.Column("tree_size", _ID, nullable=True))
        batch_op.add_column(sa.Column("root_hash", sa.String(length=64), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("audit_checkpoints", schema=None) as batch_op:
        batch_op.drop_column("root_hash")
        batch_op.drop_column("tree_size")
    with op.batch_alter_table("audit_tree_nodes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_tree_nodes_record_id"))
    op.drop_table("audit_tree_nodes")
