"""Issue 13, finding 2 (the web side): the index builder runs in a child process with limits, so a
hostile spec fails its own request and the server keeps answering."""

from __future__ import annotations

import time
from typing import Any

import pytest
from fastapi import FastAPI

from creativecity.web.worker import WorkerLimitError, run_limited

# the spec: nine levels of nine aliases (458 bytes; 9**9 strings when expanded)
BOMB = (
    "a: &a ["
    + ",".join(['"lol"'] * 9)
    + "]\n"
    + "".join(
        f"{c}: &{c} [" + ",".join([f"*{p}"] * 9) + "]\n" for p, c in zip("abcdefgh", "bcdefghi", strict=True)
    )
)


def hog_memory(megabytes: int) -> int:
    """Allocate and touch ``megabytes`` of memory."""
    block = bytearray(megabytes * 1024 * 1024)
    return len(block)


def sleep_for(seconds: float) -> float:
    """Hold the child for ``seconds``."""
    time.sleep(seconds)
    return seconds


def spin(seconds: float) -> int:
    """Burn CPU for ``seconds``."""
    end, n = time.perf_counter() + seconds, 0
    while time.perf_counter() < end:
        n += 1
    return n


def test_a_child_over_its_memory_limit_is_stopped_and_the_parent_lives() -> None:
    with pytest.raises(WorkerLimitError, match="memory"):
        run_limited(hog_memory, 3000, memory_mb=1024, seconds=30)
    assert run_limited(hog_memory, 10, memory_mb=1024, seconds=30) == 10 * 1024 * 1024


@pytest.mark.parametrize("work", [sleep_for, spin])
def test_a_child_over_its_time_limit_is_killed_on_time(work: Any) -> None:
    start = time.perf_counter()
    with pytest.raises(WorkerLimitError, match="longer than 1 s"):
        run_limited(work, 30, seconds=1)
    assert time.perf_counter() - start < 4


def test_user_errors_come_back_as_input_errors() -> None:
    from creativecity.errors import InputError
    from creativecity.web.routes_tools import build_index

    with pytest.raises(InputError, match="levitate"):
        run_limited(build_index, "2018", "full", 5, None, "version: 1\nsteps:\n  - step: levitate\n")


def test_the_alias_bomb_spec_gets_a_short_422_and_the_server_answers(app: FastAPI, as_role: Any) -> None:
    client = as_role("viewer")
    form = {"data": "2018", "spec": "full", "top": "5", "spec_base": "full", "csrf_token": client.csrf}
    start = time.perf_counter()
    response = client.post("/index", data=form | {"spec_text": BOMB})
    assert time.perf_counter() - start < 5
    assert response.status_code == 422
    assert "aliases" in response.text
    assert len(response.content) < 100_000 and response.text.count('"lol"') <= 9  # the form echoes the input
    assert client.get("/healthz").status_code == 200
