"""Row-level writes (issue 13, findings 5, 6, 7 and 9), on SQLite and PostgreSQL.

5: a create or an edit reads the figure's few peers, not the workspace; a long change of one
   workspace does not hold up writers of another (PostgreSQL: SQLite has one database-wide write lock).
6: editors adding figures at once get distinct ids.
7: a change made from an older version is refused, naming who changed the row, and nothing is lost.
9: deleting a workspace keeps its audit trail.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, func, select

from creativecity.errors import InputError
from creativecity.monitoring import model as dm
from creativecity.store import Actor, Store, rows
from creativecity.store.models import AuditEntry, Observation, Workspace
from creativecity.store.repository import SqlWorkspaceRepository, save_workspace

N_ROWS = 2_000


def _workspace(name: str, n: int = N_ROWS) -> dm.Workspace:
    """``n`` figures of ``museums``, one per district and year, plus three for Hue in 2020."""
    observations = [
        dm.Observation(
            f"obs-{i + 1:04d}", "museums", f"district {i % 10}", float(i), "count", 1901 + i // 10, source="s"
        )
        for i in range(n)
    ]
    observations += [
        dm.Observation(f"p-{k}", "museums", "Hue", 100.0 + k, "count", 2020, source=f"src {k}")
        for k in range(3)
    ]
    return dm.Workspace(
        name,
        "Hue",
        "VNM",
        "crafts",
        indicators=[dm.IndicatorDef("museums", "Museums")],
        observations=observations,
    )


@pytest.fixture
def big(store: Store) -> Store:
    with store.transaction(Actor("loader@example.org")) as session:
        save_workspace(session, _workspace("big"))
        save_workspace(session, _workspace("small", 5))
    return store


@contextmanager
def loaded_figures() -> Iterator[list[int]]:
    """Counts every observation row the ORM builds from the database while the block runs."""
    seen: list[int] = []

    def on_load(target: object, _context: object) -> None:
        seen.append(1)

    event.listen(Observation, "load", on_load)
    try:
        yield seen
    finally:
        event.remove(Observation, "load", on_load)


NEW = {
    "indicator": "museums",
    "scope": "Hue",
    "value": 7,
    "unit": "count",
    "reference_year": 2020,
    "source": "x",
}


def test_create_and_edit_read_the_peers_not_the_workspace(big: Store) -> None:
    actor = Actor("ed@example.org")
    with big.transaction(actor) as s:
        rows.add_observation(s, "big", NEW | {"value": 1}, actor.email)  # first id: the counter starts
    with loaded_figures() as seen, big.transaction(actor) as s:
        row = rows.add_observation(s, "big", NEW, actor.email)
    # peers of (museums, Hue, 2020): the three p-* rows and the one added above; no other row is read
    assert len(seen) == 4
    assert row.key == f"obs-{N_ROWS + 2:04d}"
    with loaded_figures() as seen, big.transaction(actor) as s:
        rows.update_observation(s, "big", "obs-0500", {"note": "checked"}, actor.email)
    assert len(seen) == 1  # obs-0500 is alone in its year
    with big.reading() as s:
        assert s.scalar(select(func.count()).select_from(Observation)) == 2 * 3 + N_ROWS + 5 + 2


def test_duplicates_and_the_preferred_rule_still_hold_row_by_row(big: Store) -> None:
    actor = Actor("ed@example.org")
    with pytest.raises(InputError, match="already"), big.transaction(actor) as s:
        rows.add_observation(s, "big", NEW | {"value": 100.0, "source": "src 0"}, actor.email)
    with pytest.raises(InputError, match="already used"), big.transaction(actor) as s:
        rows.add_observation(s, "big", NEW | {"id": "obs-0007"}, actor.email)
    with big.transaction(actor) as s:
        rows.update_observation(s, "big", "p-0", {"preferred": True}, actor.email)
    with pytest.raises(InputError, match="both preferred"), big.transaction(actor) as s:
        rows.update_observation(s, "big", "p-1", {"preferred": True}, actor.email)
    with big.transaction(actor) as s:
        rows.set_preferred(s, "big", "p-1", actor.email)
    with big.reading() as s:
        ws_id = select(Workspace.id).where(Workspace.name == "big").scalar_subquery()
        stmt = select(Observation.key, Observation.preferred).where(Observation.workspace_id == ws_id)
        preferred = dict(s.execute(stmt.where(Observation.key.like("p-%"))).all())
    assert preferred["p-0"] is False and preferred["p-1"] is True


def test_concurrent_creates_get_distinct_ids(big: Store) -> None:
    repo = SqlWorkspaceRepository(big.engine)
    errors: list[BaseException] = []
    made: list[str] = []

    def add(t: int) -> None:
        try:
            for k in range(5):
                obs = dm.Observation("", "museums", "Hue", 1000.0 * t + k, "count", 2000, source="s")
                made.append(repo.add_observation("big", obs, user=f"u{t}@example.org").id)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=add, args=(t,)) for t in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert len(made) == len(set(made)) == 30
    # the first N_ROWS ids are taken, so the 30 new ones are the next 30 numbers, each handed out once
    assert sorted(made) == [f"obs-{N_ROWS + k:04d}" for k in range(1, 31)]


def test_a_stale_version_is_refused_and_names_the_author(big: Store) -> None:
    with big.reading() as s:
        version = s.scalar(select(Observation.version).where(Observation.key == "obs-0010"))
    with big.transaction(Actor("a@example.org")) as s:
        rows.update_observation(
            s, "big", "obs-0010", {"value": 111}, "a@example.org", expected_version=version
        )
    with pytest.raises(rows.EditConflictError) as caught, big.transaction(Actor("b@example.org")) as s:
        rows.update_observation(
            s, "big", "obs-0010", {"note": "b"}, "b@example.org", expected_version=version
        )
    assert caught.value.by == "a@example.org"
    assert caught.value.current["value"] == 111
    assert caught.value.version == version + 1
    with big.reading() as s:
        row = s.scalar(select(Observation).where(Observation.key == "obs-0010"))
        assert (row.value, row.note) == (111, "")


def test_deleting_a_workspace_keeps_its_audit_trail(big: Store) -> None:
    repo = SqlWorkspaceRepository(big.engine)
    repo.update_observation("small", "obs-0001", {"note": "one"}, user="a@example.org")
    repo.update_observation("small", "obs-0002", {"note": "two"}, user="a@example.org")
    with big.reading() as s:
        before = s.scalar(select(func.count()).where(AuditEntry.workspace_name == "small"))
    # a creation row per figure (5 + 3), the workspace, its indicator, and the two edits
    assert before == 5 + 3 + 1 + 1 + 2
    repo.delete("small", user="admin@example.org")
    with big.reading() as s:
        kept = list(s.scalars(select(AuditEntry).where(AuditEntry.workspace_name == "small")))
    assert len(kept) == before + 1
    assert all(e.workspace_id is None for e in kept)
    assert kept[-1].action == "delete" and kept[-1].actor_email == "admin@example.org"
    assert {e.new_value for e in kept if e.field == "note"} == {"one", "two"}


def test_a_long_change_of_one_workspace_does_not_hold_up_another(big: Store) -> None:
    if big.backend != "postgresql":
        pytest.skip("SQLite has one write lock for the whole database; PostgreSQL locks one workspace")
    holding, release = threading.Event(), threading.Event()

    def long_change() -> None:
        with big.transaction(Actor("slow@example.org")) as s:
            rows.update_observation(s, "big", "obs-0001", {"note": "slow"}, "slow@example.org")
            holding.set()
            release.wait(30)

    slow = threading.Thread(target=long_change)
    slow.start()
    assert holding.wait(30)
    try:
        start = time.monotonic()
        with big.transaction(Actor("fast@example.org")) as s:
            rows.update_observation(s, "small", "obs-0001", {"note": "fast"}, "fast@example.org")
            rows.add_observation(s, "small", NEW, "fast@example.org")
        assert time.monotonic() - start < 5
        # a writer of the same workspace does wait for the lock holder
        waited: list[float] = []

        def same_workspace() -> None:
            t0 = time.monotonic()
            with big.transaction(Actor("next@example.org")) as s:
                rows.update_observation(s, "big", "obs-0002", {"note": "after"}, "next@example.org")
            waited.append(time.monotonic() - t0)

        other = threading.Thread(target=same_workspace)
        other.start()
        time.sleep(1.0)
        assert waited == []  # still waiting for the slow change
    finally:
        release.set()
        slow.join(30)
    other.join(30)
    assert waited and waited[0] >= 1.0


def test_listing_counts_the_figures_without_loading_them(big: Store) -> None:
    repo = SqlWorkspaceRepository(big.engine)
    with loaded_figures() as seen:
        listing = {s["name"]: s for s in repo.list()}
    assert seen == []
    assert listing["big"]["observations"] == N_ROWS + 3
    assert listing["small"]["observations"] == 5 + 3
    assert listing["big"]["indicators"] == 1 and listing["big"]["origin"] == "database"
