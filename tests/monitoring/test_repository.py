"""The rules of every change (``apply_*``, ``diff_history``), the bundled Hanoi, folder read and write.

The store (tests/store) applies these rules inside its transactions; here they run on an in-memory
workspace, which is what they are.
"""

from __future__ import annotations

import copy
import os
from pathlib import Path

import pytest

from creativecity.errors import InputError
from creativecity.fileio import creativecity_home
from creativecity.monitoring.model import IndicatorDef, Observation, Target, Workspace
from creativecity.monitoring.repository import (
    apply_add_observation,
    apply_add_target,
    apply_set_preferred,
    apply_update_observation,
    apply_update_target,
    bundled_workspace,
    diff_history,
)
from creativecity.monitoring.storage import export_folder, read_workspace, write_workspace


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _new(name: str = "t") -> Workspace:
    ws = Workspace(name=name, city="Hue", country_iso3="VNM", creative_field="Crafts and Folk Art")
    ws.indicators = [IndicatorDef("museums", "Museums", "Bảo tàng", "count")]
    return ws


def _saved(old: Workspace, new: Workspace, user: str) -> Workspace:
    """What a whole-workspace save records: ``new`` with the differences from ``old`` in its history."""
    new.history.extend(diff_history(old, new, user))
    return new


def test_home_follows_the_environment() -> None:
    assert creativecity_home() == Path(os.environ["CREATIVECITY_HOME"])


def test_bundled_hanoi_is_read() -> None:
    ws = bundled_workspace("hanoi")
    assert (ws.name, ws.city, ws.country_iso3, ws.creative_field, ws.designation_year) == (
        "hanoi",
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
    with pytest.raises(InputError, match="no bundled workspace 'hue'"):
        bundled_workspace("hue")


def test_set_preferred_records_both_choices() -> None:
    ws = bundled_workspace("hanoi")
    apply_set_preferred(ws, "obs-0008", "an")
    assert ws.observation("obs-0008").preferred is True
    assert ws.observation("obs-0009").preferred is False
    changes = [(h.entity_id, h.field, h.old, h.new, h.user) for h in ws.history]
    assert ("obs-0009", "preferred", "", "False", "an") in changes
    assert ("obs-0008", "preferred", "", "True", "an") in changes


def test_update_keeps_old_value_in_history() -> None:
    ws = _new()
    o = apply_add_observation(
        ws, Observation("", "museums", "Hue", 10, "count", 2020, source="https://a.example"), "bob"
    )
    assert o.id == "obs-0001"
    apply_update_observation(ws, "obs-0001", {"value": 12, "note": "corrected"}, "carol")
    assert ws.observation("obs-0001").value == 12
    hist = [(h.user, h.entity_id, h.field, h.old, h.new) for h in ws.history]
    assert ("carol", "obs-0001", "value", "10", "12") in hist
    assert ("carol", "obs-0001", "note", "", "corrected") in hist
    assert hist[0][:3] == ("bob", "obs-0001", "created")


def test_invalid_change_changes_nothing() -> None:
    ws = _new()
    apply_add_observation(ws, Observation("", "museums", "Hue", 10, "count", 2020, source="https://a"), "x")
    before = copy.deepcopy(ws.to_dict())
    with pytest.raises(InputError) as err:
        apply_update_observation(ws, "obs-0001", {"reference_year": 1850}, "x")
    assert "1850" in str(err.value)
    with pytest.raises(InputError, match="source"):
        apply_add_observation(ws, Observation("", "museums", "Hue", 11, "count", 2021, source=""), "x")
    with pytest.raises(InputError, match="unknown field"):
        apply_update_observation(ws, "obs-0001", {"colour": "red"}, "x")
    with pytest.raises(InputError, match="no observation"):
        apply_set_preferred(ws, "obs-0404", "x")
    assert ws.to_dict() == before


def test_targets_add_update() -> None:
    ws = _new()
    t = apply_add_target(ws, Target("", "museums", 20, "count", 2030, "Hue", source="https://plan"), "x")
    assert t.id == "tgt-0001"
    apply_update_target(ws, "tgt-0001", {"target_value": 25}, "x")
    assert ws.target("tgt-0001").target_value == 25
    assert any(h.field == "target_value" and h.old == "20" and h.new == "25" for h in ws.history)


def test_storage_round_trip_and_atomic_replace(tmp_path: Path) -> None:
    ws = bundled_workspace("hanoi")
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
    ws = bundled_workspace("hanoi")
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
    ws = bundled_workspace("hanoi")
    ws.observation("obs-0008").preferred = True
    ws.observation("obs-0009").preferred = True
    write_workspace(ws, tmp_path / "w")
    with pytest.raises(InputError) as err:
        read_workspace(tmp_path / "w")
    assert err.value.errors[0].rule == "one preferred"  # type: ignore[attr-defined]


def test_save_keeps_old_narrative_and_fields() -> None:
    first = _new()
    ws = _saved(first, copy.deepcopy(first), "erin")
    ws.narratives[("executive_summary", "en")] = "First draft."
    ws = _saved(first, ws, "erin")
    second = copy.deepcopy(ws)
    second.narratives[("executive_summary", "en")] = "Second draft."
    second.description = "Hue, City of Crafts"
    second.indicators[0].name_vi = "Bảo tàng (số lượng)"
    second = _saved(ws, second, "finn")
    hist = [(h.user, h.entity, h.entity_id, h.field, h.old, h.new) for h in second.history]
    assert ("erin", "narrative", "executive_summary/en", "text", "", "First draft.") in hist
    assert ("finn", "narrative", "executive_summary/en", "text", "First draft.", "Second draft.") in hist
    assert ("finn", "workspace", "t", "description", "", "Hue, City of Crafts") in hist
    assert ("finn", "indicator", "museums", "name_vi", "Bảo tàng", "Bảo tàng (số lượng)") in hist
    assert diff_history(second, copy.deepcopy(second), "finn") == []  # no change, nothing recorded


def test_save_records_direct_edits_of_every_part() -> None:
    """Anything changed on the object and saved is in the history with its old and new value."""
    from creativecity.monitoring.application import Attachment, Contact
    from creativecity.monitoring.model import ActionItem, MappingRow

    old = _new()
    apply_add_observation(
        old, Observation("", "museums", "Hue", 10, "count", 2020, source="https://a"), "ann"
    )
    ws = copy.deepcopy(old)
    ws.observations[0].value = 12.0  # edited directly, not through apply_update_observation
    ws.city_names = {"vi": "Huế"}
    ws.contacts[0] = Contact("mayor", name="Lê Văn B")
    ws.attachments[1] = Attachment("mayor_letter", "provided", "letter.pdf")
    ws.word_limits = {"assets": 800}
    ws.mapping.append(MappingRow("museums", "creative_city_pillars", "infrastructure"))
    ws.action_plan.append(ActionItem("act-0001", "More museums", "Open two"))
    ws.action_plan_translations = {"vi": {"act-0001": {"objective": "Thêm bảo tàng"}}}
    hist = [(h.entity, h.entity_id, h.field, h.old, h.new) for h in diff_history(old, ws, "bo")]
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
    gone = copy.deepcopy(ws)
    gone.observations = []
    (deleted,) = diff_history(ws, gone, "cy")
    assert (deleted.entity, deleted.field, deleted.new) == ("observation", "deleted", "")
    assert "value: 12" in deleted.old and "source: https://a" in deleted.old


def test_changes_through_rules_are_recorded_once() -> None:
    old = _new()
    ws = copy.deepcopy(old)
    o = apply_add_observation(
        ws, Observation("", "museums", "Hue", 10, "count", 2020, source="https://a"), "ann"
    )
    apply_update_observation(ws, o.id, {"value": 11}, "ann")
    apply_add_target(ws, Target("", "museums", 20, "count", 2030, "Hue", source="https://p"), "ann")
    hist = [(h.entity, h.field) for h in ws.history if h.user == "ann"]
    # created (1) + value (1) + target created (1): by hand, three entries
    assert hist == [("observation", "created"), ("observation", "value"), ("target", "created")]
    # a save right after (the web's "save everything" button) records none of them again
    assert diff_history(old, ws, "ann") == []


def test_caller_recorded_entries_are_not_repeated_by_save() -> None:
    """An import writes its own "created ... imported from FILE" entries; the save must not add more."""
    from creativecity.monitoring.model import HistoryEntry

    old = _new()
    ws = copy.deepcopy(old)
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
    assert diff_history(old, ws, "imp") == []


def test_export_folder_refuses_to_lose_other_files(tmp_path: Path) -> None:
    """A folder holding a .git (an export kept under version control) is refused, not wiped."""
    ws = bundled_workspace("hanoi")
    export_folder(ws, tmp_path / "w")
    first = _snapshot(tmp_path / "w")
    export_folder(ws, tmp_path / "w")  # again: the same bytes (no export time stamp anywhere)
    assert _snapshot(tmp_path / "w") == first
    (tmp_path / "w" / ".git").mkdir()
    with pytest.raises(InputError, match=r"\.git.*sub-folder"):
        export_folder(ws, tmp_path / "w")
    assert (tmp_path / "w" / ".git").is_dir()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "todo.txt").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="not a workspace folder"):
        export_folder(ws, tmp_path / "notes")
    with pytest.raises(InputError, match="is a file"):
        export_folder(ws, tmp_path / "notes" / "todo.txt")


def test_workspace_csv_not_utf8_is_an_input_error(tmp_path: Path) -> None:
    ws = bundled_workspace("hanoi")
    write_workspace(ws, tmp_path / "w")
    path = tmp_path / "w" / "observations.csv"
    # re-saved in a legacy encoding: the Vietnamese notes are no longer valid UTF-8
    path.write_bytes(path.read_text(encoding="utf-8").encode("cp1258", errors="replace"))
    with pytest.raises(InputError) as err:
        read_workspace(tmp_path / "w")
    assert (err.value.file, err.value.rule) == (str(path), "encoding")
