"""A decision is a read-only dict of its outputs; everything else is computed when read."""

from __future__ import annotations

import copy
import datetime as dt
import json

import pytest

from stratpolicy.catalogs.korea import tax_credits
from stratpolicy.errors import SchemaError
from stratpolicy.rules import Decision, Input, Output, Rule, RuleSet

D = dt.date
ON = D(2025, 6, 30)
RS = RuleSet(
    id="d",
    inputs=[
        Input(name="x", type="number"),
        Input(name="flag", type="bool", default=False),
        Input(name="size", type="category", categories=["sme", "large"]),
    ],
    outputs=[Output(name="kind", type="category", categories=["a", "b"], default="a")],
    rules=[
        Rule(id="double", condition="x > 0", outputs={"y": "x * 2"}),
        Rule(id="kind", condition="flag", outputs={"kind": "'b'"}),
        Rule(id="half", outputs={"h": "x / 2"}),
    ],
)


def test_a_decision_is_a_dict_of_the_outputs_set() -> None:
    d = RS.evaluate({"x": 3.0, "size": "sme"}, on=ON)
    assert isinstance(d, dict) and isinstance(d, Decision)
    assert dict(d) == {"y": 6.0, "kind": "a", "h": 1.5} == d.outputs
    assert list(d) == [name for name in RS.output_names if name in d] == ["kind", "y", "h"]
    assert d.get("y") == 6.0 and d.get("nope", 0) == 0 and len(d) == 3
    assert json.loads(json.dumps(d)) == {"y": 6.0, "kind": "a", "h": 1.5}
    unset = RS.evaluate({"x": -1.0, "size": "sme"}, on=ON)
    assert "y" not in unset and unset.get("y") is None and dict(unset) == {"kind": "a", "h": -0.5}
    assert unset.fired == ("half",) and unset.not_fired == ("double", "kind")


def test_reading_what_is_not_set_says_why() -> None:
    d = RS.evaluate({"x": -1.0, "size": "sme"}, on=ON)
    with pytest.raises(KeyError, match="output 'y' is not set: no rule set it"):
        d["y"]
    with pytest.raises(KeyError, match="'x' is not an output of rule set 'd'"):
        d["x"]
    with pytest.raises(TypeError, match="by name"):
        d[0]  # type: ignore[index]


@pytest.mark.parametrize(
    "change",
    [
        lambda d: d.__setitem__("y", 1.0),
        lambda d: d.__delitem__("h"),
        lambda d: d.update(y=1.0),
        lambda d: d.pop("h"),
        lambda d: d.popitem(),
        lambda d: d.clear(),
        lambda d: d.setdefault("z", 1.0),
        lambda d: d.__ior__({"y": 1.0}),
    ],
)
def test_a_decision_cannot_be_changed(change: object) -> None:
    d = RS.evaluate({"x": 3.0, "size": "sme"}, on=ON)
    with pytest.raises(TypeError, match="read-only"):
        change(d)  # type: ignore[operator]
    assert dict(d) == {"y": 6.0, "kind": "a", "h": 1.5}


def test_a_decision_is_a_snapshot_of_its_facts() -> None:
    facts = {"x": 3.0, "size": "sme"}
    d = RS.evaluate(facts, on=ON)
    facts["x"] = 100.0
    assert d["y"] == 6.0 and d.inputs == {"x": 3.0, "flag": False, "size": "sme"}
    assert d.explain().output("y").value == 6.0


def test_decisions_compare_by_value() -> None:
    a = RS.evaluate({"x": 3.0, "size": "sme"}, on=ON)
    b = RS.evaluate({"x": 3.0, "size": "sme"}, on=ON)
    assert a == b and hash(a) == hash(b) and a is not b
    assert a != RS.evaluate({"x": 3.0, "size": "large"}, on=ON)  # an input differs
    assert a != RS.evaluate({"x": 3.0, "size": "sme", "flag": False}, on=ON)  # given, not default
    assert a != RS.evaluate({"x": 3.0, "size": "sme"}, on=D(2026, 1, 1))  # another date
    assert a == {"y": 6.0, "kind": "a", "h": 1.5}  # as a dict, its outputs
    assert copy.copy(a) == a and copy.deepcopy(a) == a


def test_evaluate_stays_strict() -> None:
    with pytest.raises(SchemaError, match=r"facts\.sise: unknown input \(did you mean 'size'"):
        RS.evaluate({"x": 3.0, "size": "sme", "flag": True, "sise": "sme"}, on=ON)
    with pytest.raises(SchemaError, match=r"facts\.y: unknown input"):
        RS.evaluate({"x": 3.0, "size": "sme", "y": 1.0}, on=ON)
    assert RS.evaluate({"x": 3.0, "size": "sme", "y": 1.0}, on=ON, strict=False)["y"] == 6.0


def test_the_korean_tax_decision_reads_its_outputs() -> None:
    firm = {
        "firm_size": "sme",
        "rsta_field": "semiconductors",
        "nst_rd_expense": 1e9,
        "revenue": 1e10,
        "general_rd_expense": 0.0,
        "prior_year_general_rd_expense": 0.0,
        "prior_4yr_avg_general_rd_expense": 0.0,
    }
    d = tax_credits().evaluate(firm, on=ON)
    # NST R&D: 40 % for an SME plus min(10 %, 3 x 1e9 / 1e10) = 10 %, on 1e9
    assert d["nst_rd_credit_rate"] == pytest.approx(0.50)
    assert d["nst_rd_credit"] == pytest.approx(5e8)
    assert d["rd_credit"] == pytest.approx(5e8) and d["investment_credit"] == 0.0
    assert d["tax_credit"] == pytest.approx(5e8)
    assert d.explain().output("tax_credit").value == d["tax_credit"]
