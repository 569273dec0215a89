"""Issue 13, finding 1: a figure of 1e300 was accepted, then every page and report answered 500.

Values are now checked against what every renderer can show (finite, below 1e15, shares within
0-100, counts not negative) on every path that stores one, and the pages render a bad value that is
already in the database (put there with SQL, as an older version could have).
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import text

from creativecity.store import Store

from .test_api import NEW, counts
from .test_plan import LINE
from .test_targets import TARGET


def _fields(response: Any) -> set[str]:
    return {e["column"] for e in response.json()["errors"]}


@pytest.mark.parametrize(
    ("value", "unit"),
    [(1e300, "count"), (-1e300, "trillion VND"), (1e15, "billion USD"), (3e-9, "count"), (150, "% of GDP")],
)
def test_the_api_refuses_implausible_values_naming_the_field(
    app: FastAPI, as_role: Any, value: float, unit: str
) -> None:
    client = as_role("editor")
    before = counts(app)
    response = client.post(
        "/api/workspaces/hanoi/observations",
        json=NEW | {"value": value, "unit": unit},
        headers={"X-CSRF-Token": client.csrf},
    )
    assert response.status_code == 422, response.text
    assert _fields(response) == {"value"}
    assert counts(app) == before


def test_the_api_refuses_infinity_and_a_negative_count(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    before = counts(app)
    # Python's JSON reader accepts the non-standard Infinity literal; it must not reach the database
    raw = '{"indicator": "cinemas", "scope": "Hanoi", "value": Infinity, "unit": "count", "source": "x"}'
    response = client.post(
        "/api/workspaces/hanoi/observations",
        content=raw,
        headers={"X-CSRF-Token": client.csrf, "content-type": "application/json"},
    )
    assert response.status_code == 422
    negative = client.post(
        "/api/workspaces/hanoi/observations",
        json=NEW | {"value": -4},
        headers={"X-CSRF-Token": client.csrf},
    )
    assert negative.status_code == 422 and _fields(negative) == {"value"}
    assert "negative" in negative.json()["detail"]
    patch = client.patch(
        "/api/workspaces/hanoi/observations/obs-0001",
        json={"value": 1e300},
        headers={"X-CSRF-Token": client.csrf},
    )
    assert patch.status_code == 422 and _fields(patch) == {"value"}
    assert counts(app) == before


def test_a_plausible_large_figure_and_minus_zero_are_accepted(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    big = client.post(
        "/api/workspaces/hanoi/observations",
        json=NEW | {"value": 4.2e14, "unit": "trillion VND", "source": "https://example.org/big"},
        headers={"X-CSRF-Token": client.csrf},
    )
    assert big.status_code == 201, big.text
    zero = client.post(
        "/api/workspaces/hanoi/observations",
        json=NEW | {"value": -0.0, "source": "https://example.org/zero"},
        headers={"X-CSRF-Token": client.csrf},
    )
    assert zero.status_code == 201
    assert str(zero.json()["value"]) == "0.0"  # stored as 0, never "-0"
    for obs in (big.json(), zero.json()):
        client.post(f"/w/hanoi/observations/{obs['id']}/delete", headers={"X-CSRF-Token": client.csrf})


def test_forms_and_uploads_refuse_the_value_next_to_its_field(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    before = counts(app)
    form = client.post(
        "/w/hanoi/observations",
        data={k: str(v) for k, v in NEW.items()} | {"value": "1e300", "csrf_token": client.csrf},
    )
    assert form.status_code == 422 and "too large" in form.text
    target = client.post(
        "/w/hanoi/targets", data=TARGET | {"target_value": "1e300", "csrf_token": client.csrf}
    )
    assert target.status_code == 422 and "too large" in target.text
    plan = client.post("/w/hanoi/plan", data=LINE | {"budget": "1e300", "csrf_token": client.csrf})
    assert plan.status_code == 422 and "too large" in plan.text
    negative = client.post("/w/hanoi/plan", data=LINE | {"budget": "-5", "csrf_token": client.csrf})
    assert negative.status_code == 422 and "negative" in negative.text
    csv = "indicator,scope,value,unit,source\ncinemas,Hanoi,12,count,a\ncinemas,Hanoi,1e300,count,b\n"
    upload = client.post(
        "/w/hanoi/import",
        data={"csrf_token": client.csrf},
        files={"file": ("figures.csv", csv.encode(), "text/csv")},
    )
    assert upload.status_code == 422
    assert "row 3" in upload.text or "too large" in upload.text
    assert "C (value)" in upload.text  # the column letter of the value
    assert counts(app) == before


def test_the_monitoring_import_names_file_row_and_column(tmp_path: Any) -> None:
    from creativecity.errors import InputErrors
    from creativecity.monitoring.importing import check_import
    from creativecity.monitoring.repository import bundled_workspace

    path = tmp_path / "targets.csv"
    path.write_text(
        "indicator,target_value,unit,target_year,scope,source\n"
        "cinemas,60,count,2030,Hanoi,s\n"
        "cinemas,inf,count,2030,Hanoi,s\n"
        "cinemas,1e20,count,2031,Hanoi,s\n",
        encoding="utf-8",
    )
    with pytest.raises(InputErrors) as info:
        check_import(bundled_workspace("hanoi"), path)
    where = {(e.row, e.column) for e in info.value.errors}
    assert where == {(3, "target_value"), (4, "target_value")}


def test_pages_and_reports_render_bad_values_already_stored(app: FastAPI, as_role: Any) -> None:
    store: Store = app.state.store
    editor = as_role("editor")
    added = editor.post("/w/hanoi/plan", data=LINE | {"csrf_token": editor.csrf}, follow_redirects=False)
    assert added.status_code == 303
    with store.engine.begin() as conn:
        ws = conn.execute(text("SELECT id FROM workspaces WHERE name = 'hanoi'")).scalar_one()
        old = conn.execute(
            text("SELECT key, value FROM observations WHERE workspace_id = :w ORDER BY key LIMIT 1"),
            {"w": ws},
        ).one()
        target = conn.execute(
            text("SELECT key, target_value FROM targets WHERE workspace_id = :w ORDER BY key LIMIT 1"),
            {"w": ws},
        ).one()
        line = conn.execute(
            text("SELECT key FROM action_items WHERE workspace_id = :w ORDER BY id DESC LIMIT 1"), {"w": ws}
        ).scalar_one()
        conn.execute(
            text("UPDATE observations SET value = 1e300 WHERE key = :k AND workspace_id = :w"),
            {"k": old.key, "w": ws},
        )
        conn.execute(
            text("UPDATE targets SET target_value = :v WHERE key = :k AND workspace_id = :w"),
            {"v": float("inf"), "k": target.key, "w": ws},
        )
        conn.execute(
            text("UPDATE action_items SET budget = -1e300, target_value = -0.0 WHERE key = :k"), {"k": line}
        )
    # an audited change moves the workspace's version on, so no page is served from a cache
    editor.post(
        "/w/hanoi/targets",
        data=TARGET | {"target_value": "61", "target_year": "2031", "csrf_token": editor.csrf},
    )
    viewer = as_role("viewer")
    try:
        for path in ("/w/hanoi", "/w/hanoi/data", "/w/hanoi/plan", "/w/hanoi/targets", "/w/hanoi/audit"):
            page = viewer.get(path)
            assert page.status_code == 200, (path, page.text[-2000:])
        assert "1E300" in viewer.get("/w/hanoi/data").text
        assert viewer.get("/api/workspaces/hanoi/monitor").status_code == 200
        for fmt in ("html", "docx"):
            for kind in ("monitoring", "application"):
                report = viewer.get(f"/w/hanoi/reports/{kind}.{fmt}?lang=vi")
                assert report.status_code == 200, (kind, fmt, report.text[-2000:])
        # the broken plan line can be removed from the page
        assert f"/w/hanoi/plan/{line}/delete" in editor.get("/w/hanoi/plan").text
        gone = editor.post(f"/w/hanoi/plan/{line}/delete", data={"csrf_token": editor.csrf})
        assert gone.status_code == 200 and f"action-{line}" not in gone.text
    finally:
        with store.engine.begin() as conn:
            conn.execute(
                text("UPDATE observations SET value = :v WHERE key = :k AND workspace_id = :w"),
                {"v": old.value, "k": old.key, "w": ws},
            )
            conn.execute(
                text("UPDATE targets SET target_value = :v WHERE key = :k AND workspace_id = :w"),
                {"v": target.target_value, "k": target.key, "w": ws},
            )


def test_a_lone_surrogate_in_json_is_422_not_500(app: FastAPI, as_role: Any) -> None:
    # issue 13, finding 11: a JSON note with "\ud800" was a 500 (no database can store it)
    client = as_role("editor")
    before = counts(app)
    for body in (
        '{"indicator": "cinemas", "scope": "Hanoi", "value": 3, "unit": "count", "source": "s", '
        '"note": "\\ud800"}',
        '{"indicator": "cinemas", "scope": "Hanoi", "value": 3, "unit": "count", "source": "\\udfff x"}',
    ):
        response = client.post(
            "/api/workspaces/hanoi/observations",
            content=body,
            headers={"X-CSRF-Token": client.csrf, "content-type": "application/json"},
        )
        assert response.status_code == 422, response.text
        assert "surrogate" in response.json()["detail"]
    patch = client.patch(
        "/api/workspaces/hanoi/observations/obs-0001",
        content='{"note": "ok \\ud83d"}',
        headers={"X-CSRF-Token": client.csrf, "content-type": "application/json"},
    )
    assert patch.status_code == 422 and "note" in patch.json()["detail"]
    # a real pair (an emoji written as two escapes) is fine
    emoji = client.patch(
        "/api/workspaces/hanoi/observations/obs-0001",
        content='{"note": "\\ud83c\\udfa8"}',
        headers={"X-CSRF-Token": client.csrf, "content-type": "application/json"},
    )
    assert emoji.status_code == 200 and emoji.json()["note"] == "\U0001f3a8"
    assert counts(app)[0] == before[0]


@pytest.mark.parametrize(
    ("kind", "message"),
    [("bomb", "zip bomb"), ("far_row", "row 30,000,000"), ("far_column", "column 16,384")],
)
def test_hostile_workbook_uploads_are_refused_fast(
    app: FastAPI, as_role: Any, hostile_workbook: Any, kind: str, message: str
) -> None:
    # issue 13, finding 4: no answer after 200 s (bomb), 44 s of CPU (row 30,000,000)
    import time

    client = as_role("editor")
    before = counts(app)
    start = time.perf_counter()
    response = client.post(
        "/w/hanoi/import",
        data={"csrf_token": client.csrf},
        files={"file": ("figures.xlsx", hostile_workbook(kind), "application/octet-stream")},
    )
    assert time.perf_counter() - start < 3
    assert response.status_code == 422
    assert message in response.text
    assert counts(app) == before
