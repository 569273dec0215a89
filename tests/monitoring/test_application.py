"""Contacts, attachments, word limits and section ids of the application dossier (workspace side)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from creativecity.errors import InputErrors
from creativecity.monitoring.application import (
    ATTACHMENT_KINDS,
    CONTACT_ROLES,
    DEFAULT_WORD_LIMITS,
    KNOWN_SECTIONS,
    Attachment,
    Contact,
    check_attachments,
    check_contacts,
    check_photo_sizes,
    check_word_limits,
    narrative_warnings,
)
from creativecity.monitoring.model import ActionItem, Workspace
from creativecity.monitoring.repository import bundled_path
from creativecity.monitoring.storage import read_workspace, write_workspace


def _ws() -> Workspace:
    return Workspace(name="hue", city="Hue", country_iso3="VNM", creative_field="Crafts and Folk Art")


def test_new_workspace_lists_every_role_and_document_as_missing() -> None:
    ws = _ws()
    assert [c.role for c in ws.contacts] == ["mayor", "representative", "main", "alternate"]
    assert all(c.name == "" for c in ws.contacts)
    assert [a.kind for a in ws.attachments] == list(ATTACHMENT_KINDS)
    assert {a.status for a in ws.attachments} == {"missing"}
    # the form: two letters of support, three photos, one of everything else
    assert (ATTACHMENT_KINDS["support_letters"], ATTACHMENT_KINDS["photos"]) == (2, 3)


def test_no_word_limit_is_invented() -> None:
    # UNESCO's limits could not be read: the forms' data say "unknown" and no default stands in
    assert DEFAULT_WORD_LIMITS == {}
    assert len(KNOWN_SECTIONS) == 13  # 6 monitoring + 7 application sections


def test_contact_checks() -> None:
    contacts = [
        Contact("mayor", "A", email="a@hanoi.gov.vn"),
        Contact("mayor", "B"),  # 2: twice
        Contact("chef"),  # 3: unknown role
        Contact("main", email="not-an-address"),  # 4: bad e-mail
    ]
    got = [(e.row, e.column, e.rule) for e in check_contacts(contacts, "workspace.yaml")]
    assert got == [
        ("contacts[2]", "role", "unique"),
        ("contacts[3]", "role", "contact role"),
        ("contacts[4]", "email", "email"),
    ]
    assert check_contacts([Contact(r) for r in CONTACT_ROLES], "w") == []


def test_attachment_checks() -> None:
    items = [
        Attachment("mayor_letter", "provided", "letter.pdf"),  # fine
        Attachment("support_letters", "provided", "one.pdf"),  # 2: needs two files
        Attachment("photos", "provided", "a.jpg; b.png; c.JPEG"),  # 3: b.png is not JPEG
        Attachment("photo_rights", "sent"),  # 4: bad status
        Attachment("budget"),  # 5: unknown kind
        Attachment("mayor_letter"),  # 6: twice
    ]
    got = [(e.row, e.column, e.rule) for e in check_attachments(items, "w.yaml")]
    assert got == [
        ("attachments[2]", "files", "file count"),
        ("attachments[3]", "files", "photo format"),
        ("attachments[4]", "status", "attachment status"),
        ("attachments[5]", "kind", "attachment"),
        ("attachments[6]", "kind", "unique"),
    ]
    assert Attachment("photos", files=" a.jpg ;b.jpg;; c.jpeg").file_list() == ["a.jpg", "b.jpg", "c.jpeg"]


def test_photo_over_three_megabytes(tmp_path: Path) -> None:
    (tmp_path / "small.jpg").write_bytes(b"x" * (3 * 1024 * 1024))  # exactly 3 MB: allowed
    (tmp_path / "big.jpg").write_bytes(b"x" * (3 * 1024 * 1024 + 1))
    errs = check_photo_sizes(Attachment("photos", "provided", "small.jpg;big.jpg;absent.jpg"), tmp_path)
    assert [(Path(e.file or "").name, e.rule) for e in errs] == [("big.jpg", "photo size")]


def test_word_limit_checks() -> None:
    limits, errs = check_word_limits({"assets": 800, "asets": 10, "executive_summary": 0, "x": "many"}, "w")
    assert limits == {"assets": 800}
    assert [(e.column, e.rule) for e in errs] == [
        ("word_limits.asets", "section"),
        ("word_limits.executive_summary", "word limit"),
        ("word_limits.x", "section"),
    ]
    assert check_word_limits({"assets": True}, "w")[1][0].rule == "word limit"  # bool is not a number


def test_unknown_sections_and_languages_are_warnings() -> None:
    narr = {("executive_sumary", "en"): "x", ("assets", "fr"): "y", ("assets", "vi"): "z"}
    warnings = narrative_warnings(narr, ("en", "vi"))
    assert len(warnings) == 2
    assert warnings[0].startswith("narratives/fr/assets.md: unknown language 'fr'")
    assert warnings[1].startswith("narratives/en/executive_sumary.md: unknown section 'executive_sumary'")


def test_application_fields_round_trip_through_the_folder_and_dict(tmp_path: Path) -> None:
    ws = _ws()
    ws.city_names = {"vi": "Huế", "en": "Hue"}
    ws.contacts[0] = Contact("mayor", "Nguyễn Văn A", "Chủ tịch", "UBND tỉnh", "a@hue.gov.vn", "+84 234")
    ws.attachments[4] = Attachment("photos", "provided", "1.jpg;2.jpg;3.jpg")
    ws.word_limits = {"assets": 800}
    ws.action_plan = [ActionItem("act-0001", "More workshops", "Open ten workshops", lead="Dept. of Culture")]
    ws.action_plan_translations = {"vi": {"act-0001": {"objective": "Thêm xưởng", "lead": "Sở Văn hóa"}}}
    write_workspace(ws, tmp_path / "hue")
    back = read_workspace(tmp_path / "hue")
    assert back == ws
    assert Workspace.from_dict(ws.to_dict()) == ws
    header = (tmp_path / "hue" / "action_plan.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.endswith("objective_vi,initiative_vi,lead_vi,partners_vi")


def test_action_text_falls_back_to_english_and_says_so() -> None:
    ws = _ws()
    item = ActionItem("act-0001", "More workshops", "Open ten workshops")
    ws.action_plan = [item]
    ws.action_plan_translations = {"vi": {"act-0001": {"objective": "Thêm xưởng"}}}
    assert ws.action_text(item, "objective", "vi") == ("Thêm xưởng", True)
    assert ws.action_text(item, "initiative", "vi") == ("Open ten workshops", False)
    assert ws.action_text(item, "initiative", "en") == ("Open ten workshops", True)
    assert ws.action_text(item, "lead", "vi") == ("", True)  # nothing to translate
    assert ws.city_name("vi") == "Hue"  # no names: the stored city
    ws.city_names = {"vi": "Huế"}
    assert (ws.city_name("vi"), ws.city_name("en")) == ("Huế", "Hue")


def test_bad_application_fields_in_workspace_yaml(tmp_path: Path) -> None:
    write_workspace(_ws(), tmp_path / "w")
    meta_path = tmp_path / "w" / "workspace.yaml"
    meta = yaml.safe_load(meta_path.read_text(encoding="utf-8"))
    meta["city_names"] = ["Huế"]
    meta["contacts"] = [{"role": "boss"}]
    meta["attachments"] = "all"
    meta["word_limits"] = {"assets": -5}
    meta_path.write_text(yaml.safe_dump(meta, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InputErrors) as err:
        read_workspace(tmp_path / "w")
    got = [(e.column, e.rule) for e in err.value.errors]
    assert got == [
        ("city_names", "mapping"),
        ("role", "contact role"),
        ("attachments", "list"),
        ("word_limits.assets", "word limit"),
    ]
    assert all(e.file == str(meta_path) for e in err.value.errors)


def test_bundled_hanoi_has_names_and_vietnamese_action_plan() -> None:
    ws = read_workspace(bundled_path("hanoi"))
    assert ws.city_names == {"vi": "Hà Nội", "en": "Hanoi"}
    assert [c.role for c in ws.contacts] == list(CONTACT_ROLES)
    assert {a.status for a in ws.attachments} == {"missing"}  # designated in 2019: no new dossier yet
    for item in ws.action_plan:
        text, in_vi = ws.action_text(item, "objective", "vi")
        assert in_vi and text != item.objective
        assert ws.action_text(item, "initiative", "vi")[1]
