"""What the library saves reads back equal, at the edges of text and numbers (issue 9).

Hypothesis draws text from all of Unicode but lone surrogates (which no file can hold and
the model refuses): NEL, line and paragraph separators, control characters, byte-order
marks, noncharacters; and numbers at the edges of float64: subnormals, the largest finite
float, negative zero, repr-exact decimals. Each object is saved and read back in JSON, YAML
and TOML, and must compare equal.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from stratpolicy import (
    BudgetEntry,
    Citation,
    IndicatorPoint,
    IndicatorSeries,
    Instrument,
    Mission,
    Portfolio,
    Target,
    Technology,
    io,
)
from stratpolicy.units import quantity
from tests.strategies import portfolios

FORMATS = ("json", "yaml", "toml")

any_text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30)
names = any_text.filter(lambda s: s.strip() != "")
edgy_text = st.sampled_from(
    [
        "a\x85b",
        "\u2028",
        "x\u2029y",
        "\ufeffbom",
        "tab\there",
        "\x00nul",
        "\x7f\x9f",
        "\uffff",
        "  lead and trail  ",
        "line\nbreak",
        "cr\rlf\r\n",
        "'\"quotes\"'",
        "# not a comment",
        "- not a list",
        "true",
        "null",
        "1e5",
        "0x1F",
        "2026-01-01",
        "~",
        ":",
        "&anchor",
        "*alias",
        "!tag",
        "<<",
        "=",
        "%",
        "@",
        "`",
        "{a: 1}",
        "[1]",
        "한국어 🇰🇷",
        "\U0001f600",
    ]
)
texts = st.one_of(edgy_text, any_text)


def assert_round_trips(obj: object) -> None:
    for fmt in FORMATS:
        text = io.dumps(obj, fmt)
        back = io.loads(text, fmt)
        assert back == obj, (fmt, text)
        assert io.dumps(back, fmt) == text  # and writes the same bytes again


@settings(max_examples=200, deadline=None)
@given(act=names | edgy_text.filter(lambda s: s.strip() != ""), note=texts, url=texts)
def test_any_text_round_trips(act: str, note: str, url: str) -> None:
    assert_round_trips(Citation(act=act, note=note, url=url))


@pytest.mark.parametrize(
    "text", ["a\x85b", "x\u2028y", "x\u2029y", "\ufeffa", "a\x00b", "a\x1bb", "a\x7fb", "\x85"]
)
def test_line_breaks_and_controls_survive_yaml(text: str) -> None:
    # NEL (U+0085) became a space or a line break in YAML before
    citation = Citation(act="Act", note=text)
    for fmt in FORMATS:
        assert io.loads(io.dumps(citation, fmt), fmt).note == text


_floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e200, max_value=1e200),
    st.sampled_from([0.0, -0.0, 5e-324, 2.2250738585072014e-308, 0.1, 1 / 3, 1e16, 1e-7]),
)
_money_units = st.sampled_from(["KRW", "trillion KRW", "billion USD", "EUR", "hundred_million KRW"])
_other_units = st.sampled_from(
    [
        "GPU",
        "gigawatt",
        "terawatt * hour",
        "exaFLOP / second",
        "percent",
        "meter^2",
        "KRW / GPU / year",
        "second^-1",
        "kilopercent",
        "microsecond",
        "",
    ]
)


@settings(max_examples=150, deadline=None)
@given(
    magnitude=st.one_of(st.integers(min_value=-(10**20), max_value=10**20), _floats),
    unit=_other_units,
    budget=st.one_of(st.integers(min_value=0, max_value=10**20), _floats.map(abs)),
    currency=_money_units,
    value=st.floats(allow_nan=False, allow_infinity=False),
)
def test_any_amount_and_number_round_trips(
    magnitude: float, unit: str, budget: float, currency: str, value: float
) -> None:
    mission = Mission(
        id="m", name="M", targets=(Target(metric="x", value=quantity(magnitude, unit)),)
    )
    instrument = Instrument(
        id="i",
        name="I",
        kind="equity_financing",
        budget=(BudgetEntry(year=2026, amount=quantity(budget, currency)),),
    )
    technology = Technology(
        id="t",
        name="T",
        indicators=(
            IndicatorSeries(
                metric="m", points=(IndicatorPoint(on=dt.date(2026, 1, 1), value=value),)
            ),
        ),
    )
    for obj in (mission, instrument, technology):
        assert_round_trips(obj)


def _wild(portfolio: Portfolio, data: st.DataObject) -> Portfolio:
    """The same portfolio with names, descriptions and sources drawn from all of Unicode."""

    def renamed(obj: object) -> object:
        changes = {"name": data.draw(names)}
        if "description" in attrs.fields_dict(type(obj)):
            changes["description"] = data.draw(texts)
        if "source" in attrs.fields_dict(type(obj)):
            changes["source"] = data.draw(texts)
        return attrs.evolve(obj, **changes)

    return portfolio.evolve(
        name=data.draw(names),
        technologies=tuple(renamed(t) for t in portfolio.technologies),
        missions=tuple(renamed(m) for m in portfolio.missions),
        instruments=tuple(renamed(i) for i in portfolio.instruments),
        actors=tuple(renamed(a) for a in portfolio.actors),
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios(), st.data())
def test_generated_documents_with_any_text_round_trip(
    portfolio: Portfolio, data: st.DataObject
) -> None:
    assert_round_trips(_wild(portfolio, data))
