"""The check that an amount is money, shared by the model classes that hold budgets."""

from __future__ import annotations

from stratpolicy._checks import Checker
from stratpolicy.errors import UnitError
from stratpolicy.units import currency_of, format_amount, is_quantity


def check_money(check: Checker, path: str, amount: object, *, allow_negative: bool = False) -> None:
    """Record a problem unless ``amount`` is a non-negative quantity in one currency."""
    if not is_quantity(amount):
        check.add(path, f"{amount!r} is not an amount of money", UnitError)
        return
    if currency_of(amount) is None:
        check.add(path, f"'{amount}' is not an amount of money", UnitError)
        return
    if not allow_negative and amount.magnitude < 0:  # type: ignore[attr-defined]
        check.add(path, f"must not be negative, got '{format_amount(amount)}'")  # type: ignore[arg-type]
