"""Contacts and attachments of the application dossier: edited on a page, checked, audited."""

from __future__ import annotations

import re
from typing import Any

from fastapi import FastAPI

from creativecity.errors import InputErrors
from creativecity.monitoring.application import ATTACHMENT_KINDS, CONTACT_ROLES
from creativecity.web.routes_dossier import checked_attachments, checked_contacts, field_errors

from .test_api import counts


def _empty_contacts() -> dict[str, str]:
    return {
        f"{r}.{f}": "" for r in CONTACT_ROLES for f in ("name", "title", "organisation", "email", "phone")
    }


def _missing_attachments() -> dict[str, str]:
    out = {}
    for kind in ATTACHMENT_KINDS:
        out |= {f"{kind}.status": "missing", f"{kind}.files": "", f"{kind}.note": ""}
    return out


def _audit(client: Any, n: int = 5) -> list[dict[str, Any]]:
    return client.get(f"/api/workspaces/hanoi/audit?limit={n}").json()["entries"]


def test_the_library_errors_land_on_the_form_field_they_concern() -> None:
    cells = _empty_contacts() | {"main.email": "not-an-address", "mayor.name": "Trần Sỹ Thanh"}
    try:
        checked_contacts(cells)
    except InputErrors as exc:
        # contacts[3] is the third role of the form's order: mayor, representative, main
        assert field_errors(exc, CONTACT_ROLES) == {"main.email": "'not-an-address' is not an e-mail address"}
    else:
        raise AssertionError("a bad e-mail address was accepted")
    cells = _missing_attachments() | {"photos.status": "provided", "photos.files": "a.jpg; b.png"}
    try:
        checked_attachments(cells)
    except InputErrors as exc:
        errors = field_errors(exc, tuple(ATTACHMENT_KINDS))
        # 2 names where 3 photos are needed, and b.png is not a JPEG: both on photos.files
        assert list(errors) == ["photos.files"]
        assert "names 2 file(s); it needs 3" in errors["photos.files"] and "'b.png'" in errors["photos.files"]
    else:
        raise AssertionError("a bad photo list was accepted")


def test_editor_names_the_contacts_and_the_trail_records_it(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    page = client.get("/w/hanoi/dossier")
    assert page.status_code == 200
    for role in CONTACT_ROLES:
        assert f'name="{role}.email"' in page.text
    cells = _empty_contacts() | {
        "main.name": "Nguyễn Thị Lan",
        "main.organisation": "Sở Văn hóa và Thể thao Hà Nội",
        "main.email": "lan@so-vhtt.hanoi.gov.vn",
    }
    saved = client.post(
        "/w/hanoi/dossier/contacts", data=cells | {"csrf_token": client.csrf}, follow_redirects=False
    )
    assert saved.status_code == 303
    page = client.get("/w/hanoi/dossier").text
    assert 'name="main.name" value="Nguyễn Thị Lan"' in page
    # three fields of the main contact went from empty to a value: three entries, one per field
    entries = _audit(client, 3)
    assert {(e["entity"], e["field"], e["old_value"], e["new_value"]) for e in entries} == {
        ("workspace", "contacts.main.name", "", "Nguyễn Thị Lan"),
        ("workspace", "contacts.main.organisation", "", "Sở Văn hóa và Thể thao Hà Nội"),
        ("workspace", "contacts.main.email", "", "lan@so-vhtt.hanoi.gov.vn"),
    }
    assert all(e["actor"] == "editor@example.org" for e in entries)
    # the API's view of the workspace (the reports read the same) has the contact
    from creativecity.store.repository import SqlWorkspaceRepository

    ws = SqlWorkspaceRepository(app.state.store.engine).get("hanoi")
    main = next(c for c in ws.contacts if c.role == "main")
    assert (main.name, main.email) == ("Nguyễn Thị Lan", "lan@so-vhtt.hanoi.gov.vn")


def test_a_bad_checklist_is_refused_next_to_the_field_and_nothing_changes(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    before, trail = counts(app), _audit(client, 1)
    cells = _missing_attachments() | {
        "support_letters.status": "provided",
        "support_letters.files": "letter-1.pdf",
        "photos.files": "hoan-kiem.png",
        "mayor_letter.status": "lost",
    }
    response = client.post("/w/hanoi/dossier/attachments", data=cells | {"csrf_token": client.csrf})
    assert response.status_code == 422
    row = response.text[response.text.find('id="attachment-support_letters"') :][:1500]
    assert "it needs 2" in row and 'class="invalid"' in row
    photos = response.text[response.text.find('id="attachment-photos"') :][:1500]
    assert "not a JPEG file" in photos and 'value="hoan-kiem.png"' in photos  # what was typed stays
    letter = response.text[response.text.find('id="attachment-mayor_letter"') :][:1500]
    assert "status must be provided or missing" in letter
    assert counts(app) == before and _audit(client, 1) == trail


def test_a_complete_checklist_is_saved_and_audited(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    cells = _missing_attachments() | {
        "photos.status": "provided",
        "photos.files": "hoan-kiem.jpg; long-bien.jpeg; van-mieu.JPG",
        "photos.note": "ảnh của Sở",
    }
    saved = client.post(
        "/w/hanoi/dossier/attachments", data=cells | {"csrf_token": client.csrf}, follow_redirects=False
    )
    assert saved.status_code == 303
    page = client.get("/w/hanoi/dossier").text
    photos = page[page.find('id="attachment-photos"') :][:1500]
    assert re.search(r'<option value="provided" selected>', photos)
    entries = _audit(client, 3)
    assert {(e["field"], e["old_value"], e["new_value"]) for e in entries} == {
        ("attachments.photos.status", "missing", "provided"),
        ("attachments.photos.files", "", "hoan-kiem.jpg; long-bien.jpeg; van-mieu.JPG"),
        ("attachments.photos.note", "", "ảnh của Sở"),
    }


def test_viewers_read_and_outsiders_are_kept_out(app: FastAPI, as_role: Any) -> None:
    viewer = as_role("viewer")
    page = viewer.get("/w/hanoi/dossier")
    assert page.status_code == 200 and "readonly" in page.text
    before = counts(app)
    data = _empty_contacts() | {"mayor.name": "someone", "csrf_token": viewer.csrf}
    assert viewer.post("/w/hanoi/dossier/contacts", data=data).status_code == 403
    no_csrf = as_role("editor").post("/w/hanoi/dossier/contacts", data=_empty_contacts())
    assert no_csrf.status_code == 403
    outsider = as_role("outsider")
    assert outsider.get("/w/hanoi/dossier").status_code == 403
    assert counts(app) == before
