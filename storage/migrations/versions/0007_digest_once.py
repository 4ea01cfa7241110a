"""digests: one per day and recipient list, claimed before sending, marked after

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-01
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _key(recipients: str) -> str:
    # Same rule as storage.digests.recipients_key (kept here: a migration never imports app code).
    names = sorted({r.strip().lower() for r in recipients.split("\n") if r.strip()})
    return hashlib.sha256("\n".join(names).encode()).hexdigest()[:32]


def upgrade() -> None:
    with op.batch_alter_table("digests") as batch:
        batch.drop_constraint("uq_digests_day", type_="unique")
        batch.add_column(sa.Column("recipients_key", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("status", sa.String(length=16), nullable=False, server_default="sent"))
        batch.add_column(sa.Column("claimed_at", sa.DateTime(), nullable=True))
        batch.add_column(sa.Column("claimed_by", sa.String(length=256), nullable=True))
        batch.add_column(sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"))
        batch.alter_column("sent_at", existing_type=sa.DateTime(), nullable=True)
    conn = op.get_bind()
    digests = sa.table("digests", sa.column("id", sa.Integer), sa.column("recipients", sa.Text),
                       sa.column("recipients_key", sa.String))
    for row_id, recipients in conn.execute(sa.select(digests.c.id, digests.c.recipients)).all():
        conn.execute(digests.update().where(digests.c.id == row_id).values(recipients_key=_key(recipients or "")))
    with op.batch_alter_table("digests") as batch:
        batch.alter_column("recipients_key", existing_type=sa.String(length=64), nullable=False)
        batch.create_unique_constraint("uq_digests_day", ["day", "recipients_key"])


def downgrade() -> None:
    with op.batch_alter_table("digests") as batch:
        batch.drop_constraint("uq_digests_day", type_="unique")
        batch.drop_column("attempts")
        batch.drop_column("claimed_by")
        batch.drop_column("claimed_at")
        batch.drop_column("status")
        batch.drop_column("recipients_key")
        batch.create_unique_constraint("uq_digests_day", ["day"])
