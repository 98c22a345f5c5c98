"""Properties: reform documents round-trip; an override's period semantics hold on every day."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stratpolicy import io
from stratpolicy.errors import ValidationError
from stratpolicy.model import BudgetEntry, Citation
from stratpolicy.rules import Parameter, ParameterValue, Rule
from stratpolicy.scenarios import (
    BudgetChange,
    CategoryChange,
    InstrumentEnd,
    ParameterOverride,
    PortfolioChanges,
    Reform,
    RuleChanges,
)
from stratpolicy.scenarios._schedule import ScheduleError, apply_override
from tests.strategies import dates, ids, money, text

rates = st.floats(min_value=0.0, max_value=1.0, allow_nan=False)


@st.composite
def overrides(draw: st.DrawFn) -> ParameterOverride:
    start = draw(dates)
    end = draw(st.one_of(st.none(), dates.filter(lambda d: d >= start)))
    op = draw(st.sampled_from(["value", "key", "by_key", "members", "add_remove"]))
    fields: dict[str, object] = {"parameter": draw(ids), "start": start, "end": end}
    if op == "value":
        fields["value"] = draw(rates)
    elif op == "key":
        fields.update(key=draw(ids), value=draw(rates))
    elif op == "by_key":
        fields["by_key"] = draw(st.dictionaries(ids, rates, min_size=1, max_size=4))
    elif op == "members":
        fields["members"] = draw(st.lists(ids, unique=True, max_size=4))
    else:
        members = draw(st.lists(ids, unique=True, min_size=1, max_size=6))
        cut = draw(st.integers(min_value=0, max_value=len(members)))
        fields.update(add=members[:cut], remove=members[cut:])
    if draw(st.booleans()):
        fields["note"] = draw(text)
    return ParameterOverride(**fields)  # type: ignore[arg-type]


@st.composite
def reforms(draw: st.DrawFn) -> Reform:
    citation = draw(st.one_of(st.none(), st.builds(Citation, act=text, url=st.just(""))))
    hypothetical = citation is None or draw(st.booleans())
    rules = RuleChanges(
        add=[
            Rule(id=i, outputs={f"out_{i}": "1.0"})
            for i in draw(st.lists(ids, max_size=2, unique=True))
        ],
        remove=draw(st.lists(ids.map(lambda s: f"old_{s}"), max_size=2, unique=True)),
    )
    portfolio = PortfolioChanges(
        end_instruments=[
            InstrumentEnd(instrument=i, on=draw(dates))
            for i in draw(st.lists(ids, max_size=2, unique=True))
        ],
        budgets=[
            BudgetChange(instrument=i, budget=BudgetEntry(year=2026, amount=draw(money)))
            for i in draw(st.lists(ids, max_size=1, unique=True))
        ],
    )
    params = draw(st.lists(overrides(), min_size=0, max_size=3))
    # keep only overrides that do not conflict with each other
    kept: list[ParameterOverride] = []
    for o in params:
        if not any(o.conflicts_with(k) for k in kept):
            kept.append(o)
    categories = (
        [
            CategoryChange(
                input=draw(ids), add=draw(st.lists(ids, min_size=1, max_size=3, unique=True))
            )
        ]
        if draw(st.booleans())
        else []
    )
    if not (kept or rules or portfolio or categories):
        kept = [ParameterOverride(parameter="p", value=0.5, start=dt.date(2026, 1, 1))]
    return Reform(
        id=draw(ids),
        name=draw(text),
        description=draw(st.one_of(st.just(""), text)),
        citation=citation,
        hypothetical=hypothetical,
        assumptions=draw(st.lists(text, max_size=2)),
        parameters=kept,
        categories=categories,
        rules=rules,
        portfolio=portfolio,
    )


@settings(max_examples=60, deadline=None)
@given(reforms(), st.sampled_from(["yaml", "json", "toml"]))
def test_reform_documents_round_trip(reform: Reform, fmt: str) -> None:
    assert io.loads(io.dumps(reform, fmt), fmt, Reform) == reform


@settings(max_examples=30, deadline=None)
@given(st.lists(reforms(), min_size=2, max_size=2, unique_by=lambda r: r.id))
def test_compositions_round_trip(pair: list[Reform]) -> None:
    a, b = pair
    conflict = any(x.conflicts_with(y) for x in a.parameters for y in b.parameters) or bool(
        {(k, key) for k, _, key in a._changes()} & {(k, key) for k, _, key in b._changes()}
    )
    if conflict:  # a clear library error naming both
        with pytest.raises(
            ValidationError, match=f"reform {b.id!r} conflicts with reform {a.id!r}"
        ):
            a | b
        return
    both = a | b
    assert io.loads(io.dumps(both), "yaml", Reform) == both


BASELINE = Parameter(
    name="rate",
    values=[
        ParameterValue(start=dt.date(2021, 1, 1), by_key={"a": 0.1, "b": 0.2}),
        ParameterValue(start=dt.date(2024, 1, 1), by_key={"a": 0.3, "b": 0.4}),
        ParameterValue(start=dt.date(2027, 7, 1), by_key={"a": 0.5, "b": 0.6}),
    ],
    end=dt.date(2030, 12, 31),
)
days = st.dates(min_value=dt.date(2019, 1, 1), max_value=dt.date(2033, 12, 31))


@settings(max_examples=200, deadline=None)
@given(days, st.one_of(st.none(), days), rates, st.lists(days, min_size=1, max_size=20))
def test_a_key_override_wins_inside_its_period_and_nowhere_else(
    start: dt.date, end: dt.date | None, value: float, probes: list[dt.date]
) -> None:
    if end is not None and end < start:
        start, end = end, start

    def change(entry: ParameterValue | None) -> dict[str, object]:
        assert entry is not None and entry.by_key is not None
        return {"by_key": {**entry.by_key, "a": value}}

    try:
        new = apply_override(BASELINE, start, end, change, relative=True, citation=None, note="")
    except ScheduleError:
        # only when the baseline has no value anywhere in the period
        last = end if end is not None else dt.date.max
        assert last < dt.date(2021, 1, 1) or start > dt.date(2030, 12, 31)
        return
    for day in probes:
        before = BASELINE.at(day)
        after = new.at(day)
        inside = start <= day and (end is None or day <= end)
        if before is None:
            assert after is None  # a relative change never makes a value
            continue
        assert after is not None
        assert after.by_key["b"] == before.by_key["b"]  # the other key follows the baseline
        assert after.by_key["a"] == (value if inside else before.by_key["a"])


@settings(max_examples=200, deadline=None)
@given(days, st.one_of(st.none(), days), rates, st.lists(days, min_size=1, max_size=20))
def test_a_value_override_replaces_or_refuses_a_hole(
    start: dt.date, end: dt.date | None, value: float, probes: list[dt.date]
) -> None:
    if end is not None and end < start:
        start, end = end, start
    base = Parameter(
        name="cap",
        values=[ParameterValue(start=dt.date(2022, 1, 1), value=0.1)],
        end=dt.date(2028, 12, 31),
    )
    # a hole: the override starts after the day following the end, or ends before the day
    # before the start
    hole = start > dt.date(2029, 1, 1) or (end is not None and end < dt.date(2021, 12, 31))
    if hole:
        with pytest.raises(ScheduleError, match="no value from"):
            apply_override(
                base, start, end, lambda e: {"value": value}, relative=False, citation=None, note=""
            )
        return
    new = apply_override(
        base, start, end, lambda e: {"value": value}, relative=False, citation=None, note=""
    )
    for day in probes:
        inside = start <= day and (end is None or day <= end)
        got = new.at(day)
        if inside:
            assert got is not None and got.value == value
        else:
            before = base.at(day)
            assert (got.value if got else None) == (before.value if before else None)
