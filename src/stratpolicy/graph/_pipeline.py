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


def _reached_by(graph: MissionGraph, on: dt.date | None, via_incentives: bool) -> Any:
    """Missions x instruments (0/1 pattern, CSR): the instruments in force reaching each.

    Built mission by mission (rows), so that the per-mission lists are read straight off
    it: the related reach of each mission's subtree times the instruments supporting each
    technology, plus the missions instruments list (with their ancestors).
    """
    ix = graph.index
    in_force = ix.instruments_in_force(on)
    s = ix.supports_on(on)  # instruments x technologies
    if via_incentives and ix.n_incentives:
        offered = select_rows(ix.offers @ ix.links_on(on), in_force)
        if offered.nnz:
            s = binary(s + offered)
    by_tech = ix.related_reach @ s.T  # missions x instruments (counts)
    serves = ix.serves
    if serves.nnz:
        listed = ix.closure @ select_rows(serves, in_force).T  # a mission and its ancestors
        by_tech = by_tech + listed
    return by_tech.tocsr()


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
    return binary(_reached_by(graph, on, via_incentives).T.tocsr())


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
    r = _reached_by(graph, on, via_incentives)  # missions x instruments
    r.sort_indices()
    # actors: each instrument has few administrators, so this product is cheap
    actors = (r @ ix.administrators_on(on).T).tocsr()  # missions x actors
    actors.sort_indices()
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
