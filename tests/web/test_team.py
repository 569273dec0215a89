"""Report texts (editors write, viewers read) and members (workspace admins set roles), audited."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

from .test_api import counts


def _save_text(client: Any, section: str, lang: str, text: str) -> Any:
    return client.post(
        f"/w/hanoi/texts/{section}/{lang}",
        data={"text": text, "csrf_token": client.csrf},
        follow_redirects=False,
    )


def test_editor_writes_a_section_and_the_audit_trail_has_it(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    text = "Hà Nội đã tổ chức **Lễ hội Thiết kế Sáng tạo** <script>x()</script>"
    assert _save_text(client, "executive_summary", "vi", text).status_code == 303
    page = client.get("/w/hanoi/texts").text
    assert "Lễ hội Thiết kế Sáng tạo" in page and "<script>x()" not in page
    trail = client.get("/api/workspaces/hanoi/audit").json()["entries"]
    newest = trail[0]
    assert (newest["entity"], newest["actor"]) == ("narrative", "editor@example.org")
    assert text in (newest["new_value"] or "")


def test_viewer_cannot_write_texts(app: FastAPI, as_role: Any) -> None:
    client = as_role("viewer")
    before = counts(app)
    assert _save_text(client, "executive_summary", "en", "mine now").status_code == 403
    assert counts(app) == before
    assert "readonly" in client.get("/w/hanoi/texts").text


def test_unknown_section_is_404_and_text_without_csrf_is_403(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    assert _save_text(client, "secret_plans", "en", "x").status_code == 404
    no_token = client.post("/w/hanoi/texts/general_information/en", data={"text": "x"})
    assert no_token.status_code == 403


def test_only_admins_manage_members(app: FastAPI, as_role: Any) -> None:
    editor = as_role("editor")
    assert editor.get("/w/hanoi/members").status_code == 403
    before = counts(app)
    response = editor.post(
        "/w/hanoi/members", data={"email": "viewer@example.org", "role": "admin", "csrf_token": editor.csrf}
    )
    assert response.status_code == 403
    assert counts(app) == before


def test_admin_promotes_then_removes_a_member(app: FastAPI, as_role: Any) -> None:
    admin = as_role("admin")
    page = admin.get("/w/hanoi/members").text
    assert "viewer@example.org" in page and "admin@example.org" in page
    up = admin.post(
        "/w/hanoi/members",
        data={"email": "other-editor@example.org", "role": "viewer", "csrf_token": admin.csrf},
    )
    assert up.status_code == 200 and "other-editor@example.org" in up.text
    outsider = as_role("outsider")
    assert outsider.get("/w/hanoi").status_code == 200  # now a viewer of hanoi
    admin.post(
        "/w/hanoi/members",
        data={"email": "other-editor@example.org", "role": "none", "csrf_token": admin.csrf},
    )
    assert outsider.get("/w/hanoi").status_code == 403
    trail = admin.get("/api/workspaces/hanoi/audit").json()["entries"]
    assert [e["action"] for e in trail[:2]] == ["delete", "create"]
    assert all(e["entity"] == "membership" and e["actor"] == "admin@example.org" for e in trail[:2])


def test_granting_to_an_unknown_account_says_so(app: FastAPI, as_role: Any) -> None:
    admin = as_role("admin")
    response = admin.post(
        "/w/hanoi/members", data={"email": "ghost@example.org", "role": "viewer", "csrf_token": admin.csrf}
    )
    assert response.status_code == 422 and "no account" in response.text


def test_director_approves_a_report_and_a_later_change_is_flagged(app: FastAPI, as_role: Any) -> None:
    import re

    editor, admin = as_role("editor"), as_role("admin")
    refused = editor.post("/w/hanoi/reports/monitoring/approve", data={"csrf_token": editor.csrf})
    assert refused.status_code == 403
    page = admin.post("/w/hanoi/reports/monitoring/approve", data={"csrf_token": admin.csrf}).text
    cell = re.search(r'data-kind="monitoring">(.*?)</td>', page, re.S).group(1)
    assert "Approved by admin@example.org" in cell and "changed since" not in cell
    obs = editor.get("/api/workspaces/hanoi/observations").json()["observations"][0]
    editor.patch(
        f"/api/workspaces/hanoi/observations/{obs['id']}",
        json={"note": "revised"},
        headers={"X-CSRF-Token": editor.csrf},
    )
    cell = re.search(r'data-kind="monitoring">(.*?)</td>', editor.get("/w/hanoi/reports").text, re.S).group(1)
    assert "Approved by admin@example.org" in cell and "the data changed since" in cell
    other = re.search(r'data-kind="application">(.*?)</td>', editor.get("/w/hanoi/reports").text, re.S).group(
        1
    )
    assert "not approved yet" in other
