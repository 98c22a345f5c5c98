"""Result tables, crosswalks, the summary, and the import cost of ``stratpolicy.graph``."""

from __future__ import annotations

import json
import subprocess
import sys

import attrs
import pytest

from stratpolicy.catalogs import international, korea
from stratpolicy.graph import CoverageRow, CrosswalkRow, MissionGraph, Table, crosswalk_table
from stratpolicy.graph._table import Coded, Ragged
from stratpolicy.model import Crosswalk, CrosswalkLink


@attrs.frozen(kw_only=True)
class Row:
    name: str
    score: float
    tags: tuple[str, ...]


def _table() -> Table[Row]:
    import numpy as np

    return Table(
        Row,
        {
            "name": Coded(np.array([1, 0, 2]), ["a", "b", "c"]),
            "score": np.array([0.5, 1.0, 2.0]),
            "tags": Ragged(np.array([0, 2, 2, 3]), np.array([0, 1, 0]), ["x", "y"]),
        },
        key="name",
    )


def test_table_rows_are_plain_python_values() -> None:
    t = _table()
    assert len(t) == 3
    assert t[0] == Row(name="b", score=0.5, tags=("x", "y"))
    assert type(t[0].score) is float
    assert t["c"].tags == ("x",)
    assert t[-1].name == "c"
    assert "a" in t and "z" not in t
    assert t.get("z") is None
    assert t.column("name") == ("b", "a", "c")
    assert t[1:] == [Row(name="a", score=1.0, tags=()), Row(name="c", score=2.0, tags=("x",))]
    assert t == Table.from_rows(Row, list(t))
    with pytest.raises(IndexError):
        t[3]
    with pytest.raises(KeyError, match="no row with name 'z'"):
        t["z"]


def test_table_conversions() -> None:
    t = _table()
    assert t.to_records()[0] == {"name": "b", "score": 0.5, "tags": ["x", "y"]}
    json.dumps(t.to_records())
    df = t.to_pandas()
    assert list(df.columns) == ["name", "score", "tags"]
    assert df["name"].tolist() == ["b", "a", "c"]
    assert df["score"].sum() == 3.5
    text = repr(t)
    assert text.splitlines()[0] == "Table[Row]: 3 rows"
    assert "x, y" in text
    assert "<table>" in t._repr_html_()


def test_table_checks_its_columns() -> None:
    with pytest.raises(ValueError, match="needs columns"):
        Table(Row, {"name": ["a"]})
    with pytest.raises(ValueError, match="differ in length"):
        Table(Row, {"name": ["a"], "score": [1.0, 2.0], "tags": [()]})


def test_coverage_repr_and_pandas(lab: MissionGraph) -> None:
    cov = lab.coverage()
    assert cov.row_type is CoverageRow
    assert "0.800" in repr(cov)  # M's coverage, 3 decimals
    df = cov.to_pandas()
    assert df.loc[df["mission"] == "E", "coverage"].isna().all()
    assert repr(lab).startswith("MissionGraph('lab': 5 missions, 10 technologies")


def test_crosswalk_both_directions_and_unmatched() -> None:
    cw = Crosswalk(
        id="cw",
        name="CW",
        links=(
            CrosswalkLink(from_list="kr", from_id="ai", to_list="us", to_id="ai", confidence=0.9),
            CrosswalkLink(from_list="kr", from_id="chips", to_list="us", to_id="semis"),
            CrosswalkLink(
                from_list="kr", from_id="chips", to_list="us", to_id="ai", confidence=0.3
            ),
            CrosswalkLink(from_list="eu", from_id="quantum", to_list="kr", to_id="quantum"),
        ),
    )
    table = crosswalk_table(
        cw, {"kr": ["ai", "chips", "quantum", "space"], "us": ["ai", "semis", "bio"]}
    )
    assert len(table) == 4
    assert table.map("chips", "kr", "us") == ("semis", "ai")
    assert table.map("chips", "kr", "us", min_confidence=0.5) == ()
    assert table.map("ai", "us", "kr") == ("ai", "chips")  # turned around
    assert table.map("quantum", "kr", "eu") == ("quantum",)
    turned = table.between("us", "kr")
    assert turned[0] == CrosswalkRow(
        from_list="us", from_id="ai", to_list="kr", to_id="ai", confidence=0.9, note=""
    )
    assert table.unmatched("kr") == ("space",)  # quantum is linked (to eu)
    assert table.unmatched("kr", "us") == ("quantum", "space")
    assert table.unmatched("us") == ("bio",)
    assert table.lists() == ("kr", "us", "eu")
    with pytest.raises(KeyError, match="unknown"):
        table.unmatched("eu")


def test_built_in_crosswalk() -> None:
    table = crosswalk_table(
        international.crosswalk_kr12(),
        {
            "kr_strategic_technologies": korea.strategic_technologies(),
            "us_cet_2024": international.us_cet_2024(),
        },
    )
    assert len(table.items("kr_strategic_technologies")) == 12  # the areas, not the 50 keys
    assert table.unmatched("kr_strategic_technologies", "us_cet_2024") == ()
    assert table.map("quantum", "us_cet_2024", "kr_strategic_technologies") == ("quantum",)
    assert len(table.unmatched("us_cet_2024")) == 18 - len(
        {r.to_id for r in table.between("kr_strategic_technologies", "us_cet_2024")}
    )


def test_summary_is_plain_data() -> None:
    data = korea.summit_2025().graph().summary(top=3)
    text = json.dumps(data)
    assert json.loads(text) == data
    assert data["year"] == 2026
    assert set(data) == {
        "portfolio",
        "on",
        "year",
        "coverage",
        "gaps",
        "bottlenecks",
        "ranking",
        "funding_flow",
        "overlap",
        "pipeline",
        "linkage_gap",
        "linkage_timeline",
        "assumptions",
        "settings",
    }
    assert data["settings"]["allocation"] is None and data["settings"]["include_envelopes"] is False
    assert len(data["linkage_timeline"]["technologies"]) == 12
    assert any(a["path"] == "funding_flow" for a in data["assumptions"])
    assert len(data["bottlenecks"]) == 3
    assert data["linkage_gap"]["kind"] == "tax_credit"
    assert len(data["linkage_gap"]["technologies"]) == 6
    assert data["funding_flow"]["totals"][0]["currency"] == "KRW"


def test_summary_without_budgets(lab: MissionGraph) -> None:
    data = lab.summary()
    assert data["year"] is None and data["funding_flow"] is None


def _modules_after(code: str) -> set[str]:
    script = f"import sys, json\n{code}\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", script], check=True, capture_output=True, text=True
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_importing_the_graph_package_loads_no_numpy_scipy_networkx() -> None:
    loaded = _modules_after(
        "import stratpolicy.graph\n"
        "from stratpolicy.graph import MissionGraph, Table, CoverageRow\n"
        "from stratpolicy import Portfolio, Technology\n"
        "g = MissionGraph(Portfolio(id='p', name='P', "
        "technologies=(Technology(id='a', name='A', kind='area'),)))"
    )
    assert not {"numpy", "scipy", "networkx", "pandas"} & loaded
    used = _modules_after(
        "from stratpolicy.graph import MissionGraph\n"
        "from stratpolicy import Portfolio\n"
        "MissionGraph(Portfolio(id='p', name='P')).coverage()"
    )
    assert {"numpy", "scipy"} <= used
    assert "networkx" not in used  # analyses run on scipy, not networkx
