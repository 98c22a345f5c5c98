"""Funding flow: one year's budgets, through the technologies instruments support, to missions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, overload

import numpy as np

from stratpolicy.errors import CurrencyError, ValidationError
from stratpolicy.graph._rows import (
    FundingFlow,
    FundingTotalRow,
    InstrumentFlowRow,
    MissionFlowRow,
    TechnologyFlowRow,
    UnallocatedRow,
)
from stratpolicy.graph._table import Coded, Table
from stratpolicy.units import CURRENCIES, ExchangeRates

if TYPE_CHECKING:
    from stratpolicy.graph._graph import MissionGraph
    from stratpolicy.graph._index import FloatArray, Index, IntArray

__all__ = ["budget_years", "funding_flow"]

# Below this fraction of an instrument's money, a remainder is float noise, not money.
_NOISE = 1e-12


def budget_years(graph: MissionGraph, *, on: dt.date | None = None) -> tuple[int, ...]:
    """The years for which an instrument in force has a budget, in increasing order.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> budget_years(korea.summit_2025().graph())
        (2023, 2024, 2025, 2026)
    """
    ix = graph._index
    in_force = ix.instruments_in_force(on)
    years = ix.budget_year[in_force[ix.budget_inst]]
    return tuple(int(y) for y in np.unique(years).tolist())


def _holders(ix: Index, counted: np.ndarray) -> IntArray:
    """For every instrument, its nearest ancestor through ``part_of`` that is counted."""
    holder = ix.part_of.copy()
    for _ in range(ix.n_inst + 1):
        climb = (holder >= 0) & ~counted[np.maximum(holder, 0)]
        if not climb.any():
            break
        holder[climb] = ix.part_of[holder[climb]]
    return holder


def funding_flow(
    graph: MissionGraph,
    year: int,
    *,
    on: dt.date | None = None,
    currency: str | None = None,
    rates: ExchangeRates | None = None,
    rates_on: dt.date | None = None,
) -> FundingFlow:
    """Where one year's money goes: instruments to technologies to missions.

    1. *Counted instruments*: those in force on ``on`` (all when ``on`` is None) with a
       budget entry for ``year``. Money is counted once: an instrument's **own** money is
       its budget minus the budgets of the counted instruments whose nearest counted
       ancestor through ``part_of`` it is (its budget lines).
    2. *Instrument to technologies*: own money splits across the instrument's supports by
       their shares; the supports without a share split the unassigned remainder
       ``1 - sum(shares)`` equally. What no support receives (no supports at all, or shares
       adding up to less than 1 with none left without a share) is unallocated
       (``"no_technology"``).
    3. *Technology to missions*: a technology's inflow splits across the requirements
       *related* to it -- requirements of the technology itself, of its area (for a key
       technology) or of one of its key technologies (for an area) -- in proportion to
       their weights; a mission with several related requirements gets the sum. Each
       mission's own requirements count, not its sub-missions' (``inflow_with_sub`` adds
       those up). A technology without related requirements keeps its inflow unallocated
       (``"no_mission"``).

    Money is conserved per currency: ``to_missions + unallocated == budget`` in
    :attr:`FundingFlow.totals`, up to float64 rounding (relative error below 1e-12: under a
    hundredth of a won on a 35-trillion-won budget).

    Args:
        graph: The mission graph.
        year: The budget year.
        on: Count only instruments in force on this date; ``None`` counts every instrument.
        currency: Convert every amount to this currency with ``rates`` (then parts and
            parents in different currencies can be netted); ``None`` keeps each currency.
        rates: The exchange rates for ``currency``.
        rates_on: The date of the rates; default ``on``, or 1 January of ``year``.

    Raises:
        CurrencyError: A part and the instrument holding it have budgets in different
            currencies and no ``currency`` was asked for, or a rate is missing.
        ValidationError: The parts of an instrument add up to more than its budget.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> flow = funding_flow(korea.summit_2025().graph(), 2026)
        >>> total = flow.total("KRW")
        >>> round(total.budget / 1e12, 1), round(total.unallocated / 1e12, 1)
        (46.4, 29.1)
        >>> flow.unallocated[0]
        UnallocatedRow(source='rd_budget_2026', source_type='instrument',
                       reason='no_technology', currency='KRW', amount=26700000000000.0)
    """
    ix = graph._index
    in_force = ix.instruments_in_force(on)
    pick = (ix.budget_year == year) & in_force[ix.budget_inst]
    b_inst = ix.budget_inst[pick]
    b_amount = ix.budget_amount[pick].copy()
    b_cur = ix.budget_currency[pick].copy()
    labels: list[str] = list(ix.currencies)
    if currency is not None:
        if currency not in CURRENCIES:
            raise CurrencyError([f"unknown currency {currency!r}; expected one of {CURRENCIES}"])
        table = rates if rates is not None else ExchangeRates()
        when = rates_on or on or dt.date(year, 1, 1)
        for code in np.unique(b_cur).tolist():
            b_amount[b_cur == code] *= table.rate(labels[code], currency, when)
        b_cur[:] = 0
        labels = [currency]

    ni = ix.n_inst
    counted = np.zeros(ni, dtype=np.bool_)
    counted[b_inst] = True
    budget = np.zeros(ni)
    budget[b_inst] = b_amount
    cur = np.full(ni, -1, dtype=np.int64)
    cur[b_inst] = b_cur

    holder = _holders(ix, counted)
    inner = np.flatnonzero(counted & (holder >= 0))
    clash = inner[cur[inner] != cur[holder[inner]]]
    if len(clash):
        i = int(clash[0])
        raise CurrencyError(
            [
                f"{ix.inst_ids[i]!r} ({labels[cur[i]]}) is part of "
                f"{ix.inst_ids[holder[i]]!r} ({labels[cur[holder[i]]]}) in {year}: "
                "pass currency= and rates= to net them"
            ]
        )
    own = budget - np.bincount(holder[inner], weights=budget[inner], minlength=ni)
    short = np.flatnonzero(own < -_NOISE * np.maximum(budget, 1.0))
    if len(short):
        i = int(short[0])
        raise ValidationError(
            [f"the parts of {ix.inst_ids[i]!r} add up to more than its {year} budget"]
        )
    own = np.maximum(own, 0.0)

    eff = _effective_shares(ix)
    entry_money = own[ix.sup_inst] * eff
    to_tech: FloatArray = np.bincount(ix.sup_inst, weights=entry_money, minlength=ni).astype(
        np.float64
    )
    inst_left = own - to_tech
    inst_left[np.abs(inst_left) <= _NOISE * own] = 0.0

    related = (ix.R @ ix.relation).tocsr()
    weight_sum = np.asarray(related.sum(axis=0)).ravel()
    reaches = weight_sum > 0
    inv = np.divide(1.0, weight_sum, out=np.zeros_like(weight_sum), where=reaches)

    present = sorted(set(cur[counted].tolist()))
    per_cur = []
    for code in present:
        mine = cur[ix.sup_inst] == code
        inflow: FloatArray = np.bincount(
            ix.sup_tech[mine], weights=entry_money[mine], minlength=ix.n_tech
        ).astype(np.float64)
        mission_in = related @ (inflow * inv)
        per_cur.append((code, inflow, mission_in))
    return _result(
        graph,
        year,
        on,
        currency,
        labels,
        counted,
        cur,
        budget,
        own,
        to_tech,
        inst_left,
        reaches,
        per_cur,
    )


class _Chain(Sequence[str]):
    """Two lists of labels read as one, without copying them."""

    def __init__(self, first: Sequence[str], second: Sequence[str]) -> None:
        self.first, self.second = first, second

    def __len__(self) -> int:
        return len(self.first) + len(self.second)

    @overload
    def __getitem__(self, i: int) -> str: ...
    @overload
    def __getitem__(self, i: slice) -> Sequence[str]: ...
    def __getitem__(self, i: int | slice) -> str | Sequence[str]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        n = len(self.first)
        return self.first[i] if i < n else self.second[i - n]


def _effective_shares(ix: Index) -> FloatArray:
    """Each support entry's share of its instrument's money (see :func:`funding_flow`)."""
    share = ix.sup_share
    none = np.isnan(share)
    explicit = np.bincount(ix.sup_inst, weights=np.where(none, 0.0, share), minlength=ix.n_inst)
    n_none = np.bincount(ix.sup_inst, weights=none.astype(np.float64), minlength=ix.n_inst)
    rest = np.maximum(1.0 - explicit, 0.0)
    each = np.divide(rest, n_none, out=np.zeros(ix.n_inst), where=n_none > 0)
    return np.where(none, each[ix.sup_inst], share)


def _result(
    graph: MissionGraph,
    year: int,
    on: dt.date | None,
    currency: str | None,
    labels: list[str],
    counted: np.ndarray,
    cur: IntArray,
    budget: FloatArray,
    own: FloatArray,
    to_tech: FloatArray,
    inst_left: FloatArray,
    reaches: np.ndarray,
    per_cur: list[tuple[int, FloatArray, FloatArray]],
) -> FundingFlow:
    ix = graph._index
    ci = np.flatnonzero(counted)
    instruments = Table(
        InstrumentFlowRow,
        {
            "instrument": Coded(ci, ix.inst_ids),
            "currency": Coded(cur[ci], labels),
            "budget": budget[ci],
            "own": own[ci],
            "to_technologies": to_tech[ci],
            "unallocated": inst_left[ci],
        },
        key="instrument",
    )
    t_id, t_cur, t_in, t_to, t_left = [], [], [], [], []
    m_id, m_cur, m_in, m_sub = [], [], [], []
    u_src: list[np.ndarray] = []  # codes into instruments then technologies (see _Chain)
    u_kind: list[np.ndarray] = []  # 0: an instrument's money, 1: a technology's
    u_cur: list[np.ndarray] = []
    u_amt: list[np.ndarray] = []
    totals = []
    closure = ix.closure
    for code, inflow, mission_in in per_cur:
        has = np.flatnonzero(inflow != 0)
        t_id.append(has)
        t_cur.append(np.full(len(has), code))
        t_in.append(inflow[has])
        t_to.append(np.where(reaches[has], inflow[has], 0.0))
        t_left.append(np.where(reaches[has], 0.0, inflow[has]))
        m_id.append(np.arange(ix.n_mission))
        m_cur.append(np.full(ix.n_mission, code))
        m_in.append(mission_in)
        m_sub.append(closure @ mission_in)
        left_i = np.flatnonzero(counted & (cur == code) & (inst_left > 0))
        left_t = has[~reaches[has]]
        u_src += [left_i, left_t + ix.n_inst]
        u_kind += [np.zeros(len(left_i), dtype=np.int64), np.ones(len(left_t), dtype=np.int64)]
        u_cur.append(np.full(len(left_i) + len(left_t), code))
        u_amt += [inst_left[left_i], inflow[left_t]]
        mine = counted & (cur == code)
        unallocated = float(inst_left[mine].sum() + inflow[left_t].sum())
        totals.append(
            FundingTotalRow(
                currency=labels[code],
                budget=float(own[mine].sum()),
                to_missions=float(mission_in.sum()),
                unallocated=unallocated,
            )
        )

    def cat(parts: list[np.ndarray], dtype: type) -> np.ndarray:
        return np.concatenate(parts) if parts else np.zeros(0, dtype=dtype)

    one_currency = len(per_cur) <= 1  # then a technology or mission id is a row's key
    technologies = Table(
        TechnologyFlowRow,
        {
            "technology": Coded(cat(t_id, np.int64), ix.tech_ids),
            "currency": Coded(cat(t_cur, np.int64), labels),
            "inflow": cat(t_in, np.float64),
            "to_missions": cat(t_to, np.float64),
            "unallocated": cat(t_left, np.float64),
        },
        key="technology" if one_currency else None,
    )
    missions = Table(
        MissionFlowRow,
        {
            "mission": Coded(cat(m_id, np.int64), ix.mission_ids),
            "currency": Coded(cat(m_cur, np.int64), labels),
            "inflow": cat(m_in, np.float64),
            "inflow_with_sub": cat(m_sub, np.float64),
        },
        key="mission" if one_currency else None,
    )
    kinds = cat(u_kind, np.int64)
    unallocated_rows = Table(
        UnallocatedRow,
        {
            "source": Coded(cat(u_src, np.int64), _Chain(ix.inst_ids, ix.tech_ids)),
            "source_type": Coded(kinds, ("instrument", "technology")),
            "reason": Coded(kinds, ("no_technology", "no_mission")),
            "currency": Coded(cat(u_cur, np.int64), labels),
            "amount": cat(u_amt, np.float64),
        },
    )
    return FundingFlow(
        year=year,
        on=on,
        currency=currency,
        instruments=instruments,
        technologies=technologies,
        missions=missions,
        unallocated=unallocated_rows,
        totals=Table.from_rows(FundingTotalRow, totals, key="currency"),
    )
