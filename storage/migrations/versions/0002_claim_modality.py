"""claim modality (stated, reported, plan, hypothetical, denied)

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.add_column(sa.Column("modality", sa.String(length=16), nullable=False, server_default="stated"))
    op.execute("UPDATE claims SET modality = 'plan' WHERE is_plan")


def downgrade() -> None:
    with op.batch_alter_table("claims") as batch:
        batch.drop_column("modality")
