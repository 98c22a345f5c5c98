"""Reforms: the exact semantics of dated overrides, rule and portfolio changes, composition.

Expected credits are worked out by hand from the statute's formula (see conftest):
``credit = expense * (base + min(0.10, 3 * expense / revenue))``; every test firm has NST
R&D of 1 bn KRW and revenue of 100 bn KRW, so the add-on is 3 points.
"""

from __future__ import annotations

import datetime as dt

import pytest

from stratpolicy import io
from stratpolicy.errors import DataError, UnknownReferenceError, ValidationError
from stratpolicy.model import BudgetEntry, Citation, Instrument, Support
from stratpolicy.rules import ParameterValue, Rule
from stratpolicy.scenarios import (
    BudgetChange,
    CategoryChange,
    InstrumentEnd,
    ParameterOverride,
    PortfolioChanges,
    Reform,
    RuleChanges,
    SupportChange,
    compare,
)
from stratpolicy.units import parse_amount
from tests.scenarios.conftest import rsta

D = dt.date
SME_50 = ParameterOverride(
    parameter="nst_rd_base_rate", key="sme", value=0.50, start=D(2026, 1, 1), end=D(2029, 12, 31)
)


def reform(*overrides: ParameterOverride, **fields: object) -> Reform:
    fields.setdefault("hypothetical", True)
    return Reform(id=fields.pop("id", "r"), name="test reform", parameters=overrides, **fields)  # type: ignore[arg-type]


def baseline_with_later_entry():  # type: ignore[no-untyped-def]
    """The RSTA rule set with a (made-up, test-only) later entry: SMEs 45 % from 2028."""
    rs = rsta()
    param = rs.parameters["nst_rd_base_rate"]
    rates = dict(param.values[-1].by_key or {})
    rates["sme"] = 0.45
    later = ParameterValue(start=D(2028, 1, 1), by_key=rates, note="test-only later entry")
    return rs.with_parameters(rs.parameters.with_value("nst_rd_base_rate", later))


# -- acceptance -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("on", "sme_delta"),
    [
        (D(2025, 12, 31), 0.0),  # before the override: untouched
        (D(2026, 1, 1), 1e9 * (0.50 - 0.40)),  # first day: 53 % against 43 %
        (D(2027, 12, 31), 1e9 * (0.50 - 0.40)),
        (D(2028, 1, 1), 1e9 * (0.50 - 0.45)),  # wins over the later baseline entry
        (D(2029, 12, 31), 1e9 * (0.50 - 0.45)),  # last day
        (D(2030, 1, 1), 0.0),  # after: the later entry (45 %) is back
    ],
)
def test_override_changes_exactly_the_sme_rows_of_its_years(firms, on, sme_delta) -> None:  # type: ignore[no-untyped-def]
    baseline = baseline_with_later_entry()
    comparison = compare(baseline, reform(SME_50), firms, on=on, outputs=["nst_rd_credit"])
    delta = comparison.delta("nst_rd_credit")
    # rows: SME semiconductors, mid-sized, large, SME outside the NST list
    assert delta[0] == pytest.approx(sme_delta, rel=1e-12, abs=1e-6)
    assert list(delta[1:]) == [0.0, 0.0, 0.0]
    assert comparison.total("nst_rd_credit") == pytest.approx(10 * sme_delta, rel=1e-12, abs=1e-5)


def test_reformed_schedule_pieces() -> None:
    new = reform(SME_50).apply(baseline_with_later_entry()).parameters["nst_rd_base_rate"]
    starts = [v.start for v in new.values]
    # 2026-2029 is one entry (the pieces before and after 2028 hold the same table now)
    assert starts == [D(2021, 7, 1), D(2025, 1, 1), D(2026, 1, 1), D(2030, 1, 1)]
    assert new.values[2].by_key["sme"] == 0.50
    assert new.values[2].by_key["large"] == 0.30  # other keys follow the baseline
    assert new.values[3].by_key["sme"] == 0.45  # the later baseline entry, from 2030
    assert new.end == D(2031, 12, 31)  # the sunset stays
    assert "reform 'r' (hypothetical)" in new.values[2].note


def test_outside_the_period_the_baseline_is_untouched() -> None:
    base = rsta()
    new = reform(SME_50).apply(base)
    for name in base.parameters.names:
        if name != "nst_rd_base_rate":
            assert new.parameters[name] == base.parameters[name]
    assert new.rules == base.rules
    assert new.id == base.id


def test_open_ended_key_override_stops_at_the_sunset() -> None:
    o = ParameterOverride(parameter="nst_rd_base_rate", key="sme", value=0.5, start=D(2026, 1, 1))
    new = reform(o).apply(rsta()).parameters["nst_rd_base_rate"]
    assert new.end == D(2031, 12, 31)
    assert new.at(D(2031, 12, 31)).by_key["sme"] == 0.5
    assert new.at(D(2032, 1, 1)) is None


def test_value_override_extends_a_schedule_past_its_end() -> None:
    o = ParameterOverride(parameter="rd_addon_cap", value=0.2, start=D(2032, 1, 1))
    new = reform(o).apply(rsta()).parameters["rd_addon_cap"]
    assert new.end is None
    assert new.at(D(2031, 12, 31)).value == 0.10
    assert new.at(D(2040, 1, 1)).value == 0.2


def test_an_override_that_leaves_a_hole_is_refused() -> None:
    o = ParameterOverride(
        parameter="rd_addon_cap", value=0.2, start=D(2033, 1, 1), end=D(2033, 12, 31)
    )
    with pytest.raises(ValidationError) as err:
        reform(o).apply(rsta())
    problem = err.value.problems[0]
    assert problem.path == "parameters[0]"
    assert "no value from 2032-01-01 to 2032-12-31" in problem.message


def test_a_relative_override_with_nothing_to_change_is_refused() -> None:
    o = ParameterOverride(parameter="nst_rd_base_rate", key="sme", value=0.5, start=D(2035, 1, 1))
    with pytest.raises(ValidationError, match="has no value from 2035-01-01"):
        reform(o).apply(rsta())


def test_members_added_and_removed() -> None:
    remove_ai = ParameterOverride(
        parameter="rsta_nst_fields", remove=["artificial_intelligence"], start=D(2026, 1, 1)
    )
    new = reform(remove_ai).apply(rsta())
    fields = new.parameters["rsta_nst_fields"]
    assert "artificial_intelligence" in fields.at(D(2025, 12, 31)).members
    assert "artificial_intelligence" not in fields.at(D(2026, 1, 1)).members
    assert "hydrogen" in fields.at(D(2026, 1, 1)).members
    ai = {
        "firm_size": "sme",
        "rsta_field": "artificial_intelligence",
        "nst_rd_expense": 1e9,
        "revenue": 1e11,
        "prior_year_general_rd_expense": 1e9,
        "prior_4yr_avg_general_rd_expense": 1e9,
    }
    assert new.evaluate(ai, on=D(2026, 6, 30))["nst_rd_credit"] == 0.0
    assert new.evaluate(ai, on=D(2025, 6, 30))["nst_rd_credit"] == pytest.approx(1e9 * 0.43)


def test_new_categories_and_members() -> None:
    r = reform(
        ParameterOverride(
            parameter="rsta_nst_fields", add=["quantum"], start=D(2027, 1, 1), end=D(2029, 12, 31)
        ),
        categories=[CategoryChange(input="rsta_field", add=["quantum"])],
    )
    new = r.apply(rsta())
    q = {
        "firm_size": "sme",
        "rsta_field": "quantum",
        "nst_rd_expense": 1e9,
        "revenue": 1e11,
        "prior_year_general_rd_expense": 1e9,
        "prior_4yr_avg_general_rd_expense": 1e9,
    }
    assert new.evaluate(q, on=D(2027, 1, 1))["nst_rd_credit"] == pytest.approx(1e9 * 0.43)
    assert new.evaluate(q, on=D(2026, 12, 31))["nst_rd_credit"] == 0.0
    widened = r.widen(rsta())
    assert "quantum" in next(i for i in widened.inputs if i.name == "rsta_field").categories
    assert widened.parameters == rsta().parameters
    assert widened.evaluate(q, on=D(2027, 1, 1))["nst_rd_credit"] == 0.0


@pytest.mark.parametrize(
    ("override", "path", "message"),
    [
        (
            ParameterOverride(
                parameter="nst_rd_base_rat", key="sme", value=0.5, start=D(2026, 1, 1)
            ),
            "parameters[0].parameter",
            "did you mean 'nst_rd_base_rate'",
        ),
        (
            ParameterOverride(
                parameter="nst_rd_base_rate", key="smee", value=0.5, start=D(2026, 1, 1)
            ),
            "parameters[0].key",
            "did you mean 'sme'",
        ),
        (
            ParameterOverride(parameter="rsta_nst_fields", add=["quantun"], start=D(2026, 1, 1)),
            "parameters[0].add[0]",
            "not a category",
        ),
        (
            ParameterOverride(parameter="nst_rd_base_rate", value=0.5, start=D(2026, 1, 1)),
            "parameters[0]",
            "keyed parameter",
        ),
        (
            ParameterOverride(parameter="rd_addon_cap", key="sme", value=0.5, start=D(2026, 1, 1)),
            "parameters[0]",
            "number parameter",
        ),
    ],
)
def test_unknown_names_are_errors_with_their_path(override, path, message) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(DataError) as err:
        reform(override).apply(rsta())
    assert err.value.problems[0].path == path
    assert message in err.value.problems[0].message
    assert "reform 'r' applied to rule set 'kr_rsta_tax_credits'" in str(err.value)


def test_rule_changes() -> None:
    rs = rsta()
    flat = Rule(
        id="rd_nst_rate",
        condition="nst_rd_eligible and nst_rd_expense > 0",
        outputs={"nst_rd_credit_rate": "0.25"},
        valid_from=D(2021, 7, 1),
        valid_to=D(2031, 12, 31),
    )
    new = Reform(
        id="flat", name="flat rate", hypothetical=True, rules=RuleChanges(replace=[flat])
    ).apply(rs)
    firm = {
        "firm_size": "sme",
        "rsta_field": "semiconductors",
        "nst_rd_expense": 1e9,
        "revenue": 1e11,
    }
    assert new.evaluate(firm, on=D(2026, 6, 30))["nst_rd_credit"] == pytest.approx(0.25e9)
    with pytest.raises(UnknownReferenceError) as err:
        Reform(
            id="x", name="x", hypothetical=True, rules=RuleChanges(remove=["rd_nst_credits"])
        ).apply(rs)
    assert err.value.problems[0].path == "rules.remove[0]"
    assert "did you mean 'rd_nst_credit'" in err.value.problems[0].message
    with pytest.raises(ValidationError, match="exists already"):
        Reform(id="x", name="x", hypothetical=True, rules=RuleChanges(add=[flat])).apply(rs)
    removed = Reform(
        id="x", name="x", hypothetical=True, rules=RuleChanges(remove=["rd_nst_credit"])
    ).apply(rs)
    assert "rd_nst_credit" not in removed.rule_ids
    assert removed.evaluate(firm, on=D(2026, 6, 30))["nst_rd_credit"] == 0.0  # its default


def test_a_reform_needs_a_source_or_the_hypothetical_flag_and_a_change() -> None:
    with pytest.raises(ValidationError) as err:
        Reform(id="x", name="x", parameters=[SME_50])
    assert err.value.problems[0].path == "citation"
    cited = Reform(id="x", name="x", parameters=[SME_50], citation=Citation(act="A bill"))
    assert not cited.is_hypothetical
    with pytest.raises(ValidationError, match="must change something"):
        Reform(id="x", name="x", hypothetical=True)
    with pytest.raises(ValidationError, match="exactly one of"):
        ParameterOverride(parameter="p", value=1.0, add=["a"], start=D(2026, 1, 1))
    with pytest.raises(ValidationError, match="must not be before the start date"):
        ParameterOverride(parameter="p", value=1.0, start=D(2026, 1, 1), end=D(2025, 1, 1))


def test_applies_to_another_rule_set_is_refused() -> None:
    from stratpolicy.catalogs import korea

    r = reform(SME_50, applies_to=["kr_rsta_tax_credits"])
    with pytest.raises(ValidationError, match="written for 'kr_rsta_tax_credits'"):
        r.apply(korea.rd_matching())


# -- composition ------------------------------------------------------------------------------


def test_composition_applies_both_and_keeps_each_part() -> None:
    large = ParameterOverride(
        parameter="nst_rd_base_rate",
        key="large",
        value=0.35,
        start=D(2026, 1, 1),
        end=D(2029, 12, 31),
    )
    a, b = reform(SME_50, id="a"), reform(large, id="b")
    both = a | b
    assert both.id == "a+b"
    assert both.parts == (a, b)
    rates = both.apply(rsta()).parameters["nst_rd_base_rate"].at(D(2027, 1, 1)).by_key
    assert (rates["sme"], rates["large"], rates["mid_sized"]) == (0.50, 0.35, 0.30)
    # the order changes no value (the notes say which reform made each entry), and
    # composition is flat
    one, other = (b | a).apply(rsta()).parameters, both.apply(rsta()).parameters
    for name in one.names:
        assert [(v.start, v.data) for v in one[name].values] == [
            (v.start, v.data) for v in other[name].values
        ]
    c = reform(
        ParameterOverride(
            parameter="rd_addon_cap", value=0.12, start=D(2026, 1, 1), end=D(2029, 12, 31)
        ),
        id="c",
    )
    assert ((a | b) | c).parts == (a | (b | c)).parts == (a, b, c)
    assert io.loads(io.dumps(both), kind=Reform) == both


def test_conflicts_name_both_reforms() -> None:
    later = ParameterOverride(
        parameter="nst_rd_base_rate", key="sme", value=0.45, start=D(2029, 1, 1)
    )
    a, b = reform(SME_50, id="a"), reform(later, id="b")
    with pytest.raises(ValidationError) as err:
        a | b
    problem = err.value.problems[0]
    assert problem.path == "parts[1].parameters[0]"
    assert "reform 'b' conflicts with reform 'a'" in problem.message
    assert "nst_rd_base_rate['sme']" in problem.message
    # no common day: no conflict
    disjoint = reform(
        ParameterOverride(parameter="nst_rd_base_rate", key="sme", value=0.45, start=D(2030, 1, 1)),
        id="c",
    )
    assert len((a | disjoint).parts) == 2
    # a member added by one and removed by the other
    add = reform(
        ParameterOverride(
            parameter="rsta_nst_fields", add=["other"], start=D(2026, 1, 1), end=D(2026, 12, 31)
        ),
        id="add",
    )
    remove = reform(
        ParameterOverride(parameter="rsta_nst_fields", remove=["other"], start=D(2026, 6, 1)),
        id="remove",
    )
    with pytest.raises(ValidationError, match="reform 'remove' conflicts with reform 'add'"):
        add | remove
    # the same rule changed by both
    rule = Rule(id="extra", outputs={"x": "1.0"})
    with pytest.raises(ValidationError, match="both change rule 'extra'"):
        Reform(id="p", name="p", hypothetical=True, rules=RuleChanges(add=[rule])) | Reform(
            id="q", name="q", hypothetical=True, rules=RuleChanges(remove=["extra"])
        )
    with pytest.raises(ValidationError, match="composed twice"):
        a | a


def test_conflicts_within_one_reform() -> None:
    again = ParameterOverride(
        parameter="nst_rd_base_rate",
        key="sme",
        value=0.45,
        start=D(2027, 1, 1),
        end=D(2027, 12, 31),
    )
    with pytest.raises(ValidationError) as err:
        reform(SME_50, again)
    assert err.value.problems[0].path == "parameters[1]"
    assert "conflicts with parameters[0]" in err.value.problems[0].message


# -- portfolios -------------------------------------------------------------------------------


def test_portfolio_changes(small_portfolio) -> None:  # type: ignore[no-untyped-def]
    new_fund = Instrument(
        id="fund",
        name="Quantum fund",
        kind="grants_business_rd",
        supports=[Support(technology="qc", share=1.0)],
    )
    r = Reform(
        id="p",
        name="portfolio reform",
        hypothetical=True,
        portfolio=PortfolioChanges(
            add_instruments=[new_fund],
            end_instruments=[InstrumentEnd(instrument="rd_part", on=D(2026, 6, 30))],
            budgets=[
                BudgetChange(
                    instrument="rd",
                    budget=BudgetEntry(year=2026, amount=parse_amount("3 trillion KRW")),
                )
            ],
            add_supports=[
                SupportChange(instrument="rd", support=Support(technology="ai_chips", share=0.5))
            ],
        ),
    )
    new = r.apply(small_portfolio)
    assert new.instrument("fund") == new_fund
    assert new.instrument("rd_part").end == D(2026, 6, 30)
    assert str(new.instrument("rd").budget_for(2026)) == str(parse_amount("3 trillion KRW"))
    assert len(new.instrument("rd").budget) == 1  # replaced, not added
    assert [s.technology for s in new.instrument("rd").supports] == ["llm", "qc", "ai_chips"]
    assert small_portfolio.instrument("rd_part").end == D(2028, 12, 31)  # the original stays
    with pytest.raises(ValidationError, match="no change of a rule set"):
        r.apply(rsta())
    with pytest.raises(ValidationError, match="no change of a portfolio"):
        reform(SME_50).apply(small_portfolio)


def test_portfolio_changes_naming_nothing(small_portfolio) -> None:  # type: ignore[no-untyped-def]
    r = Reform(
        id="p",
        name="p",
        hypothetical=True,
        portfolio=PortfolioChanges(
            end_instruments=[InstrumentEnd(instrument="rdd", on=D(2026, 6, 30))],
            add_supports=[SupportChange(instrument="rd", support=Support(technology="nowhere"))],
        ),
    )
    with pytest.raises(DataError) as err:
        r.apply(small_portfolio)
    paths = [p.path for p in err.value.problems]
    assert "portfolio.end_instruments[0].instrument" in paths
    assert "did you mean 'rd'" in err.value.problems[0].message


# -- documents --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["yaml", "json", "toml"])
def test_shipped_reforms_round_trip_in_every_format(fmt) -> None:  # type: ignore[no-untyped-def]
    from stratpolicy.scenarios import examples

    for name in examples.names():
        r = examples.get(name)
        assert io.loads(io.dumps(r, fmt), fmt, Reform) == r


def test_reform_document_errors_have_paths() -> None:
    text = """
schema_version: 1
document: reform
id: x
name: x
hypothetical: true
parameters:
  - {parameter: nst_rd_base_rate, key: sme, start: 2026-13-01, value: 0.5}
  - {parameter: nst_rd_base_rate, key: sme, start: 2026-01-01, valeu: 0.5}
"""
    with pytest.raises(DataError) as err:
        io.loads(text, "yaml")
    paths = sorted(p.path for p in err.value.problems)
    assert "parameters[0].start" in paths
    assert "parameters[1].valeu" in paths
