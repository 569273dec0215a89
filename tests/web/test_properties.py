"""Property test: any text a person can type is stored and shown back exactly, on both databases."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from creativecity.monitoring.text import clean_text

from .conftest import sign_in
from .test_api import NEW

# every Unicode character except NUL and lone surrogates (neither can be stored or sent as UTF-8)
TEXT = st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"), max_size=300)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(note=TEXT, method=TEXT)
def test_free_text_round_trips_through_the_api(app: FastAPI, note: str, method: str) -> None:
    client: Any = getattr(app.state, "prop_client", None)
    if client is None:
        client = app.state.prop_client = sign_in(app, app.state.team.editor)
    body = dict(
        NEW,
        note=note,
        method=method,
        source=f"https://example.org/prop/{len(note)}/{hash(note)}/{hash(method)}",
    )
    response = client.post(
        "/api/workspaces/hanoi/observations", json=body, headers={"X-CSRF-Token": client.csrf}
    )
    if response.status_code == 422:  # only a duplicate of an earlier example may be refused
        assert any(e["rule"] == "duplicate row" for e in response.json()["errors"]), response.text
        return
    assert response.status_code == 201, response.text
    created = response.json()["id"]
    rows = client.get("/api/workspaces/hanoi/observations", params={"indicator": "cinemas"}).json()[
        "observations"
    ]
    stored = next(o for o in rows if o["id"] == created)
    # the store keeps text as typed, except for monitoring's one cleaning rule (issue 12): NFC, no
    # zero-width characters, surrounding blanks trimmed
    assert (stored["note"], stored["method"]) == (clean_text(note), clean_text(method))
