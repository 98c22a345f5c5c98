"""Drawings with matplotlib (imported only when drawing): the mission graph, a comparison.

:func:`plot_graph` draws a mission graph in three layers (``MissionGraph.plot``);
:func:`plot_comparison` the change of one output by group (``Comparison.plot``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from stratpolicy.model import Mission

if TYPE_CHECKING:
    import numpy.typing as npt
    from matplotlib.axes import Axes

    from stratpolicy.graph import MissionGraph
    from stratpolicy.scenarios import Comparison

__all__ = ["plot_comparison", "plot_graph"]

# x position of each layer, left to right
LAYERS = {"mission": 0.0, "technology": 1.0, "instrument": 2.0}

_MISSION = "#9ecae1"
_CHALLENGE = "#deebf7"
_INSTRUMENT = "#dadaeb"
_SUPPORTED = "#c7e9c0"
_PARTIAL = "#fdd0a2"
_GAP = "#fc9272"
_REQUIRES = "#3182bd"
_SUPPORTS = "#31a354"
_LABEL_WIDTH = 34


def _import_matplotlib(what: str) -> None:
    try:
        import matplotlib  # noqa: F401
    except ImportError as exc:
        raise ImportError(f"{what} needs matplotlib: pip install 'stratpolicy[plot]'") from exc


def _tree_order(missions: tuple[Mission, ...]) -> list[Mission]:
    """Missions with each one's sub-missions and challenges right after it."""
    children: dict[str | None, list[Mission]] = {}
    ids = {m.id for m in missions}
    for m in missions:
        children.setdefault(m.parent if m.parent in ids else None, []).append(m)
    ordered: list[Mission] = []

    def visit(m: Mission) -> None:
        ordered.append(m)
        for child in children.get(m.id, ()):
            visit(child)

    for root in children.get(None, ()):
        visit(root)
    return ordered


def _by_barycentre(items: list[str], neighbours: dict[str, list[float]]) -> list[str]:
    """Items with neighbours sorted by their mean neighbour position, then the others."""
    placed = [i for i in items if neighbours.get(i)]
    rest = [i for i in items if not neighbours.get(i)]
    placed.sort(key=lambda i: sum(neighbours[i]) / len(neighbours[i]))
    return placed + rest


def _spread(ids: list[str], height: float) -> dict[str, float]:
    """Evenly spaced y positions from the top (``height``) to 0."""
    n = len(ids)
    if n == 1:
        return {ids[0]: height / 2}
    return {i: height * (1 - k / (n - 1)) for k, i in enumerate(ids)}


def _label(text: str) -> str:
    return text if len(text) <= _LABEL_WIDTH else text[: _LABEL_WIDTH - 3] + "..."


def plot_graph(graph: MissionGraph, ax: Axes | None = None, *, on: dt.date | None = None) -> Axes:
    """Draw missions, technologies and instruments in three layers; see `MissionGraph.plot`."""
    _import_matplotlib("MissionGraph.plot")
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch

    portfolio = graph.portfolio
    missions = _tree_order(portfolio.missions)
    instruments = [i for i in portfolio.instruments if on is None or i.in_force(on)]
    requires = [(m.id, r.technology, r.weight) for m in missions for r in m.requires]
    supports = [(i.id, s.technology) for i in instruments for s in i.supports]

    # order each layer by the mean position of its neighbours in the layer before
    mission_rank = {m.id: float(k) for k, m in enumerate(missions)}
    tech_ids = [t.id for t in portfolio.technologies]
    linked = {t for _, t, _ in requires} | {t for _, t in supports}
    from_missions: dict[str, list[float]] = {}
    for m, t, _ in requires:
        from_missions.setdefault(t, []).append(mission_rank[m])
    techs = _by_barycentre([t for t in tech_ids if t in linked], from_missions)
    tech_rank = {t: float(k) for k, t in enumerate(techs)}
    from_techs: dict[str, list[float]] = {}
    for i, t in supports:
        from_techs.setdefault(i, []).append(tech_rank[t])
    instrument_ids = _by_barycentre([i.id for i in instruments], from_techs)

    height = float(max(len(missions), len(techs), len(instrument_ids), 1) - 1)
    y = {
        "mission": _spread([m.id for m in missions], height) if missions else {},
        "technology": _spread(techs, height) if techs else {},
        "instrument": _spread(instrument_ids, height) if instrument_ids else {},
    }

    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(12, max(4.0, 0.3 * (height + 1) + 1.5)))
    assert ax is not None

    x_m, x_t, x_i = LAYERS["mission"], LAYERS["technology"], LAYERS["instrument"]
    req_lines = LineCollection(
        [[(x_m, y["mission"][m]), (x_t, y["technology"][t])] for m, t, _ in requires],
        colors=_REQUIRES,
        linewidths=[0.5 + 1.5 * w for _, _, w in requires],
        alpha=0.5,
        zorder=1,
    )
    req_lines.set_gid("requires")
    sup_lines = LineCollection(
        [[(x_i, y["instrument"][i]), (x_t, y["technology"][t])] for i, t in supports],
        colors=_SUPPORTS,
        linewidths=1.0,
        alpha=0.5,
        zorder=1,
    )
    sup_lines.set_gid("supports")
    ax.add_collection(req_lines)
    ax.add_collection(sup_lines)

    def node(kind: str, id: str, text: str, colour: str) -> None:
        ax.text(
            LAYERS[kind],
            y[kind][id],
            _label(text),
            ha="center",
            va="center",
            fontsize=7,
            zorder=3,
            gid=f"{kind}:{id}",
            bbox={"boxstyle": "round,pad=0.3", "facecolor": colour, "edgecolor": "none"},
        )

    for mission in missions:
        colour = _MISSION if mission.parent is None else _CHALLENGE
        label = mission.name if mission.parent is None else f"- {mission.name}"
        node("mission", mission.id, label, colour)
    support = graph.support(on=on)
    for t in techs:
        row = support.get(t)
        value = row.support if row is not None else 0.0
        colour = _SUPPORTED if value >= 1 else _PARTIAL if value > 0 else _GAP
        node("technology", t, portfolio.technology(t).name, colour)
    for i in instrument_ids:
        node("instrument", i, portfolio.instrument(i).name, _INSTRUMENT)

    top = height + 1.0
    in_force = "" if on is None else f" in force on {on.isoformat()}"
    for kind, title in (
        ("mission", "Missions"),
        ("technology", "Technologies"),
        ("instrument", f"Instruments{in_force}"),
    ):
        ax.text(LAYERS[kind], top, title, ha="center", va="bottom", fontsize=9, weight="bold")
    ax.set_xlim(-0.6, 2.6)
    ax.set_ylim(-1.5, top + 0.8)
    ax.set_axis_off()
    ax.set_title(portfolio.name)
    handles = [
        Line2D([], [], color=_REQUIRES, label="requires"),
        Line2D([], [], color=_SUPPORTS, label="supports"),
        Patch(color=_SUPPORTED, label="supported"),
        Patch(color=_PARTIAL, label="partly supported (area)"),
        Patch(color=_GAP, label="not supported"),
    ]
    ax.legend(handles=handles, loc="lower center", ncol=5, fontsize=7, frameon=False)
    return ax


_GAIN = "#2b7a3d"
_LOSS = "#b3362c"


def plot_comparison(
    comparison: Comparison,
    output: str,
    by: str | Sequence[str] | npt.ArrayLike = "firm_size",
    *,
    ax: Axes | None = None,
    scale: float = 1.0,
    unit: str | None = None,
) -> Axes:
    """Bars of the weighted change of ``output`` per group; see `Comparison.plot`.

    Groups without firms are left out; a gain is green, a loss red. ``scale`` divides the
    values (``1e9`` with ``unit="billion KRW"``); the unit defaults to the output's.
    """
    _import_matplotlib("Comparison.plot")
    frame = comparison.by(by, output)
    frame = frame[frame["firms"] > 0]
    if ax is None:
        import matplotlib.pyplot as plt

        _, ax = plt.subplots(figsize=(7, 3.5))
    assert ax is not None
    labels = [" / ".join(map(str, k)) if isinstance(k, tuple) else str(k) for k in frame.index]
    values = [float(v) / scale for v in frame["delta"]]
    ax.bar(labels, values, color=[_GAIN if v >= 0 else _LOSS for v in values])
    shown = unit if unit is not None else comparison.baseline.unit_of(output)
    ax.set_ylabel(f"change in {output}" + (f" ({shown})" if shown else ""))
    reform = comparison.reform
    name = reform.id if reform is not None else comparison.reformed.id
    group = by if isinstance(by, str) else "group"
    ax.set_title(f"{name}: change by {group}, {comparison.on.isoformat()}")
    ax.axhline(0, color="black", linewidth=0.8)
    ax.tick_params(axis="x", rotation=30)
    return ax
