"""The library's one pint registry: built on first use from the library's own definitions.

The registry is not pint's default one. pint's default registry parses ~1,000 definitions
on every start (a third of a second, on top of importing pint); this one reads the library's
own short list (``definitions.txt``: SI prefixes, the units of energy, power, compute, time,
mass, length, area, volume, information and ratios that policy documents use, copied
verbatim from pint's own definitions) with a small reader of its own (``_definitions.py``)
and defines every ISO 4217 currency directly, each as a base dimension of its own: a few
milliseconds in all.

Its quantities and units raise the library's errors instead of pint's (see
:func:`library_error`): adding won to dollars is a :class:`~stratpolicy.errors.CurrencyError`
that is also pint's ``DimensionalityError``; an unknown unit is a
:class:`~stratpolicy.errors.UnitError` that is also pint's ``UndefinedUnitError``.
"""

from __future__ import annotations

import functools
import os
import re
import sys
import threading
from typing import TYPE_CHECKING, Any

from stratpolicy.errors import CurrencyError, DataError, Problem, StratpolicyError, UnitError
from stratpolicy.units._currencies import CURRENCIES
from stratpolicy.units._definitions import read_definitions

if TYPE_CHECKING:
    from typing import TypeAlias

    import pint

    from stratpolicy._amount import Amount as Amount
    from stratpolicy._amount import Registry

    Money: TypeAlias = Amount
else:

    class Amount:
        """A pint quantity (money, compute, energy, a share ...).

        At run time this name only marks fields that hold a quantity, so that model classes
        can be declared without importing pint; type checkers see ``pint.Quantity``.
        """

    class Money:
        """A pint quantity in one currency; a run-time marker like :class:`Amount`."""


__all__ = [
    "CURRENCY_ALIASES",
    "SCALES",
    "Amount",
    "Money",
    "currency_of",
    "is_quantity",
    "library_error",
    "registry",
]

SCALES: dict[str, float] = {
    "thousand": 1e3,
    "million": 1e6,
    "billion": 1e9,
    "trillion": 1e12,
}
"""Scale words that policy documents put before a currency ("35.3 trillion KRW")."""

CURRENCY_ALIASES: dict[str, tuple[str, ...]] = {
    "KRW": ("won",),
    "EUR": ("euro",),
    "JPY": ("yen",),
    "CNY": ("yuan", "renminbi"),
}
"""Unit names besides the code: ``"8.6 trillion won"`` is ``8.6 trillion KRW``."""

_lock = threading.Lock()
_registry: Registry | None = None


def registry() -> Registry:
    """Return the library's pint registry, building it on first call.

    There is exactly one registry: quantities from two registries cannot be added, yet
    pint compares them as equal, so mixing them hides bugs. Use this one, or
    :func:`~stratpolicy.units.quantity`. It knows the units listed in the guide "Units and
    money" and every active ISO 4217 currency (:data:`~stratpolicy.units.CURRENCIES`),
    each a dimension of its own; ``registry().define(...)`` adds a unit of your own.

    Its quantities raise the library's errors: adding won to dollars raises
    :class:`~stratpolicy.errors.CurrencyError`, adding metres to seconds or naming an
    unknown unit :class:`~stratpolicy.errors.UnitError` (each also the pint error it
    replaces), and comparing with a quantity of another registry raises ``UnitError``
    instead of answering ``True``.
    """
    global _registry
    if _registry is None:
        with _lock:
            if _registry is None:
                _registry = _build_registry()
    return _registry


def _definitions() -> list[str]:
    path = os.path.join(os.path.dirname(__file__), "definitions.txt")
    text: str = __spec__.loader.get_data(path).decode("utf-8")  # type: ignore[union-attr]
    return text.splitlines()


def _build_registry() -> Registry:
    import pint

    quantity_base: Any = pint.UnitRegistry.Quantity
    unit_base: Any = pint.UnitRegistry.Unit

    def guard(method: Any) -> Any:
        @functools.wraps(method)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                return method(*args, **kwargs)
            except pint.errors.PintError as exc:
                if isinstance(exc, StratpolicyError):
                    raise
                raise library_error(exc) from None
            except ValueError as exc:
                if isinstance(exc, StratpolicyError) or "different registries" not in str(exc):
                    raise
                raise UnitError([_FOREIGN]) from None

        return guarded

    def eq(self: Any, other: Any) -> Any:
        if isinstance(other, pint.Quantity) and other._REGISTRY is not self._REGISTRY:
            raise UnitError([_FOREIGN])
        return quantity_base.__eq__(self, other)

    def reduce(self: Any) -> Any:
        return _rebuild, (self._magnitude, tuple(self._units.items()))

    namespace: dict[str, Any] = {
        name: guard(getattr(quantity_base, name))
        for name in _GUARDED
        if getattr(quantity_base, name, None) is not None
    }
    namespace.update(__eq__=eq, __hash__=quantity_base.__hash__, __reduce__=reduce)
    quantity_class = type("Quantity", (quantity_base,), namespace)
    unit_namespace: dict[str, Any] = {
        name: guard(getattr(unit_base, name))
        for name in _GUARDED_UNIT
        if getattr(unit_base, name, None) is not None
    }
    unit_class = type("Unit", (unit_base,), unit_namespace)
    registry_namespace: dict[str, Any] = {
        name: guard(getattr(pint.UnitRegistry, name))
        for name in _GUARDED_REGISTRY
        if getattr(pint.UnitRegistry, name, None) is not None
    }
    registry_namespace.update(Quantity=quantity_class, Unit=unit_class)
    registry_class = type("UnitRegistry", (pint.UnitRegistry,), registry_namespace)
    reg: Registry = registry_class(None, autoconvert_offset_to_baseunit=True)
    for definition in read_definitions(_definitions()):
        reg._helper_dispatch_adder(definition)
    reg.default_system = "mks"
    _define_currencies(reg)
    return reg


def _define_currencies(reg: pint.UnitRegistry[Any]) -> None:
    """Every ISO 4217 code as a base unit of its own dimension ``[currency_XXX]``.

    The definitions are built directly rather than parsed from text (176 lines of text
    would cost pint's definition parser about ten times as long).
    """
    from pint.facets.plain.definitions import ScaleConverter, UnitDefinition
    from pint.util import UnitsContainer

    one = ScaleConverter(1)
    for code in CURRENCIES:
        definition = UnitDefinition(
            code,
            None,
            CURRENCY_ALIASES.get(code, ()),
            one,
            UnitsContainer({f"[currency_{code}]": 1}),
        )
        reg._helper_dispatch_adder(definition)


_GUARDED = (
    "__new__",
    "__add__",
    "__radd__",
    "__iadd__",
    "__sub__",
    "__rsub__",
    "__isub__",
    "__mul__",
    "__rmul__",
    "__imul__",
    "__truediv__",
    "__rtruediv__",
    "__itruediv__",
    "__floordiv__",
    "__rfloordiv__",
    "__mod__",
    "__rmod__",
    "__divmod__",
    "__rdivmod__",
    "__pow__",
    "__rpow__",
    "__ipow__",
    "__float__",
    "__int__",
    "__complex__",
    "compare",
    "to",
    "ito",
    "m_as",
    "to_base_units",
    "ito_base_units",
    "to_root_units",
    "ito_root_units",
    "to_compact",
    "check",
    "__array_ufunc__",
    "__array_function__",
)
_GUARDED_UNIT = ("__init__", "__mul__", "__rmul__", "__truediv__", "__rtruediv__", "__pow__")
# the registry's own entry points (pint's text parser among them: parse_amount is the one for
# untrusted text); pint's internal 'except UndefinedUnitError' still catches the translations
_GUARDED_REGISTRY = (
    "__call__",
    "parse_expression",
    "parse_units",
    "convert",
    "define",
    "get_name",
    "get_symbol",
    "get_dimensionality",
    "get_root_units",
    "get_base_units",
    "get_compatible_units",
)
_FOREIGN = (
    "a quantity from another pint registry cannot be combined or compared with the library's "
    "(pint would answer == with True); use stratpolicy.units.registry() or quantity()"
)
_CURRENCY_DIM = re.compile(r"\[currency_([A-Z]{3})\]")
_ERROR_CLASSES: dict[tuple[type[DataError], type[BaseException]], type[DataError]] = {}


def library_error(exc: BaseException) -> DataError:
    """The library's error for a pint error: a ``CurrencyError`` or a ``UnitError``.

    The result is also an instance of the pint error's class, so code written against pint
    (``except pint.DimensionalityError``) keeps working, with pint's attributes (``units1``,
    ``dim1``, ``unit_names``...). It pickles as the plain library error.

    - Two currencies in one sum or comparison (``[currency_KRW]`` and ``[currency_USD]``):
      ``CurrencyError``, "cannot combine amounts in KRW and USD ...".
    - Other dimensions that differ: ``UnitError``, "cannot combine 'GW' and 'GPU' ...".
    - An unknown unit name: ``UnitError``, "unknown unit 'parsec'".
    - Anything else pint refuses (offset units such as degC in a product ...): ``UnitError``
      with pint's message.
    """
    import pint

    kind: type[DataError] = UnitError
    if isinstance(exc, pint.DimensionalityError):
        first, second = _dimension_text(exc.dim1), _dimension_text(exc.dim2)
        cur1, cur2 = _CURRENCY_DIM.fullmatch(first), _CURRENCY_DIM.fullmatch(second)
        if cur1 and cur2:
            kind = CurrencyError
            message = (
                f"cannot combine amounts in {cur1.group(1)} and {cur2.group(1)}: currencies "
                "never convert silently; convert one with an ExchangeRates table"
            )
        elif not second and str(exc.units2) == "dimensionless":  # float(), int(), q ** q
            message = (
                f"an amount in '{exc.units1}' is not a plain number: only a dimensionless "
                "amount converts to one"
            )
        else:
            what = f" ({first} and {second})" if first or second else ""
            message = f"cannot combine '{exc.units1}' and '{exc.units2}': different dimensions"
            message += what
            if exc.extra_msg:
                message += exc.extra_msg
    elif isinstance(exc, pint.UndefinedUnitError):
        names = exc.unit_names if isinstance(exc.unit_names, tuple) else (exc.unit_names,)
        shown = ", ".join(repr(str(n))[:60] for n in names)
        message = f"unknown unit {shown}; see the guide 'Units and money' for the units known"
    else:
        message = f"{type(exc).__name__}: {str(exc)[:300]}"
    return _combined(kind, type(exc), exc, message)


def _combined(
    kind: type[DataError], pint_class: type[BaseException], exc: BaseException, message: str
) -> DataError:
    key = (kind, pint_class)
    cls = _ERROR_CLASSES.get(key)
    if cls is None:

        def reduce(self: Any) -> Any:
            return kind, (self.problems,)

        cls = type(
            kind.__name__,
            (kind, pint_class),
            {"__str__": kind.__str__, "__reduce__": reduce, "__module__": kind.__module__},
        )
        _ERROR_CLASSES[key] = cls
    error = cls.__new__(cls)
    error.__dict__.update(vars(exc))
    DataError.__init__(error, [Problem("", message, kind)])
    return error


def _dimension_text(dim: object) -> str:
    return "" if dim is None else str(dim)


def _rebuild(magnitude: Any, units: tuple[tuple[str, float], ...]) -> Amount:
    """Unpickle a quantity into the library's registry (pint's own goes to its default)."""
    reg = registry()
    unit = reg.Unit("")
    for name, power in units:
        unit = unit * reg.Unit(name) ** power
    return reg.Quantity(magnitude, unit)


def is_quantity(value: object) -> bool:
    """Whether ``value`` is a pint quantity (without importing pint if nobody has)."""
    pint = sys.modules.get("pint")
    return pint is not None and isinstance(value, pint.Quantity)


_CACHE_SIZE = 4096
_CURRENCY_CACHE: dict[Any, str | None] = {}


def currency_of(amount: object) -> str | None:
    """The currency of an amount of money (``"KRW"``), or ``None`` if it is not money.

    An amount is money when its dimension is exactly one currency: ``KRW``, ``trillion KRW``
    and ``won`` are money; ``KRW / GPU`` is not.
    """
    if not is_quantity(amount):
        return None
    units = amount._units  # type: ignore[attr-defined]
    try:
        return _CURRENCY_CACHE[units]
    except KeyError:
        pass
    found: str | None = None
    dims = dict(amount.dimensionality)  # type: ignore[attr-defined]
    if len(dims) == 1:
        ((dim, power),) = dims.items()
        if power == 1 and dim.startswith("[currency_"):
            found = str(dim[len("[currency_") : -1])
    if len(_CURRENCY_CACHE) >= _CACHE_SIZE:
        _CURRENCY_CACHE.clear()
    _CURRENCY_CACHE[units] = found
    return found
