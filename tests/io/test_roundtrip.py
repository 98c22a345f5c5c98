"""Every model object round-trips through JSON, YAML and TOML unchanged."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from stratpolicy import Portfolio, io
from stratpolicy.catalogs import international, korea
from stratpolicy.units import ExchangeRate, ExchangeRates
from tests.strategies import citations, portfolios

FORMATS = ("json", "yaml", "toml")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(portfolios())
def test_generated_portfolios_round_trip(portfolio: Portfolio) -> None:
    for fmt in FORMATS:
        assert io.loads(io.dumps(portfolio, fmt), fmt) == portfolio


@given(citations())
def test_citations_round_trip(citation: object) -> None:
    for fmt in FORMATS:
        assert io.loads(io.dumps(citation, fmt), fmt) == citation


@pytest.mark.parametrize("fmt", FORMATS)
def test_summit_round_trips_and_files_validate(fmt: str, tmp_path: Path) -> None:
    summit = korea.summit_2025()
    path = tmp_path / f"summit.{fmt}"
    io.dump(summit, path)
    assert io.load(path) == summit
    assert io.load(path, Portfolio) == summit


def test_parts_of_the_model_round_trip() -> None:
    summit = korea.summit_2025()
    objects = [
        summit.missions[0],
        summit.instruments[1],
        summit.incentives[0],
        summit.actors[0],
        summit.roadmaps[0],
        summit.technologies[0],
        international.crosswalk_kr12(),
    ]
    import datetime as dt

    objects.append(
        ExchangeRates(
            rates=(ExchangeRate(on=dt.date(2026, 1, 2), base="USD", quote="KRW", rate=1450.5),)
        )
    )
    for obj in objects:
        for fmt in FORMATS:
            assert io.loads(io.dumps(obj, fmt), fmt) == obj


def test_document_envelope() -> None:
    text = io.dumps(korea.strategic_technologies(), "json")
    assert text.startswith('{\n  "schema_version": 1,\n  "document": "portfolio",')
    assert io.kind_of(Portfolio) == "portfolio"
    with pytest.raises(TypeError):
        io.kind_of(int)


def test_expected_kind_is_enforced() -> None:
    from stratpolicy import Mission
    from stratpolicy.errors import SchemaError

    text = io.dumps(korea.summit_2025().missions[0], "yaml")
    with pytest.raises(SchemaError, match="expected a document of kind 'portfolio', got 'mission'"):
        io.loads(text, "yaml", Portfolio)
    assert isinstance(io.loads(text, "yaml", Mission), Mission)


def test_dump_is_atomic(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    io.dump(korea.strategic_technologies(), path)
    before = path.read_text(encoding="utf-8")

    class NotADocument:
        pass

    with pytest.raises(TypeError):
        io.dump(NotADocument(), path)
    assert path.read_text(encoding="utf-8") == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml"]


def test_python_rules_cannot_be_saved() -> None:
    from stratpolicy.rules import Input, Output, PythonRule, RuleSet

    rule_set = RuleSet(
        id="py",
        inputs=[Input(name="x", type="number")],
        outputs=[Output(name="y", type="number")],
        python_rules=[
            PythonRule(id="double", function=lambda x: {"y": 2 * x}, sets=["y"], reads=["x"])
        ],
    )
    with pytest.raises(
        TypeError, match="PythonRule cannot be written to a file: it holds a Python function"
    ):
        io.dumps(rule_set, "yaml")
