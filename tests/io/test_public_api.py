"""io's public face: the Converter, plain data with and without the envelope, plain-data
files, the registry of document kinds, and who registers what."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import pytest

import stratpolicy
from stratpolicy import io
from stratpolicy.errors import (
    DataError,
    FormatError,
    SchemaError,
    UnitError,
    ValidationError,
)
from stratpolicy.model import Citation, Mission, Portfolio, Requirement, Technology


@attrs.frozen(kw_only=True)
class RateChange:
    """Change a parameter from a date."""

    parameter: str
    value: float
    start: dt.date


@attrs.frozen(kw_only=True)
class AddNote:
    """Add a note."""

    text: str


Change = RateChange | AddNote


@attrs.frozen(kw_only=True)
class ChangeLog:
    """A list of changes of two kinds."""

    id: str
    changes: tuple[Change, ...] = ()


def _fresh(code: str) -> str:
    """Run ``code`` in a fresh interpreter; return its standard output."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


# -- the converter ------------------------------------------------------------------------


def test_structure_and_unstructure_work_on_plain_data_without_the_envelope() -> None:
    data = {
        "id": "ai_power",
        "name": "AI power",
        "requires": [{"technology": "ai", "weight": 0.5}],
        "due": "2030-12-31",
    }
    mission = io.structure(data, Mission)
    assert mission == Mission(
        id="ai_power",
        name="AI power",
        requires=(Requirement(technology="ai", weight=0.5),),
        due=dt.date(2030, 12, 31),
    )
    assert io.unstructure(mission) == data  # defaults left out, the date as text
    assert stratpolicy.structure(data, Mission) == mission
    assert stratpolicy.unstructure(mission) == data


def test_structure_names_every_problem_with_the_given_path_and_source() -> None:
    with pytest.raises(DataError) as info:
        io.structure(
            {"id": "x", "name": 5, "colour": "red"}, Mission, path="missions[3]", source="app"
        )
    err = info.value
    assert type(err) is SchemaError and err.source == "app"
    assert [(p.path, p.code) for p in err.problems] == [
        ("missions[3].name", "schema"),
        ("missions[3].colour", "schema"),
    ]


def test_to_document_and_from_document_carry_the_envelope() -> None:
    citation = Citation(act="Special Act", article="5", effective_from=dt.date(2024, 1, 1))
    document = io.to_document(citation)
    assert document == {
        "schema_version": 1,
        "document": "citation",
        "act": "Special Act",
        "article": "5",
        "effective_from": "2024-01-01",
    }
    assert list(document)[:2] == ["schema_version", "document"]
    assert io.from_document(document) == citation
    assert io.from_document(document, Citation) == citation
    assert stratpolicy.to_document(citation) == document
    assert stratpolicy.from_document(document) == citation
    # a document is refused by structure (the envelope is not a field) ...
    with pytest.raises(SchemaError, match="schema_version: unknown key"):
        io.structure(document, Citation)
    # ... and plain fields by from_document
    with pytest.raises(SchemaError, match="schema_version: required field is missing"):
        io.from_document(io.unstructure(citation))
    with pytest.raises(SchemaError, match="expected a document of kind 'portfolio', got"):
        io.from_document(document, Portfolio)


def test_a_converter_of_your_own_leaves_the_default_alone() -> None:
    @attrs.frozen
    class Point:
        x: float

    conv = io.Converter()
    conv.cattrs.register_structure_hook(
        complex, lambda v, _: complex(v) if isinstance(v, str) else _refuse(v)
    )
    assert conv.structure("1+2j", complex) == 1 + 2j
    assert conv.structure({"x": 1}, Point) == Point(x=1.0)  # strict hooks as the default's
    with pytest.raises(SchemaError, match="expected a number, got 'one'"):
        conv.structure({"x": "one"}, Point)
    with pytest.raises(DataError):
        io.structure("1+2j", complex)  # the default converter knows no complex numbers
    assert io.default_converter() is io.default_converter()
    assert io.get_converter() is io.default_converter().cattrs
    assert conv is not io.default_converter()


def _refuse(value: Any) -> Any:
    raise SchemaError([f"expected a complex number as text, got {value!r}"])


def test_a_hook_that_raises_a_data_error_gets_the_path_in_front() -> None:
    conv = io.Converter()
    conv.cattrs.register_structure_hook(complex, lambda v, _: _refuse(v))
    with pytest.raises(SchemaError) as info:
        conv.structure({"a": [1]}, dict[str, tuple[complex, ...]])
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("[a][0]", "expected a complex number as text, got 1")
    ]


# -- plain data in files --------------------------------------------------------------


def test_parse_data_is_as_strict_as_loading_a_document() -> None:
    assert io.parse_data('{"a": [1, 2.5, true, null]}', "json") == {"a": [1, 2.5, True, None]}
    assert io.parse_data("when: 2026-01-01\nok: no\n", "yaml") == {
        "when": "2026-01-01",
        "ok": "no",
    }
    assert io.parse_data(b"a = 1\n", "toml") == {"a": 1}
    with pytest.raises(FormatError, match="key 'a' appears twice"):
        io.parse_data('{"a": 1, "a": 2}', "json")
    with pytest.raises(FormatError, match="nested deeper than 32 levels"):
        io.parse_data("[" * 40 + "]" * 40, "json")
    with pytest.raises(
        FormatError, match=r"the tag 'tag:yaml\.org,2002:python/object:os\.system' is not supported"
    ):
        io.parse_data("!!python/object:os.system {}", "yaml")
    with pytest.raises(FormatError, match="unknown format 'xml'"):
        io.parse_data("<a/>", "xml")


def test_read_and_write_data_round_trip_in_each_format(tmp_path: Path) -> None:
    data = {"name": "인공지능", "levels": [1, 2.5], "ok": True, "nested": {"a": "\u2028"}}
    for suffix in ("json", "yaml", "toml"):
        path = tmp_path / f"data.{suffix}"
        io.write_data(data, path)
        assert io.read_data(path) == data
        assert io.parse_data(io.render_data(data, suffix), suffix) == data
    path = tmp_path / "data.txt"
    io.write_data(data, path, format="json")
    assert json.loads(path.read_text(encoding="utf-8")) == data
    assert io.read_data(path, format="json") == data


def test_read_data_reports_the_file_and_reads_no_more_than_the_bound(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(FormatError) as info:
        io.read_data(path)
    assert info.value.source == str(path)
    assert "not UTF-8 text: byte 0xe9 at offset 9" in str(info.value)
    with pytest.raises(FileNotFoundError):
        io.read_data(tmp_path / "missing.json")


def test_render_data_refuses_what_no_file_can_hold() -> None:
    with pytest.raises(ValidationError, match="not a finite number"):
        io.render_data({"x": float("nan")}, "json")
    with pytest.raises(ValidationError, match="a key must be text"):
        io.render_data({1: "a"}, "yaml")
    with pytest.raises(ValidationError, match="a TOML document is a table"):
        io.render_data([1, 2], "toml")
    with pytest.raises(ValidationError) as info:
        io.render_data({"a": None, "b": [1, None]}, "toml")
    assert [p.path for p in info.value.problems] == ["a", "b[1]"]


def test_a_failed_write_leaves_the_old_file(tmp_path: Path) -> None:
    path = tmp_path / "data.json"
    io.write_data({"a": 1}, path)
    with pytest.raises(ValidationError):
        io.write_data({"a": float("inf")}, path)
    assert io.read_data(path) == {"a": 1}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data.json"]


# -- document kinds -------------------------------------------------------------------


def test_io_registers_the_kinds_of_the_floors_below_it_and_rules_its_own() -> None:
    kinds = io.document_kinds()
    assert list(kinds)[:10] == [
        "portfolio",
        "technology",
        "mission",
        "instrument",
        "incentive",
        "actor",
        "roadmap",
        "citation",
        "crosswalk",
        "exchange_rates",
    ]
    from stratpolicy.rules import ParameterSet, RuleSet  # registers its kinds on import

    kinds = io.document_kinds()
    assert kinds["rule_set"] is RuleSet and kinds["parameter_set"] is ParameterSet
    assert io.kind_of(RuleSet) == "rule_set"
    assert io.kind_of(Technology(id="ai", name="AI")) == "technology"


@pytest.fixture(autouse=True)
def _registry_restored() -> Any:
    """Each test leaves the registry of document kinds as it found it."""
    from stratpolicy.io import _kinds

    stratpolicy.document_kinds()  # every layer registered first: a later import adds nothing
    kinds, by_class = dict(_kinds._KINDS), dict(_kinds._BY_CLASS)
    yield
    _kinds._KINDS.clear()
    _kinds._KINDS.update(kinds)
    _kinds._BY_CLASS.clear()
    _kinds._BY_CLASS.update(by_class)


def test_register_kind_refuses_clashes_and_bad_names() -> None:
    @attrs.frozen(kw_only=True)
    class Note:
        text: str

    with pytest.raises(ValueError, match="lower-case letters"):
        io.register_kind("Note", Note)
    with pytest.raises(TypeError, match="must be an attrs class"):
        io.register_kind("note", dict)
    with pytest.raises(ValueError, match="'portfolio' is registered already"):
        io.register_kind("portfolio", Note)
    with pytest.raises(ValueError, match="registered already as the document kind 'citation'"):
        io.register_kind("note", Citation)
    io.register_kind("citation", Citation)  # the same again: nothing happens
    with pytest.raises(TypeError, match="Note is not a document kind; the registered kinds"):
        io.kind_of(Note(text="x"))
    assert "note" not in io.document_kinds()


def test_a_registered_kind_reads_and_writes_and_has_a_schema() -> None:
    @attrs.frozen(kw_only=True)
    class Memo:
        """A memo of a test."""

        text: str
        on: dt.date | None = None

    io.register_kind("test_memo", Memo)
    memo = Memo(text="hello", on=dt.date(2026, 1, 2))
    text = io.dumps(memo, "json")
    assert json.loads(text)["document"] == "test_memo"
    assert io.loads(text, "json") == memo
    schema = io.schema("test_memo")
    assert schema["required"] == ["schema_version", "document", "text"]
    assert schema["description"] == "A memo of a test."
    # replace: the kind names another class, which leaves its old kind
    io.register_kind("test_memo", Mission, replace=True)
    assert io.kind_of(Mission) == "test_memo" and "mission" not in io.document_kinds()
    with pytest.raises(TypeError, match="Memo is not a document kind"):
        io.kind_of(memo)


def test_io_load_says_which_kinds_are_registered_when_a_layer_is_not_imported() -> None:
    out = _fresh(
        "import sys\n"
        "from stratpolicy import io\n"
        "from stratpolicy.errors import SchemaError\n"
        "text = 'schema_version: 1\\ndocument: parameter_set\\nparameters: []\\n'\n"
        "try:\n"
        "    io.loads(text)\n"
        "except SchemaError as exc:\n"
        "    print(exc.problems[0].message)\n"
        "print('stratpolicy.rules' in sys.modules)\n"
    )
    message, imported = out.strip().splitlines()
    assert message.startswith(
        "unknown document kind 'parameter_set'; the registered kinds are portfolio, "
        "technology, mission, instrument, incentive, actor, roadmap, citation, crosswalk, "
        "exchange_rates. A layer registers its kinds when it is imported"
    )
    assert imported == "False"


def test_stratpolicy_load_knows_every_shipped_kind_without_importing_rules_first(
    tmp_path: Path,
) -> None:
    path = tmp_path / "params.yaml"
    path.write_text("schema_version: 1\ndocument: parameter_set\nparameters: []\n", "utf-8")
    out = _fresh(
        "import stratpolicy\n"
        f"obj = stratpolicy.load({str(path)!r})\n"
        "print(type(obj).__module__, type(obj).__name__)\n"
        "print(stratpolicy.loads(open({0!r}).read()) == obj)\n".format(str(path))
    )
    assert out.split() == ["stratpolicy.rules._parameters", "ParameterSet", "True"]


def test_importing_io_or_registering_a_kind_loads_neither_cattrs_nor_a_parser() -> None:
    out = _fresh(
        "import sys, json\n"
        "import stratpolicy.io\n"
        "io_only = [m for m in ('cattrs', 'yaml', 'numpy', 'pint') if m in sys.modules]\n"
        "import stratpolicy.rules\n"
        "rules = [m for m in ('cattrs', 'yaml', 'numpy', 'pint') if m in sys.modules]\n"
        "print(json.dumps([io_only, rules]))\n"
    )
    assert json.loads(out) == [[], []]


def test_the_error_of_a_wrong_amount_keeps_its_class_through_structure() -> None:
    with pytest.raises(UnitError, match="'12 tonnes' is not an amount of money"):
        io.structure({"year": 2026, "amount": "12 tonnes"}, _budget_entry())


def _budget_entry() -> type[Any]:
    from stratpolicy.model import BudgetEntry

    return BudgetEntry


# -- tagged unions --------------------------------------------------------------------


def _change_converter() -> io.Converter:
    conv = io.Converter()
    conv.register_tagged_union(Change, {"rate_change": RateChange, "note": AddNote})
    return conv


def test_a_tagged_union_reads_and_writes_each_member_with_its_tag() -> None:
    conv = _change_converter()
    data = {
        "id": "log",
        "changes": [
            {"kind": "rate_change", "parameter": "rd_rate", "value": 0.5, "start": "2026-01-01"},
            {"kind": "note", "text": "hypothetical"},
        ],
    }
    log = conv.structure(data, ChangeLog)
    assert log == ChangeLog(
        id="log",
        changes=(
            RateChange(parameter="rd_rate", value=0.5, start=dt.date(2026, 1, 1)),
            AddNote(text="hypothetical"),
        ),
    )
    assert conv.unstructure(log) == data
    assert next(iter(conv.unstructure(log)["changes"][0])) == "kind"  # the tag comes first


def test_a_tagged_union_names_a_wrong_tag_and_the_fields_of_its_member() -> None:
    conv = _change_converter()
    with pytest.raises(SchemaError) as info:
        conv.structure(
            {
                "id": "log",
                "changes": [
                    {"parameter": "x"},
                    {"kind": "rate_cut", "text": "?"},
                    {"kind": "note", "text": 5},
                    "note",
                ],
            },
            ChangeLog,
        )
    assert [(p.path, p.message) for p in info.value.problems] == [
        ("changes[0].kind", "required field is missing; expected one of 'rate_change', 'note'"),
        ("changes[1].kind", "unknown kind 'rate_cut'; expected one of 'rate_change', 'note'"),
        ("changes[2].text", "expected text, got 5 (a whole number)"),
        (
            "changes[3]",
            "expected a mapping with 'kind' ('rate_change', 'note'), got 'note' (text)",
        ),
    ]


def test_a_tagged_union_has_one_schema_per_member_with_its_tag() -> None:
    from jsonschema import Draft202012Validator

    conv = _change_converter()
    schema = conv.schema(ChangeLog)
    union = schema["$defs"]["RateChange_or_AddNote"]["oneOf"]
    assert [v["properties"]["kind"]["const"] for v in union] == ["rate_change", "note"]
    assert union[0]["required"] == ["kind", "parameter", "value", "start"]
    validator = Draft202012Validator(schema)
    good = conv.unstructure(ChangeLog(id="l", changes=(AddNote(text="a"),)))
    assert validator.is_valid(good)
    for bad in (
        {"kind": "rate_cut", "text": "a"},  # an unknown tag
        {"text": "a"},  # no tag
        {"kind": "note", "text": "a", "value": 1.0},  # a field of the other member
    ):
        assert not validator.is_valid({"id": "l", "changes": [bad]}), bad


def test_a_tagged_union_in_a_document_kind() -> None:
    conv = _change_converter()
    io.register_kind("test_change_log", ChangeLog)
    log = ChangeLog(
        id="l", changes=(RateChange(parameter="p", value=1.0, start=dt.date(2026, 1, 1)),)
    )
    document = conv.to_document(log)
    assert document["changes"][0]["kind"] == "rate_change"
    assert conv.from_document(document) == log
    with pytest.raises(DataError):
        io.from_document(document)  # the default converter knows no such union


def test_register_tagged_union_refuses_tags_that_do_not_fit() -> None:
    conv = io.Converter()
    with pytest.raises(ValueError, match="must name each member of the union once"):
        conv.register_tagged_union(Change, {"rate_change": RateChange})
    with pytest.raises(ValueError, match="must name each member of the union once"):
        conv.register_tagged_union(Change, {"a": RateChange, "b": RateChange, "c": AddNote})
    with pytest.raises(ValueError, match="AddNote has a field named 'text', the tag's key"):
        conv.register_tagged_union(Change, {"a": RateChange, "b": AddNote}, tag="text")
