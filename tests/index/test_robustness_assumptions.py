"""Assumptions file: structure checks and validation against the framework and the spec."""

from __future__ import annotations

from pathlib import Path

import pytest

from creativecity.errors import InputError
from creativecity.index.analysis.assumptions import load_assumptions, parse_assumptions, read_assumptions
from creativecity.index.examples import asem, asem_assumptions_path, asem_spec


@pytest.fixture(scope="module")
def asem_inputs():  # type: ignore[no-untyped-def]
    fw, _ = asem()
    return fw, asem_spec("full")


def _doc(*assumptions: dict, target: str = "Index") -> dict:
    return {"version": 1, "target": target, "assumptions": list(assumptions)}


def test_bundled_file_reads_in_order(asem_inputs) -> None:  # type: ignore[no-untyped-def]
    fw, spec = asem_inputs
    aset = load_assumptions(asem_assumptions_path(), fw, spec)
    assert aset.target == "Index"
    assert aset.names == ["winsorisation", "normalisation", "weights", "aggregation"]
    kinds = [(a.kind, a.step, a.parameter) for a in aset.assumptions]
    assert kinds == [
        ("values", "treat", "winmax"),
        ("values", "normalise", None),
        ("noise", "aggregate", "weights"),
        ("values", "aggregate", "method"),
    ]
    assert aset.assumptions[2].levels == (2, 3) and aset.assumptions[2].factor == 0.25


@pytest.mark.parametrize(
    ("item", "field", "rule"),
    [
        ({"name": "w", "at": "treat.winmax", "values": []}, "values", "non-empty choices"),
        ({"name": "w", "at": "treat.skew_max", "range": [3, 1]}, "range", "range low <= high"),
        ({"name": "w", "at": "treat.skew_max", "range": [1]}, "range", "range is two numbers"),
        ({"name": "w", "at": "treat.winmax", "values": [1], "range": [1, 2]}, "values", "one distribution"),
        ({"name": "w", "at": "treat.winmax"}, "values", "one distribution"),
        (
            {"name": "w", "at": "aggregate.weights", "noise": {"levels": [2], "factor": 1.5}},
            "noise.factor",
            "noise factor in [0, 1]",
        ),
        (
            {"name": "w", "at": "aggregate.weights", "noise": {"levels": [], "factor": 0.1}},
            "noise.levels",
            "noise levels given",
        ),
        ({"name": "w", "at": "a.b.c", "values": [1]}, "at", "at format"),
    ],
)
def test_structural_errors_name_assumption_and_field(item: dict, field: str, rule: str) -> None:
    ok = {"name": "first", "at": "normalise.method", "values": ["minmax"]}
    with pytest.raises(InputError) as exc:
        parse_assumptions(_doc(ok, item), source="a.yaml")
    err = exc.value
    assert err.file == "a.yaml"
    assert err.column == field
    assert err.rule == rule
    assert "assumption 2 ('w')" in err.message  # name and 1-based position


@pytest.mark.parametrize(
    ("item", "field", "rule", "words"),
    [
        ({"name": "x", "at": "smooth.k", "values": [1]}, "at", "known step", "unknown step 'smooth'"),
        (
            {"name": "x", "at": "treat.winmix", "values": [1]},
            "at",
            "known parameter",
            "no parameter 'winmix'",
        ),
        (
            {"name": "x", "at": "aggregate.weights", "noise": {"levels": [7], "factor": 0.2}},
            "noise.levels",
            "noise level exists",
            "level 7 does not exist",
        ),
        (
            {"name": "x", "at": "aggregate.weights", "noise": {"levels": [4], "factor": 0.2}},
            "noise.levels",
            "noise level has weights",
            "top level",
        ),
        (
            {"name": "x", "at": "treat.winmax", "noise": {"levels": [2], "factor": 0.2}},
            "noise",
            "noise on weights",
            "only at aggregate.weights",
        ),
        (
            {"name": "x", "at": "normalise.method", "range": [0, 1]},
            "range",
            "range on numeric parameter",
            "numeric parameter",
        ),
        (
            {"name": "x", "at": "normalise", "values": ["minmax"]},
            "values[0]",
            "whole-step choice is a mapping",
            "mappings",
        ),
        # zscore does not take the nominal spec's "range: [0, 100]": refused before any sampling
        (
            {"name": "x", "at": "normalise.method", "values": ["minmax", "zscore"]},
            "values[1]",
            "known parameter",
            "'zscore' is not valid",
        ),
        ({"name": "x", "at": "treat.winmax", "range": [-2, 3]}, "range[0]", "parameter range", "-2"),
        # choices only the framework can refuse: a weight set and an aggregate code that do not exist
        (
            {"name": "x", "at": "aggregate.weights", "values": ["iMeta", "nope"]},
            "values[1]",
            "known weight set",
            "'nope'",
        ),
        (
            {"name": "x", "at": "aggregate.method", "values": ["arithmetic", {"Foo": "geometric"}]},
            "values[1]",
            "known code",
            "'Foo' is not an aggregate",
        ),
        (
            {"name": "x", "at": "aggregate.method", "values": [{9: "geometric"}]},
            "values[0]",
            "known level",
            "level 9 does not exist",
        ),
        (
            {"name": "x", "at": "aggregate.weights", "values": [{"Nope": 2}]},
            "values[0]",
            "known code",
            "unknown code 'Nope'",
        ),
    ],
)
def test_validation_errors_against_framework_and_spec(asem_inputs, item, field, rule, words) -> None:  # type: ignore[no-untyped-def]
    fw, spec = asem_inputs
    aset = parse_assumptions(_doc(item), source="a.yaml")
    with pytest.raises(InputError) as exc:
        aset.validate(fw, spec)
    assert exc.value.column == field
    assert exc.value.rule == rule
    assert words in exc.value.message
    assert "assumption 1 ('x')" in exc.value.message


def test_unknown_target_and_step_missing_from_spec(asem_inputs) -> None:  # type: ignore[no-untyped-def]
    fw, _ = asem_inputs
    with pytest.raises(InputError, match="not a code of the framework") as exc:
        parse_assumptions(_doc({"name": "a", "at": "treat.winmax", "values": [1]}, target="Nope")).validate(
            fw, asem_spec("full")
        )
    assert exc.value.column == "target"
    # the simple ASEM spec has no treat step
    with pytest.raises(InputError, match="not in the pipeline spec"):
        parse_assumptions(_doc({"name": "a", "at": "treat.winmax", "values": [1]})).validate(
            fw, asem_spec("simple")
        )


def test_duplicates_and_overlaps_are_refused() -> None:
    a = {"name": "a", "at": "normalise", "values": [{"method": "rank"}]}
    with pytest.raises(InputError, match="name already used"):
        parse_assumptions(_doc(a, dict(a)))
    b = {"name": "b", "at": "normalise.method", "values": ["rank"]}
    with pytest.raises(InputError, match="overlaps assumption 1") as exc:
        parse_assumptions(_doc(a, b))
    assert exc.value.rule == "each point varied once"


def test_version_and_yaml_errors(tmp_path: Path) -> None:
    bad = tmp_path / "a.yaml"
    bad.write_text("version: 2\ntarget: Index\nassumptions: []\n")
    with pytest.raises(InputError, match="version must be 1"):
        read_assumptions(bad)
    bad.write_text("version: 1\ntarget: Index\nassumptions:\n  - name: [unclosed\n")
    with pytest.raises(InputError) as exc:
        read_assumptions(bad)
    assert exc.value.rule == "valid YAML" and exc.value.row is not None
    with pytest.raises(InputError, match="file not found"):
        read_assumptions(tmp_path / "missing.yaml")


def test_framework_choices_that_exist_are_accepted(asem_inputs) -> None:  # type: ignore[no-untyped-def]
    fw, spec = asem_inputs
    item = {"name": "x", "at": "aggregate.weights", "values": ["iMeta", "equal", {"Conn": 2}]}
    aset = parse_assumptions(_doc(item), source="a.yaml").validate(fw, spec)
    assert aset.names == ["x"]
    item = {
        "name": "x",
        "at": "aggregate.method",
        "values": ["arithmetic", {2: "geometric", "Conn": "harmonic"}],
    }
    parse_assumptions(_doc(item), source="a.yaml").validate(fw, spec)
