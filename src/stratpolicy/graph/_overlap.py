"""Overlap between instruments: Jaccard similarity of the key technologies they support."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np
import scipy.sparse as sp

from stratpolicy.errors import Problem, ValidationError
from stratpolicy.graph._index import binary, ragged_of, select_rows
from stratpolicy.graph._rows import OverlapRow
from stratpolicy.graph._table import Coded, Ragged, Table

if TYPE_CHECKING:
    from stratpolicy.graph._graph import MissionGraph

__all__ = ["overlap"]


def overlap(
    graph: MissionGraph, threshold: float = 0.5, *, on: dt.date | None = None
) -> Table[OverlapRow]:
    """Pairs of instruments in force whose supported key technologies overlap.

    An instrument's key-technology set holds the key technologies it supports, and every
    key technology of each area it supports (an area without key technologies counts as
    itself). The overlap of two instruments is the Jaccard similarity of their sets,
    ``|A & B| / |A | B|``. A pair is *cross-ministry* when both instruments are
    administered by ministries (actors of kind ``ministry``) and no ministry administers
    both -- the duplication a cross-ministerial pipeline should catch.

    Computed with sparse products (instrument x key-technology incidence times its
    transpose), so only pairs sharing a key technology are ever looked at: the cost grows
    with the sum over key technologies of the square of the number of instruments
    supporting each, not with the square of the number of instruments.

    Args:
        graph: The mission graph.
        threshold: The least Jaccard similarity to report, in (0, 1].
        on: Count only supports holding on this date (and the ministries existing then);
            ``None`` counts every support.

    Returns:
        Rows sorted by Jaccard similarity (highest first), then by the instruments'
        portfolio order.

    Raises:
        ValidationError: ``threshold`` is not in (0, 1].

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> pairs = overlap(korea.summit_2025().graph(), 0.01)
        >>> [(r.instrument_a, r.instrument_b, r.shared, r.union) for r in pairs][:2]
        [('ai_budget_2026', 'national_ai_computing_center', 1, 4),
         ('nst_rd_investment', 'ai_budget_2026', 4, 50)]
    """
    if not 0.0 < threshold <= 1.0:
        raise ValidationError([Problem("threshold", f"must be in (0, 1], got {threshold}")])
    ix = graph._index
    x = binary(ix.supports_on(on) @ ix.key_expansion)
    size = np.diff(x.indptr).astype(np.int64)
    shared = sp.triu(x @ x.T, k=1).tocoo()
    a = shared.row.astype(np.int64)
    b = shared.col.astype(np.int64)
    inter = np.rint(shared.data).astype(np.int64)
    union = size[a] + size[b] - inter
    jac = inter / union
    keep = jac >= threshold
    a, b, inter, union, jac = a[keep], b[keep], inter[keep], union[keep], jac[keep]
    order = np.lexsort((b, a, -jac))
    a, b, inter, union, jac = a[order], b[order], inter[order], union[order], jac[order]

    ministries = select_rows(ix.administrators_on(on), ix.is_ministry).T.tocsr()  # inst. x actors
    ma, mb = ministries[a], ministries[b]
    both = np.asarray(ma.multiply(mb).sum(axis=1)).ravel() > 0
    cross = (np.diff(ma.indptr) > 0) & (np.diff(mb.indptr) > 0) & ~both
    pa, ia = ragged_of(ma)
    pb, ib = ragged_of(mb)
    return Table(
        OverlapRow,
        {
            "instrument_a": Coded(a, ix.inst_ids),
            "instrument_b": Coded(b, ix.inst_ids),
            "shared": inter,
            "union": union,
            "jaccard": jac,
            "ministries_a": Ragged(pa, ia, ix.actor_ids),
            "ministries_b": Ragged(pb, ib, ix.actor_ids),
            "cross_ministry": cross,
        },
    )
