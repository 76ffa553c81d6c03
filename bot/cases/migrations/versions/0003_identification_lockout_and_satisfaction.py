"""Identification lockout that survives a restart, and satisfaction ratings.

- identification_attempts: failed identifications per submitted (normalised) reference, known or not, and the
  time until which that reference is locked. No foreign key on purpose: unknown references are counted and
  locked exactly like known ones.
- satisfaction_ratings: the 1-5 rating given at the end of a conversation, one row per conversation
  (unique conversation_id), optionally linked to the case the person was identified on.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "identification_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("reference", sa.String(length=20), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("last_failure_at", sa.DateTime(), nullable=True),
        sa.Column("locked_until", sa.DateTime(), nullable=True),
        sa.CheckConstraint("failures >= 0", name="ck_identification_attempts_failures"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(op.f("ix_identification_attempts_reference"), "identification_attempts", ["reference"], unique=True)

    op.create_table(
        "satisfaction_ratings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("conversation_id", sa.String(length=80), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), server_default=sa.func.now(), nullable=False),
        sa.CheckConstraint("rating BETWEEN 1 AND 5", name="ck_satisfaction_rating"),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("conversation_id", name="uq_satisfaction_ratings_conversation_id"),
    )
    op.create_index(op.f("ix_satisfaction_ratings_case_id"), "satisfaction_ratings", ["case_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_satisfaction_ratings_case_id"), table_name="satisfaction_ratings")
    op.drop_table("satisfaction_ratings")
    op.drop_index(op.f("ix_identification_attempts_reference"), table_name="identification_attempts")
    op.drop_table("identification_attempts")
