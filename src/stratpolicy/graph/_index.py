"""The compact, integer-indexed form of a portfolio that the analyses run on.

Every object gets a position in its own kind's array (technologies, missions, instruments,
incentives, actors, in portfolio order); every kind of edge is a ``scipy.sparse`` CSR array
between two kinds. It is built once per :class:`~stratpolicy.graph.MissionGraph`, on first
use, and never changes; quantities derived from it (the mission hierarchy's closure, the
merged requirements) are cached on it too.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import cached_property
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from stratpolicy.model import ActorKind, TechnologyKind
from stratpolicy.units import currency_of

if TYPE_CHECKING:
    from stratpolicy.model import Portfolio

__all__ = ["Index", "build_index"]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

_NO_START = np.iinfo(np.int64).min
_NO_END = np.iinfo(np.int64).max


def csr(
    rows: Sequence[int] | IntArray,
    cols: Sequence[int] | IntArray,
    shape: tuple[int, int],
    data: Sequence[float] | FloatArray | None = None,
) -> Any:
    """A CSR array from coordinates; duplicate entries are summed."""
    r = np.asarray(rows, dtype=np.int64)
    c = np.asarray(cols, dtype=np.int64)
    d = np.ones(len(r)) if data is None else np.asarray(data, dtype=np.float64)
    m = sp.coo_array((d, (r, c)), shape=shape).tocsr()
    m.sum_duplicates()
    return m


def binary(m: Any) -> Any:
    """The pattern of a sparse array, with every stored non-zero set to 1.0."""
    out = m.tocsr(copy=True)
    out.eliminate_zeros()
    out.data[:] = 1.0
    return out


def select_rows(m: Any, keep: BoolArray) -> Any:
    """``m`` with the rows not in ``keep`` emptied (the shape is unchanged)."""
    return sp.diags_array(keep.astype(np.float64)) @ m


def ragged_of(m: Any) -> tuple[IntArray, IntArray]:
    """The CSR pattern of ``m`` (``indptr``, ``indices``), column indices sorted per row."""
    out = m.tocsr(copy=True)
    out.eliminate_zeros()
    out.sort_indices()
    return out.indptr.astype(np.int64), out.indices.astype(np.int64)


def _ordinal(day: dt.date | None, missing: int) -> int:
    return day.toordinal() if day is not None else missing


class Index:
    """Arrays and sparse matrices of one portfolio (see the module docstring).

    Matrices (CSR, float64): ``R`` missions x technologies (requirement weights), ``D``
    technologies x technologies (``D[u, v] = 1``: ``u`` depends on ``v``), ``S`` instruments x
    technologies (1 where an instrument supports a technology, at any date), ``IM``
    instruments x missions (``Instrument.missions``), ``A`` actors x instruments
    (administers), ``IO`` instruments x incentives (offers), ``IT`` incentives x
    technologies (at any date).

    Dated links are kept as entry arrays beside the matrices: one entry per support
    (``sup_inst``, ``sup_tech``, ``sup_share`` with NaN for none, ``sup_targeted``,
    ``sup_start``, ``sup_end``) and per incentive link (``link_inc``, ``link_tech``,
    ``link_start``, ``link_end``); the ``*_on`` methods build the matrices of one date.
    """

    def __init__(self, portfolio: Portfolio, dependencies: Sequence[tuple[str, str]]) -> None:
        p = portfolio
        # -- ids --------------------------------------------------------------------
        self.tech_ids: list[str] = [t.id for t in p.technologies]
        self.tech_names: list[str] = [t.name for t in p.technologies]
        self.mission_ids: list[str] = [m.id for m in p.missions]
        self.mission_names: list[str] = [m.name for m in p.missions]
        self.inst_ids: list[str] = [i.id for i in p.instruments]
        self.inc_ids: list[str] = [i.id for i in p.incentives]
        self.actor_ids: list[str] = [a.id for a in p.actors]
        tpos = {t: i for i, t in enumerate(self.tech_ids)}
        mpos = {m: i for i, m in enumerate(self.mission_ids)}
        ipos = {x: i for i, x in enumerate(self.inst_ids)}
        cpos = {x: i for i, x in enumerate(self.inc_ids)}
        apos = {x: i for i, x in enumerate(self.actor_ids)}
        self.tech_pos, self.mission_pos, self.inst_pos = tpos, mpos, ipos
        self.inc_pos, self.actor_pos = cpos, apos
        nt, nm, ni, nc, na = len(tpos), len(mpos), len(ipos), len(cpos), len(apos)
        self.n_tech, self.n_mission, self.n_inst, self.n_inc, self.n_actor = nt, nm, ni, nc, na

        # -- technologies: kind and area --------------------------------------------
        area = TechnologyKind.AREA
        self.is_area: BoolArray = np.fromiter(
            (t.kind is area for t in p.technologies), dtype=np.bool_, count=nt
        )
        parent = np.fromiter(
            (tpos[t.parent] if t.parent is not None else -1 for t in p.technologies),
            dtype=np.int64,
            count=nt,
        )
        self.tech_kind: list[str] = ["area" if a else "key_technology" for a in self.is_area]
        self.area_of: IntArray = _nearest_area(parent, self.is_area)

        # -- missions ---------------------------------------------------------------
        self.mission_parent: IntArray = np.fromiter(
            (mpos[m.parent] if m.parent is not None else -1 for m in p.missions),
            dtype=np.int64,
            count=nm,
        )
        self.mission_kind: list[str] = [m.kind.value for m in p.missions]
        rr = [i for i, m in enumerate(p.missions) for _ in m.requires]
        rc = [tpos[r.technology] for m in p.missions for r in m.requires]
        rw = [r.weight for m in p.missions for r in m.requires]
        self.R = csr(rr, rc, (nm, nt), rw)

        # -- dependencies -----------------------------------------------------------
        du = [tpos[a] for a, _ in dependencies]
        dv = [tpos[b] for _, b in dependencies]
        self.D = binary(csr(du, dv, (nt, nt)))

        # -- instruments ------------------------------------------------------------
        self.inst_start: IntArray = np.fromiter(
            (_ordinal(x.start, _NO_START) for x in p.instruments), dtype=np.int64, count=ni
        )
        self.inst_end: IntArray = np.fromiter(
            (_ordinal(x.end, _NO_END) for x in p.instruments), dtype=np.int64, count=ni
        )
        self.part_of: IntArray = np.fromiter(
            (ipos[x.part_of] if x.part_of is not None else -1 for x in p.instruments),
            dtype=np.int64,
            count=ni,
        )
        ins = p.instruments
        nan = float("nan")
        sr = [i for i, x in enumerate(ins) for _ in x.supports]
        sups = [s for x in ins for s in x.supports]  # flattened once: national scale
        sc = [tpos[s.technology] for s in sups]
        ss = [nan if s.share is None else s.share for s in sups]
        # Support.is_targeted, vectorised: a share, or the only share-less unmarked support
        marked = np.fromiter((s.envelope for s in sups), dtype=np.bool_, count=len(sups))
        shareless = np.isnan(np.asarray(ss, dtype=np.float64))
        sr_arr = np.asarray(sr, dtype=np.int64)
        n_shareless = np.bincount(sr_arr, weights=shareless.astype(np.float64), minlength=ni)
        self.sup_targeted: BoolArray = ~shareless | (~marked & (n_shareless[sr_arr] == 1))
        self.sup_start: IntArray = np.full(len(sups), _NO_START, dtype=np.int64)
        self.sup_end: IntArray = np.full(len(sups), _NO_END, dtype=np.int64)
        for k, start, end in [
            (k, s.start, s.end)
            for k, s in enumerate(sups)
            if s.start is not None or s.end is not None
        ]:
            self.sup_start[k] = _ordinal(start, _NO_START)
            self.sup_end[k] = _ordinal(end, _NO_END)
        imr = [i for i, x in enumerate(ins) for _ in x.missions]
        imc = [mpos[m] for x in ins for m in x.missions]
        ior = [i for i, x in enumerate(ins) for _ in x.incentives]
        ioc = [cpos[c] for x in ins for c in x.incentives]
        ar = [apos[a] for x in ins for a in x.administered_by]
        ac = [i for i, x in enumerate(ins) for _ in x.administered_by]
        br: list[int] = []
        by: list[int] = []
        ba: list[float] = []
        bcur: list[int] = []
        bstage: list[int] = []  # finality of the entry's stage (0: none given)
        self.currencies: list[str] = []
        cur_code: dict[str, int] = {}
        # unit -> (currency code, factor to whole currency units), converted once per unit
        factors: dict[tuple[tuple[str, Any], ...], tuple[int, float]] = {}
        for i, x in enumerate(ins):
            for entry in x.budget:
                amount = entry.amount
                unit_key = tuple(amount.unit_items())
                known = factors.get(unit_key)
                if known is None:
                    code = currency_of(amount)
                    assert code is not None  # the model checked it is money
                    if code not in cur_code:
                        cur_code[code] = len(self.currencies)
                        self.currencies.append(code)
                    one = type(amount)(1.0, amount.units).to(code).magnitude
                    known = factors[unit_key] = (cur_code[code], float(one))
                br.append(i)
                by.append(entry.year)
                ba.append(float(amount.magnitude) * known[1])
                bcur.append(known[0])
                bstage.append(entry.finality)
        # overlaps: (declaring instrument, other, year, amount in whole units or NaN,
        # currency code or -1, stage finality or 0), for the funding flow
        self.overlaps: list[tuple[int, int, int, float, int, int]] = []
        for i, x in enumerate(ins):
            for o in x.overlaps:
                if o.amount is None:
                    self.overlaps.append((i, ipos[o.instrument], o.year, nan, -1, 0))
                    continue
                code = currency_of(o.amount)
                assert code is not None  # the model checked it is money
                if code not in cur_code:
                    cur_code[code] = len(self.currencies)
                    self.currencies.append(code)
                whole = float(o.amount.to(code).magnitude)
                stage = o.stage.finality if o.stage is not None else 0
                self.overlaps.append((i, ipos[o.instrument], o.year, whole, cur_code[code], stage))
        # supports: keep the entries in the model's order (CSR would sort them per row)
        self.sup_inst: IntArray = np.asarray(sr, dtype=np.int64)
        self.sup_tech: IntArray = np.asarray(sc, dtype=np.int64)
        self.sup_share: FloatArray = np.asarray(ss, dtype=np.float64)
        self.S = binary(csr(sr, sc, (ni, nt)))
        self.IM = binary(csr(imr, imc, (ni, nm)))
        self.IO = binary(csr(ior, ioc, (ni, nc)))
        self.A = binary(csr(ar, ac, (na, ni)))
        self.budget_inst: IntArray = np.asarray(br, dtype=np.int64)
        self.budget_year: IntArray = np.asarray(by, dtype=np.int64)
        self.budget_amount: FloatArray = np.asarray(ba, dtype=np.float64)
        self.budget_currency: IntArray = np.asarray(bcur, dtype=np.int64)
        self.budget_stage: IntArray = np.asarray(bstage, dtype=np.int64)

        # -- incentives -------------------------------------------------------------
        self.inc_kind: list[str] = [c.kind.value for c in p.incentives]
        self.inc_start: IntArray = np.fromiter(
            (_ordinal(c.start, _NO_START) for c in p.incentives), dtype=np.int64, count=nc
        )
        self.inc_end: IntArray = np.fromiter(
            (_ordinal(c.end, _NO_END) for c in p.incentives), dtype=np.int64, count=nc
        )
        itr = [i for i, c in enumerate(p.incentives) for _ in c.technologies]
        itc = [tpos[t.technology] for c in p.incentives for t in c.technologies]
        self.link_inc: IntArray = np.asarray(itr, dtype=np.int64)
        self.link_tech: IntArray = np.asarray(itc, dtype=np.int64)
        self.link_start: IntArray = np.asarray(
            [_ordinal(t.start, _NO_START) for c in p.incentives for t in c.technologies],
            dtype=np.int64,
        )
        self.link_end: IntArray = np.asarray(
            [_ordinal(t.end, _NO_END) for c in p.incentives for t in c.technologies],
            dtype=np.int64,
        )
        self.IT = binary(csr(itr, itc, (nc, nt)))

        # -- actors -----------------------------------------------------------------
        ministry = ActorKind.MINISTRY
        self.is_ministry: BoolArray = np.fromiter(
            (a.kind is ministry for a in p.actors), dtype=np.bool_, count=na
        )
        self.actor_start: IntArray = np.fromiter(
            (_ordinal(a.start, _NO_START) for a in p.actors), dtype=np.int64, count=na
        )
        self.actor_end: IntArray = np.fromiter(
            (_ordinal(a.end, _NO_END) for a in p.actors), dtype=np.int64, count=na
        )
        # actor -> [(successor, instruments it takes over or None for all)]
        self.successors: dict[int, list[tuple[int, frozenset[int] | None]]] = {
            apos[a.id]: [
                (apos[s.actor], frozenset(ipos[x] for x in s.instruments) or None)
                for s in a.successors
            ]
            for a in p.actors
            if a.successors
        }

    # -- dates ---------------------------------------------------------------------------

    def instruments_in_force(self, on: dt.date | None) -> BoolArray:
        """Which instruments are in force on ``on`` (all of them when ``on`` is None)."""
        if on is None:
            return np.ones(self.n_inst, dtype=np.bool_)
        o = on.toordinal()
        return (self.inst_start <= o) & (o <= self.inst_end)

    def incentives_in_force(self, on: dt.date | None, kind: str | None = None) -> BoolArray:
        """Which incentives (of ``kind``, if given) are in force on ``on``."""
        keep = np.ones(self.n_inc, dtype=np.bool_)
        if on is not None:
            o = on.toordinal()
            keep &= (self.inc_start <= o) & (o <= self.inc_end)
        if kind is not None:
            keep &= np.asarray([k == kind for k in self.inc_kind], dtype=np.bool_)
        return keep

    def supports_active(self, on: dt.date | None, *, targeted_only: bool = False) -> BoolArray:
        """Which support entries hold on ``on``: the instrument and the link in force."""
        keep = self.instruments_in_force(on)[self.sup_inst]
        if on is not None:
            o = on.toordinal()
            keep &= (self.sup_start <= o) & (o <= self.sup_end)
        if targeted_only:
            keep &= self.sup_targeted
        return keep

    def supports_on(self, on: dt.date | None, *, targeted_only: bool = False) -> Any:
        """Instruments x technologies (0/1) of the supports holding on ``on``."""
        keep = self.supports_active(on, targeted_only=targeted_only)
        return binary(csr(self.sup_inst[keep], self.sup_tech[keep], (self.n_inst, self.n_tech)))

    def links_on(self, on: dt.date | None, kind: str | None = None) -> Any:
        """Incentives x technologies (0/1): the links of incentives (of ``kind``) in force."""
        keep = self.incentives_in_force(on, kind)[self.link_inc]
        if on is not None:
            o = on.toordinal()
            keep &= (self.link_start <= o) & (o <= self.link_end)
        return binary(csr(self.link_inc[keep], self.link_tech[keep], (self.n_inc, self.n_tech)))

    def administrators_on(self, on: dt.date | None) -> Any:
        """Actors x instruments (0/1): who administers each instrument on ``on``.

        ``on=None`` gives the actors as listed. On a date, an actor that does not exist
        then (before its start, after its end) is replaced by its successors that take the
        instrument over, transitively, until one exists on the date; an instrument whose
        listed actor has no such successor loses that administrator.
        """
        if on is None:
            return self.A
        o = on.toordinal()
        exists = (self.actor_start <= o) & (o <= self.actor_end)
        a = self.A.tocoo()
        rows: list[int] = []
        cols: list[int] = []
        for actor, inst in zip(a.row.tolist(), a.col.tolist(), strict=True):
            for who in self._resolve(actor, inst, exists):
                rows.append(who)
                cols.append(inst)
        return binary(csr(rows, cols, (self.n_actor, self.n_inst)))

    def _resolve(self, actor: int, inst: int, exists: BoolArray) -> list[int]:
        found: list[int] = []
        todo, seen = [actor], {actor}
        while todo:
            cur = todo.pop(0)
            if exists[cur]:
                found.append(cur)
                continue
            for nxt, only in self.successors.get(cur, ()):
                if (only is None or inst in only) and nxt not in seen:
                    seen.add(nxt)
                    todo.append(nxt)
        return found

    # -- derived structure (cached) --------------------------------------------------------

    @cached_property
    def n_keys(self) -> IntArray:
        """Per technology: how many key technologies have it as their area."""
        keys = self.area_of >= 0
        return np.bincount(self.area_of[keys], minlength=self.n_tech).astype(np.int64)

    @cached_property
    def relation(self) -> Any:
        """Technologies x technologies, symmetric: 1 for a technology and itself or its area.

        The relation of "related" technologies shared by coverage, reach and funding: a
        technology, its area, and (for an area) its key technologies.
        """
        nt = self.n_tech
        keys = np.flatnonzero(self.area_of >= 0)
        areas = self.area_of[keys]
        eye = np.arange(nt, dtype=np.int64)
        rows = np.concatenate([eye, keys, areas])
        cols = np.concatenate([eye, areas, keys])
        return binary(csr(rows, cols, (nt, nt)))

    @cached_property
    def key_expansion(self) -> Any:
        """Technologies x technologies: each technology's set of key technologies.

        A key technology (or a technology with no key technologies under it) maps to
        itself; an area with key technologies maps to them.
        """
        nt = self.n_tech
        keys = np.flatnonzero(self.area_of >= 0)
        areas = self.area_of[keys]
        alone = np.flatnonzero(self.n_keys == 0)
        rows = np.concatenate([alone, areas])
        cols = np.concatenate([alone, keys])
        return binary(csr(rows, cols, (nt, nt)))

    @cached_property
    def closure(self) -> Any:
        """Missions x missions: ``closure[a, d] = 1`` when ``d`` is ``a`` or below it."""
        nm = self.n_mission
        anc = [np.arange(nm, dtype=np.int64)]
        desc = [np.arange(nm, dtype=np.int64)]
        cur = self.mission_parent.copy()
        node = np.arange(nm, dtype=np.int64)
        while True:
            has = cur >= 0
            if not has.any():
                break
            cur, node = cur[has], node[has]
            anc.append(cur)
            desc.append(node)
            cur = self.mission_parent[cur]
        return binary(csr(np.concatenate(anc), np.concatenate(desc), (nm, nm)))

    @cached_property
    def merged_requirements(self) -> Any:
        """Missions x technologies: a mission's requirements and its sub-missions'.

        Sub-missions count transitively; a technology required more than once takes its
        largest weight.
        """
        c = self.closure.tocoo()
        a, d = c.row.astype(np.int64), c.col.astype(np.int64)
        r = self.R
        starts = r.indptr[d].astype(np.int64)
        counts = (r.indptr[d + 1] - r.indptr[d]).astype(np.int64)
        total = int(counts.sum())
        rows = np.repeat(a, counts)
        offsets = np.repeat(starts - (np.cumsum(counts) - counts), counts) + np.arange(total)
        cols = r.indices[offsets].astype(np.int64)
        weights = r.data[offsets]
        key = rows * max(self.n_tech, 1) + cols
        order = np.lexsort((weights, key))  # by key, then weight ascending
        key, weights = key[order], weights[order]
        last = np.ones(len(key), dtype=np.bool_)
        last[:-1] = key[1:] != key[:-1]  # the last (largest weight) entry of each key
        key, weights = key[last], weights[last]
        nt = max(self.n_tech, 1)
        return csr(key // nt, key % nt, (self.n_mission, self.n_tech), weights)

    @cached_property
    def related(self) -> Any:
        """Missions x technologies: the weights of the requirements related to a technology.

        Related: the technology itself, its area, or an area's key technologies.
        """
        return (self.R @ self.relation).tocsr()

    @cached_property
    def related_missions(self) -> IntArray:
        """Per technology: how many missions have a requirement related to it."""
        r = self.related
        return np.bincount(r.indices[r.data != 0], minlength=self.n_tech).astype(np.int64)

    @cached_property
    def related_weight(self) -> FloatArray:
        """Per technology: the summed weights of the requirements related to it."""
        return np.asarray(self.related.sum(axis=0)).ravel()

    @cached_property
    def related_reach(self) -> Any:
        """Missions x technologies (0/1): related to the mission's or its subtree's needs."""
        return binary(self.closure @ binary(self.related))

    @cached_property
    def split_shares(self) -> tuple[FloatArray, FloatArray, BoolArray]:
        """The model's split of each instrument's money.

        Per support entry its share (the single targeted support without a share takes the
        rest, envelope entries 0); per instrument the rest the shares leave; which
        instruments have an envelope.
        """
        share = self.sup_share
        has = ~np.isnan(share)
        ni = self.n_inst
        explicit = np.bincount(self.sup_inst, weights=np.where(has, share, 0.0), minlength=ni)
        rest = np.maximum(1.0 - explicit, 0.0)
        eff = np.where(has, share, 0.0)
        eff = np.where(self.sup_targeted & ~has, rest[self.sup_inst], eff)
        in_env = (~self.sup_targeted).astype(np.float64)
        has_env = np.bincount(self.sup_inst, weights=in_env, minlength=ni) > 0
        return eff, rest, has_env

    # -- support ---------------------------------------------------------------------------

    def support_from(self, direct: BoolArray) -> FloatArray:
        """Support of every technology, given which are named directly.

        ``direct`` marks the technologies an instrument (or incentive) in force names. A key
        technology's support is 1 if it or its area is named; an area's is 1 if it is named,
        else the share of its key technologies that are supported.
        """
        area = self.area_of
        has_area = area >= 0
        key_sup = direct.copy()
        key_sup[has_area] |= direct[area[has_area]]
        supported_keys = np.bincount(
            area[has_area], weights=key_sup[has_area].astype(np.float64), minlength=self.n_tech
        )
        n_keys = self.n_keys
        share = np.divide(
            supported_keys,
            n_keys,
            out=np.zeros(self.n_tech, dtype=np.float64),
            where=n_keys > 0,
        )
        support = key_sup.astype(np.float64)
        areas = self.is_area & ~direct
        support[areas] = share[areas]
        return support

    def direct_support(self, active: BoolArray) -> BoolArray:
        """Which technologies the support entries marked in ``active`` name directly."""
        direct = np.zeros(self.n_tech, dtype=np.bool_)
        direct[self.sup_tech[active]] = True
        return direct

    def support_pair(self, on: dt.date | None) -> tuple[FloatArray, FloatArray]:
        """Support of every technology on ``on``: by targeted supports, and by all supports."""
        active = self.supports_active(on)
        targeted = self.support_from(self.direct_support(active & self.sup_targeted))
        everything = self.support_from(self.direct_support(active))
        return targeted, everything

    def support(self, on: dt.date | None, include_envelopes: bool = False) -> FloatArray:
        """Support of every technology on ``on``: targeted supports only, or all of them."""
        active = self.supports_active(on, targeted_only=not include_envelopes)
        return self.support_from(self.direct_support(active))


def _nearest_area(parent: IntArray, is_area: BoolArray) -> IntArray:
    """For each key technology the nearest ancestor that is an area (-1 if none)."""
    n = len(parent)
    result = np.full(n, -1, dtype=np.int64)
    todo = np.flatnonzero(~is_area)
    cur = parent[todo]
    for _ in range(n + 1):
        found = cur >= 0
        if not found.any():
            break
        todo, cur = todo[found], cur[found]
        hit = is_area[cur]
        result[todo[hit]] = cur[hit]
        todo, cur = todo[~hit], parent[cur[~hit]]
        if len(todo) == 0:
            break
    return result


def build_index(portfolio: Portfolio, dependencies: Sequence[tuple[str, str]]) -> Index:
    """Build the compact form of a portfolio (see :class:`Index`)."""
    return Index(portfolio, dependencies)
