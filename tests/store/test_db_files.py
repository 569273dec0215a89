"""Issue 13, finding 11: ``creativecity.sqlite`` was created 0644 (hashes readable by local users)."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from creativecity.store import SYSTEM, Store, accounts


def _mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_sqlite_database_and_its_wal_are_readable_by_the_owner_only(tmp_path: Path) -> None:
    old = os.umask(0o022)  # the usual umask, which made the file 0644
    try:
        path = tmp_path / "home" / "creativecity.sqlite"
        store = Store.open(f"sqlite:///{path}")
        with store.transaction(SYSTEM) as session:
            accounts.create_user(session, "ana@example.org", "long enough password")
        try:
            assert _mode(path) == 0o600
            wal = path.with_name(path.name + "-wal")
            assert wal.exists() and _mode(wal) == 0o600
        finally:
            store.dispose()
    finally:
        os.umask(old)


def test_the_session_key_file_is_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from creativecity.cli.web import secret_key

    monkeypatch.setenv("CREATIVECITY_HOME", str(tmp_path))
    monkeypatch.delenv("CREATIVECITY_SECRET_KEY", raising=False)
    old = os.umask(0o022)
    try:
        key = secret_key()
    finally:
        os.umask(old)
    assert _mode(tmp_path / "secret_key") == 0o600
    assert secret_key() == key  # kept, not remade
