"""attempt last score: the newest scored observation kept on the attempt for the live grid

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23 23:49:44.248541

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE on both databases: SQLite 3.35+ adds and drops columns itself, without
# copying the attempts table.


def upgrade() -> None:
    op.add_column("attempts", sa.Column("last_score", sa.Double(), nullable=True))
    op.add_column("attempts", sa.Column("last_score_seq", sa.Integer(), nullable=True))
    # Attempts already under way keep showing their latest score.
    op.execute(
        "UPDATE attempts SET last_score_seq = (SELECT max(o.seq) FROM observations o "
        "WHERE o.attempt_id = attempts.id AND o.score IS NOT NULL)"
    )
    op.execute(
        "UPDATE attempts SET last_score = (SELECT o.score FROM observations o "
        "WHERE o.attempt_id = attempts.id AND o.seq = attempts.last_score_seq) "
        "WHERE last_score_seq IS NOT NULL"
    )


def downgrade() -> None:
    op.drop_column("attempts", "last_score_seq")
    op.drop_column("attempts", "last_score")
