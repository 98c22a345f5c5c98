"""Units and money: the library's one pint registry, amount parsing and exchange rates.

The registry is built on first use, never at import (``import stratpolicy`` does not load
pint), from the library's own short list of units and every active ISO 4217 currency
(:data:`CURRENCIES`). Every currency is a dimension of its own, so adding won to dollars is
an error, not a silent conversion; money changes currency only through an explicit, dated
:class:`ExchangeRates` table, through other currencies when needed, saying which.

Amounts are written the way budgets write them, in English, Korean, Japanese and Chinese,
and written back in one canonical form::

    >>> from stratpolicy.units import parse_amount, format_amount
    >>> budget = parse_amount("35.3 trillion KRW")
    >>> budget.to("KRW").magnitude
    35300000000000.0
    >>> format_amount(parse_amount("8조 6천억원"))
    '8.6 trillion KRW'
    >>> format_amount(parse_amount("3,500억원"))
    '350 billion KRW'
    >>> format_amount(parse_amount("US$1.2 million"))
    '1.2 million USD'
    >>> str(parse_amount("1.2 exaFLOP/s").to("FLOP/s"))
    '1.2e+18 FLOP / second'

Besides money the registry knows compute (``FLOP``, ``FLOP/s``, ``GPU`` as a count of
accelerators), energy and power (``GW``, ``TWh``, ``toe``), time, mass, length, area,
volume, information and ratios: the guide "Units and money" lists them.
"""

from __future__ import annotations

from stratpolicy.units._currencies import (
    CURRENCIES,
    ISO_4217,
    ISO_4217_PUBLISHED,
    ISO_4217_SOURCE,
    Currency,
)
from stratpolicy.units._format import format_amount, writable_problem
from stratpolicy.units._money_text import (
    PREFIX_MARKERS,
    SCALE_ABBREVIATIONS,
    SUFFIX_MARKERS,
)
from stratpolicy.units._parse import money, parse_amount, quantity
from stratpolicy.units._rates import Conversion, ExchangeRate, ExchangeRates
from stratpolicy.units._registry import (
    SCALES,
    Amount,
    Money,
    currency_of,
    is_quantity,
    library_error,
    registry,
)

__all__ = [
    "CURRENCIES",
    "ISO_4217",
    "ISO_4217_PUBLISHED",
    "ISO_4217_SOURCE",
    "PREFIX_MARKERS",
    "SCALES",
    "SCALE_ABBREVIATIONS",
    "SUFFIX_MARKERS",
    "Amount",
    "Conversion",
    "Currency",
    "ExchangeRate",
    "ExchangeRates",
    "Money",
    "currency_of",
    "format_amount",
    "is_quantity",
    "library_error",
    "money",
    "parse_amount",
    "quantity",
    "registry",
    "writable_problem",
]
