"""The cross-ministerial pipeline: which actors' instruments reach each mission."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np

from stratpolicy.graph._index import binary, ragged_of, select_rows
from stratpolicy.graph._rows import PipelineRow
from stratpolicy.graph._table import Ragged, Table

if TYPE_CHECKING:
    from stratpolicy.graph._graph import MissionGraph

__all__ = ["pipeline", "reach"]


def reach(graph: MissionGraph, *, on: dt.date | None = None, via_incentives: bool = False) -> Any:
    """Instruments x missions (scipy CSR, 0/1): which instruments in force reach which missions.

    See :func:`pipeline` for the definition. Rows follow the portfolio's instruments,
    columns its missions.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> r = reach(g)
        >>> r.shape, int(r[g._index.inst_pos["early_warning_system"]].sum())
        ((10, 8), 1)
    """
    ix = graph._index
    in_force = ix.instruments_in_force(on)
    s = select_rows(ix.S, in_force)
    if via_incentives:
        offered = ix.IO @ select_rows(ix.IT, ix.incentives_in_force(on))
        s = binary(s + select_rows(offered, in_force))
    by_tech = s @ ix.relation @ binary(ix.R).T
    direct = binary(by_tech + select_rows(ix.IM, in_force))
    return binary(direct @ ix.closure.T)


def pipeline(
    graph: MissionGraph, *, on: dt.date | None = None, via_incentives: bool = False
) -> Table[PipelineRow]:
    """The actors whose instruments reach each mission; missions one ministry alone reaches.

    An instrument in force *reaches* a mission when it supports a technology that the
    mission or one of its sub-missions (transitively) requires -- counting an area and its
    key technologies as related, as coverage does (supporting an area reaches a mission
    requiring one of its key technologies, and the other way round) -- or when it lists
    the mission or one of its sub-missions in ``missions``. The mission's pipeline is the
    set of actors administering those instruments; ``single_ministry`` flags missions that
    exactly one ministry (an actor of kind ``ministry``) reaches.

    With ``via_incentives=True`` an instrument also reaches the missions that require the
    technologies named by the incentives it offers (in force on ``on``): a tax-relief
    instrument then joins the pipeline of the missions its credits apply to.

    Args:
        graph: The mission graph.
        on: Count only instruments (and incentives) in force on this date; ``None`` counts
            all of them.
        via_incentives: Count the incentives' technologies as supported by the instrument
            offering them.

    Returns:
        One row per mission, in portfolio order, keyed by mission id.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> row = pipeline(korea.summit_2025().graph())["ai_transformation"]
        >>> row.ministries, row.single_ministry
        (('msit',), True)
        >>> with_credits = pipeline(korea.summit_2025().graph(), via_incentives=True)
        >>> with_credits["ai_transformation"].ministries
        ('msit', 'moef')
    """
    ix = graph._index
    r = reach(graph, on=on, via_incentives=via_incentives)  # instruments x missions
    actors = binary(ix.A @ r)  # actors x missions
    ministers = select_rows(actors, ix.is_ministry)
    ip, ii = ragged_of(r.T)
    ap, ai = ragged_of(actors.T)
    mp, mi = ragged_of(ministers.T)
    return Table(
        PipelineRow,
        {
            "mission": ix.mission_ids,
            "name": ix.mission_names,
            "kind": ix.mission_kind,
            "instruments": Ragged(ip, ii, ix.inst_ids),
            "actors": Ragged(ap, ai, ix.actor_ids),
            "ministries": Ragged(mp, mi, ix.actor_ids),
            "single_ministry": np.diff(mp) == 1,
        },
        key="mission",
    )
