"""Typical user code: a member state's portfolio on the EU list, with EUR budgets (hypothetical)."""

from __future__ import annotations

import datetime as dt

from stratpolicy import BudgetEntry, Instrument, Mission, Portfolio, Requirement, Support
from stratpolicy.catalogs import international
from stratpolicy.errors import DataError
from stratpolicy.units import ExchangeRate, ExchangeRates, format_amount, money

HYPOTHETICAL = "hypothetical example"
eu = international.eu_2023()
areas = [t for t in eu.technologies if t.is_area]
missions = [
    Mission(
        id=f"lead_{area.id}",
        name=f"Lead in {area.name}",
        requires=[Requirement(technology=area.id, weight=1.0)],
        source=HYPOTHETICAL,
    )
    for area in areas[:3]
]
instruments = [
    Instrument(
        id=f"fund_{i}",
        name=f"Fund {i}",
        kind="grants_business_rd",
        budget=[BudgetEntry(year=2026, amount=money(100 + 50 * i, "million EUR"))],
        supports=[Support(technology=area.id) for area in areas[i : i + 2]],
        missions=[m.id for m in missions],
        source=HYPOTHETICAL,
    )
    for i in range(3)
]
portfolio = Portfolio(
    id="member_state",
    name="A member state (hypothetical)",
    technologies=eu.technologies,
    missions=missions,
    instruments=instruments,
    source=HYPOTHETICAL,
)
try:
    portfolio.remove(areas[0].id)
except DataError as error:
    paths: list[str] = [p.path for p in error.problems]
    print(type(error).__name__, paths[:1])

rates = ExchangeRates(
    rates=[
        ExchangeRate(
            on=dt.date(2025, 12, 31), base="EUR", quote="KRW", rate=1600.0, source=HYPOTHETICAL
        )
    ]
)
graph = portfolio.graph()
flow = graph.funding_flow(2026, currency="KRW", rates=rates)
for row in flow.missions:
    print(row.mission, row.reachable)
total = sum((i.budget[0].amount for i in instruments), money(0, "EUR"))
print(format_amount(total), format_amount(rates.convert(total, "KRW", on=dt.date(2026, 6, 30))))
