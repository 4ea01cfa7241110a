"""entity parts (entities.part_of_id) and the modality of a claim group

Revision ID: 0003
Revises: 0004
Create Date: 2026-12-01
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("entities") as batch:
        batch.add_column(sa.Column("part_of_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_entities_part_of_id_entities", "entities", ["part_of_id"], ["id"], ondelete="SET NULL"
        )
        batch.create_index("ix_entities_part_of_id", ["part_of_id"], unique=False)
    with op.batch_alter_table("claim_groups") as batch:
        batch.add_column(sa.Column("modality", sa.String(length=16), nullable=False, server_default="stated"))
    op.execute("UPDATE claim_groups SET modality = 'plan' WHERE is_plan")


def downgrade() -> None:
    with op.batch_alter_table("claim_groups") as batch:
        batch.drop_column("modality")
    with op.batch_alter_table("entities") as batch:
        batch.drop_index("ix_entities_part_of_id")
        batch.drop_constraint("fk_entities_part_of_id_entities", type_="foreignkey")
        batch.drop_column("part_of_id")
