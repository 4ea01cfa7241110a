"""feed origin (configured, added, one run, removed), failing since, cycles table

Revision ID: 0006
Revises: 0007
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("feeds") as batch:
        batch.add_column(sa.Column("origin", sa.String(length=16), nullable=False, server_default="config"))
        batch.add_column(sa.Column("first_url", sa.String(length=2048), nullable=True))
        batch.add_column(sa.Column("added_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("failing_since", sa.DateTime(), nullable=True))
    op.execute("UPDATE feeds SET first_url = url")
    op.execute("UPDATE feeds SET failing_since = last_polled_at WHERE consecutive_errors > 0")
    op.create_index(op.f("ix_feeds_first_url"), "feeds", ["first_url"])
    op.create_table(
        "cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(), nullable=False),
        sa.Column("finished_at", sa.DateTime(), nullable=False),
        sa.Column("feeds_polled", sa.Integer(), nullable=False),
        sa.Column("feeds_not_modified", sa.Integer(), nullable=False),
        sa.Column("feeds_failed", sa.Integer(), nullable=False),
        sa.Column("articles_new", sa.Integer(), nullable=False),
        sa.Column("articles_duplicate", sa.Integer(), nullable=False),
        sa.Column("articles_skipped", sa.Integer(), nullable=False),
        sa.Column("claims", sa.Integer(), nullable=False),
        sa.Column("errors", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cycles")),
    )
    op.create_index(op.f("ix_cycles_finished_at"), "cycles", ["finished_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_cycles_finished_at"), table_name="cycles")
    op.drop_table("cycles")
    op.drop_index(op.f("ix_feeds_first_url"), table_name="feeds")
    with op.batch_alter_table("feeds") as batch:
        batch.drop_column("failing_since")
        batch.drop_column("added_at")
        batch.drop_column("first_url")
        batch.drop_column("origin")
