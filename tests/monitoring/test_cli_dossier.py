"""``workspace contact|attach|city-name|word-limit``: checked input, audit trail, nothing written on error.

The commands change the store (the SQLite file in the test's own ``$CREATIVECITY_HOME``); the tests read
it back through the same entry the web app and the reports use.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from creativecity.cli import app
from creativecity.store.home import open_workspace as stored

runner = CliRunner()


def run(*args: str) -> tuple[int, str, str]:
    res = runner.invoke(app, list(args))
    return res.exit_code, res.stdout, res.stderr


def said(text: str, err: str) -> bool:
    """Whether ``text`` is in ``err``, ignoring where rich wrapped the lines."""
    return "".join(text.split()) in "".join(err.split())


def test_contact_sets_only_the_given_fields_and_keeps_history(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CREATIVECITY_USER", "thu")
    assert (
        run("workspace", "contact", "hanoi", "main", "--name", "Ngô Thị D", "--email", "d@hanoi.gov.vn")[0]
        == 0
    )
    assert run("workspace", "contact", "hanoi", "main", "--phone", "+84 24 3825")[0] == 0
    ws = stored("hanoi")
    main = next(c for c in ws.contacts if c.role == "main")
    assert (main.name, main.email, main.phone) == ("Ngô Thị D", "d@hanoi.gov.vn", "+84 24 3825")
    # the audit trail traces the JSON-kept contacts leaf by leaf, under the operating-system user
    hist = [(h.user, h.entity, h.entity_id, h.field, h.old, h.new) for h in ws.history]
    assert ("cli:thu", "workspace", "hanoi", "contacts.main.name", "", "Ngô Thị D") in hist
    assert ("cli:thu", "workspace", "hanoi", "contacts.main.phone", "", "+84 24 3825") in hist


def test_bad_contact_is_refused_and_nothing_is_written() -> None:
    before = stored("hanoi")
    code, _, err = run("workspace", "contact", "hanoi", "main", "--email", "no-at-sign")
    assert code == 2 and "--email" in err and said("[rule: email]", err)
    assert stored("hanoi").to_dict() == before.to_dict()  # nothing written, not even history
    code, _, err = run("workspace", "contact", "hanoi", "deputy")
    assert code == 2 and said("unknown role 'deputy'", err)


def test_attach_photos_checks_count_format_and_size(tmp_path: Path) -> None:
    small = [tmp_path / f"p{i}.jpg" for i in range(3)]
    for p in small:
        p.write_bytes(b"\xff\xd8" + b"x" * 1000)
    big = tmp_path / "big.jpg"
    big.write_bytes(b"x" * (3 * 1024 * 1024 + 1))  # one byte over 3 MB
    code, _, err = run("workspace", "attach", "hanoi", "photos", str(small[0]), str(small[1]))
    assert code == 2 and said("names 2 file(s); it needs 3", err)
    code, _, err = run("workspace", "attach", "hanoi", "photos", str(small[0]), str(small[1]), str(big))
    assert code == 2 and said("photo big.jpg is 3.0 MB; the limit is 3 MB", err)
    assert all(a.status == "missing" for a in stored("hanoi").attachments if a.kind == "photos")
    assert run("workspace", "attach", "hanoi", "photos", *map(str, small))[0] == 0
    ws = stored("hanoi")
    photos = next(a for a in ws.attachments if a.kind == "photos")
    assert (photos.status, photos.file_list()) == ("provided", ["p0.jpg", "p1.jpg", "p2.jpg"])
    assert run("workspace", "attach", "hanoi", "photos", "--missing")[0] == 0
    photos = next(a for a in stored("hanoi").attachments if a.kind == "photos")
    assert (photos.status, photos.files) == ("missing", "")


def test_city_name_and_word_limit() -> None:
    assert run("workspace", "city-name", "hanoi", "en", "Ha Noi")[0] == 0
    assert run("workspace", "word-limit", "hanoi", "assets", "800")[0] == 0
    ws = stored("hanoi")
    assert ws.city_names == {"vi": "Hà Nội", "en": "Ha Noi"} and ws.word_limits == {"assets": 800}
    code, out, _ = run("workspace", "word-limit", "hanoi", "assets", "0")  # back to the default
    assert code == 0 and "1000 words" in out  # DEFAULT_WORD_LIMITS["assets"]
    assert stored("hanoi").word_limits == {}
    assert run("workspace", "word-limit", "hanoi", "asets", "5")[0] == 2
    assert run("workspace", "word-limit", "hanoi", "assets", "-5")[0] == 2
    assert run("workspace", "city-name", "hanoi", "fr", "Hanoï")[0] == 2


def test_show_summarises_the_dossier_state() -> None:
    assert run("workspace", "contact", "hanoi", "mayor", "--name", "A")[0] == 0
    code, out, _ = run("workspace", "show", "hanoi")
    # one of four roles named (by hand: mayor only), none of the six documents provided
    assert code == 0 and said("contacts 1/4 named; attachments 0/6 provided", out)
    assert said("vi: Hà Nội", out)
