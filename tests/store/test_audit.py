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


def test_json_is_flattened_to_paths_records_in_lists_by_their_role_or_kind() -> None:
    from creativecity.store.audit import flatten

    value = {
        "contacts": [{"role": "mayor", "name": "A"}, {"role": "main", "name": "", "email": "m@x.vn"}],
        "word_limits": {"assets": 800},
        "city_names": {},  # empty: nothing to trace
        "tags": ["a", "b"],  # a list of plain values is one leaf
    }
    assert flatten(value) == {
        "contacts.mayor.name": "A",
        "contacts.main.name": "",
        "contacts.main.email": "m@x.vn",
        "word_limits.assets": 800,
        "tags": ["a", "b"],
    }
    # two records with the same role cannot be told apart by it: the list stays one leaf
    twice = [{"role": "main", "name": "A"}, {"role": "main", "name": "B"}]
    assert flatten({"contacts": twice}) == {"contacts": twice}


def test_json_changes_list_only_the_changed_leaves() -> None:
    import json

    from creativecity.store.audit import FIELD_LENGTH, json_changes

    old = json.dumps({"contacts": [{"role": "main", "email": ""}], "word_limits": {"assets": 800}})
    new = json.dumps({"contacts": [{"role": "main", "email": "m@x.vn"}], "word_limits": {}})
    assert json_changes("extra", old, new) == [
        ("contacts.main.email", "", "m@x.vn"),
        ("word_limits.assets", "800", None),
    ]
    assert json_changes("extra", "not json", "{}") == [("extra", "not json", "{}")]
    long_id = "x" * 120
    (change,) = json_changes("extra", "{}", json.dumps({"t": {long_id: "v"}}))
    # "t." + 120 characters is longer than the column: cut to 99 characters and an ellipsis
    assert len(change[0]) == FIELD_LENGTH and change[0].endswith("…") and change[2] == "v"


def test_content_version_moves_with_a_change_not_with_a_sign_off(store: Store) -> None:
    from creativecity.store.audit import APPROVE, content_version, record

    load_bundled(store)
    obs = _first(store)
    with store.reading() as s:
        ws_id = require_workspace(s, "hanoi").id
        before = content_version(s, ws_id)
        newest = s.scalar(select(func.max(AuditEntry.id)).where(AuditEntry.workspace_id == ws_id))
    assert before == newest > 0  # the bundled load is content
    with store.transaction(ANA) as s:
        record(s, action=APPROVE, entity="report", workspace_id=ws_id, entity_id="monitoring")
    with store.reading() as s:
        assert content_version(s, ws_id) == before  # a sign-off is not a change of content
    with store.transaction(ANA) as s:
        repo.update_observation(s, "hanoi", obs.key, {"value": obs.value + 1})
    with store.reading() as s:
        after = content_version(s, ws_id)
        assert after > before
        assert content_version(s, ws_id + 1000) == 0  # no workspace, no change
