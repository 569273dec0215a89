"""SIGKILL in the middle of an import leaves the SQLite database consistent: all of it or none."""

from __future__ import annotations

import re
import signal
import sqlite3
import threading
import time
from pathlib import Path

import httpx
import pytest

from creativecity.store import SYSTEM, Store, accounts
from creativecity.store.bootstrap import load_bundled
from creativecity.store.workspaces import require_workspace

from .server import Server

ROWS = 20_000
BUNDLED = 52  # data/hanoi/observations.csv


def _big_csv() -> bytes:
    lines = ["indicator,scope,value,unit,reference_year,source"]
    lines += [f"cinemas,Hanoi,{i},count,{2000 + i % 50},https://example.org/crash/{i}" for i in range(ROWS)]
    return ("\n".join(lines) + "\n").encode()


@pytest.mark.slow
def test_sigkill_during_import_leaves_all_or_nothing(tmp_path: Path) -> None:
    db_file = tmp_path / "crash.sqlite"
    url = f"sqlite:///{db_file}"
    store = Store.open(url)
    load_bundled(store)
    with store.transaction(SYSTEM) as s:
        user = accounts.create_user(s, "ed@example.org", "crash-test-pass")
        accounts.grant(s, user, require_workspace(s, "hanoi"), "editor")
    store.dispose()

    server = Server(url, tmp_path)
    try:
        client = httpx.Client(base_url=server.url, timeout=120, follow_redirects=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text).group(1)
        login = client.post(
            "/login", data={"email": "ed@example.org", "password": "crash-test-pass", "csrf_token": token}
        )
        assert login.status_code == 200 and login.url.path == "/w/hanoi"
        token = re.search(r'name="csrf_token" value="([^"]+)"', login.text).group(1)
        wal = Path(str(db_file) + "-wal")
        wal_before = wal.stat().st_size if wal.exists() else 0
        answered: list[int] = []

        def upload() -> None:
            try:
                r = client.post(
                    "/w/hanoi/import",
                    data={"csrf_token": token},
                    files={"file": ("big.csv", _big_csv(), "text/csv")},
                )
                answered.append(r.status_code)
            except httpx.HTTPError:
                answered.append(-1)  # the connection died with the server: expected

        thread = threading.Thread(target=upload)
        thread.start()
        # wait until the import transaction is writing pages into the WAL, then kill without warning
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and not answered:
            if wal.exists() and wal.stat().st_size > wal_before + 2_000_000:
                break
            time.sleep(0.01)
        assert not answered, "the import finished before the kill; make it larger"
        server.proc.send_signal(signal.SIGKILL)
        server.proc.wait(timeout=10)
        thread.join(timeout=30)
    finally:
        server.stop()

    conn = sqlite3.connect(db_file)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        count = conn.execute("SELECT count(*) FROM observations").fetchone()[0]
        imports = conn.execute("SELECT count(*) FROM audit_log WHERE action = 'import'").fetchone()[0]
        created = conn.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'create' AND entity = 'observation'"
        ).fetchone()[0]
    finally:
        conn.close()
    assert count in (BUNDLED, BUNDLED + ROWS)
    # the audit trail went with the data: either no trace of the import, or all of it
    assert (count, imports, created) in ((BUNDLED, 0, BUNDLED), (BUNDLED + ROWS, 1, BUNDLED + ROWS))
