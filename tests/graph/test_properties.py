"""Properties on random portfolios: money is conserved under every allocation; coverage is
in [0, 1], never falls when an instrument is added, and never exceeds the coverage counting
envelopes."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from stratpolicy import (
    BudgetEntry,
    Instrument,
    Mission,
    Portfolio,
    Requirement,
    Support,
    Technology,
)
from stratpolicy.graph import MissionGraph
from stratpolicy.units import currency_of, money

YEARS = (2025, 2026)
dates = st.dates(min_value=dt.date(2023, 1, 1), max_value=dt.date(2028, 12, 31))
weights = st.floats(min_value=0.01, max_value=1.0)


@st.composite
def technologies(draw: st.DrawFn) -> list[Technology]:
    techs = []
    for a in range(draw(st.integers(0, 3))):
        techs.append(Technology(id=f"A{a}", name=f"A{a}", kind="area"))
        for k in range(draw(st.integers(0, 3))):
            techs.append(Technology(id=f"A{a}k{k}", name="k", parent=f"A{a}"))
    for k in range(draw(st.integers(0 if techs else 1, 2))):
        techs.append(Technology(id=f"k{k}", name="k"))
    return techs


@st.composite
def supports(draw: st.DrawFn, tech_ids: list[str]) -> tuple[Support, ...]:
    picked = draw(st.lists(st.sampled_from(tech_ids), unique=True, max_size=4))
    left = 1.0
    out = []
    for t in picked:
        if draw(st.booleans()) and left > 0.05:
            share = draw(st.floats(min_value=0.01, max_value=left))
            left -= share
            out.append(Support(technology=t, share=share))
        else:
            out.append(Support(technology=t, envelope=draw(st.booleans())))
    return tuple(out)


@st.composite
def start_end(draw: st.DrawFn) -> tuple[dt.date | None, dt.date | None]:
    start = draw(st.none() | dates)
    end = draw(st.none() | dates)
    if start is not None and end is not None and end < start:
        start, end = end, start
    return start, end


@st.composite
def instrument(
    draw: st.DrawFn,
    id: str,
    tech_ids: list[str],
    parent: Instrument | None,
    remaining: dict[tuple[str, int], float],
) -> Instrument:
    start, end = draw(start_end())
    entries = []
    if parent is not None:
        currency = currency_of(parent.budget[0].amount) if parent.budget else "KRW"
        assert currency is not None
        for entry in parent.budget:
            if draw(st.booleans()):
                room = remaining[parent.id, entry.year]
                amount = float(draw(st.integers(0, int(room))))
                remaining[parent.id, entry.year] = room - amount
                entries.append(BudgetEntry(year=entry.year, amount=money(amount, currency)))
    else:
        currency = draw(st.sampled_from(["KRW", "USD"]))
        for year in YEARS:
            if draw(st.booleans()):
                amount = float(draw(st.integers(0, 10**12)))
                entries.append(BudgetEntry(year=year, amount=money(amount, currency)))
    for e in entries:
        remaining[id, e.year] = float(e.amount.magnitude)
    return Instrument(
        id=id,
        name=id,
        kind="grants_business_rd",
        budget=tuple(entries),
        supports=draw(supports(tech_ids)),
        part_of=parent.id if parent is not None else None,
        start=start,
        end=end,
    )


@st.composite
def portfolios(draw: st.DrawFn) -> Portfolio:
    techs = draw(technologies())
    tech_ids = [t.id for t in techs]
    missions: list[Mission] = []
    for m in range(draw(st.integers(1, 5))):
        parent = draw(st.none() | st.sampled_from([x.id for x in missions])) if missions else None
        picked = draw(st.lists(st.sampled_from(tech_ids), unique=True, max_size=4))
        missions.append(
            Mission(
                id=f"m{m}",
                name="m",
                kind="mission" if parent is None else "challenge",
                parent=parent,
                requires=tuple(Requirement(technology=t, weight=draw(weights)) for t in picked),
            )
        )
    instruments: list[Instrument] = []
    remaining: dict[tuple[str, int], float] = {}
    for i in range(draw(st.integers(0, 6))):
        parent = draw(st.none() | st.sampled_from(instruments)) if instruments else None
        instruments.append(draw(instrument(f"i{i}", tech_ids, parent, remaining)))
    return Portfolio(
        id="random", name="Random", technologies=techs, missions=missions, instruments=instruments
    )


def _counted_once(p: Portfolio, year: int, on: dt.date | None) -> dict[str, float]:
    """Budgets counted once, per currency, worked out from the model objects directly:
    the instruments in force with a budget for the year and no such ancestor."""

    def counted(ins: Instrument) -> bool:
        return (on is None or ins.in_force(on)) and ins.budget_for(year) is not None

    totals: dict[str, float] = {}
    for ins in p.instruments:
        if not counted(ins):
            continue
        up = ins.part_of
        inside = False
        while up is not None:
            if counted(p.instrument(up)):
                inside = True
                break
            up = p.instrument(up).part_of
        if not inside:
            amount = ins.budget_for(year)
            assert amount is not None
            code = currency_of(amount)
            assert code is not None
            totals[code] = totals.get(code, 0.0) + float(amount.to(code).magnitude)
    return totals


@settings(max_examples=80, deadline=None)
@given(
    p=portfolios(),
    year=st.sampled_from(YEARS),
    on=st.none() | dates,
    allocation=st.sampled_from([None, "equal", "by_weight"]),
)
def test_money_is_conserved(
    p: Portfolio, year: int, on: dt.date | None, allocation: str | None
) -> None:
    flow = MissionGraph(p).funding_flow(year, on=on, allocation=allocation)
    expected = _counted_once(p, year, on)
    got = {row.currency: row for row in flow.totals}
    assert set(got) == set(expected)
    for code, total in expected.items():
        row = got[code]
        tolerance = 1e-9 * max(total, 1.0)
        assert abs(row.budget - total) <= tolerance
        assert abs(row.to_missions + row.unallocated - total) <= tolerance
        missions = sum(r.inflow for r in flow.missions if r.currency == code)
        left = sum(r.amount for r in flow.unallocated if r.currency == code)
        assert abs(missions + left - total) <= tolerance
    assert all(r.inflow >= 0 for r in flow.missions)
    assert all(r.amount > 0 for r in flow.unallocated)


@settings(max_examples=80, deadline=None)
@given(p=portfolios(), on=st.none() | dates, data=st.data())
def test_coverage_is_bounded_and_grows_with_instruments(
    p: Portfolio, on: dt.date | None, data: st.DataObject
) -> None:
    graph = MissionGraph(p)
    assert graph.index.support_entries.targeted.tolist() == [
        ins.is_targeted(s) for ins in p.instruments for s in ins.supports
    ]
    before = graph.coverage(on=on)
    for row in before:
        assert (row.coverage is None) == (row.requirements == 0)
        if row.coverage is not None:
            assert row.coverage_with_envelopes is not None
            assert 0.0 <= row.coverage <= row.coverage_with_envelopes + 1e-12 <= 1.0 + 1e-12
            assert (row.coverage == 1.0) <= (row.gaps == ())
            assert set(row.envelope_only) <= set(row.gaps)
    extra = data.draw(instrument("extra", [t.id for t in p.technologies], None, {}))
    after = MissionGraph(p.add(extra)).coverage(on=on)
    for b, a in zip(before, after, strict=True):
        if b.coverage is not None:
            assert a.coverage is not None
            assert a.coverage >= b.coverage - 1e-12
            assert set(a.gaps) <= set(b.gaps)
