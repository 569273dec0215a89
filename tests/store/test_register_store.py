"""The initiatives register and the activity log in the SQL store: same records, audited, ordered."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from creativecity.errors import InputErrors
from creativecity.monitoring.activities import NetworkActivity
from creativecity.monitoring.initiatives import IndicatorLink
from creativecity.monitoring.repository import bundled_workspace
from creativecity.store import Actor, Store
from creativecity.store import repository as repo
from creativecity.store.bootstrap import load_bundled
from creativecity.store.models import AuditEntry

ANA = Actor(email="ana@example.org")


@pytest.fixture
def sql(store: Store) -> repo.SqlWorkspaceRepository:
    load_bundled(store)
    return repo.SqlWorkspaceRepository(store.engine, actor=ANA)


def test_bundled_register_and_log_come_back_from_the_database(sql: repo.SqlWorkspaceRepository) -> None:
    files = bundled_workspace("hanoi")
    db = sql.get("hanoi")
    assert len(db.initiatives) == 9 and len(db.activities) == 2
    assert db.initiatives == files.initiatives  # order kept: the six commitments first
    assert db.activities == files.activities
    assert db.report_info == files.report_info and db.form_editions == {"application": "2021", "mmr": "2021"}


def test_register_edits_are_audited_field_by_field(sql: repo.SqlWorkspaceRepository, store: Store) -> None:
    ws = sql.get("hanoi")
    ws.initiatives[0].budget = {2026: 1200.5}
    ws.initiatives[0].currency = "million VND"
    ws.initiatives[0].indicators = [IndicatorLink("cultural_industry_centres", 10.0, 2030)]
    ws.initiatives.pop(2)  # the TV show
    ws.activities.append(
        NetworkActivity(
            "net-0003",
            "2024-07-01",
            "conference_attended",
            title_en="UCCN Annual Conference",
            evidence="https://example.org/programme.pdf",
        )
    )
    sql.save(ws, user="ana@example.org")
    again = sql.get("hanoi")
    assert again.initiatives[0].budget == {2026: 1200.5}
    assert [i.id for i in again.initiatives][:3] == ["ini-0001", "ini-0002", "ini-0004"]
    assert again.activities[-1].kind == "conference_attended"
    with store.reading() as s:
        rows = s.scalars(select(AuditEntry).where(AuditEntry.entity.in_(("initiative", "activity")))).all()
    seen = {(r.entity, r.entity_id, r.action, r.field) for r in rows}
    assert ("initiative", "ini-0001", "update", "budget") in seen
    assert ("initiative", "ini-0003", "delete", None) in seen
    assert ("activity", "net-0003", "create", None) in seen
    budget = next(r for r in rows if r.field == "budget")
    assert (budget.old_value, budget.new_value, budget.actor_email) == ("", "2026=1200.5", "ana@example.org")


def test_a_too_long_currency_is_refused_naming_the_field(sql: repo.SqlWorkspaceRepository) -> None:
    ws = sql.get("hanoi")
    ws.initiatives[0].budget = {2026: 1.0}
    ws.initiatives[0].currency = "X" * 60
    with pytest.raises(InputErrors, match="currency"):
        sql.save(ws, user="ana@example.org")
    assert sql.get("hanoi").initiatives[0].currency == ""
