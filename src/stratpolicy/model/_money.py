"""The checks on amounts shared by the model classes that hold them (targets, budgets)."""

from __future__ import annotations

from stratpolicy._checks import Checker, describe
from stratpolicy.errors import UnitError
from stratpolicy.units import (
    currency_of,
    format_amount,
    is_quantity,
    registry,
    writable_problem,
)


def check_amount(check: Checker, path: str, amount: object) -> bool:
    """Record a problem unless ``amount`` is a quantity that a document can hold.

    That is: a quantity of the library's registry, whose number is a finite int or float
    (in its unit and in base units), and whose canonical spelling
    (:func:`~stratpolicy.units.format_amount`) reads back as the same quantity. Returns
    whether the amount passed.
    """
    if not is_quantity(amount):
        check.add(path, f"expected an amount such as '2.5 GW', got {describe(amount)}", UnitError)
        return False
    if amount._REGISTRY is not registry():  # type: ignore[attr-defined]
        check.add(
            path,
            "the amount comes from another pint registry; make it with "
            "stratpolicy.units.quantity() or parse_amount()",
            UnitError,
        )
        return False
    problem = writable_problem(amount)  # type: ignore[arg-type]
    if problem is not None:
        check.add(path, problem, UnitError)
        return False
    return True


def check_money(check: Checker, path: str, amount: object, *, allow_negative: bool = False) -> None:
    """Record a problem unless ``amount`` is a non-negative, writable quantity in one currency."""
    if not is_quantity(amount):
        check.add(path, f"{describe(amount)} is not an amount of money", UnitError)
        return
    if not check_amount(check, path, amount):
        return
    if currency_of(amount) is None:
        check.add(path, f"'{format_amount(amount)}' is not an amount of money", UnitError)  # type: ignore[arg-type]
        return
    if not allow_negative and amount.magnitude < 0:  # type: ignore[attr-defined]
        check.add(path, f"must not be negative, got '{format_amount(amount)}'")  # type: ignore[arg-type]
