"""Funding flow: one year's budgets, through the technologies instruments support, to missions.

Money is counted once (budget lines and overlaps are netted), followed as far as published
figures go, and split further only by an allocation the caller names.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, overload

import numpy as np

from stratpolicy.errors import CurrencyError, Problem, SchemaError, ValidationError
from stratpolicy.graph._rows import (
    Allocation,
    FundingFlow,
    FundingTotalRow,
    InstrumentFlowRow,
    MissionFlowRow,
    OverlapFlowRow,
    TechnologyFlowRow,
    UnallocatedRow,
)
from stratpolicy.graph._table import Coded, Table
from stratpolicy.model import BudgetStage
from stratpolicy.units import CURRENCIES, ExchangeRates

if TYPE_CHECKING:
    from stratpolicy.graph._graph import MissionGraph
    from stratpolicy.graph._index import BoolArray, FloatArray, GraphIndex, IntArray

__all__ = ["allocation_of", "budget_years", "funding_flow", "stage_of"]

# Below this fraction of an instrument's money, a remainder is float noise, not money.
_NOISE = 1e-12
_STAGE_NAME = {s.finality: s.value for s in BudgetStage}
_NO_STAGE = "stage not given"
# stage labels indexed by finality (0: no stage)
_STAGE_LABELS = (_NO_STAGE, *(_STAGE_NAME[f] for f in sorted(_STAGE_NAME)))
REASONS = ("no_technology", "envelope", "shared", "no_mission")


def allocation_of(value: Allocation | str | None) -> Allocation | None:
    """``value`` as an :class:`Allocation` (``None`` stays ``None``).

    Raises:
        SchemaError: ``value`` is not an allocation.
    """
    if value is None:
        return None
    try:
        return Allocation(value)
    except ValueError:
        allowed = ", ".join(repr(a.value) for a in Allocation)
        raise SchemaError(
            [Problem("allocation", f"{value!r} is not an allocation; expected None, {allowed}")]
        ) from None


def stage_of(value: BudgetStage | str | None) -> BudgetStage | None:
    """``value`` as a :class:`~stratpolicy.model.BudgetStage` (``None`` stays ``None``).

    Raises:
        SchemaError: ``value`` is not a budget stage.
    """
    if value is None:
        return None
    try:
        return BudgetStage(value)
    except ValueError:
        allowed = ", ".join(repr(s.value) for s in BudgetStage)
        raise SchemaError(
            [Problem("stage", f"{value!r} is not a budget stage; expected None, {allowed}")]
        ) from None


def budget_years(graph: MissionGraph, *, on: dt.date | None = None) -> tuple[int, ...]:
    """The years for which an instrument in force has a budget, in increasing order.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> budget_years(korea.summit_2025().graph())
        (2023, 2024, 2025, 2026)
    """
    ix = graph.index
    in_force = ix.instruments_in_force(on)
    years = ix.budget_entries.year[in_force[ix.budget_entries.instrument]]
    return tuple(int(y) for y in np.unique(years).tolist())


def _holders(ix: GraphIndex, counted: np.ndarray) -> IntArray:
    """For every instrument, its nearest ancestor through ``part_of`` that is counted."""
    holder = ix.instrument_part_of.astype(np.int64)
    for _ in range(ix.n_instruments + 1):
        climb = (holder >= 0) & ~counted[np.maximum(holder, 0)]
        if not climb.any():
            break
        holder[climb] = ix.instrument_part_of[holder[climb]]
    return holder


def _chosen_entries(ix: GraphIndex, year: int, on: dt.date | None, stage: int | None) -> IntArray:
    """Per counted instrument, the index of the budget entry used (``stage`` or most final)."""
    in_force = ix.instruments_in_force(on)
    pick = (ix.budget_entries.year == year) & in_force[ix.budget_entries.instrument]
    if stage is not None:
        pick &= ix.budget_entries.stage == stage
    rows = np.flatnonzero(pick)
    # most final first, then the last recorded: keep the first entry per instrument
    order = rows[
        np.lexsort((-rows, -ix.budget_entries.stage[rows], ix.budget_entries.instrument[rows]))
    ]
    first = np.ones(len(order), dtype=np.bool_)
    first[1:] = ix.budget_entries.instrument[order][1:] != ix.budget_entries.instrument[order][:-1]
    return order[first]


def funding_flow(
    graph: MissionGraph,
    year: int,
    *,
    on: dt.date | None = None,
    stage: BudgetStage | str | None = None,
    allocation: Allocation | str | None = None,
    currency: str | None = None,
    rates: ExchangeRates | None = None,
    rates_on: dt.date | None = None,
) -> FundingFlow:
    """Where one year's money goes: instruments to technologies to missions.

    1. **Counted instruments**: those in force on ``on`` with a budget entry for ``year``
       -- of ``stage`` when one is asked for, else each instrument's most final stage
       (executed, supplementary, enacted, proposal, plan, none; see
       :class:`~stratpolicy.model.BudgetStage`). Money is counted once: an instrument's
       **own** money is its budget minus the budgets of the counted instruments whose
       nearest counted ancestor through ``part_of`` it is (its budget lines), minus the
       known amounts of its :class:`~stratpolicy.model.BudgetOverlap` with other counted
       instruments (that money stays with the other one). An overlap of unknown amount
       cannot be subtracted: :attr:`FundingFlow.overlaps` reports it with the most it can
       be, and :meth:`FundingFlow.assumptions` says the total may count it twice. An
       overlap amount of another stage than the budgets used is applied, and flagged.
    2. **Instrument to technologies**: own money goes to the instrument's *targeted*
       supports (holding on ``on``) by their shares, the single targeted support without a
       share taking the rest. The *envelope* (supports with no published split: see
       :class:`~stratpolicy.model.Support`) receives what the shares leave; without an
       ``allocation`` it stays unallocated (reason ``"envelope"``); with ``"equal"`` it
       splits equally across the envelope's technologies, with ``"by_weight"`` in
       proportion to the summed weights of the requirements related to each (a technology
       no mission needs then gets nothing). Money no support receives is unallocated
       (``"no_technology"``).
    3. **Technology to missions**: a technology's money goes to the missions with a
       requirement *related* to it (the technology itself, its area, or an area's key
       technologies). When exactly one mission needs it, all of it goes there. When
       several do, it stays unallocated (``"shared"``) without an ``allocation``; it splits
       equally across them with ``"equal"`` and in proportion to their requirement weights
       with ``"by_weight"``. A technology no requirement relates to keeps its money
       (``"no_mission"``). Each mission's own requirements count (``inflow``);
       ``inflow_with_sub`` adds its sub-missions'. ``reachable`` is the money at every
       technology related to the mission's or its sub-missions' requirements, unsplit: it
       needs no assumption but does not add up across missions.

    Money is conserved per currency: ``to_missions + unallocated == budget`` in
    :attr:`FundingFlow.totals`, up to float64 rounding (relative error below 1e-12: under a
    hundredth of a won on a 35-trillion-won budget).

    Args:
        graph: The mission graph.
        year: The budget year.
        on: Count only instruments and supports in force on this date; ``None`` counts all.
        stage: The budget stage to use; ``None``: each instrument's most final one.
        allocation: ``None`` (default: money without a published split stays
            unallocated), ``"equal"`` or ``"by_weight"``: an assumption, carried in the
            result.
        currency: Convert every amount to this currency with ``rates`` (then parts and
            parents in different currencies can be netted); ``None`` keeps each currency.
        rates: The exchange rates for ``currency``.
        rates_on: The date of the rates; default ``on``, or 1 January of ``year``.

    Raises:
        CurrencyError: A part (or overlap) and the instrument holding it are in different
            currencies and no ``currency`` was asked for, or a rate is missing.
        ValidationError: The parts and overlaps of an instrument exceed its budget.
        SchemaError: ``stage`` or ``allocation`` is not one of the allowed values.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> flow = funding_flow(korea.summit_2025().graph(), 2026)
        >>> total = flow.total("KRW")
        >>> # 35.5 (R&D, enacted) + 9.9334 (AI, enacted) - 2.3 (AI R&D inside the R&D
        >>> # budget) + 1.0 (National Growth Fund, proposal), trillion KRW
        >>> round(total.budget / 1e12, 4), round(total.to_missions / 1e12, 4)
        (44.1334, 0.0)
        >>> flow.unallocated[1]
        UnallocatedRow(source='nst_rd_investment', source_type='instrument', reason='envelope',
                       currency='KRW', amount=8600000000000.0)
    """
    ix = graph.index
    wanted = stage_of(stage)
    how = allocation_of(allocation)
    rows = _chosen_entries(ix, year, on, wanted.finality if wanted is not None else None)
    b_inst = ix.budget_entries.instrument[rows]
    b_amount = ix.budget_entries.amount[rows].copy()
    b_cur = ix.budget_entries.currency[rows].copy()
    b_stage = ix.budget_entries.stage[rows]
    labels: list[str] = list(ix.currencies)
    table: ExchangeRates | None = None
    when = rates_on or on or dt.date(year, 1, 1)
    if currency is not None:
        if currency not in CURRENCIES:
            raise CurrencyError(
                [
                    f"unknown currency {currency!r}; expected an ISO 4217 code "
                    "(stratpolicy.units.CURRENCIES)"
                ]
            )
        table = rates if rates is not None else ExchangeRates()
        for code in np.unique(b_cur).tolist():
            b_amount[b_cur == code] *= table.rate(labels[code], currency, when)
        b_cur[:] = 0
        labels = [currency]

    ni = ix.n_instruments
    counted = np.zeros(ni, dtype=np.bool_)
    counted[b_inst] = True
    budget = np.zeros(ni)
    budget[b_inst] = b_amount
    cur = np.full(ni, -1, dtype=np.int64)
    cur[b_inst] = b_cur
    finality = np.zeros(ni, dtype=np.int64)
    finality[b_inst] = b_stage

    holder = _holders(ix, counted)
    inner = np.flatnonzero(counted & (holder >= 0))
    clash = inner[cur[inner] != cur[holder[inner]]]
    if len(clash):
        i = int(clash[0])
        raise CurrencyError(
            [
                f"{ix.instrument_ids[i]!r} ({labels[cur[i]]}) is part of "
                f"{ix.instrument_ids[holder[i]]!r} ({labels[cur[holder[i]]]}) in {year}: "
                "pass currency= and rates= to net them"
            ]
        )
    own = budget - np.bincount(holder[inner], weights=budget[inner], minlength=ni)
    overlap = np.zeros(ni)
    o_rows = _overlaps(
        ix, year, counted, own, cur, finality, overlap, labels, currency, table, when
    )
    own = own - overlap
    short = np.flatnonzero(own < -_NOISE * np.maximum(budget, 1.0))
    if len(short):
        i = int(short[0])
        raise ValidationError(
            [
                f"the parts and overlaps of {ix.instrument_ids[i]!r} add up to more than its "
                f"{year} budget"
            ]
        )
    own = np.maximum(own, 0.0)

    tech_weight = ix.related_weight
    active = ix.supports_active(on)
    envelope_money, entry_money = _to_technologies(ix, own, active, how, tech_weight)
    to_tech: FloatArray = np.bincount(
        ix.support_entries.instrument, weights=entry_money, minlength=ni
    ).astype(np.float64)
    env_left = np.where(envelope_money > 0, envelope_money, 0.0)
    env_left -= np.bincount(
        ix.support_entries.instrument,
        weights=np.where(ix.support_entries.targeted, 0.0, entry_money),
        minlength=ni,
    )
    env_left[np.abs(env_left) <= _NOISE * np.maximum(own, 1.0)] = 0.0
    inst_left = own - to_tech - env_left
    inst_left[np.abs(inst_left) <= _NOISE * np.maximum(own, 1.0)] = 0.0

    present = sorted(set(cur[counted].tolist()))
    per_cur = []
    n_related = ix.related_missions
    split, passes = _mission_split(ix, how)
    reach = ix.related_reach  # missions x technologies, with subtrees
    for code in present:
        mine = cur[ix.support_entries.instrument] == code
        inflow: FloatArray = np.bincount(
            ix.support_entries.technology[mine],
            weights=entry_money[mine],
            minlength=ix.n_technologies,
        ).astype(np.float64)
        mission_in = split @ inflow
        passed = passes * inflow
        reach_m = reach @ inflow
        per_cur.append((code, inflow, passed, mission_in, reach_m))
    return _result(
        graph,
        year,
        on,
        currency,
        wanted,
        how,
        labels,
        counted,
        cur,
        finality,
        budget,
        overlap,
        own,
        to_tech,
        env_left,
        inst_left,
        n_related,
        per_cur,
        o_rows,
    )


def _overlaps(
    ix: GraphIndex,
    year: int,
    counted: BoolArray,
    own: FloatArray,
    cur: IntArray,
    finality: IntArray,
    overlap: FloatArray,
    labels: list[str],
    currency: str | None,
    table: ExchangeRates | None,
    when: dt.date,
) -> list[OverlapFlowRow]:
    """Subtract known overlaps into ``overlap``; describe every overlap of the year."""
    rows: list[OverlapFlowRow] = []
    for i, j, y, amount, code, stage in ix.overlaps:
        if y != year or not (counted[i] and counted[j]):
            continue
        label = labels[cur[i]]
        matches = bool(stage == 0 or (finality[i] == stage and finality[j] == stage))
        stage_name = _STAGE_NAME.get(stage, "")
        if np.isnan(amount):
            rows.append(
                OverlapFlowRow(
                    instrument=ix.instrument_ids[i],
                    other=ix.instrument_ids[j],
                    currency=label,
                    amount=None,
                    subtracted=False,
                    at_most=float(min(own[i], own[j])),
                    stage=stage_name,
                    stage_matches=matches,
                )
            )
            continue
        source = ix.currencies[code]
        if currency is not None:
            assert table is not None
            amount = amount * table.rate(source, currency, when)
        elif source != label:
            raise CurrencyError(
                [
                    f"the overlap of {ix.instrument_ids[i]!r} with {ix.instrument_ids[j]!r} is in "
                    f"{source}, the budget in {label}: pass currency= and rates= to net them"
                ]
            )
        overlap[i] += amount
        rows.append(
            OverlapFlowRow(
                instrument=ix.instrument_ids[i],
                other=ix.instrument_ids[j],
                currency=label,
                amount=float(amount),
                subtracted=True,
                at_most=float(amount),
                stage=stage_name,
                stage_matches=matches,
            )
        )
    return rows


def _to_technologies(
    ix: GraphIndex,
    own: FloatArray,
    active: BoolArray,
    how: Allocation | None,
    tech_weight: FloatArray,
) -> tuple[FloatArray, FloatArray]:
    """Per instrument its envelope money; and each support entry's money.

    Shares are those of the model (every support, whatever its dates); a support not
    holding on the date gets nothing, and its money stays with the instrument.
    """
    ni = ix.n_instruments
    eff, rest, has_env = ix.split_shares
    entry_money = np.where(active, own[ix.support_entries.instrument] * eff, 0.0)
    # the envelope: what the shares leave, for instruments with envelope supports
    in_env = ~ix.support_entries.targeted
    envelope_money = np.where(has_env, own * rest, 0.0)
    if how is None:
        return envelope_money, entry_money
    live = in_env & active
    if how is Allocation.EQUAL:
        w = live.astype(np.float64)
    else:
        w = np.where(live, tech_weight[ix.support_entries.technology], 0.0)
    total = np.bincount(ix.support_entries.instrument, weights=w, minlength=ni)
    part = np.divide(
        w,
        total[ix.support_entries.instrument],
        out=np.zeros_like(w),
        where=total[ix.support_entries.instrument] > 0,
    )
    entry_money = entry_money + np.where(
        live, envelope_money[ix.support_entries.instrument] * part, 0.0
    )
    return envelope_money, entry_money


def _mission_split(ix: GraphIndex, how: Allocation | None) -> tuple[Any, FloatArray]:
    """The fraction of each technology's money each mission gets, and the fraction passed on.

    A missions x technologies matrix and a vector per technology, cached on the index per
    allocation.
    """
    cache: dict[Allocation | None, tuple[Any, FloatArray]] = ix.__dict__.setdefault(
        "_mission_split", {}
    )
    if how in cache:
        return cache[how]
    r = ix.related.copy()
    cols = r.indices
    n_related = ix.related_missions
    if how is None:
        # only technologies exactly one mission needs pass on their money
        r.data = np.where(n_related[cols] == 1, 1.0, 0.0)
    elif how is Allocation.EQUAL:
        r.data = 1.0 / n_related[cols]
    else:
        r.data = r.data / ix.related_weight[cols]
    r.eliminate_zeros()
    passed = np.bincount(r.indices, weights=r.data, minlength=r.shape[1]).astype(np.float64)
    cache[how] = (r, passed)
    return cache[how]


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


def _result(
    graph: MissionGraph,
    year: int,
    on: dt.date | None,
    currency: str | None,
    wanted: BudgetStage | None,
    how: Allocation | None,
    labels: list[str],
    counted: np.ndarray,
    cur: IntArray,
    finality: IntArray,
    budget: FloatArray,
    overlap: FloatArray,
    own: FloatArray,
    to_tech: FloatArray,
    env_left: FloatArray,
    inst_left: FloatArray,
    n_related: IntArray,
    per_cur: list[tuple[int, FloatArray, FloatArray, FloatArray, FloatArray]],
    o_rows: list[OverlapFlowRow],
) -> FundingFlow:
    ix = graph.index
    ci = np.flatnonzero(counted)
    instruments = Table(
        InstrumentFlowRow,
        {
            "instrument": Coded(ci, ix.instrument_ids),
            "currency": Coded(cur[ci], labels),
            "stage": Coded(finality[ci], _STAGE_LABELS),
            "budget": budget[ci],
            "overlap": overlap[ci],
            "own": own[ci],
            "to_technologies": to_tech[ci],
            "envelope": env_left[ci],
            "unallocated": inst_left[ci],
        },
        key="instrument",
    )
    t_id, t_cur, t_in, t_to, t_left = [], [], [], [], []
    m_id, m_cur, m_in, m_sub, m_reach = [], [], [], [], []
    u_src: list[np.ndarray] = []  # codes into instruments then technologies (see _Chain)
    u_kind: list[np.ndarray] = []  # 0: instrument, 1: technology
    u_reason: list[np.ndarray] = []  # codes into REASONS
    u_cur: list[np.ndarray] = []
    u_amt: list[np.ndarray] = []
    totals = []
    closure = ix.closure
    for code, inflow, passed, mission_in, reach_m in per_cur:
        has = np.flatnonzero(inflow != 0)
        left_t_amount = inflow[has] - passed[has]
        left_t_amount[np.abs(left_t_amount) <= _NOISE * np.abs(inflow[has])] = 0.0
        t_id.append(has)
        t_cur.append(np.full(len(has), code))
        t_in.append(inflow[has])
        t_to.append(inflow[has] - left_t_amount)
        t_left.append(left_t_amount)
        m_id.append(np.arange(ix.n_missions))
        m_cur.append(np.full(ix.n_missions, code))
        m_in.append(mission_in)
        m_sub.append(closure @ mission_in)
        m_reach.append(reach_m)
        mine = counted & (cur == code)
        # an instrument's unallocated money: first its envelope, then the rest
        for amounts, reason in ((inst_left, 0), (env_left, 1)):
            pick = np.flatnonzero(mine & (amounts > 0))
            u_src.append(pick)
            u_kind.append(np.zeros(len(pick), dtype=np.int64))
            u_reason.append(np.full(len(pick), reason, dtype=np.int64))
            u_cur.append(np.full(len(pick), code))
            u_amt.append(amounts[pick])
        stuck = left_t_amount > 0
        lt = has[stuck]
        u_src.append(lt + ix.n_instruments)
        u_kind.append(np.ones(len(lt), dtype=np.int64))
        u_reason.append(np.where(n_related[lt] == 0, 3, 2).astype(np.int64))
        u_cur.append(np.full(len(lt), code))
        u_amt.append(left_t_amount[stuck])
        unallocated = float(
            inst_left[mine].sum() + env_left[mine].sum() + left_t_amount[stuck].sum()
        )
        totals.append(
            FundingTotalRow(
                currency=labels[code],
                budget=float(own[mine].sum()),
                to_technologies=float(inflow.sum()),
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
            "technology": Coded(cat(t_id, np.int64), ix.technology_ids),
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
            "reachable": cat(m_reach, np.float64),
        },
        key="mission" if one_currency else None,
    )
    src = cat(u_src, np.int64)
    order = np.lexsort((cat(u_reason, np.int64), src))  # by source, then reason
    unallocated_rows = Table(
        UnallocatedRow,
        {
            "source": Coded(src[order], _Chain(ix.instrument_ids, ix.technology_ids)),
            "source_type": Coded(cat(u_kind, np.int64)[order], ("instrument", "technology")),
            "reason": Coded(cat(u_reason, np.int64)[order], REASONS),
            "currency": Coded(cat(u_cur, np.int64)[order], labels),
            "amount": cat(u_amt, np.float64)[order],
        },
    )
    return FundingFlow(
        year=year,
        on=on,
        currency=currency,
        stage=wanted.value if wanted is not None else None,
        allocation=how,
        instruments=instruments,
        technologies=technologies,
        missions=missions,
        unallocated=unallocated_rows,
        overlaps=Table.from_rows(OverlapFlowRow, o_rows),
        totals=Table.from_rows(FundingTotalRow, totals, key="currency"),
    )
