"""Writers in several processes at once: no change is lost, none is half-written."""

from __future__ import annotations

import multiprocessing as mp

from sqlalchemy import func, select

from creativecity.store import Actor, Store
from creativecity.store import repository as repo
from creativecity.store.bootstrap import load_bundled
from creativecity.store.models import AuditEntry, Observation

PROCESSES, EDITS = 4, 5


def _edit_many(url: str, i: int) -> None:
    store = Store(url)
    for k in range(EDITS):
        with store.transaction(Actor(f"user{i}@example.org")) as s:
            repo.update_observation(s, "hanoi", f"obs-{i + 1:04d}", {"note": f"edit {k} by {i}"})
    store.dispose()


def test_parallel_edits_of_one_workspace_are_all_kept(store: Store) -> None:
    load_bundled(store)
    ctx = mp.get_context("fork")
    procs = [ctx.Process(target=_edit_many, args=(store.url, i)) for i in range(PROCESSES)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(timeout=120)
    assert [p.exitcode for p in procs] == [0] * PROCESSES
    with store.reading() as s:
        notes = dict(s.execute(select(Observation.key, Observation.note)).all())
        updates = s.scalar(select(func.count()).select_from(AuditEntry).where(AuditEntry.action == "update"))
    # each process's last edit survives: a writer that loaded the workspace before another's commit
    # must not write its stale copy back over it
    for i in range(PROCESSES):
        assert notes[f"obs-{i + 1:04d}"] == f"edit {EDITS - 1} by {i}"
    assert updates == PROCESSES * EDITS
