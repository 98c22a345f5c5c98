"""MissionGraph.plot: three layers, edges as line collections, drawn with the Agg backend.

The expected layout of the ``lab`` portfolio (see conftest.py) is worked out by hand:

* missions in tree order: M, S (sub-mission of M), T (challenge of S), N, E;
* technologies shown: those a mission requires (A, x, a1, b1, C, B, b2) or an instrument
  supports (a1, a2, B, x, b1); a3 and a4 are left out. Ordered by the mean rank of the
  missions requiring them (M=0, S=1, T=2, N=3): A 0, x 0, b1 1, a1 (1+2)/2, C 2, B 3, b2 3
  (ties in portfolio order), then a2 (required by none);
* instruments by the mean rank of the technologies they support (A=0, x=1, b1=2, a1=3, C=4,
  B=5, b2=6, a2=7): I3 (x) 1, I4 (b1) 2, I1 (a1, a2) 5, I2 (B) 5, then I5 (supports none).
"""

from __future__ import annotations

import sys
from typing import Any

import matplotlib
import pytest

matplotlib.use("Agg")

import matplotlib.pyplot as plt
from matplotlib.colors import to_rgba

from stratpolicy import Portfolio
from stratpolicy.display._plot import _GAP, _PARTIAL, _SUPPORTED
from stratpolicy.graph import MissionGraph

from .conftest import D


@pytest.fixture(autouse=True)
def _close_figures() -> Any:
    yield
    plt.close("all")


def nodes(ax: Any) -> dict[str, Any]:
    return {t.get_gid(): t for t in ax.texts if t.get_gid()}


def layer(ax: Any, kind: str) -> list[str]:
    """Ids of one layer's nodes, top to bottom."""
    found = [
        (t.get_position()[1], gid.split(":", 1)[1])
        for gid, t in nodes(ax).items()
        if gid.startswith(kind + ":")
    ]
    return [node_id for _, node_id in sorted(found, reverse=True)]


def edges(ax: Any, gid: str) -> Any:
    (collection,) = [c for c in ax.collections if c.get_gid() == gid]
    return collection


def test_layers_and_their_order(lab_portfolio: Portfolio) -> None:
    ax = lab_portfolio.graph().plot()
    assert layer(ax, "mission") == ["M", "S", "T", "N", "E"]
    assert layer(ax, "technology") == ["A", "x", "b1", "a1", "C", "B", "b2", "a2"]
    assert layer(ax, "instrument") == ["I3", "I4", "I1", "I2", "I5"]
    xs = {gid.split(":")[0]: t.get_position()[0] for gid, t in nodes(ax).items()}
    assert xs == {"mission": 0.0, "technology": 1.0, "instrument": 2.0}
    assert ax.get_title() == "Lab"


def test_edges_with_weights(lab_portfolio: Portfolio) -> None:
    ax = lab_portfolio.graph().plot()
    requires = edges(ax, "requires")
    # M: A 1.0, x 0.5; S: a1 0.4, b1 1.0; T: a1 0.8, C 0.2; N: B 0.6, b2 0.3
    weights = [1.0, 0.5, 0.4, 1.0, 0.8, 0.2, 0.6, 0.3]
    assert len(requires.get_segments()) == 8
    assert list(requires.get_linewidths()) == pytest.approx([0.5 + 1.5 * w for w in weights])
    first = requires.get_segments()[0]  # M -> A, from x=0 to x=1, at the nodes' heights
    n = nodes(ax)
    assert tuple(first[0]) == n["mission:M"].get_position()
    assert tuple(first[1]) == n["technology:A"].get_position()
    # I1: a1, a2; I2: B; I3: x; I4: b1
    assert len(edges(ax, "supports").get_segments()) == 5


def test_colours_show_support(lab_portfolio: Portfolio) -> None:
    n = nodes(lab_portfolio.graph().plot())

    def colour(gid: str) -> Any:
        return n[gid].get_bbox_patch().get_facecolor()

    assert colour("technology:a1") == to_rgba(_SUPPORTED)
    assert colour("technology:A") == to_rgba(_PARTIAL)  # a1, a2 of a1..a4 supported: 0.5
    assert colour("technology:C") == to_rgba(_GAP)  # an area nothing supports
    assert colour("technology:b2") == to_rgba(_SUPPORTED)  # through its area B (I2)


def test_on_keeps_the_instruments_in_force(lab_portfolio: Portfolio) -> None:
    # on 2027-06-01: I1 and I3 have ended, I2 has started; I4 and I5 have no dates
    ax = lab_portfolio.graph().plot(on=D(2027, 6, 1))
    assert sorted(layer(ax, "instrument")) == ["I2", "I4", "I5"]
    assert len(edges(ax, "supports").get_segments()) == 2  # I2: B, I4: b1
    assert "a2" not in layer(ax, "technology")  # only I1 supported it
    n = nodes(ax)
    assert n["technology:x"].get_bbox_patch().get_facecolor() == to_rgba(_GAP)  # I3 ended
    assert any("in force on 2027-06-01" in t.get_text() for t in ax.texts)


def test_draws_on_the_axes_given(lab_portfolio: Portfolio) -> None:
    figure, ax = plt.subplots()
    assert lab_portfolio.graph().plot(ax) is ax
    assert plt.gcf() is figure and len(figure.axes) == 1


def test_dependencies_do_not_change_the_layers(lab_portfolio: Portfolio) -> None:
    ax = MissionGraph(lab_portfolio, dependencies=[("a1", "a3")]).plot()
    assert "a3" not in layer(ax, "technology")


def test_an_empty_portfolio_draws_an_empty_graph() -> None:
    ax = Portfolio(id="e", name="Empty").graph().plot()
    assert nodes(ax) == {}
    assert len(edges(ax, "requires").get_segments()) == 0


def test_without_matplotlib_the_error_names_the_extra(
    lab_portfolio: Portfolio, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib -> ImportError
    with pytest.raises(ImportError, match=r"pip install 'stratpolicy\[plot\]'"):
        lab_portfolio.graph().plot()
