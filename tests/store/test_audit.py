"""The audit trail records every change with who made it, in the same transaction as the change."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from creativecity.store import SYSTEM, Actor, Store
from creativecity.store import repository as repo
from creativecity.store.audit import entries
from creativecity.store.bootstrap import load_bundled
from creativecity.store.models import AuditEntry, Observation
from creativecity.store.workspaces import require_workspace

ANA = Actor(email="ana@example.org")


def _audit_count(store: Store) -> int:
    with store.reading() as s:
        return s.scalar(select(func.count()).select_from(AuditEntry)) or 0


def _first(store: Store) -> Observation:
    with store.reading() as s:
        return s.scalars(select(Observation).order_by(Observation.id)).first()


def test_update_records_field_old_and_new_value_and_actor(store: Store) -> None:
    load_bundled(store)
    obs = _first(store)
    with store.transaction(ANA) as s:
        repo.update_observation(s, "hanoi", obs.key, {"value": obs.value + 1, "note": "re-checked"})
    with store.reading() as s:
        ws = require_workspace(s, "hanoi")
        rows = entries(s, ws.id, entity_id=obs.key, limit=10)
    changed = {
        (e.field, e.old_value, e.new_value, e.actor_email, e.action) for e in rows if e.action == "update"
    }
    assert changed == {
        ("value", str(obs.value), str(obs.value + 1), "ana@example.org", "update"),
        ("note", obs.note, "re-checked", "ana@example.org", "update"),
    }
    assert all(e.indicator == obs.indicator for e in rows)


def test_create_and_delete_keep_the_whole_row(store: Store) -> None:
    load_bundled(store)
    obs = _first(store)
    with store.transaction(ANA) as s:
        repo.delete_observation(s, "hanoi", obs.key)
    with store.reading() as s:
        ws = require_workspace(s, "hanoi")
        (deleted,) = [e for e in entries(s, ws.id, entity_id=obs.key) if e.action == "delete"]
        (created,) = [e for e in entries(s, ws.id, entity_id=obs.key) if e.action == "create"]
    assert json.loads(deleted.old_value)["source"] == obs.source
    assert json.loads(created.new_value)["value"] == obs.value
    assert (deleted.actor_email, created.actor_email) == ("ana@example.org", "system")


def test_a_change_without_an_actor_fails_and_writes_nothing(store: Store) -> None:
    load_bundled(store)
    before = _audit_count(store)
    obs = _first(store)
    with pytest.raises(RuntimeError, match="actor"), store.transaction(None) as s:
        s.get(Observation, obs.id).value = 12345.0
        s.flush()
    assert _audit_count(store) == before
    assert _first(store).value == obs.value


def test_a_rolled_back_change_leaves_no_audit_row(store: Store) -> None:
    load_bundled(store)
    before = _audit_count(store)
    obs = _first(store)
    with pytest.raises(ZeroDivisionError), store.transaction(ANA) as s:
        repo.update_observation(s, "hanoi", obs.key, {"value": 1.5})
        _ = 1 / 0
    assert _audit_count(store) == before
    assert _first(store).value == obs.value


def test_saving_an_unchanged_workspace_records_nothing(store: Store) -> None:
    load_bundled(store)
    before = _audit_count(store)
    sql = repo.SqlWorkspaceRepository(store.engine)
    sql.save(sql.get("hanoi"), user="ana@example.org")
    assert _audit_count(store) == before


def test_bundled_load_is_audited_as_system_once(store: Store) -> None:
    assert load_bundled(store) == ["hanoi"]
    assert load_bundled(store) == []  # a restart does not reload over the team's data
    with store.reading() as s:
        actors = set(s.scalars(select(AuditEntry.actor_email)))
    assert actors == {SYSTEM.email}
