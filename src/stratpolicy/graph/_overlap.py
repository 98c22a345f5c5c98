"""Overlap between instruments: Jaccard similarity of the key technologies they support."""

from __future__ import annotations

import datetime as dt
import itertools
import warnings
from typing import TYPE_CHECKING, Any

import numpy as np

from stratpolicy.errors import Problem, ValidationError
from stratpolicy.graph._index import binary, ragged_of, select_rows
from stratpolicy.graph._rows import OverlapRow
from stratpolicy.graph._table import Coded, Ragged, Table

if TYPE_CHECKING:
    from stratpolicy.graph._graph import MissionGraph

__all__ = ["overlap"]


_BLOCK_PRODUCTS = 4_000_000
"""About how many entries one block of the instrument-pair product may hold."""


def overlap(
    graph: MissionGraph,
    min_jaccard: float = 0.5,
    *,
    top: int | None = None,
    on: dt.date | None = None,
    threshold: float | None = None,
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
    supporting each, not with the square of the number of instruments. The product is
    taken a block of instruments at a time and each block is filtered (and cut to ``top``)
    before the next, so memory stays bounded however many pairs share a technology.

    Args:
        graph: The mission graph.
        min_jaccard: The least Jaccard similarity to report, in (0, 1].
        top: Keep only the ``top`` most similar pairs (ties broken by the instruments'
            portfolio order); ``None`` keeps every pair at or above ``min_jaccard``.
        on: Count only supports holding on this date (and the ministries existing then);
            ``None`` counts every support.
        threshold: Former name of ``min_jaccard`` (deprecated).

    Returns:
        Rows sorted by Jaccard similarity (highest first), then by the instruments'
        portfolio order.

    Raises:
        ValidationError: ``min_jaccard`` is not in (0, 1], or ``top`` is negative.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> pairs = overlap(korea.summit_2025().graph(), 0.01)
        >>> [(r.instrument_a, r.instrument_b, r.shared, r.union) for r in pairs][:2]
        [('ai_budget_2026', 'national_ai_computing_center', 1, 4),
         ('nst_rd_investment', 'ai_budget_2026', 4, 50)]
        >>> len(overlap(korea.summit_2025().graph(), 0.01, top=1))
        1
    """
    if threshold is not None:
        warnings.warn(
            "overlap(threshold=...) is deprecated; use min_jaccard=...",
            DeprecationWarning,
            stacklevel=2,
        )
        min_jaccard = threshold
    if not 0.0 < min_jaccard <= 1.0:
        raise ValidationError([Problem("min_jaccard", f"must be in (0, 1], got {min_jaccard}")])
    if top is not None and top < 0:
        raise ValidationError([Problem("top", f"must be 0 or more, got {top}")])
    ix = graph.index
    x = binary(ix.supports_on(on) @ ix.key_expansion)
    a, b, inter, union = _pairs(x, min_jaccard, top)
    jac = inter / union
    order = np.lexsort((b, a, -jac))
    if top is not None:
        order = order[:top]
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
            "instrument_a": Coded(a, ix.instrument_ids),
            "instrument_b": Coded(b, ix.instrument_ids),
            "shared": inter,
            "union": union,
            "jaccard": jac,
            "ministries_a": Ragged(pa, ia, ix.actor_ids),
            "ministries_b": Ragged(pb, ib, ix.actor_ids),
            "cross_ministry": cross,
        },
    )


def _pairs(x: Any, min_jaccard: float, top: int | None) -> tuple[Any, Any, Any, Any]:
    """The pairs ``a < b`` of rows of ``x`` at or above ``min_jaccard``, block by block.

    Returns the rows, their shared and union sizes. With ``top``, each block keeps only
    the pairs that can still be among the ``top`` best.
    """
    n = x.shape[0]
    size = np.diff(x.indptr).astype(np.int64)
    xt = x.T.tocsr()
    # the product's entries per row: sum over its columns of the column's instruments
    work = np.zeros(x.nnz + 1, dtype=np.int64)
    np.cumsum(np.diff(xt.indptr).astype(np.int64)[x.indices], out=work[1:])
    done = work[x.indptr]  # products before each row, cumulated
    cuts = np.searchsorted(done, np.arange(_BLOCK_PRODUCTS, int(done[-1]), _BLOCK_PRODUCTS))
    bounds = [0, *sorted(set(cuts.tolist()) - {0, n}), n]
    parts: list[tuple[Any, Any, Any, Any]] = []
    for lo, hi in itertools.pairwise(bounds):
        if lo == hi:
            continue
        block = (x[lo:hi] @ xt).tocoo()
        a = block.row.astype(np.int64) + lo
        b = block.col.astype(np.int64)
        upper = b > a
        a, b = a[upper], b[upper]
        inter = np.rint(block.data[upper]).astype(np.int64)
        union = size[a] + size[b] - inter
        keep = inter / union >= min_jaccard
        a, b, inter, union = a[keep], b[keep], inter[keep], union[keep]
        if top is not None:
            a, b, inter, union = _best(a, b, inter, union, top)
        parts.append((a, b, inter, union))
        if top is not None and len(parts) > 1:
            ma, mb, mi, mu = (np.concatenate([p[k] for p in parts]) for k in range(4))
            parts = [_best(ma, mb, mi, mu, top)]
    if not parts:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, empty, empty
    a, b, inter, union = (np.concatenate([p[k] for p in parts]) for k in range(4))
    return a, b, inter, union


def _best(a: Any, b: Any, inter: Any, union: Any, top: int) -> tuple[Any, Any, Any, Any]:
    """The ``top`` pairs by Jaccard similarity (highest first, then portfolio order)."""
    if len(a) <= top:
        return a, b, inter, union
    order = np.lexsort((b, a, -(inter / union)))[:top]
    return a[order], b[order], inter[order], union[order]
