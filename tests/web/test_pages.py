"""Pages for every role: dashboard, data entry, escaping, audit trail, language switch, import."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from fastapi import FastAPI
from openpyxl import Workbook

from .test_api import NEW, counts, observations


def _edit(client: Any, obs_id: str, **changes: str) -> Any:
    return client.post(
        f"/w/hanoi/observations/{obs_id}",
        data={"csrf_token": client.csrf, **changes},
        headers={"HX-Request": "true"},
    )


def test_dashboard_shows_targets_status_and_sources(app: FastAPI, as_role: Any) -> None:
    page = as_role("viewer").get("/w/hanoi")
    assert page.status_code == 200
    html = page.text
    # data/hanoi/targets.csv: 5 % of GRDP by 2025 under Resolution 09-NQ/TU
    assert "Resolution 09-NQ/TU" in html
    assert "5 % of GRDP (2025)" in html
    assert 'class="status' in html and "Evidence by pillar" in html
    assert "Conflicting figures" in html


def test_viewer_sees_no_edit_controls_and_cannot_post_edits(app: FastAPI, as_role: Any) -> None:
    client = as_role("viewer")
    data = client.get("/w/hanoi/data").text
    assert 'data-action="edit"' not in data and "Add an observation" not in data
    obs = observations(client)[0]
    before = counts(app)
    assert _edit(client, obs["id"], value="999").status_code == 403
    assert client.get(f"/w/hanoi/observations/{obs['id']}/edit").status_code == 403
    assert (
        client.post(f"/w/hanoi/observations/{obs['id']}/delete", data={"csrf_token": client.csrf}).status_code
        == 403
    )
    assert client.get("/w/hanoi/import").status_code == 403
    assert counts(app) == before


def test_editor_sees_edit_controls(app: FastAPI, as_role: Any) -> None:
    data = as_role("editor").get("/w/hanoi/data").text
    assert 'data-action="edit"' in data and "Add an observation" in data


def test_editor_cannot_open_another_citys_pages(app: FastAPI, as_role: Any) -> None:
    client = as_role("outsider")
    assert client.get("/w/hanoi").status_code == 403
    assert client.get("/w/hanoi/data").status_code == 403
    assert client.get("/w/other").status_code == 200


def test_form_edit_without_csrf_is_refused(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    obs = observations(client)[0]
    before = counts(app)
    response = client.post(f"/w/hanoi/observations/{obs['id']}", data={"value": "123"})
    assert response.status_code == 403
    assert counts(app) == before
    assert observations(client)[0]["value"] == obs["value"]


def test_inline_edit_saves_and_audits_old_and_new(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    obs = next(o for o in observations(client) if o["indicator"] == "cinemas")
    form = client.get(f"/w/hanoi/observations/{obs['id']}/edit", headers={"HX-Request": "true"})
    assert form.status_code == 200 and 'name="value"' in form.text
    row = _edit(client, obs["id"], value="44")
    assert row.status_code == 200
    assert f'id="row-{obs["id"]}"' in row.text and ">44<" in row.text
    trail = client.get("/w/hanoi/audit", params={"indicator": "cinemas"}).text
    assert "editor@example.org" in trail
    assert re.search(r"<td>value</td>\s*<td class=\"old\">43\.0</td>\s*<td class=\"new\">44\.0</td>", trail)


def test_invalid_edit_returns_the_form_with_the_error_and_changes_nothing(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    obs = observations(client)[1]
    before = counts(app)
    response = _edit(client, obs["id"], value="three")
    assert response.status_code == 200  # htmx swaps only 2xx: the form comes back with its error
    assert "field-error" in response.text and "is not a number" in response.text
    assert counts(app) == before


def test_add_form_with_missing_source_shows_the_error_next_to_the_field(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    before = counts(app)
    form = {k: str(v) for k, v in NEW.items()} | {"source": "", "csrf_token": client.csrf}
    response = client.post("/w/hanoi/observations", data=form)
    assert response.status_code == 422
    assert re.search(r'<label class="invalid">Source.*?field-error', response.text, re.S)
    assert counts(app) == before


def test_script_in_text_is_shown_escaped(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    evil = '<script>alert("x")</script>'
    form = {k: str(v) for k, v in NEW.items()} | {
        "note": evil,
        "source": "https://example.org/<script>",
        "csrf_token": client.csrf,
    }
    assert client.post("/w/hanoi/observations", data=form, follow_redirects=False).status_code == 303
    html = client.get("/w/hanoi/data").text
    assert "<script>alert" not in html and "&lt;script&gt;alert" in html
    created = next(o for o in observations(client) if o["note"] == evil)
    assert _edit(client, created["id"], note=evil + "!").status_code == 200
    trail = client.get("/w/hanoi/audit", params={"indicator": "cinemas"}).text
    assert "<script>alert" not in trail and "&lt;script&gt;alert" in trail


def test_audit_page_filters_by_indicator(app: FastAPI, as_role: Any) -> None:
    html = as_role("viewer").get("/w/hanoi/audit", params={"indicator": "craft_villages"}).text
    indicators = set(re.findall(r'<a href="\?indicator=([^"]+)">', html))
    assert indicators == {"craft_villages"}


def test_language_switch_sets_a_cookie_and_translates_the_page(app: FastAPI, as_role: Any) -> None:
    client = as_role("viewer")
    assert "Evidence by pillar" in client.get("/w/hanoi").text
    response = client.post("/lang", data={"lang": "vi", "next": "/w/hanoi", "csrf_token": client.csrf})
    assert response.status_code == 200 and response.url.path == "/w/hanoi"
    assert client.cookies.get("cc_lang") == "vi"
    assert 'lang="vi"' in response.text
    assert "Bằng chứng theo trụ cột" in response.text
    client.post("/lang", data={"lang": "en", "next": "/", "csrf_token": client.csrf})
    assert "Evidence by pillar" in client.get("/w/hanoi").text


def test_accept_language_picks_vietnamese_for_a_new_visitor(app: FastAPI, as_role: Any) -> None:
    page = as_role(None).get("/login", headers={"Accept-Language": "vi-VN,vi;q=0.9,en;q=0.5"})
    assert 'lang="vi"' in page.text and "Đăng nhập" in page.text


def _xlsx(rows: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "observations"
    for row in rows:
        sheet.append(row)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


HEADER = ["indicator", "scope", "value", "unit", "reference_year", "source"]


def test_import_with_a_bad_row_imports_nothing_and_marks_the_row(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    before = counts(app)
    data = _xlsx(
        [
            HEADER,
            ["cinemas", "Hanoi", 50, "count", 2025, "https://example.org/a"],
            ["cinemas", "Hanoi", "many", "count", 2025, "https://example.org/b"],
            ["cinemas", "Hanoi", 52, "count", 2025, ""],
        ]
    )
    response = client.post(
        "/w/hanoi/import",
        data={"csrf_token": client.csrf},
        files={"file": ("figures.xlsx", data, "application/octet-stream")},
    )
    assert response.status_code == 422
    html = response.text
    assert "Nothing was imported" in html
    # row 3 (value "many", column C) and row 4 (no source, column F) are marked; row 2 is fine
    assert re.search(r'id="row-3".*?C \(value\).*?</tr>', html, re.S)
    assert re.search(r'id="row-4".*?F \(source\).*?</tr>', html, re.S)
    assert 'id="row-2"' not in html
    assert counts(app) == before


def test_import_of_a_clean_file_adds_every_row(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    before = counts(app)
    data = _xlsx(
        [
            HEADER,
            ["cinemas", "Hanoi", 60, "count", 2026, "https://example.org/import-1"],
            ["cinemas", "Hanoi", 61, "count", 2027, "https://example.org/import-2"],
        ]
    )
    response = client.post(
        "/w/hanoi/import",
        data={"csrf_token": client.csrf},
        files={"file": ("clean.xlsx", data, "application/octet-stream")},
    )
    assert response.status_code == 200 and "Imported" in response.text
    assert counts(app)[0] == before[0] + 2


def test_import_with_an_unknown_column_names_it(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    data = b"indicator,scope,value,unit,source,colour\ncinemas,Hanoi,1,count,x,red\n"
    response = client.post(
        "/w/hanoi/import",
        data={"csrf_token": client.csrf},
        files={"file": ("f.csv", data, "text/csv")},
    )
    assert response.status_code == 422 and "unknown column" in response.text and "F (colour)" in response.text


@pytest.mark.parametrize("role", ["viewer", "editor"])
def test_reports_page_lists_every_format_in_both_languages(app: FastAPI, as_role: Any, role: str) -> None:
    html = as_role(role).get("/w/hanoi/reports").text
    for lang in ("vi", "en"):
        for fmt in ("html", "pdf", "docx"):
            assert f'data-report="monitoring-{lang}-{fmt}"' in html


def test_html_report_download(app: FastAPI, as_role: Any) -> None:
    response = as_role("viewer").get("/w/hanoi/reports/monitoring.html", params={"lang": "en"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "Hanoi" in response.text


def test_network_page_is_public_and_filters(app: FastAPI, as_role: Any) -> None:
    client = as_role(None)
    page = client.get("/network", params={"as_of": "2017"})
    assert page.status_code == 200 and "<strong>180</strong>" in page.text
    design = client.get("/network", params={"field": "Design", "country": "VNM"}).text
    assert "Hanoi" in design and "Hoi An" not in design  # Hoi An is Crafts and Folk Art (2023)
    assert client.get("/network", params={"field": "Juggling"}).status_code == 200


def test_index_builder_builds_the_asem_index_with_rank_intervals(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    form = {"data": "2018", "spec": "full", "top": "3", "intervals": "1", "n": "50", "seed": "1"}
    response = client.post("/index", data=form | {"csrf_token": client.csrf})
    assert response.status_code == 200
    rows = re.findall(
        r"<tr><td>(\d+)</td><td>([A-Z]{3})</td><td class=\"num\">[\d.]+</td><td>([\d.]+)–([\d.]+) ",
        response.text,
    )
    assert [int(r[0]) for r in rows] == [1, 2, 3]
    assert all(float(lo) <= float(hi) for _, _, lo, hi in rows)
    plain = client.post(
        "/index", data={"data": "2018", "spec": "simple", "top": "2", "csrf_token": client.csrf}
    )
    assert (
        "Rank interval 5–95% (median)" not in plain.text
        and len(re.findall(r"<tr><td>\d+</td>", plain.text)) == 2
    )


def test_index_builder_refuses_unknown_choices(app: FastAPI, as_role: Any) -> None:
    client = as_role("viewer")
    response = client.post("/index", data={"data": "1999", "spec": "full", "csrf_token": client.csrf})
    assert response.status_code == 422 and "unknown data set" in response.text


def test_site_admin_opens_every_dashboard_and_unknown_ones_are_404(app: FastAPI, as_role: Any) -> None:
    client = as_role("admin")
    assert client.get("/w/hanoi").status_code == 200
    assert client.get("/w/other").status_code == 200
    assert client.get("/w/atlantis").status_code == 404


def test_dashboard_follows_a_change_at_once(app: FastAPI, as_role: Any) -> None:
    viewer, editor = as_role("viewer"), as_role("editor")
    before = viewer.get("/w/hanoi").text  # cached per content version
    obs = next(o for o in observations(editor) if o["indicator"] == "creative_industry_share_grdp")
    assert _edit(editor, obs["id"], value="4.9").status_code == 200
    after = viewer.get("/w/hanoi").text
    assert after != before and "4.9 (" in after


def test_every_answer_carries_security_headers(app: FastAPI, as_role: Any) -> None:
    for path in ("/login", "/healthz", "/api/network/summary"):
        headers = as_role(None).get(path).headers
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["x-frame-options"] == "DENY"
        assert "script-src 'self'" in headers["content-security-policy"]


def test_reports_follow_the_data_and_other_formats_download(app: FastAPI, as_role: Any) -> None:
    viewer, editor = as_role("viewer"), as_role("editor")
    first = viewer.get("/w/hanoi/reports/monitoring.html", params={"lang": "en"}).text
    obs = next(o for o in observations(editor) if o["indicator"] == "cinemas")
    assert _edit(editor, obs["id"], value="98765").status_code == 200
    second = viewer.get("/w/hanoi/reports/monitoring.html", params={"lang": "en"}).text
    number = re.compile(r">[^<>]*\b98[,. ]?765\b")  # in text, not inside a base64 image
    assert number.search(second) and not number.search(first)
    docx = viewer.get("/w/hanoi/reports/application.docx", params={"lang": "vi"})
    assert docx.status_code == 200 and docx.content[:2] == b"PK"  # a DOCX is a zip
    assert "attachment" in docx.headers["content-disposition"]
    assert viewer.get("/w/hanoi/reports/monitoring.odt").status_code == 404


def test_editor_deletes_a_figure_and_the_trail_keeps_it(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    form = {k: str(v) for k, v in NEW.items()} | {"value": "11", "source": "https://example.org/to-delete"}
    client.post("/w/hanoi/observations", data=form | {"csrf_token": client.csrf})
    victim = next(o for o in observations(client) if o["source"] == "https://example.org/to-delete")
    response = client.post(
        f"/w/hanoi/observations/{victim['id']}/delete",
        data={"csrf_token": client.csrf},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200 and response.text == ""  # htmx removes the row
    assert victim["id"] not in {o["id"] for o in observations(client)}
    trail = client.get("/api/workspaces/hanoi/audit").json()["entries"][0]
    assert (trail["action"], trail["entity_id"]) == ("delete", victim["id"])
    assert "to-delete" in trail["old_value"]


def test_network_charts_are_served_as_svg(app: FastAPI, as_role: Any) -> None:
    client = as_role(None)
    for path in ("/network/growth.svg", "/network/map.svg?as_of=2019"):
        response = client.get(path)
        assert response.status_code == 200 and response.headers["content-type"] == "image/svg+xml"
        assert b"<svg" in response.content[:1000]
    assert client.get("/network/map.svg?as_of=soon").status_code == 422


def test_the_downloaded_template_filled_in_imports(app: FastAPI, as_role: Any) -> None:
    from openpyxl import load_workbook

    client = as_role("editor")
    template = client.get("/w/hanoi/import/template.xlsx")
    assert template.status_code == 200
    book = load_workbook(io.BytesIO(template.content))
    # the template is the bilingual one: Vietnamese sheet and column names before the machine names
    assert "Số liệu - Observations" in book.sheetnames
    sheet = book["Số liệu - Observations"]
    labels = [c.value for c in sheet[1]]
    assert "Chỉ tiêu / indicator" in labels and "Giá trị / value" in labels
    header = [str(c).rsplit("/", 1)[-1].strip() if c else c for c in labels]
    row = {"indicator": "cinemas", "scope": "Hanoi", "value": 71, "unit": "count", "reference_year": 2030}
    row["source"] = "https://example.org/template-row"
    sheet.append([row.get(h) for h in header])
    buf = io.BytesIO()
    book.save(buf)
    before = counts(app)
    response = client.post(
        "/w/hanoi/import",
        data={"csrf_token": client.csrf},
        files={"file": ("filled.xlsx", buf.getvalue(), "application/octet-stream")},
    )
    assert response.status_code == 200, response.text[-2000:]
    assert counts(app)[0] == before[0] + 1
    assert as_role("viewer").get("/w/hanoi/import/template.xlsx").status_code == 403


def test_sql_injection_through_the_form_changes_nothing_else(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    payload = "x'); DELETE FROM observations; --"
    before = {o["id"]: o for o in observations(client)}
    fields = ["indicator", "scope", "value", "unit", "reference_year", "reference_year_note", "method"]
    fields += ["source", "note", "certainty"]
    added = 0
    for field in fields:
        form = {k: str(v) for k, v in NEW.items()} | {
            "source": f"https://example.org/form-{field}",
            field: payload,
        }
        response = client.post(
            "/w/hanoi/observations", data=form | {"csrf_token": client.csrf}, follow_redirects=False
        )
        assert response.status_code in (303, 422)
        added += response.status_code == 303
    after = {o["id"]: o for o in observations(client)}
    assert len(after) == len(before) + added
    assert {k: after[k] for k in before} == before
    assert added >= 4  # scope, note on the year, method, note (and source) keep the text as written


def test_index_builder_takes_an_edited_pipeline_and_reports_its_errors(app: FastAPI, as_role: Any) -> None:
    client = as_role("viewer")
    spec = "version: 1\nsteps:\n  - step: impute\n    method: mean\n  - step: normalise\n    method: rank\n"
    spec += "  - step: aggregate\n    method: arithmetic\n"
    form = {"data": "2018", "spec": "full", "top": "5", "spec_text": spec, "spec_base": "full"}
    good = client.post("/index", data=form | {"csrf_token": client.csrf})
    assert good.status_code == 200 and len(re.findall(r"<tr><td>\d+</td><td>[A-Z]{3}</td>", good.text)) == 5
    bad = client.post(
        "/index", data=form | {"spec_text": "version: 1\nsteps: [\n", "csrf_token": client.csrf}
    )
    assert bad.status_code == 422 and "not valid YAML" in bad.text
    wrong = client.post(
        "/index",
        data=form | {"spec_text": "version: 1\nsteps:\n  - step: levitate\n", "csrf_token": client.csrf},
    )
    assert wrong.status_code == 422 and "levitate" in wrong.text


def test_an_oversized_upload_is_refused_without_importing(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    before = counts(app)
    huge = b"indicator,scope,value,unit,source\n" + b"x" * (26 * 1024 * 1024)
    response = client.post(
        "/w/hanoi/import", data={"csrf_token": client.csrf}, files={"file": ("huge.csv", huge, "text/csv")}
    )
    assert response.status_code == 413
    assert counts(app) == before


def test_nul_characters_are_refused_before_reaching_the_database(app: FastAPI, as_role: Any) -> None:
    client = as_role("admin")
    before = counts(app)
    assert client.get("/w/hanoi/audit?indicator=a%00b").status_code == 400
    bad_login = as_role(None)
    response = bad_login.post(
        "/login", data={"email": "a\x00@example.org", "password": "x", "csrf_token": bad_login.csrf}
    )
    assert response.status_code == 400
    members = client.post(
        "/w/hanoi/members", data={"email": "x\x00@y.org", "role": "viewer", "csrf_token": client.csrf}
    )
    assert members.status_code == 400
    text = client.post(
        "/w/hanoi/texts/executive_summary/en", data={"text": "a\x00b", "csrf_token": client.csrf}
    )
    assert text.status_code == 400
    assert counts(app) == before


def test_data_page_marks_conflicting_figures(app: FastAPI, as_role: Any) -> None:
    # data/hanoi: two counts of creative spaces for 2019 (60 and about 200, different definitions)
    html = as_role("viewer").get("/w/hanoi/data", params={"indicator": "creative_spaces"}).text
    rows = re.findall(r'<tr id="row-(obs-\d+)">(.*?)</tr>', html, re.S)
    marked = {obs_id for obs_id, body in rows if 'class="chip conflict"' in body}
    years = {obs_id: re.search(r"<td>(\d{4}|undated)</td>", body).group(1) for obs_id, body in rows}
    assert len(marked) >= 2 and {years[i] for i in marked} == {"2019"}
    assert all(years[i] != "undated" for i in marked)


def test_conflicting_ids_of_a_page_follow_the_monitoring_rule(tmp_path: Any) -> None:
    from creativecity.monitoring.model import IndicatorDef, Observation, Workspace
    from creativecity.store import SYSTEM, Store
    from creativecity.store.repository import save_workspace
    from creativecity.store.workspaces import require_workspace
    from creativecity.web.routes_pages import conflicting_ids

    def obs(i: str, year: int | None, value: float, unit: str = "count", source: str = "s") -> Observation:
        return Observation(i, "spaces", "Hanoi", value, unit, year, source=source)

    rows = [obs("a", 2019, 60), obs("b", 2019, 200), obs("c", 2020, 70), obs("d", None, 1), obs("e", None, 2)]
    rows.append(obs("f", 2019, 5, unit="%"))  # another unit is another series
    rows += [obs("g", 2021, 80, source="s1"), obs("h", 2021, 80, source="s2")]  # one value twice: confirmed
    store = Store.open(f"sqlite:///{tmp_path}/c.sqlite")
    spaces = [IndicatorDef("spaces", "Spaces")]
    ws = Workspace("c", "Hue", "VNM", "design", indicators=spaces, observations=rows, units=["count", "%"])
    with store.transaction(SYSTEM) as session:
        save_workspace(session, ws)
    with store.reading() as db:
        row = require_workspace(db, "c")
        assert conflicting_ids(db, row, rows) == {"a", "b"}
        # the other figure of a conflict may be on another page: "a" alone is still marked
        assert conflicting_ids(db, row, [rows[0], rows[2]]) == {"a"}
    store.dispose()


def test_conflicting_ids_groups_by_series_and_year() -> None:
    from creativecity.monitoring.model import Observation
    from creativecity.monitoring.progress import conflicting_ids

    def obs(i: str, year: int | None, value: float, unit: str = "count") -> Observation:
        return Observation(i, "spaces", "Hanoi", value, unit, year, source="s")

    rows = [obs("a", 2019, 60), obs("b", 2019, 200), obs("c", 2020, 70), obs("d", None, 1), obs("e", None, 2)]
    rows.append(obs("f", 2019, 5, unit="%"))  # another unit is another series
    rows += [obs("g", 2021, 80), obs("h", 2021, 80)]  # two sources, one value: confirmed, no conflict
    assert conflicting_ids(rows) == {"a", "b"}


def test_index_goal_page_plans_vnm_to_rank_20_with_odds(app: FastAPI, as_role: Any) -> None:
    client = as_role("editor")
    assert client.get("/index/goal").status_code == 200
    assert 'href="/index/goal"' in client.get("/index").text
    form = {"unit": "vnm", "rank": "20", "data": "2018", "spec": "full", "odds": "1", "n": "20"}
    page = client.post("/index/goal", data=form | {"csrf_token": client.csrf})
    assert page.status_code == 200, page.text
    assert re.search(r"\(VNM\): rank 36 → (\d+) of 51", page.text)
    reached = int(re.search(r"\(VNM\): rank 36 → (\d+) of 51", page.text).group(1))  # type: ignore[union-attr]
    assert reached <= 20
    rows = re.findall(r"<tr><td>([A-Za-z0-9]+) – ", page.text.split('id="goal-plan"')[1])
    assert rows and 'id="goal-odds"' in page.text
    bad = client.post("/index/goal", data={"unit": "XXX", "rank": "20", "csrf_token": client.csrf})
    assert bad.status_code == 422 and "unknown unit" in bad.text
