"""longer currency

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 17:05:05.599804
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:

    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.alter_column(
            "currency",
            existing_type=sa.VARCHAR(length=10),
            type_=sa.String(length=50),
            existing_nullable=False,
        )


def downgrade() -> None:

    with op.batch_alter_table("action_items", schema=None) as batch_op:
        batch_op.alter_column(
            "currency",
            existing_type=sa.String(length=50),
            type_=sa.VARCHAR(length=10),
            existing_nullable=False,
        )
