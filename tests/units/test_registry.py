"""The registry: the library's own definitions, every ISO 4217 currency, library errors."""

from __future__ import annotations

import datetime as dt
import math
import pickle
from pathlib import Path

import pint
import pytest

from stratpolicy.errors import CurrencyError, StratpolicyError, UnitError
from stratpolicy.units import (
    CURRENCIES,
    ISO_4217,
    ISO_4217_PUBLISHED,
    ISO_4217_SOURCE,
    currency_of,
    library_error,
    money,
    parse_amount,
    quantity,
    registry,
)

DEFINITIONS = Path(__file__).parents[2] / "src" / "stratpolicy" / "units" / "definitions.txt"
OURS = {"FLOP", "FLOPS", "GPU", "thousand", "million", "billion", "trillion", "hundred_million"}


def _defined_units() -> list[str]:
    """The unit names defined in definitions.txt (not prefixes, dimensions, directives)."""
    names = []
    in_block = False
    for line in DEFINITIONS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line.startswith("@"):
            in_block = line != "@end"
            continue
        if in_block or not line or line.startswith(("#", "[")) or "=" not in line:
            continue
        name = line.split("=")[0].strip()
        if not name.endswith("-"):
            names.append(name)
    return names


def test_every_unit_means_what_it_means_in_pint() -> None:
    """Each shared definition was copied from pint's default file: same factor, same base."""
    default = pint.UnitRegistry(autoconvert_offset_to_baseunit=True)
    ours = registry()
    checked = 0
    for name in _defined_units():
        if name in OURS:
            continue
        mine = ours.Quantity(1, name).to_base_units()
        theirs = default.Quantity(1, name).to_base_units()
        assert str(mine.units) == str(theirs.units), name
        assert math.isclose(mine.magnitude, theirs.magnitude, rel_tol=1e-12), name
        checked += 1
    assert checked >= 30
    # prefixes too, and the symbols a document may use
    for symbol in ("km", "GW", "TWh", "MWh", "kt", "Mt", "PB", "GiB", "ms", "ha", "mL", "degC"):
        mine = ours.Quantity(1, symbol).to_base_units()
        theirs = default.Quantity(1, symbol if symbol != "kt" else "kilotonne").to_base_units()
        assert str(mine.units) == str(theirs.units), symbol
        assert math.isclose(mine.magnitude, theirs.magnitude, rel_tol=1e-12), symbol


def test_the_library_units() -> None:
    # 1 exaFLOP/s = 10^18 FLOP per second; 50,000 GPU is a count of accelerators
    assert parse_amount("1.2 exaFLOP/s").to("FLOP/s").magnitude == pytest.approx(1.2e18)
    assert parse_amount("3 FLOPS").to("FLOP / second").magnitude == 3
    assert str(parse_amount("50,000 GPU").dimensionality) == "[accelerator]"
    # the scale words: 1 trillion = 10^12
    assert parse_amount("2 trillion KRW").to("KRW").magnitude == 2e12
    assert parse_amount("350 hundred_million KRW").to("KRW").magnitude == 35e9


def test_units_outside_the_list_are_unknown_and_can_be_added() -> None:
    with pytest.raises(UnitError, match="unknown unit 'parsecs'"):
        parse_amount("12 parsecs")
    with pytest.raises(UnitError, match="unknown unit"):
        registry().Quantity(1, "furlong")
    # pint's name for the Boltzmann constant is not a unit here, so '2 k%' is refused
    with pytest.raises(UnitError):
        parse_amount("2 k%")


def test_every_iso_4217_currency_is_a_dimension_of_its_own() -> None:
    assert len(CURRENCIES) == len(ISO_4217) == 176
    assert tuple(sorted(CURRENCIES)) == CURRENCIES
    assert {"KRW", "USD", "EUR", "JPY", "CNY", "GBP", "CHF", "INR", "XOF", "XDR"} <= set(CURRENCIES)
    # XTS (testing) and XXX (no currency) are in the list but are not currencies
    assert "XTS" not in CURRENCIES and "XXX" not in CURRENCIES
    dimensions = set()
    for code in CURRENCIES:
        amount = money(1, code)
        assert currency_of(amount) == code
        dimensions.add(str(amount.dimensionality))
    assert len(dimensions) == len(CURRENCIES)
    # any two of them refuse to add
    with pytest.raises(CurrencyError, match="cannot combine amounts in CHF and XOF"):
        _ = money(1, "CHF") + money(1, "XOF")


def test_the_currency_list_says_where_it_comes_from() -> None:
    assert dt.date(2026, 1, 1) == ISO_4217_PUBLISHED
    assert "SIX" in ISO_4217_SOURCE
    won = ISO_4217["KRW"]
    assert (won.code, won.number, won.name, won.minor_units, won.fund) == (
        "KRW",
        "410",
        "Won",
        0,
        False,
    )
    assert ISO_4217["USN"].fund is True  # "US Dollar (Next day)" is a fund code
    assert ISO_4217["XAU"].minor_units is None  # gold: the list says N.A.
    assert ISO_4217["EUR"].number == "978"


def test_currency_names_and_codes_collide_with_no_unit() -> None:
    """No code, and no name the registry gives a currency, is also another unit's name."""
    default = pint.UnitRegistry()
    for code in CURRENCIES:
        assert default.parse_unit_name(code) == (), code
    for word in ("won", "euro", "yen", "yuan", "renminbi"):
        assert default.parse_unit_name(word) == (), word


OPERATIONS = {
    "add": lambda k, u: k + u,
    "subtract": lambda k, u: k - u,
    "add in place": lambda k, u: k.__iadd__(u),
    "compare": lambda k, u: k < u,
    "sum": lambda k, u: sum([k, u]),
    "convert": lambda k, u: k.to("USD"),
    "magnitude in": lambda k, u: k.m_as("USD"),
    "numpy add": lambda k, u: __import__("numpy").add(k, u),
    "numpy maximum": lambda k, u: __import__("numpy").maximum(k, u),
}


@pytest.mark.parametrize("name", sorted(OPERATIONS))
def test_mixing_currencies_is_always_a_currency_error(name: str) -> None:
    krw, usd = money(1, "trillion KRW"), money(1, "billion USD")
    with pytest.raises(CurrencyError, match="cannot combine amounts in") as info:
        OPERATIONS[name](krw, usd)
    assert isinstance(info.value, pint.DimensionalityError)  # code written for pint still works


PINT_ERRORS = {
    "unknown unit in to()": (lambda: money(1, "KRW").to("parsec"), "unknown unit 'parsec'"),
    "unknown unit in Quantity()": (lambda: registry().Quantity(1, "parsec"), "unknown unit"),
    "unknown unit in Unit()": (lambda: registry().Unit("parsec"), "unknown unit"),
    "float of money": (lambda: float(money(1, "KRW")), "is not a plain number"),
    "int of money": (lambda: int(money(1, "KRW")), "is not a plain number"),
    "power by money": (lambda: quantity(2, "meter") ** money(1, "KRW"), "plain number"),
    "watts plus GPUs": (lambda: quantity(1, "GW") + quantity(1, "GPU"), "different dimensions"),
    "check of a bad dimension": (lambda: money(1, "KRW").check("[nothing"), "unknown unit"),
    "the registry's own parser": (lambda: registry()("3 parsec"), "unknown unit"),
    "the registry's parse_units": (lambda: registry().parse_units("parsec"), "unknown unit"),
    "the registry's convert": (lambda: registry().convert(1, "KRW", "USD"), "KRW and USD"),
    "a bad definition": (lambda: registry().define("qubit_bad = ["), "Error"),
}


@pytest.mark.parametrize("name", sorted(PINT_ERRORS))
def test_pint_errors_surface_as_unit_errors(name: str) -> None:
    call, words = PINT_ERRORS[name]
    with pytest.raises(UnitError, match=words) as info:
        call()
    assert isinstance(info.value, CurrencyError) == ("KRW and USD" in words)
    assert isinstance(info.value, pint.errors.PintError)
    assert isinstance(info.value, StratpolicyError)
    assert len(str(info.value)) < 400


def test_library_errors_pickle_as_the_plain_library_class() -> None:
    with pytest.raises(CurrencyError) as info:
        _ = money(1, "KRW") + money(1, "USD")
    back = pickle.loads(pickle.dumps(info.value))
    assert type(back) is CurrencyError
    assert back.problems == info.value.problems
    assert back.problems[0].kind is CurrencyError


def test_library_error_translates_any_pint_error() -> None:
    error = library_error(pint.UndefinedUnitError("parsec"))
    assert isinstance(error, UnitError) and isinstance(error, pint.UndefinedUnitError)
    assert "unknown unit 'parsec'" in str(error)
    error = library_error(
        pint.DimensionalityError("KRW", "USD", "[currency_KRW]", "[currency_USD]")
    )
    assert isinstance(error, CurrencyError)
    assert "KRW and USD" in str(error)
    error = library_error(pint.errors.OffsetUnitCalculusError("degC", "degC"))
    assert isinstance(error, UnitError) and not isinstance(error, CurrencyError)
    assert isinstance(error, pint.errors.OffsetUnitCalculusError)
    assert "OffsetUnitCalculusError" in str(error)


def test_a_unit_of_your_own_joins_the_one_registry() -> None:
    reg = registry()
    if "qubit_test" not in reg:
        reg.define("qubit_test = [qubit_test]")
    assert str(quantity(1000, "qubit_test").dimensionality) == "[qubit_test]"
    assert parse_amount("1000 qubit_test")._REGISTRY is reg


def _key(definition: object) -> tuple[str, dict[str, object]]:
    """What a pint definition says, without where it was read (line numbers, raw text)."""
    fields: dict[str, object] = {}
    for name in ("name", "defined_symbol", "aliases", "value", "reference", "group", "system"):
        if hasattr(definition, name):
            fields[name] = getattr(definition, name)
    if hasattr(definition, "using_group_names"):
        fields["using"] = definition.using_group_names
    converter = getattr(definition, "converter", None)
    if converter is not None:
        fields["converter"] = (
            type(converter).__name__,
            converter.scale,
            getattr(converter, "offset", None),
        )
    rules = getattr(definition, "rules", None)
    if rules is not None:
        fields["rules"] = tuple((r.new_unit_name, r.old_unit_name) for r in rules)
    return type(definition).__name__, fields


def test_the_library_reads_its_definitions_as_pint_would() -> None:
    """The small reader that replaces pint's parser gives pint's definitions, line for line."""
    from stratpolicy.units._definitions import read_definitions

    lines = DEFINITIONS.read_text(encoding="utf-8").splitlines()
    parser = pint.UnitRegistry(None)._def_parser
    theirs = list(parser.iter_parsed_project(parser.parse_string("\n".join(lines))))
    mine = read_definitions(lines)
    assert len(mine) == len(theirs) > 80
    for a, b in zip(theirs, mine, strict=True):
        assert _key(a) == _key(b)


@pytest.mark.parametrize(
    "line", ["x = 2 +", "x = meter ** y", "@system s using g\n    meter", "x = 1; scale: 2"]
)
def test_the_definitions_reader_refuses_what_it_does_not_know(line: str) -> None:
    from stratpolicy.units._definitions import read_definitions

    with pytest.raises(ValueError):
        read_definitions(line.splitlines())
