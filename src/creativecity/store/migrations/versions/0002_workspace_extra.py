"""workspace extra fields

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25 16:53:34.197765
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:

    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.add_column(sa.Column("extra", sa.Text(), server_default="{}", nullable=False))


def downgrade() -> None:

    with op.batch_alter_table("workspaces", schema=None) as batch_op:
        batch_op.drop_column("extra")
