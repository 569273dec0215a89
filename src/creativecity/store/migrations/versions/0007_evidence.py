"""evidence: bounds of figures and targets, the instrument's Vietnamese name

Revision ID: 0007
Revises: 0006 (after the sessions migration)
Create Date: 2026-12-01 22:30:00

Why: "more than 4 %" and "1.7-2.3 million workers" must be stored as bounds and ranges (``bound``,
``value_high``), not as points; a target cites its instrument in Vietnamese (``instrument_vi``). A
figure's level (city, national, district) is derived from its scope, so it has no column; series
breaks live in the workspace's ``extra`` JSON.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bound", sa.String(length=10), server_default="", nullable=False))
        batch_op.add_column(sa.Column("value_high", sa.Float(), nullable=True))
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.add_column(sa.Column("bound", sa.String(length=10), server_default="", nullable=False))
        batch_op.add_column(sa.Column("value_high", sa.Float(), nullable=True))
        batch_op.add_column(sa.Column("instrument_vi", sa.Text(), server_default="", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("targets", schema=None) as batch_op:
        batch_op.drop_column("instrument_vi")
        batch_op.drop_column("value_high")
        batch_op.drop_column("bound")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_column("value_high")
        batch_op.drop_column("bound")
