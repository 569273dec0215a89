"""Pages kept per reader and content version: a change shows at once, readers never share a page."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI
from fastapi.responses import Response

from creativecity.web.pagecache import PageCache

from .conftest import csrf_from


def test_a_change_shows_at_once_on_a_kept_page(app: FastAPI, as_role: Any) -> None:
    editor = as_role("editor")
    first = editor.get("/w/hanoi/data?indicator=cinemas").text
    assert editor.get("/w/hanoi/data?indicator=cinemas").text == first  # kept
    row = re.search(r'<tr id="row-(obs-\d+)">', first)
    assert row is not None
    key = row.group(1)
    changed = editor.patch(
        f"/api/workspaces/hanoi/observations/{key}",
        json={"note": "seen at once"},
        headers={"X-CSRF-Token": editor.csrf},
    )
    assert changed.status_code == 200
    assert "seen at once" in editor.get("/w/hanoi/data?indicator=cinemas").text


def test_readers_never_get_each_others_page(app: FastAPI, as_role: Any) -> None:
    editor, viewer = as_role("editor"), as_role("viewer")
    for _ in range(2):  # the second round is answered from memory
        mine, theirs = editor.get("/w/hanoi/targets").text, viewer.get("/w/hanoi/targets").text
        assert app.state.team.editor in mine and app.state.team.viewer not in mine
        assert app.state.team.viewer in theirs and app.state.team.editor not in theirs
        assert csrf_from(mine) == editor.csrf and csrf_from(theirs) == viewer.csrf


def test_the_kept_answers_stay_within_their_memory_bound() -> None:
    cache = PageCache(max_bytes=8_000)
    for i in range(20):
        cache.answer(("page", i), lambda i=i: Response(content=b"x" * 1000, media_type="text/html"))
    # 1,000 bytes each within 8,000: the 8 most recent are kept, the oldest went first
    assert len(cache) == 8
    made: list[int] = []
    cache.answer(("page", 19), lambda: made.append(1) or Response(b"new"))  # type: ignore[func-returns-value]
    cache.answer(("page", 0), lambda: made.append(1) or Response(b"new"))  # type: ignore[func-returns-value]
    assert made == [1]


def test_a_kept_page_costs_one_query(app: FastAPI, as_role: Any) -> None:
    """A signed-in reader's check (session, account, role) and the content version are read in one
    statement, so a kept page (or API list) is answered with one query: the pages everyone keeps open
    stay within a small multiple of /healthz under load (benchmarks/bench_web.py)."""
    from sqlalchemy import event

    viewer = as_role("viewer")
    engine = app.state.store.engine
    for path in ("/w/hanoi/targets", "/w/hanoi/plan", "/api/workspaces/hanoi/observations?limit=5"):
        assert viewer.get(path).status_code == 200  # rendered and kept
        seen: list[str] = []

        def count(*args: Any, seen: list[str] = seen) -> None:
            seen.append(str(args[2]))

        event.listen(engine, "before_cursor_execute", count)
        try:
            assert viewer.get(path).status_code == 200
        finally:
            event.remove(engine, "before_cursor_execute", count)
        statements = [s for s in seen if s.lstrip().upper().startswith("SELECT")]
        assert len(statements) == 1, (path, statements)
