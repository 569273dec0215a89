"""The file store: bundled Hanoi, copy-on-write, history, preferred choices, atomic writes."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from creativecity.errors import InputError
from creativecity.monitoring.model import Observation, Target, Workspace
from creativecity.monitoring.repository import (
    FileWorkspaceRepository,
    WorkspaceRepository,
    bundled_path,
    creativecity_home,
)
from creativecity.monitoring.storage import read_workspace, write_workspace


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _new(repo: FileWorkspaceRepository, name: str = "t") -> Workspace:
    ws = Workspace(name=name, city="Hue", country_iso3="VNM", creative_field="Crafts and Folk Art")
    from creativecity.monitoring.model import IndicatorDef

    ws.indicators = [IndicatorDef("museums", "Museums", "Bảo tàng", "count")]
    return repo.create(ws, user="alice")


def test_protocol_and_home(tmp_path: Path) -> None:
    assert isinstance(FileWorkspaceRepository(tmp_path), WorkspaceRepository)
    assert creativecity_home() == Path(os.environ["CREATIVECITY_HOME"])
    assert FileWorkspaceRepository().root == Path(os.environ["CREATIVECITY_HOME"]) / "workspaces"


def test_bundled_hanoi_is_listed_and_read() -> None:
    repo = FileWorkspaceRepository()
    rows = {r["name"]: r for r in repo.list()}
    assert rows["hanoi"]["origin"] == "bundled"
    ws = repo.get("hanoi")
    assert (ws.city, ws.country_iso3, ws.creative_field, ws.designation_year) == (
        "Hanoi",
        "VNM",
        "Design",
        2019,
    )
    assert ws.designation_date == "2019-10-30"
    # every row of the shared indicators.csv (52) and targets.csv (9), each with a source
    assert len(ws.observations) == 52 and len(ws.targets) == 9
    assert all(o.source for o in ws.observations) and all(t.source for t in ws.targets)
    assert {o.scope for o in ws.observations} == {"Hanoi", "Viet Nam"}
    assert all(i.name_en and i.name_vi for i in ws.indicators)
    assert ("general_information", "vi") in ws.narratives


def test_copy_on_write_leaves_package_untouched() -> None:
    repo = FileWorkspaceRepository()
    before = _snapshot(bundled_path("hanoi"))
    repo.set_preferred("hanoi", "obs-0008", user="an")
    assert repo.origin("hanoi") == "user"
    assert _snapshot(bundled_path("hanoi")) == before
    ws = repo.get("hanoi")
    assert ws.observation("obs-0008").preferred is True
    assert ws.observation("obs-0009").preferred is False
    changes = [(h.entity_id, h.field, h.old, h.new, h.user) for h in ws.history]
    assert ("obs-0009", "preferred", "", "False", "an") in changes
    assert ("obs-0008", "preferred", "", "True", "an") in changes


def test_update_keeps_old_value_in_history(tmp_path: Path) -> None:
    repo = FileWorkspaceRepository(tmp_path)
    _new(repo)
    o = repo.add_observation(
        "t", Observation("", "museums", "Hue", 10, "count", 2020, source="https://a.example"), user="bob"
    )
    assert o.id == "obs-0001"
    repo.update_observation("t", "obs-0001", {"value": 12, "note": "corrected"}, user="carol")
    ws = repo.get("t")
    assert ws.observation("obs-0001").value == 12
    hist = [(h.user, h.entity_id, h.field, h.old, h.new) for h in ws.history]
    assert ("carol", "obs-0001", "value", "10", "12") in hist
    assert ("carol", "obs-0001", "note", "", "corrected") in hist
    assert hist[0][:3] == ("alice", "t", "created")


def test_invalid_change_changes_nothing(tmp_path: Path) -> None:
    repo = FileWorkspaceRepository(tmp_path)
    _new(repo)
    repo.add_observation(
        "t", Observation("", "museums", "Hue", 10, "count", 2020, source="https://a.example")
    )
    before = _snapshot(repo.path("t"))
    with pytest.raises(InputError) as err:
        repo.update_observation("t", "obs-0001", {"reference_year": 1850})
    assert "1850" in str(err.value)
    with pytest.raises(InputError, match="source"):
        repo.add_observation("t", Observation("", "museums", "Hue", 11, "count", 2021, source=""))
    with pytest.raises(InputError, match="unknown field"):
        repo.update_observation("t", "obs-0001", {"colour": "red"})
    with pytest.raises(InputError, match="no observation"):
        repo.set_preferred("t", "obs-0404")
    assert _snapshot(repo.path("t")) == before


def test_targets_add_update(tmp_path: Path) -> None:
    repo = FileWorkspaceRepository(tmp_path)
    _new(repo)
    t = repo.add_target("t", Target("", "museums", 20, "count", 2030, "Hue", source="https://plan.example"))
    assert t.id == "tgt-0001"
    repo.update_target("t", "tgt-0001", {"target_value": 25})
    ws = repo.get("t")
    assert ws.target("tgt-0001").target_value == 25
    assert any(h.field == "target_value" and h.old == "20" and h.new == "25" for h in ws.history)


def test_names_and_duplicates(tmp_path: Path) -> None:
    repo = FileWorkspaceRepository(tmp_path)
    with pytest.raises(InputError, match="valid workspace name"):
        repo.get("../etc")
    _new(repo)
    with pytest.raises(InputError, match="already exists"):
        _new(repo)
    with pytest.raises(InputError, match="no workspace 'nope'"):
        repo.get("nope")


def test_storage_round_trip_and_atomic_replace(tmp_path: Path) -> None:
    ws = FileWorkspaceRepository().get("hanoi")
    write_workspace(ws, tmp_path / "w")
    back = read_workspace(tmp_path / "w")
    assert back.to_dict() == ws.to_dict()
    # a failing write leaves the previous folder exactly as it was
    before = _snapshot(tmp_path / "w")
    bad = read_workspace(tmp_path / "w")
    bad.narratives[("x", "en")] = object()  # type: ignore[assignment]  # not text: writing fails
    with pytest.raises(TypeError):
        write_workspace(bad, tmp_path / "w")
    assert _snapshot(tmp_path / "w") == before
    assert [p.name for p in tmp_path.iterdir()] == ["w"]  # no staging folder left behind


def test_read_reports_every_bad_row(tmp_path: Path) -> None:
    ws = FileWorkspaceRepository().get("hanoi")
    write_workspace(ws, tmp_path / "w")
    path = tmp_path / "w" / "observations.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace(",0.49,", ",about half,")  # row 2: text in the value column
    lines[3] = lines[3].replace(",2021,", ",1800,")  # row 4: year out of range
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_workspace(tmp_path / "w")
    errors = err.value.errors  # type: ignore[attr-defined]
    assert [(e.row, e.column, e.rule) for e in errors] == [
        (2, "value", "number"),
        (4, "reference_year", "year range"),
    ]
    assert errors[0].file.endswith("observations.csv")


def test_two_preferred_in_one_year_is_refused(tmp_path: Path) -> None:
    repo = FileWorkspaceRepository()
    ws = repo.get("hanoi")
    ws.observation("obs-0008").preferred = True
    ws.observation("obs-0009").preferred = True
    write_workspace(ws, tmp_path / "w")
    with pytest.raises(InputError) as err:
        read_workspace(tmp_path / "w")
    assert err.value.errors[0].rule == "one preferred"  # type: ignore[attr-defined]


def test_save_keeps_old_narrative_and_fields(tmp_path: Path) -> None:
    repo = FileWorkspaceRepository(tmp_path)
    ws = _new(repo)
    ws.narratives[("executive_summary", "en")] = "First draft."
    repo.save(ws, user="erin")
    ws = repo.get("t")
    ws.narratives[("executive_summary", "en")] = "Second draft."
    ws.description = "Hue, City of Crafts"
    ws.indicators[0].name_vi = "Bảo tàng (số lượng)"
    repo.save(ws, user="finn")
    hist = [(h.user, h.entity, h.entity_id, h.field, h.old, h.new) for h in repo.get("t").history]
    assert ("erin", "narrative", "executive_summary/en", "text", "", "First draft.") in hist
    assert ("finn", "narrative", "executive_summary/en", "text", "First draft.", "Second draft.") in hist
    assert ("finn", "workspace", "t", "description", "", "Hue, City of Crafts") in hist
    assert ("finn", "indicator", "museums", "name_vi", "Bảo tàng", "Bảo tàng (số lượng)") in hist
    # saving again without changes adds nothing
    n = len(repo.get("t").history)
    repo.save(repo.get("t"), user="finn")
    assert len(repo.get("t").history) == n


def test_save_records_direct_edits_of_every_part(tmp_path: Path) -> None:
    """Anything changed on the object and saved is in the history with its old and new value."""
    from creativecity.monitoring.application import Attachment, Contact
    from creativecity.monitoring.model import ActionItem, MappingRow

    repo = FileWorkspaceRepository(tmp_path)
    _new(repo)
    repo.add_observation("t", Observation("", "museums", "Hue", 10, "count", 2020, source="https://a"), "ann")
    ws = repo.get("t")
    ws.observations[0].value = 12.0  # edited directly, not through update_observation
    ws.city_names = {"vi": "Huế"}
    ws.contacts[0] = Contact("mayor", name="Lê Văn B")
    ws.attachments[1] = Attachment("mayor_letter", "provided", "letter.pdf")
    ws.word_limits = {"assets": 800}
    ws.mapping.append(MappingRow("museums", "creative_city_pillars", "infrastructure"))
    ws.action_plan.append(ActionItem("act-0001", "More museums", "Open two"))
    ws.action_plan_translations = {"vi": {"act-0001": {"objective": "Thêm bảo tàng"}}}
    repo.save(ws, user="bo")
    hist = [(h.entity, h.entity_id, h.field, h.old, h.new) for h in repo.get("t").history if h.user == "bo"]
    assert ("observation", "obs-0001", "value", "10", "12") in hist
    assert ("workspace", "t", "city_names.vi", "", "Huế") in hist
    assert ("contact", "mayor", "name", "", "Lê Văn B") in hist
    assert ("attachment", "mayor_letter", "status", "missing", "provided") in hist
    assert ("attachment", "mayor_letter", "files", "", "letter.pdf") in hist
    assert ("workspace", "t", "word_limits.assets", "", "800") in hist
    assert (
        "mapping",
        "museums->creative_city_pillars:infrastructure",
        "created",
        "",
        "indicator: museums; framework: creative_city_pillars; code: infrastructure",
    ) in hist
    assert (
        "action",
        "act-0001",
        "created",
        "",
        "id: act-0001; objective: More museums; initiative: Open two",
    ) in hist
    assert ("action", "act-0001", "objective_vi", "", "Thêm bảo tàng") in hist
    assert len(hist) == 9  # nothing else, nothing twice
    # deleting a record keeps its content as the old value
    ws = repo.get("t")
    ws.observations = []
    repo.save(ws, user="cy")
    (deleted,) = [h for h in repo.get("t").history if h.user == "cy"]
    assert (deleted.entity, deleted.field, deleted.new) == ("observation", "deleted", "")
    assert "value: 12" in deleted.old and "source: https://a" in deleted.old


def test_changes_through_methods_are_recorded_once(tmp_path: Path) -> None:
    repo = FileWorkspaceRepository(tmp_path)
    _new(repo)
    o = repo.add_observation(
        "t", Observation("", "museums", "Hue", 10, "count", 2020, source="https://a"), "ann"
    )
    repo.update_observation("t", o.id, {"value": 11}, user="ann")
    repo.add_target("t", Target("", "museums", 20, "count", 2030, "Hue", source="https://p"), user="ann")
    hist = [(h.entity, h.field) for h in repo.get("t").history if h.user == "ann"]
    # created (1) + value (1) + target created (1): by hand, three entries
    assert hist == [("observation", "created"), ("observation", "value"), ("target", "created")]
    # a save right after (the web's "save everything" button) adds nothing
    repo.save(repo.get("t"), user="ann")
    assert len([h for h in repo.get("t").history if h.user == "ann"]) == 3


def test_caller_recorded_entries_are_not_repeated_by_save(tmp_path: Path) -> None:
    """An import writes its own "created ... imported from FILE" entries; the save must not add more."""
    from creativecity.monitoring.model import HistoryEntry

    repo = FileWorkspaceRepository(tmp_path)
    _new(repo)
    ws = repo.get("t")
    ws.observations.append(Observation("obs-0001", "museums", "Hue", 3, "count", 2019, source="https://x"))
    ws.history.append(
        HistoryEntry(
            "2026-01-01T00:00:00+00:00",
            "imp",
            "observation",
            "obs-0001",
            "created",
            "",
            "imported from f.xlsx",
        )
    )
    repo.save(ws, user="imp")
    hist = [h for h in repo.get("t").history if h.entity == "observation"]
    assert [(h.field, h.new) for h in hist] == [("created", "imported from f.xlsx")]


def test_workspace_csv_not_utf8_is_an_input_error(tmp_path: Path) -> None:
    ws = FileWorkspaceRepository().get("hanoi")
    write_workspace(ws, tmp_path / "w")
    path = tmp_path / "w" / "observations.csv"
    # re-saved in a legacy encoding: the Vietnamese notes are no longer valid UTF-8
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1258", errors="replace"))
    with pytest.raises(InputError) as err:
        read_workspace(tmp_path / "w")
    assert (err.value.file, err.value.rule) == (str(path), "encoding")
