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


def _set_word_limits(app: FastAPI, limits: dict[str, int]) -> None:
    from creativecity.store import SYSTEM
    from creativecity.store.repository import load_workspace, save_workspace

    with app.state.store.transaction(SYSTEM) as session:
        ws = load_workspace(session, "hanoi", history=False)
        ws.word_limits = limits
        save_workspace(session, ws)


def _wordcount(page: str, section: str, lang: str) -> str:
    import re

    match = re.search(rf'<p class="wordcount[^"]*" id="wc-{section}-{lang}".*?</p>', page, re.S)
    assert match, f"no word count for {section}/{lang}"
    return match.group(0)


def test_texts_page_offers_every_section_of_both_documents_with_its_word_limit(
    app: FastAPI, as_role: Any
) -> None:
    from creativecity.monitoring.application import KNOWN_SECTIONS

    client = as_role("editor")
    page = client.get("/w/hanoi/texts").text
    # 6 monitoring + 7 application sections, each with one form per language
    assert len(KNOWN_SECTIONS) == 13
    for section in KNOWN_SECTIONS:
        assert f'id="{section}-vi"' in page and f'id="{section}-en"' in page, section
    assert "Communication plan" in page and "Application dossier" in page
    # working text (vi) beside the two submission languages
    assert 'id="communication_plan-fr"' in page and "Français" in page
    # no invented limit: the form's limits are unknown until the city sets the call's figure
    # Hanoi answers this section with UNESCO's phrase: "No relevant information to provide" = 5 words
    assert '"wc-n">5</span> words' in _wordcount(page, "communication_plan", "en")
    assert "Word limit not known" in page


def test_an_application_section_is_saved_counted_and_flagged_over_its_limit(
    app: FastAPI, as_role: Any
) -> None:
    client = as_role("editor")
    _set_word_limits(app, {"assets": 5})
    try:
        # Hà | Nội | là | thành | phố | sáng | tạo = 7 words (a Vietnamese syllable is one word) > 5
        assert _save_text(client, "assets", "vi", "Hà Nội là thành phố sáng tạo.").status_code == 303
        # "Design-led" is one word (joined by a hyphen): Design-led | growth | plan = 3 <= 5
        assert _save_text(client, "assets", "en", "Design-led growth plan").status_code == 303
        page = client.get("/w/hanoi/texts").text
        vi, en = _wordcount(page, "assets", "vi"), _wordcount(page, "assets", "en")
        # the limit is counted on the submission text: the Vietnamese working text shows its count only
        assert '"wc-n">7</span> words' in vi and "over" not in vi.split(">")[0]
        assert '"wc-n">3</span> / 5' in en and "over" not in en.split(">")[0] and " hidden" in en
        assert _save_text(client, "assets", "en", "Design-led growth plan for the city").status_code == 303
        en = _wordcount(client.get("/w/hanoi/texts").text, "assets", "en")
        assert '"wc-n">6</span> / 5' in en and "over" in en.split(">")[0] and " hidden" not in en
        entry = client.get("/api/workspaces/hanoi/audit").json()["entries"][0]
        assert entry["entity"] == "narrative" and "Design-led growth plan" in entry["new_value"]
    finally:
        _set_word_limits(app, {})


def test_the_word_counter_script_is_served_from_the_app(app: FastAPI, as_role: Any) -> None:
    client = as_role("viewer")
    page = client.get("/w/hanoi/texts").text
    assert '<script src="/static/wordcount.js"' in page
    script = client.get("/static/wordcount.js")
    assert script.status_code == 200 and "data-limit" not in script.text and "WORD" in script.text
