"""row versions, id counters, audit trail kept after a workspace is deleted, page indexes

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 21:45:00

- ``version`` on observations, targets, narratives and action items: optimistic concurrency (an edit
  made from an older version is refused, not silently applied over someone else's change);
- ``key_counters``: ids (``obs-0042``) handed out inside the writing transaction;
- ``audit_log.workspace_id`` becomes ``ON DELETE SET NULL`` and the rows keep ``workspace_name``, so a
  deleted workspace keeps its history;
- indexes for the data and audit pages (order and cursor) and the content version (max audit id).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_VERSIONED = ("observations", "targets", "narratives", "action_items")


def upgrade() -> None:
    for table in _VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.add_column(sa.Column("version", sa.Integer(), server_default="1", nullable=False))
    op.create_table(
        "key_counters",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("prefix", sa.String(length=20), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"],
            ["workspaces.id"],
            name=op.f("fk_key_counters_workspace_id_workspaces"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("workspace_id", "prefix", name=op.f("pk_key_counters")),
    )
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index("ix_observations_ws_indicator")
        batch_op.create_index(
            "ix_observations_ws_order",
            ["workspace_id", "indicator", "scope", "reference_year", "id"],
            unique=False,
        )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("workspace_name", sa.String(length=64), nullable=True))
        batch_op.drop_constraint("fk_audit_log_workspace_id_workspaces", type_="foreignkey")
        batch_op.create_foreign_key(
            batch_op.f("fk_audit_log_workspace_id_workspaces"),
            "workspaces",
            ["workspace_id"],
            ["id"],
            ondelete="SET NULL",
        )
        batch_op.drop_index("ix_audit_ws_at")
        batch_op.drop_index("ix_audit_ws_indicator")
        batch_op.create_index("ix_audit_ws_id", ["workspace_id", "id"], unique=False)
        batch_op.create_index("ix_audit_ws_indicator", ["workspace_id", "indicator", "id"], unique=False)
        batch_op.create_index("ix_audit_ws_entity_id", ["workspace_id", "entity_id", "id"], unique=False)
    op.execute(
        "UPDATE audit_log SET workspace_name = "
        "(SELECT name FROM workspaces WHERE workspaces.id = audit_log.workspace_id) "
        "WHERE workspace_id IS NOT NULL"
    )


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_ws_entity_id")
        batch_op.drop_index("ix_audit_ws_indicator")
        batch_op.drop_index("ix_audit_ws_id")
        batch_op.create_index("ix_audit_ws_indicator", ["workspace_id", "indicator"], unique=False)
        batch_op.create_index("ix_audit_ws_at", ["workspace_id", "at"], unique=False)
        batch_op.drop_constraint("fk_audit_log_workspace_id_workspaces", type_="foreignkey")
        batch_op.create_foreign_key(
            batch_op.f("fk_audit_log_workspace_id_workspaces"),
            "workspaces",
            ["workspace_id"],
            ["id"],
            ondelete="CASCADE",
        )
        batch_op.drop_column("workspace_name")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index("ix_observations_ws_order")
        batch_op.create_index("ix_observations_ws_indicator", ["workspace_id", "indicator"], unique=False)
    op.drop_table("key_counters")
    for table in _VERSIONED:
        with op.batch_alter_table(table, schema=None) as batch_op:
            batch_op.drop_column("version")
