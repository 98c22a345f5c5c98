"""The row types of the graph analyses' result tables, and the funding-flow result."""

from __future__ import annotations

import datetime as dt

import attrs

from stratpolicy.graph._table import Table

__all__ = [
    "BottleneckRow",
    "CentralityRow",
    "CoverageRow",
    "CrosswalkRow",
    "FundingFlow",
    "FundingTotalRow",
    "GapRow",
    "InstrumentFlowRow",
    "LinkageRow",
    "MissionFlowRow",
    "OverlapRow",
    "PipelineRow",
    "RankRow",
    "RequirementRow",
    "SupportRow",
    "TechnologyFlowRow",
    "UnallocatedRow",
]

_MONEY = {"fmt": ",.0f"}


@attrs.frozen(kw_only=True)
class SupportRow:
    """How well one technology is supported by the instruments in force.

    Attributes:
        technology: Id of the technology.
        name: Its name.
        kind: ``"area"`` or ``"key_technology"``.
        support: 1 or 0 for a key technology; for an area 1 if an instrument supports the
            area itself, else the share of its key technologies that are supported.
        supported: Whether ``support`` is above 0.
        instruments: The instruments in force that support it, its area, or (for an area)
            one of its key technologies.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> g.support()["quantum_sensing"].instruments  # through its area, quantum
        ('nst_rd_investment',)
    """

    technology: str
    name: str
    kind: str
    support: float
    supported: bool
    instruments: tuple[str, ...]


@attrs.frozen(kw_only=True)
class CoverageRow:
    """The coverage of one mission.

    Attributes:
        mission: Id of the mission.
        name: Its name.
        kind: ``"mission"``, ``"sub_mission"`` or ``"challenge"``.
        parent: Id of its parent mission, if any.
        requirements: How many technologies it requires, counting its sub-missions'.
        coverage: The requirement-weighted mean support, in [0, 1]; ``None`` when the mission
            (with its sub-missions) requires nothing.
        gaps: The required technologies whose support is 0, in portfolio order.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.coverage()["industrial_ax"]
        >>> row.parent, row.requirements, row.coverage, row.gaps
        ('ai_transformation', 3, 1.0, ())
    """

    mission: str
    name: str
    kind: str
    parent: str | None
    requirements: int
    coverage: float | None = attrs.field(metadata={"fmt": ".3f"})
    gaps: tuple[str, ...]


@attrs.frozen(kw_only=True)
class RequirementRow:
    """One technology in a mission's requirements (its own and its sub-missions').

    Attributes:
        mission: Id of the mission.
        technology: Id of the technology.
        weight: The largest weight with which the mission or one of its sub-missions
            requires it.
        support: The technology's support.
        contribution: ``weight * support``.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.mission_requirements("industrial_ax")[0]
        >>> row.technology, row.weight, row.contribution
        ('efficient_learning_and_advanced_ai_infrastructure', 0.5, 0.5)
    """

    mission: str
    technology: str
    weight: float
    support: float = attrs.field(metadata={"fmt": ".3f"})
    contribution: float = attrs.field(metadata={"fmt": ".3f"})


@attrs.frozen(kw_only=True)
class GapRow:
    """A technology that missions require and no instrument in force supports.

    Attributes:
        technology: Id of the technology.
        name: Its name.
        kind: ``"area"`` or ``"key_technology"``.
        missions: The missions that require it directly, in portfolio order.
        weight: The sum of those missions' requirement weights for it.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().remove("nst_rd_investment").graph()
        >>> row = g.gaps()[0]
        >>> row.technology, row.missions, row.weight
        ('semiconductors_displays', ('trade_security',), 1.0)
    """

    technology: str
    name: str
    kind: str
    missions: tuple[str, ...]
    weight: float


@attrs.frozen(kw_only=True)
class BottleneckRow:
    """A technology ranked by how many missions depend on it.

    Attributes:
        technology: Id of the technology.
        name: Its name.
        kind: ``"area"`` or ``"key_technology"``.
        score: Missions that require it directly or require a technology that depends on
            it, transitively.
        direct: Missions that require it directly.
        support: Its support (see :class:`SupportRow`).
        supported: Whether its support is above 0; unsupported bottlenecks are the risks.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.bottlenecks(1)[0]
        >>> row.technology, row.score, row.direct, row.supported
        ('advanced_ai_modelling_and_decision_making', 2, 2, True)
    """

    technology: str
    name: str
    kind: str
    score: int
    direct: int
    support: float = attrs.field(metadata={"fmt": ".3f"})
    supported: bool


@attrs.frozen(kw_only=True)
class RankRow:
    """A technology's PageRank over the requirement and dependency edges.

    Attributes:
        technology: Id of the technology.
        name: Its name.
        kind: ``"area"`` or ``"key_technology"``.
        score: Its PageRank (the scores of all missions and technologies add up to 1).

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> round(g.rank_technologies(1)[0].score, 4)
        0.0211
    """

    technology: str
    name: str
    kind: str
    score: float = attrs.field(metadata={"fmt": ".5f"})


@attrs.frozen(kw_only=True)
class CentralityRow:
    """A technology's betweenness centrality in the mission–technology graph.

    Attributes:
        technology: Id of the technology.
        name: Its name.
        betweenness: Normalised betweenness centrality.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> round(g.betweenness(1)[0].betweenness, 3)
        0.276
    """

    technology: str
    name: str
    betweenness: float = attrs.field(metadata={"fmt": ".5f"})


@attrs.frozen(kw_only=True)
class OverlapRow:
    """Two instruments supporting similar sets of key technologies.

    Attributes:
        instrument_a: Id of the first instrument (earlier in the portfolio).
        instrument_b: Id of the second.
        shared: Key technologies both support.
        union: Key technologies either supports.
        jaccard: ``shared / union``.
        ministries_a: Ministries administering the first.
        ministries_b: Ministries administering the second.
        cross_ministry: Both are run by ministries, and no ministry runs both.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.overlap(0.2)[0]
        >>> row.instrument_a, row.instrument_b, row.jaccard, row.cross_ministry
        ('ai_budget_2026', 'national_ai_computing_center', 0.25, False)
    """

    instrument_a: str
    instrument_b: str
    shared: int
    union: int
    jaccard: float = attrs.field(metadata={"fmt": ".3f"})
    ministries_a: tuple[str, ...]
    ministries_b: tuple[str, ...]
    cross_ministry: bool


@attrs.frozen(kw_only=True)
class PipelineRow:
    """The actors whose instruments reach one mission (the cross-ministerial pipeline).

    Attributes:
        mission: Id of the mission.
        name: Its name.
        kind: ``"mission"``, ``"sub_mission"`` or ``"challenge"``.
        instruments: Instruments in force that reach it.
        actors: Actors administering those instruments.
        ministries: Those actors that are ministries.
        single_ministry: Exactly one ministry reaches it.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.pipeline()["industrial_ax"]
        >>> row.instruments, row.single_ministry
        (('nst_rd_investment', 'ai_budget_2026', 'national_ai_computing_center'), True)
    """

    mission: str
    name: str
    kind: str
    instruments: tuple[str, ...]
    actors: tuple[str, ...]
    ministries: tuple[str, ...]
    single_ministry: bool


@attrs.frozen(kw_only=True)
class LinkageRow:
    """Whether a designated technology is linked to an incentive of a given kind.

    Attributes:
        technology: Id of the technology.
        name: Its name.
        kind: ``"area"`` or ``"key_technology"``.
        support: Its support by incentives of that kind in force (as for instruments).
        linked: Whether ``support`` is above 0.
        incentives: The incentives that name it, its area, or one of its key technologies.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> g.linkage(kind="tax_credit")["hydrogen"].incentives
        ('rsta_nst_rd_credit', 'rsta_nst_facility_credit')
    """

    technology: str
    name: str
    kind: str
    support: float = attrs.field(metadata={"fmt": ".3f"})
    linked: bool
    incentives: tuple[str, ...]


@attrs.frozen(kw_only=True)
class InstrumentFlowRow:
    """An instrument's money in one year.

    Attributes:
        instrument: Id of the instrument.
        currency: Currency code of the amounts.
        budget: Its budget for the year.
        own: Its budget minus the budgets of its parts counted on their own.
        to_technologies: The part of ``own`` split across the technologies it supports.
        unallocated: The part of ``own`` assigned to no technology.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.funding_flow(2026).instruments["rd_budget_2026"]
        >>> row.budget, row.own  # 35.3 trillion KRW, less its 8.6 trillion NST R&D line
        (35300000000000.0, 26700000000000.0)
    """

    instrument: str
    currency: str
    budget: float = attrs.field(metadata=_MONEY)
    own: float = attrs.field(metadata=_MONEY)
    to_technologies: float = attrs.field(metadata=_MONEY)
    unallocated: float = attrs.field(metadata=_MONEY)


@attrs.frozen(kw_only=True)
class TechnologyFlowRow:
    """The money reaching one technology in one year.

    Attributes:
        technology: Id of the technology.
        currency: Currency code.
        inflow: Money from the instruments supporting it.
        to_missions: The part passed on to missions.
        unallocated: The part no mission receives (no related requirement).

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.funding_flow(2026).technologies["quantum"]
        >>> round(row.inflow)  # 8.6 trillion KRW / 12 areas
        716666666667
    """

    technology: str
    currency: str
    inflow: float = attrs.field(metadata=_MONEY)
    to_missions: float = attrs.field(metadata=_MONEY)
    unallocated: float = attrs.field(metadata=_MONEY)


@attrs.frozen(kw_only=True)
class MissionFlowRow:
    """The money reaching one mission in one year.

    Attributes:
        mission: Id of the mission.
        currency: Currency code.
        inflow: Money reaching it through its own requirements.
        inflow_with_sub: ``inflow`` plus that of its sub-missions, transitively.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> row = g.funding_flow(2026).missions[0]
        >>> row.mission, round(row.inflow / 1e12, 2), round(row.inflow_with_sub / 1e12, 2)
        ('ai_transformation', 2.81, 10.76)
    """

    mission: str
    currency: str
    inflow: float = attrs.field(metadata=_MONEY)
    inflow_with_sub: float = attrs.field(metadata=_MONEY)


@attrs.frozen(kw_only=True)
class UnallocatedRow:
    """Money that reaches no mission.

    Attributes:
        source: Id of the instrument or technology where it stops.
        source_type: ``"instrument"`` or ``"technology"``.
        reason: ``"no_technology"`` (an instrument's budget not assigned to any
            technology) or ``"no_mission"`` (a technology no related requirement names).
        currency: Currency code.
        amount: The amount.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> [r.source for r in g.funding_flow(2026).unallocated]
        ['rd_budget_2026', 'national_growth_fund', 'aerospace_marine', 'next_gen_communications']
    """

    source: str
    source_type: str
    reason: str
    currency: str
    amount: float = attrs.field(metadata=_MONEY)


@attrs.frozen(kw_only=True)
class FundingTotalRow:
    """The funding flow's balance for one currency.

    Attributes:
        currency: Currency code.
        budget: Money counted once: the sum of every instrument's own money.
        to_missions: Money reaching missions.
        unallocated: Money reaching no mission; ``to_missions + unallocated == budget``.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> t = g.funding_flow(2026).total("KRW")
        >>> abs(t.to_missions + t.unallocated - t.budget) < 0.01
        True
    """

    currency: str
    budget: float = attrs.field(metadata=_MONEY)
    to_missions: float = attrs.field(metadata=_MONEY)
    unallocated: float = attrs.field(metadata=_MONEY)


@attrs.frozen(kw_only=True)
class FundingFlow:
    """Where one year's money goes: instruments to technologies to missions.

    Amounts are plain ``float`` (float64) in whole currency units (won, dollars), with the
    currency code beside them; ``stratpolicy.units.money(row.inflow, row.currency)`` makes a
    pint quantity of one.

    Attributes:
        year: The budget year.
        on: The date instruments had to be in force on (``None``: dates ignored).
        currency: The single currency everything was converted to, if one was asked for.
        instruments: Every counted instrument's money.
        technologies: Every technology that receives money (keyed by technology id when the
            flow has one currency).
        missions: Every mission, per currency (keyed by mission id when the flow has one
            currency).
        unallocated: Money reaching no mission, by where it stops.
        totals: The balance per currency.

    Examples:
        >>> from stratpolicy.catalogs import korea
        >>> g = korea.summit_2025().graph()
        >>> flow = g.funding_flow(2026)
        >>> round(flow.to_mission("industrial_ax") / 1e12, 2)
        4.77
    """

    year: int
    on: dt.date | None
    currency: str | None
    instruments: Table[InstrumentFlowRow]
    technologies: Table[TechnologyFlowRow]
    missions: Table[MissionFlowRow]
    unallocated: Table[UnallocatedRow]
    totals: Table[FundingTotalRow]

    def to_mission(self, mission: str, currency: str | None = None) -> float:
        """The money reaching ``mission`` directly (0.0 if none), in one currency.

        Args:
            mission: Id of the mission.
            currency: The currency; may be left out when the flow has only one.
        """
        currency = self._currency(currency)
        for row in self.missions:
            if row.mission == mission and row.currency == currency:
                return row.inflow
        return 0.0

    def total(self, currency: str | None = None) -> FundingTotalRow:
        """The balance for one currency (may be left out when the flow has only one)."""
        currency = self._currency(currency)
        for row in self.totals:
            if row.currency == currency:
                return row
        return FundingTotalRow(currency=currency, budget=0.0, to_missions=0.0, unallocated=0.0)

    def _currency(self, currency: str | None) -> str:
        if currency is not None:
            return currency
        found = self.totals.column("currency")
        if len(found) != 1:
            raise ValueError(f"the flow has currencies {list(found)}: name one")
        return str(found[0])

    def to_dict(self) -> dict[str, object]:
        """The flow as plain data."""
        return {
            "year": self.year,
            "on": self.on.isoformat() if self.on else None,
            "currency": self.currency,
            "totals": self.totals.to_records(),
            "missions": self.missions.to_records(),
            "technologies": self.technologies.to_records(),
            "instruments": self.instruments.to_records(),
            "unallocated": self.unallocated.to_records(),
        }


@attrs.frozen(kw_only=True)
class CrosswalkRow:
    """One link between items of two technology lists, oriented from one list to the other.

    Attributes:
        from_list: Id of the list read from.
        from_id: Item of that list.
        to_list: Id of the list mapped to.
        to_id: Item of that list.
        confidence: How sure the mapping is, in [0, 1]; ``None`` when not assessed.
        note: Why the items match.

    Examples:
        >>> from stratpolicy.catalogs import international
        >>> from stratpolicy.graph import crosswalk_table
        >>> crosswalk_table(international.crosswalk_kr12())[0].to_id
        'semiconductors_microelectronics'
    """

    from_list: str
    from_id: str
    to_list: str
    to_id: str
    confidence: float | None
    note: str
