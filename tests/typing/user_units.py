"""Typical user code: amounts, money and explicit, dated exchange rates."""

from __future__ import annotations

import datetime as dt

from stratpolicy.errors import CurrencyError, UnitError
from stratpolicy.units import (
    Amount,
    ExchangeRate,
    ExchangeRates,
    currency_of,
    format_amount,
    money,
    parse_amount,
    quantity,
)

budget: Amount = parse_amount("35.3 trillion KRW")
part = money(8.6, "trillion KRW")
share: float = (part / budget).to("dimensionless").magnitude
print(f"{share:.1%}", format_amount(budget - part), currency_of(budget))
print(budget.to("billion KRW").magnitude, budget > part, format_amount(quantity(2.5, "GW")))
rates = ExchangeRates(
    rates=(ExchangeRate(on=dt.date(2025, 1, 1), base="USD", quote="KRW", rate=1400.0),)
)
usd = rates.convert(money(2.8, "trillion KRW"), "USD", on=dt.date(2025, 6, 1))
rate: float = rates.rate("KRW", "USD", on="2025-06-01")
print(format_amount(usd), rate)
try:
    total = budget + money(1, "USD")
except CurrencyError as error:
    print(error.problems[0].message)
try:
    parse_amount("12 parsecs of money")
except UnitError as error:
    print(type(error).__name__)
