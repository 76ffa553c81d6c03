"""Idempotent writes of the conversation and the follow-up of payments.

- disputes, complaints, callback_tasks: a nullable `idempotency_key` with a unique index (a retried request
  of the bot finds the row it already wrote);
- payments: a nullable `dedup_key` with a unique index (`amiable payments import` of the same file twice adds
  nothing);
- arrangements: `accepted_on` and `paid_before` (what the case had received when the debtor accepted), so
  that later payments are matched to the schedule.

Columns are added with ALTER TABLE and uniqueness is a unique index, so SQLite does not rebuild the tables.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

KEYED_TABLES = (
    ("disputes", "idempotency_key"),
    ("complaints", "idempotency_key"),
    ("callback_tasks", "idempotency_key"),
    ("payments", "dedup_key"),
)


def upgrade() -> None:
    for table, column in KEYED_TABLES:
        op.add_column(table, sa.Column(column, sa.String(length=80), nullable=True))
        op.create_index(op.f(f"ix_{table}_{column}"), table, [column], unique=True)
    op.add_column("arrangements", sa.Column("accepted_on", sa.Date(), nullable=True))
    op.add_column("arrangements", sa.Column("paid_before", sa.BigInteger(), nullable=True))


def downgrade() -> None:
    # SQLite (3.35+) and PostgreSQL both drop a column in place once its index is gone.
    op.drop_column("arrangements", "paid_before")
    op.drop_column("arrangements", "accepted_on")
    for table, column in reversed(KEYED_TABLES):
        op.drop_index(op.f(f"ix_{table}_{column}"), table_name=table)
        op.drop_column(table, column)
