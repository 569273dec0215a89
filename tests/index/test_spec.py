"""Pipeline spec: validation with field paths, round trip, and Spec.set."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from creativecity.errors import InputError
from creativecity.index import Spec
from creativecity.index.examples import asem_path, asem_spec


def base(**over: Any) -> dict[str, Any]:
    d: dict[str, Any] = {
        "version": 1,
        "steps": [
            {"step": "impute", "method": "group_mean", "group": "EurAsia_group"},
            {"step": "treat", "method": "winsorise", "winmax": 5},
            {"step": "normalise", "method": "minmax", "range": [0, 100]},
            {"step": "aggregate", "method": "arithmetic"},
        ],
    }
    d.update(over)
    return d


def bad(d: dict[str, Any]) -> InputError:
    with pytest.raises(InputError) as e:
        Spec.from_dict(d, source="my.yaml")
    assert e.value.file == "my.yaml"
    return e.value


def test_examples_read_and_resolve() -> None:
    full = asem_spec("full")
    assert full.kinds == ["denominate", "impute", "screen", "treat", "normalise", "aggregate"]
    treat = full.step("treat")
    assert treat is not None and treat.resolved["winmax"] == 5 and treat.resolved["fallback"] == "log_ct"
    assert full.step("screen").resolved["min_data"] == 0.9  # type: ignore[union-attr]
    simple = asem_spec("simple")
    assert simple.step("treat") is None
    assert simple.step("normalise").resolved["range"] == (0.0, 100.0)  # type: ignore[union-attr]


def test_defaults_filled() -> None:
    s = Spec.from_dict({"steps": [{"step": "screen"}, {"step": "normalise"}, {"step": "aggregate"}]})
    sc = s.step("screen")
    assert (
        sc is not None and sc.resolved["by"] == "missing" and sc.resolved["min_data"] == pytest.approx(2 / 3)
    )
    assert sc.resolved["min_nonzero"] == 0.05
    assert s.step("normalise").resolved["method"] == "minmax"  # type: ignore[union-attr]


def test_unknown_step() -> None:
    d = base()
    d["steps"][1] = {"step": "smooth"}
    e = bad(d)
    assert (e.column, e.rule) == ("steps[1].step", "known step")


def test_unknown_method() -> None:
    d = base()
    d["steps"][2]["method"] = "minmaxx"
    e = bad(d)
    assert (e.column, e.rule) == ("steps[2].method", "known method")


def test_unknown_parameter() -> None:
    d = base()
    d["steps"][1]["winmx"] = 3
    e = bad(d)
    assert (e.column, e.rule) == ("steps[1].winmx", "known parameter")


def test_parameter_of_other_method_is_unknown() -> None:
    d = base()
    d["steps"][2] = {"step": "normalise", "method": "zscore", "range": [0, 1]}
    assert bad(d).column == "steps[2].range"


def test_wrong_type_and_range() -> None:
    d = base()
    d["steps"][1]["winmax"] = "five"
    assert (bad(d).column, bad(d).rule) == ("steps[1].winmax", "parameter type")
    d["steps"][1]["winmax"] = -1
    assert bad(d).rule == "parameter range"
    d = base()
    d["steps"][2]["range"] = [100, 0]
    assert bad(d).column == "steps[2].range"
    d["steps"][2]["range"] = [0, "x"]
    assert bad(d).column == "steps[2].range[1]"
    d = base()
    d["steps"].insert(0, {"step": "screen", "min_data": 1.5})
    assert (bad(d).column, bad(d).rule) == ("steps[0].min_data", "parameter range")


def test_structure_rules() -> None:
    assert bad({"version": 2, "steps": []}).column == "version"
    assert bad({"version": 1}).column == "steps"
    assert bad(base(extra=1)).column == "extra"
    d = base()
    d["steps"].append({"step": "treat"})
    assert bad(d).rule == "each step at most once"
    d = base()
    d["steps"] = d["steps"][:3]
    assert bad(d).rule == "aggregate step required"
    d = base()
    d["steps"] = [d["steps"][3], d["steps"][2]]
    assert bad(d).rule == "aggregate last"


def test_group_method_needs_group() -> None:
    d = base()
    del d["steps"][0]["group"]
    assert bad(d).column == "steps[0].group"


def test_aggregate_method_mapping() -> None:
    d = base()
    d["steps"][3] = {
        "step": "aggregate",
        "method": {2: "arithmetic", "Index": {"method": "generalised", "p": 2}},
        "weights": {"Conn": 2},
        "min_data": 0.5,
    }
    s = Spec.from_dict(d)
    assert s.step("aggregate").resolved["weights"] == {"Conn": 2.0}  # type: ignore[union-attr]
    d["steps"][3]["method"] = {"3": "median"}
    assert bad(d).column == "steps[3].method.3"
    d["steps"][3]["method"] = "arithmetic"
    d["steps"][3]["p"] = 2
    assert bad(d).column == "steps[3].p"


def test_round_trip_yaml_and_json(tmp_path: Path) -> None:
    s = asem_spec("full")
    out = s.write(tmp_path / "copy.yaml")
    assert yaml.safe_load(out.read_text()) == yaml.safe_load(asem_path("asem_full.yaml").read_text())
    assert list(yaml.safe_load(out.read_text())["steps"][3]) == [
        "step",
        "method",
        "winmax",
        "skew_max",
        "kurt_max",
        "fallback",
    ]
    j = s.write(tmp_path / "copy.json")
    again = Spec.read(j)
    assert again == s and again.to_dict() == s.to_dict()
    assert json.loads(j.read_text())["steps"][4]["range"] == [0, 100]


def test_to_dict_is_a_copy() -> None:
    s = asem_spec("full")
    d = s.to_dict()
    d["steps"][3]["winmax"] = 1
    assert s.to_dict()["steps"][3]["winmax"] == 5


def test_set_parameter_step_and_method() -> None:
    s = asem_spec("full")
    s2 = s.set("treat.winmax", 2)
    assert s2.step("treat").resolved["winmax"] == 2 and s.step("treat").resolved["winmax"] == 5  # type: ignore[union-attr]
    s3 = s.set("normalise", {"method": "zscore", "mean": 10, "sd": 2})
    n = s3.step("normalise")
    assert n is not None and n.resolved == {"method": "zscore", "mean": 10.0, "sd": 2.0}
    s4 = s.set("aggregate.method", "geometric")
    assert s4.step("aggregate").resolved["method"] == "geometric"  # type: ignore[union-attr]
    s5 = s.set("aggregate.weights", {"Physical": 0.5})
    assert s5.step("aggregate").resolved["weights"] == {"Physical": 0.5}  # type: ignore[union-attr]
    assert s.set("steps[3].winmax", 1).step("treat").resolved["winmax"] == 1  # type: ignore[union-attr]


def test_set_refuses_missing_step_and_bad_value() -> None:
    simple = asem_spec("simple")
    with pytest.raises(InputError) as e:
        simple.set("treat.winmax", 2)
    assert e.value.rule == "step present in spec"
    with pytest.raises(InputError):
        simple.set("normalise.method", "nope")


def test_read_errors(tmp_path: Path) -> None:
    p = tmp_path / "s.yaml"
    p.write_text("steps: [unclosed")
    with pytest.raises(InputError) as e:
        Spec.read(p)
    # one YAML reader for every typed YAML (specs, assumptions, the web page): it names the line
    assert (e.value.rule, e.value.file, e.value.row) == ("valid YAML", str(p), 1)
    j = tmp_path / "s.json"
    j.write_text('{"version": 1,\n "steps": [}')
    with pytest.raises(InputError) as e:
        Spec.read(j)
    assert (e.value.rule, e.value.file, e.value.row) == ("valid JSON", str(j), 2)
    p.write_text("")
    with pytest.raises(InputError):
        Spec.read(p)


def test_equality_uses_resolved_parameters() -> None:
    a = Spec.from_dict({"steps": [{"step": "normalise"}, {"step": "aggregate"}]})
    b = Spec.from_dict(
        {
            "steps": [
                {"step": "normalise", "method": "minmax", "range": [0, 100]},
                {"step": "aggregate", "method": "arithmetic"},
            ]
        }
    )
    assert a == b


def test_set_with_numpy_values_writes_plain_yaml(tmp_path: Path) -> None:
    import numpy as np

    s = asem_spec("full").set("treat.winmax", np.int64(3)).set("aggregate.weights", {"Conn": np.float64(0.7)})
    out = s.write(tmp_path / "s.yaml")
    d = yaml.safe_load(out.read_text())
    assert d["steps"][3]["winmax"] == 3 and d["steps"][5]["weights"] == {"Conn": 0.7}
    assert Spec.read(out) == s


def test_only_aggregate_accepts_a_method_mapping() -> None:
    d = base()
    d["steps"][0]["method"] = {"2": "mean"}
    assert (bad(d).column, bad(d).rule) == ("steps[0].method", "known method")
