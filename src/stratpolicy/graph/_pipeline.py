"""The cross-ministerial pipeline: which actors' instruments reach each mission."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

import numpy as np

from stratpolicy.graph._index import binary, select_rows
from stratpolicy.graph._rows import PipelineRow
from stratpolicy.graph._table import Ragged, Table

if TYPE_CHECKING:
    from stratpolicy.graph._graph import MissionGraph

__all__ = ["pipeline", "reach"]


def _reach(graph: MissionGraph, on: dt.date | None, via_incentives: bool) -> Any:
    """Instruments x missions (CSR pattern; values are counts): which instruments reach which.

    The supports (and incentives' technologies) of each instrument times the transposed
    related reach of the missions (a mission's and its sub-missions' needs): the product
    accumulates over the missions, the small side, and its transpose (a linear counting
    sort) gives each mission's instruments already in order.
    """
    ix = graph.index
    in_force = ix.instruments_in_force(on)
    s = ix.supports_on(on)  # instruments x technologies
    if via_incentives and ix.n_incentives:
        offered = select_rows(ix.offers @ ix.links_on(on), in_force)
        if offered.nnz:
            s = binary(s + offered)
    r = s @ ix.related_reach.T.tocsr()
    if ix.serves.nnz:  # a mission an instrument lists, and the mission's ancestors
        r = r + select_rows(ix.serves, in_force) @ ix.closure.T
    return r.tocsr()


def reach(graph: MissionGraph, *, on: dt.date | None = None, via_incentives: bool = True) -> Any:
    """Instruments x missions (scipy CSR, 0/1): which instruments in force reach which missions.

    See :func:`pipeline` for the definition. Rows follow the portfolio's instruments,
    columns its missions.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> r = reach(g)
        >>> r.shape, int(r[[g.index.position("instrument", "early_warning_system")]].sum())
        ((10, 8), 1)
    """
    return binary(_reach(graph, on, via_incentives))


def pipeline(
    graph: MissionGraph, *, on: dt.date | None = None, via_incentives: bool = True
) -> Table[PipelineRow]:
    """The actors whose instruments or incentives reach each mission (the pipeline).

    An instrument in force *reaches* a mission when it supports a technology (targeted or
    as part of an envelope; a support holding on ``on``) that the mission or one of its
    sub-missions (transitively) requires -- counting an area and its key technologies as
    related, as coverage does -- or when it lists the mission or one of its sub-missions
    in ``missions``. By default (``via_incentives=True``) an instrument also reaches the
    missions that require the technologies of the incentives it offers (incentive and link
    in force on ``on``): a tax-relief instrument joins the pipeline of the missions its
    credits apply to.

    The mission's pipeline is the set of actors administering those instruments **on
    ``on``**: an actor that does not exist on that date is replaced by its successors that
    take the instrument over (see :class:`~stratpolicy.model.Successor`). ``ministries``
    are those actors of kind ``ministry``; ``single_ministry`` flags the missions exactly
    one ministry reaches.

    Args:
        graph: The mission graph.
        on: Count only instruments, supports, incentives and links in force on this date
            and resolve actors on it; ``None`` counts all of them and takes the actors as
            listed.
        via_incentives: Let instruments reach missions through the incentives they offer.

    Returns:
        One row per mission, in portfolio order, keyed by mission id.

    Examples:
        >>> import datetime as dt
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> pipeline(g, via_incentives=False)["trade_security"].ministries
        ('msit',)
        >>> pipeline(g)["trade_security"].ministries  # the RSTA credits, from the MOEF
        ('msit', 'moef')
        >>> pipeline(g, on=dt.date(2026, 3, 13))["trade_security"].ministries
        ('msit', 'mofe_2026')
    """
    ix = graph.index
    r = _reach(graph, on, via_incentives)  # instruments x missions
    # actors: each instrument has few administrators; accumulate over the missions again
    actors = (ix.administrators_on(on) @ r).tocsc()  # read as missions x actors
    r = r.tocsc()  # read as missions x instruments, each mission's instruments in order
    ip, ii = r.indptr, r.indices
    ap, ai = actors.indptr, actors.indices
    keep = ix.is_ministry[ai]
    kept = np.zeros(len(ai) + 1, dtype=np.int64)
    np.cumsum(keep, out=kept[1:])
    mp, mi = kept[ap], ai[keep]
    return Table(
        PipelineRow,
        {
            "mission": ix.mission_ids,
            "name": ix.mission_names,
            "kind": ix.mission_kinds,
            "instruments": Ragged(ip, ii, ix.instrument_ids),
            "actors": Ragged(ap, ai, ix.actor_ids),
            "ministries": Ragged(mp, mi, ix.actor_ids),
            "single_ministry": np.diff(mp) == 1,
        },
        key="mission",
    )
